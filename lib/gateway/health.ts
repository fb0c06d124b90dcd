/**
 * The gateway's deep health check: the session store answers and at least one pool is healthy (queue
 * pools without an endpoint are not checked: their workers pull jobs; a fleet of only those is
 * healthy when the store is).
 * Everyone gets the verdict (200/503 and `status`); the details (pool names, breaker states, store
 * error text) only a caller inside the network (no `X-Forwarded-For`: the load balancer adds it to
 * every request it forwards) or an authenticated one.
 */
import type { PoolTarget } from './backend/pool-caller';
import type { BackendTransport } from './backend/transport';
import type { GatewayResponse } from './http';
import type { SessionStore } from './ports';
import { jsonResponse } from './protocol/jsonrpc';
import { HEADER } from './protocol/versions';
import type { CircuitBreakerRegistry } from './resilience/breaker';

export interface HealthCheckOptions {
  readonly store: SessionStore;
  readonly transport: BackendTransport;
  readonly targets: ReadonlyMap<string, PoolTarget>;
  readonly breakers: CircuitBreakerRegistry;
  readonly region: string;
  readonly backendTimeoutMs: number;
}

/**
 * @param detailed whether the answer may name pools and errors (see the file comment).
 */
export async function checkHealth(options: HealthCheckOptions, requestId: string, detailed: boolean): Promise<GatewayResponse> {
  const { store, transport, targets, breakers, region } = options;
  const storeCheck = await store.ping().then(
    () => 'ok',
    (e: Error) => e.message,
  );
  const pools = Object.fromEntries(
    await Promise.all(
      [...targets.values()]
        .flatMap((t) => (t.url ? [{ ...t, url: t.url }] : []))
        .map(async (t) => {
          const url = new URL(t.pool.healthPath, t.url);
          const status = await transport.send({ method: 'GET', url, headers: { [HEADER.requestId]: requestId }, timeoutMs: Math.min(2000, options.backendTimeoutMs) }).then(
            (r) => (r.status < 400 ? 'ok' : `HTTP ${r.status}`),
            (e: Error) => e.message,
          );
          return [t.pool.name, { status, breaker: breakers.get(t.pool.name).snapshot().state }] as const;
        }),
    ),
  );
  const poolsUp = Object.values(pools).some((p) => p.status === 'ok') || Object.keys(pools).length === 0;
  const healthy = storeCheck === 'ok' && poolsUp;
  const status = healthy ? 'ok' : 'unhealthy';
  return jsonResponse(healthy ? 200 : 503, detailed ? { status, region, store: storeCheck, pools } : { status });
}
