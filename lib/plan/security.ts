/**
 * Who may talk to whom, as ingress rules between security groups. Only the load balancer faces the
 * internet; pools admit the load balancer (direct routes, health checks) and the gateway (queue pools
 * admit no one: their workers pull jobs from the queue); the session store admits the gateway and queue pools' workers. Renderings create exactly these rules and nothing wider.
 */
import type { ResolvedFleetSpec } from '../spec';

/** A security group of the fleet, or the internet (`0.0.0.0/0` and `::/0`). */
export type TrafficPeer =
  | { readonly kind: 'internet' }
  | { readonly kind: 'loadBalancer' }
  | { readonly kind: 'gateway' }
  | { readonly kind: 'pool'; readonly pool: string }
  | { readonly kind: 'sessionStore' };

export interface IngressRulePlan {
  readonly from: TrafficPeer;
  readonly to: TrafficPeer;
  readonly port: number;
  readonly description: string;
}

export function planIngress(spec: ResolvedFleetSpec, ports: { readonly https: number; readonly httpRedirect: number; readonly sessionStore: number }): IngressRulePlan[] {
  const rules: IngressRulePlan[] = [
    { from: { kind: 'internet' }, to: { kind: 'loadBalancer' }, port: ports.https, description: 'HTTPS from MCP clients' },
    { from: { kind: 'internet' }, to: { kind: 'loadBalancer' }, port: ports.httpRedirect, description: 'HTTP, redirected to HTTPS' },
  ];
  for (const pool of spec.pools) {
    const to = { kind: 'pool', pool: pool.name } as const;
    // Nothing calls a queue pool's server but its own worker, on localhost: its tasks admit no one.
    if (pool.kind === 'queue') continue;
    rules.push(
      { from: { kind: 'loadBalancer' }, to, port: pool.port, description: `load balancer to pool ${pool.name} (direct routes, health checks)` },
      { from: { kind: 'gateway' }, to, port: pool.port, description: `gateway to pool ${pool.name}` },
    );
  }
  if (spec.gateway.hosting === 'service') {
    // A Lambda target is invoked through the Lambda API; a service's tasks take connections from the load balancer.
    rules.push({ from: { kind: 'loadBalancer' }, to: { kind: 'gateway' }, port: spec.gateway.service.port, description: 'load balancer to the gateway service (MCP path, health checks)' });
  }
  rules.push({ from: { kind: 'gateway' }, to: { kind: 'sessionStore' }, port: ports.sessionStore, description: 'gateway to the session store' });
  // A queue pool's workers keep job state and results in the session store.
  for (const pool of spec.pools.filter((p) => p.kind === 'queue')) {
    rules.push({ from: { kind: 'pool', pool: pool.name }, to: { kind: 'sessionStore' }, port: ports.sessionStore, description: `workers of queue pool ${pool.name} to the session store` });
  }
  return rules;
}
