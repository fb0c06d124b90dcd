/**
 * The 2025-era session layer: `initialize` answered by the gateway with a session id it mints and
 * binds to the principal, the session looked up for every later request (400 without an id, 404 for
 * an unknown, expired or foreign one — the client then re-initializes), and DELETE.
 */
import { GatewayError } from './errors';
import type { GatewayRequest } from './http';
import { principalKey, type GatewaySessionRecord, type Principal, type SessionStore } from './ports';
import { clientFieldsOf } from './session/client-fields';
import { RPC, type JsonRpcRequest, type JsonRpcResponse } from './protocol/jsonrpc';
import { HEADER, LATEST_LEGACY_VERSION, LEGACY_VERSIONS } from './protocol/versions';
import { mintSessionId } from './session/session-id';

export interface LegacySessionsOptions {
  readonly store: SessionStore;
  readonly region: string;
  readonly ttlSeconds: number;
  readonly serverInfo: { readonly name: string; readonly version: string };
  readonly instructions?: string;
  /** Live sessions one principal may hold (`sessionStore.maxSessionsPerPrincipal`). */
  readonly maxSessionsPerPrincipal: number;
  /** Throws (429) when the principal may not open another session now. @default - no rate limit */
  readonly admit?: (principal: Principal) => Promise<void>;
}

export type LiveSession = { sessionId: string; session: { -readonly [K in keyof GatewaySessionRecord]: GatewaySessionRecord[K] } };

export class LegacySessions {
  constructor(private readonly options: LegacySessionsOptions) {}

  /** Answers `initialize`: negotiates the version, mints and stores the session. */
  async initialize(message: JsonRpcRequest, principal: Principal, capabilities: Record<string, unknown>): Promise<{ sessionId: string; response: JsonRpcResponse }> {
    const params = message.params ?? {};
    const requested = typeof params.protocolVersion === 'string' ? params.protocolVersion : undefined;
    if (requested === undefined) throw new GatewayError(200, RPC.invalidParams, 'Invalid params: initialize needs params.protocolVersion');
    // Spec: answer with the requested version if supported, else with one the server supports.
    const protocolVersion = LEGACY_VERSIONS.includes(requested) ? requested : LATEST_LEGACY_VERSION;
    const fields = clientFieldsOf(params);
    // A fleet without auth has one shared principal: a per-principal bound would be a global one.
    const bounded = principal.method !== 'anonymous';
    if (bounded) await this.options.admit?.(principal);
    const sessionId = mintSessionId(this.options.region);
    const record: GatewaySessionRecord = {
      principal: principalKey(principal),
      region: this.options.region,
      protocolVersion,
      ...fields,
      backends: {},
      createdAt: Date.now(),
    };
    const max = bounded ? this.options.maxSessionsPerPrincipal : Number.MAX_SAFE_INTEGER;
    if (!(await this.options.store.createSession(sessionId, record, this.options.ttlSeconds, max))) {
      throw new GatewayError(
        429,
        RPC.serverError,
        `Too many sessions: principal "${principal.id}" already holds ${max} live sessions (sessionStore.maxSessionsPerPrincipal); end one with DELETE or let one expire`,
        { 'retry-after': '60' },
        { data: { maxSessionsPerPrincipal: max } },
      );
    }
    return {
      sessionId,
      response: {
        jsonrpc: '2.0',
        id: message.id,
        result: {
          protocolVersion,
          capabilities,
          serverInfo: this.options.serverInfo,
          ...(this.options.instructions ? { instructions: this.options.instructions } : {}),
        },
      },
    };
  }

  /** The caller's session, or 400 (no id) / 404 (unknown, expired, another principal's or region's). */
  async require(request: GatewayRequest, principal: Principal): Promise<LiveSession> {
    const sessionId = request.headers[HEADER.sessionId];
    if (!sessionId) throw new GatewayError(400, RPC.serverError, 'Bad Request: Mcp-Session-Id header is required (send initialize first)');
    const session = await this.options.store.getSession(sessionId);
    // A foreign session is indistinguishable from an unknown one: never confirm that an id exists.
    if (!session || session.principal !== principalKey(principal) || session.region !== this.options.region) throw sessionNotFound();
    return { sessionId, session: { ...session } };
  }

  end(sessionId: string): Promise<void> {
    return this.options.store.deleteSession(sessionId);
  }
}

export function sessionNotFound(detail?: string): GatewayError {
  return new GatewayError(404, RPC.sessionNotFound, detail ? `Session not found: ${detail}` : 'Session not found');
}
