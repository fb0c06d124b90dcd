/**
 * The `requestState` of a 2026-07-28 `input_required` result, as the gateway hands it to callers: the
 * pool's own state wrapped with the pool's name, so the retried request goes back to that pool from
 * the state alone (any instance, whatever the routing says by then). When the gateway has identity
 * keys the wrapper carries an HMAC-SHA-256 under a key derived from the pool's, so a caller cannot
 * point a state at another pool or alter what the pool gets back. The pool sees its own state only.
 *
 * A state may also stand for a call the gateway itself holds open (a 2025-era pool that asked a 2026
 * caller something mid-call): it then names the pool and the mailbox of the instance holding it.
 *
 * Wire form: `mcpf1.<base64url JSON [pool, state?] or [pool, null, instance, token]>.<base64url HMAC or empty>`.
 */
import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { GatewayError } from '../errors';
import { RPC, isRecord } from './jsonrpc';

const VERSION = 'mcpf1';

export interface RequestStateKeys {
  readonly fleet: string;
  /** The fleet identity key. @default - only pools in `poolKeys` get protected states */
  readonly key?: string | Uint8Array;
  /** Each pool's own identity key (wins over `key`). @default {} */
  readonly poolKeys?: Readonly<Record<string, string | Uint8Array>>;
}

/** What a caller's wrapped state stands for. */
export interface OpenedState {
  readonly pool: string;
  /** The pool's own state; undefined when the pool gave none (the wrapper then only pins the pool). */
  readonly state: string | undefined;
  /** The call the gateway holds open for this state, by its holder's mailbox. @default - none: the pool holds nothing */
  readonly pending?: { readonly instance: string; readonly token: string };
}

export class RequestStates {
  private readonly derived = new Map<string, Buffer | undefined>();

  /** @param keys undefined: states name their pool but are not protected (a gateway without identity keys). */
  constructor(private readonly keys?: RequestStateKeys) {}

  seal(pool: string, state: string | undefined): string {
    return this.sealed(state === undefined ? [pool] : [pool, state]);
  }

  /** A state that stands for a call the gateway holds open at `pending` (an instance's mailbox). */
  sealPending(pool: string, pending: { readonly instance: string; readonly token: string }): string {
    return this.sealed([pool, null, pending.instance, pending.token]);
  }

  private sealed(content: readonly [string, ...unknown[]]): string {
    const pool = content[0];
    const payload = Buffer.from(JSON.stringify(content)).toString('base64url');
    const key = this.keyFor(pool);
    return `${VERSION}.${payload}.${key ? mac(key, payload) : ''}`;
  }

  /** A result for the caller: an `input_required` one gets a wrapped state naming `pool`; others are returned as they are. */
  sealResult(pool: string, result: Record<string, unknown>): Record<string, unknown> {
    if (result.resultType !== 'input_required') return result;
    const state = typeof result.requestState === 'string' ? result.requestState : undefined;
    return { ...result, requestState: this.seal(pool, state) };
  }

  /** The pool and its state behind a caller's `requestState`; a JSON-RPC invalid-params error for anything else. */
  open(value: unknown): OpenedState {
    if (typeof value !== 'string') throw invalid('it must be the string the gateway returned');
    const [version, payload, tag, extra] = value.split('.');
    if (version !== VERSION || payload === undefined || tag === undefined || extra !== undefined) throw invalid('it is not a state this gateway issued');
    let decoded: unknown;
    try {
      decoded = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    } catch {
      throw invalid('it is not a state this gateway issued');
    }
    if (!Array.isArray(decoded) || typeof decoded[0] !== 'string' || !(decoded.length <= 2 ? decoded.length === 1 || typeof decoded[1] === 'string' : isPendingForm(decoded))) {
      throw invalid('it is not a state this gateway issued');
    }
    const pool = decoded[0];
    const key = this.keyFor(pool);
    if (key) {
      const expected = Buffer.from(mac(key, payload));
      const given = Buffer.from(tag);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalid('its signature does not match (altered, or issued for another pool or fleet)');
    }
    if (decoded.length === 4) return { pool, state: undefined, pending: { instance: decoded[2] as string, token: decoded[3] as string } };
    return { pool, state: decoded[1] as string | undefined };
  }

  /** The state key of a pool: HKDF from the pool's identity key, or from the fleet key; none without keys. */
  private keyFor(pool: string): Buffer | undefined {
    if (!this.keys) return undefined;
    if (this.derived.has(pool)) return this.derived.get(pool);
    const { fleet, key, poolKeys } = this.keys;
    const root = poolKeys?.[pool] ?? key;
    const derived = root === undefined ? undefined : Buffer.from(hkdfSync('sha256', typeof root === 'string' ? Buffer.from(root) : root, `mcp-fleet/${fleet}`, `request-state/${pool}`, 32));
    this.derived.set(pool, derived);
    return derived;
  }
}

function isPendingForm(decoded: unknown[]): boolean {
  return decoded.length === 4 && decoded[1] === null && typeof decoded[2] === 'string' && typeof decoded[3] === 'string';
}

function mac(key: Buffer, payload: string): string {
  return createHmac('sha256', key).update(`${VERSION}.${payload}`).digest('base64url');
}

function invalid(why: string): GatewayError {
  return new GatewayError(200, RPC.invalidParams, `Invalid params: params.requestState is not usable: ${why}`, {}, { data: { field: 'params.requestState' } });
}

/** Whether a pool's buffered answer may be an `input_required` result (a cheap look before parsing). */
export function mayNeedInput(body: string): boolean {
  return body.includes('"input_required"');
}

/** The result of a JSON-RPC response body, if it is one. */
export function resultOf(body: string): Record<string, unknown> | undefined {
  try {
    const message: unknown = JSON.parse(body);
    return isRecord(message) && isRecord(message.result) ? message.result : undefined;
  } catch {
    return undefined;
  }
}
