/**
 * The 2025-era session layer: `initialize` answered by the gateway with a session id it mints and
 * binds to the principal, the session looked up for every later request (400 without an id, 404 for
 * an unknown, expired or foreign one — the client then re-initializes), and DELETE.
 */
import { GatewayError } from './errors';
import type { GatewayRequest } from './http';
import type { GatewaySessionRecord, Principal, SessionStore } from './ports';
import { RPC, type JsonRpcRequest, type JsonRpcResponse } from './protocol/jsonrpc';
import { HEADER, LATEST_LEGACY_VERSION, LEGACY_VERSIONS } from './protocol/versions';
import { mintSessionId } from './session/session-id';

export interface LegacySessionsOptions {
  readonly store: SessionStore;
  readonly region: string;
  readonly ttlSeconds: number;
  readonly serverInfo: { readonly name: string; readonly version: string };
  readonly instructions?: string;
}

export type LiveSession = { sessionId: string; session: { -readonly [K in keyof GatewaySessionRecord]: GatewaySessionRecord[K] } };

export class LegacySessions {
  constructor(private readonly options: LegacySessionsOptions) {}

  /** Answers `initialize`: negotiates the version, mints and stores the session. */
  async initialize(
    message: JsonRpcRequest,
    principal: Principal,
    capabilities: Record<string, unknown>,
  ): Promise<{ sessionId: string; response: JsonRpcResponse }> {
    const params = message.params ?? {};
    const requested = typeof params.protocolVersion === 'string' ? params.protocolVersion : undefined;
    if (requested === undefined) throw new GatewayError(200, RPC.invalidParams, 'Invalid params: initialize needs params.protocolVersion');
    // Spec: answer with the requested version if supported, else with one the server supports.
    const protocolVersion = LEGACY_VERSIONS.includes(requested) ? requested : LATEST_LEGACY_VERSION;
    const sessionId = mintSessionId(this.options.region);
    const record: GatewaySessionRecord = {
      principal: principal.id,
      region: this.options.region,
      protocolVersion,
      clientInfo: params.clientInfo,
      clientCapabilities: params.capabilities ?? {},
      backends: {},
      createdAt: Date.now(),
    };
    await this.options.store.putSession(sessionId, record, this.options.ttlSeconds);
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
    if (!session || session.principal !== principal.id || session.region !== this.options.region) throw sessionNotFound();
    return { sessionId, session: { ...session } };
  }

  end(sessionId: string): Promise<void> {
    return this.options.store.deleteSession(sessionId);
  }
}

export function sessionNotFound(detail?: string): GatewayError {
  return new GatewayError(404, RPC.sessionNotFound, detail ? `Session not found: ${detail}` : 'Session not found');
}
