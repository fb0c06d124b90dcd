/**
 * The requests that cross eras: a 2025-era server-to-client request (`elicitation/create`,
 * `sampling/createMessage`, `roots/list`) is a 2026-07-28 input request of the same method and
 * params, and its result is the bare input response. Which client capability each needs, and the ids
 * under which the gateway asks a 2025-era client on behalf of a 2026 pool.
 */
import { GatewayError } from '../errors';
import { isRecord, type JsonRpcId } from '../protocol/jsonrpc';
import { POOL_ERROR } from '../backend/response';
import type { MailboxAddress } from './rendezvous';

/** The client capability each translatable request needs. */
const CAPABILITY: Readonly<Record<string, string>> = { 'elicitation/create': 'elicitation', 'sampling/createMessage': 'sampling', 'roots/list': 'roots' };

/** An input request as a 2026 result carries it. */
export interface InputRequest {
  readonly method: string;
  readonly params?: Record<string, unknown>;
}

/**
 * Undefined when a client with `capabilities` can be asked `method`; else the error that says why
 * not, naming the pool, the method and the missing capability.
 */
export function cannotAsk(pool: string, method: string, capabilities: unknown, who: string): GatewayError | undefined {
  const capability = CAPABILITY[method];
  if (capability === undefined) {
    return new GatewayError(
      200,
      POOL_ERROR.cannotRelay,
      `Pool "${pool}" asked ${method} of ${who}, which the gateway cannot carry across protocol eras (only ${Object.keys(CAPABILITY).join(', ')}). The call was abandoned.`,
      {},
      {
        data: { pool, method },
      },
    );
  }
  if (isRecord(capabilities) && capabilities[capability] !== undefined) return undefined;
  return new GatewayError(
    200,
    POOL_ERROR.cannotRelay,
    `Pool "${pool}" needs ${method} during the call, and ${who} did not declare the "${capability}" client capability; the call was abandoned`,
    {},
    { data: { pool, method, capability } },
  );
}

/** The input requests of a 2026 `input_required` result; an error for a malformed entry. */
export function inputRequestsOf(pool: string, result: Record<string, unknown>): Array<[string, InputRequest]> {
  const requests = result.inputRequests;
  if (requests === undefined) return [];
  if (!isRecord(requests)) throw malformed(pool, 'inputRequests is not an object');
  return Object.entries(requests).map(([key, request]) => {
    if (!isRecord(request) || typeof request.method !== 'string' || (request.params !== undefined && !isRecord(request.params))) throw malformed(pool, `inputRequests.${key} is not a request`);
    return [key, { method: request.method, ...(request.params ? { params: request.params as Record<string, unknown> } : {}) }];
  });
}

function malformed(pool: string, why: string): GatewayError {
  return new GatewayError(502, POOL_ERROR.unavailable, `Pool "${pool}" sent a malformed input_required result: ${why}`, {}, { data: { pool } });
}

const INPUT_ID = 'in:';

/** The pool-side id of a request the gateway asks a 2025 client for a 2026 pool: the mailbox waiting for the answer, and the input key. */
export function inputRequestId(address: MailboxAddress, key: string): string {
  return `${INPUT_ID}${address.instance}:${address.token}:${key}`;
}

/** The mailbox and input key behind such an id; undefined for any other id. */
export function inputAnswerTarget(id: JsonRpcId): { address: MailboxAddress; key: string } | undefined {
  if (typeof id !== 'string' || !id.startsWith(INPUT_ID)) return undefined;
  const [instance, token, ...key] = id.slice(INPUT_ID.length).split(':');
  if (!instance || !token || key.length === 0) return undefined;
  return { address: { instance, token }, key: key.join(':') };
}
