/**
 * The deep health check: an MCP `ping` through a pool process, so `/health` fails when the server
 * cannot answer (not started, hung, crash-looping), not only when the bridge's HTTP side is down.
 */
import type { ChildPool } from './child-pool';

export interface HealthResult {
  readonly ok: boolean;
  readonly detail: Record<string, unknown>;
}

export async function pingThroughPool(pool: ChildPool, timeoutMs: number): Promise<HealthResult> {
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer to ping within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    const answer = await Promise.race([pool.acquire().then(({ child }) => child.request({ jsonrpc: '2.0', id: 'mcp-fleet-health', method: 'ping' })), timeout]);
    if (answer.error) return { ok: false, detail: { reason: `ping failed: ${answer.error.message} (JSON-RPC ${answer.error.code})` } };
    return { ok: true, detail: { pingMs: Date.now() - started } };
  } catch (error) {
    return { ok: false, detail: { reason: (error as Error).message } };
  } finally {
    clearTimeout(timer);
  }
}
