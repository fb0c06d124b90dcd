/**
 * A 2026-07-28 caller sets its log level per request (`_meta` `io.modelcontextprotocol/logLevel`);
 * a 2025-era stateful pool only knows a level per session. So before such a request reaches the
 * pool, the caller's backend session with it gets `logging/setLevel` — only when the level changed
 * since this instance last set it, so repeated calls at one level cost nothing. Concurrent requests
 * of one principal at different levels share the session's level (the last one set wins).
 */
import type { JsonRpcId, JsonRpcRequest } from '../protocol/jsonrpc';
import type { PoolCall, PoolCaller, PoolTarget } from './pool-caller';
import { resultIn } from './response';

export const LOG_LEVEL_META = 'io.modelcontextprotocol/logLevel';

/** Remembered sessions per instance before the memory starts over (a forgotten one is set again). */
const MAX_REMEMBERED = 10_000;

/** The level a 2026 request asks for, if any. */
export function requestedLogLevel(params: Record<string, unknown> | undefined): string | undefined {
  const meta = params?._meta;
  const level = meta !== null && typeof meta === 'object' ? (meta as Record<string, unknown>)[LOG_LEVEL_META] : undefined;
  return typeof level === 'string' ? level : undefined;
}

export class SessionLogLevels {
  /** Backend session id → the level last set on it by this instance. */
  private readonly levels = new Map<string, string>();

  constructor(private readonly caller: PoolCaller) {}

  /**
   * Sets `level` on the backend session of `call.owner` with `target` unless it is already set. Best
   * effort: a pool that does not log refuses (and is not asked again); a pool that cannot be reached
   * fails the call itself right after.
   */
  async apply(target: PoolTarget, call: PoolCall, level: string, id: JsonRpcId): Promise<void> {
    const backend = await this.caller.session(target, call);
    if (this.levels.get(backend.sessionId) === level) return;
    const request: JsonRpcRequest = { jsonrpc: '2.0', id, method: 'logging/setLevel', params: { level } };
    try {
      resultIn(await this.caller.send(target, request, { ...call, idempotent: true, streamSse: false }), id, target.pool.name);
    } catch {
      // Refused (no logging, or a level it does not know): the call goes on; its logs, if any, are the pool's default.
    }
    if (this.levels.size >= MAX_REMEMBERED) this.levels.clear();
    this.levels.set(backend.sessionId, level);
  }
}
