/** The whole plan of a fleet: every setting the CDK and Pulumi renderings need, as plain JSON data. */
import { parseFleetSpec, type FleetSpec, type ResolvedFleetSpec } from '../spec';
import { planFirewall, type FirewallPlan } from './firewall';
import { planGateway, type GatewayPlan } from './gateway';
import { planListener, type ListenerPlan } from './listener-rules';
import { planLoadBalancer, planNetwork, type LoadBalancerPlan, type NetworkPlan } from './load-balancer';
import { fleetNames, type FleetNames } from './names';
import { planPool, type PoolPlan } from './pools';
import { planQueuePool, type QueuePoolPlan } from './queue-pool';
import { planIngress, type IngressRulePlan } from './security';
import { planSessionStore, type SessionStorePlan } from './session-store';

export interface FleetPlan {
  /** The validated spec with every default filled in: what the plan was made from. */
  readonly spec: ResolvedFleetSpec;
  readonly fleet: string;
  readonly mcpPath: string;
  readonly healthPath: string;
  readonly names: FleetNames;
  readonly network: NetworkPlan;
  readonly loadBalancer: LoadBalancerPlan;
  readonly listener: ListenerPlan;
  /** The pools that serve MCP themselves (`container`, `stdio`), in spec order. */
  readonly pools: readonly PoolPlan[];
  /** The queue pools (`kind: 'queue'`), in spec order: queues, worker service, backlog scaling. */
  readonly queuePools: readonly QueuePoolPlan[];
  readonly gateway: GatewayPlan;
  readonly firewall: FirewallPlan;
  readonly sessionStore: SessionStorePlan;
  readonly ingress: readonly IngressRulePlan[];
  /** Days every log group keeps its events. */
  readonly logRetentionDays: number;
}

/**
 * Plans a fleet from a spec that has already been validated and resolved (`parseFleetSpec`).
 * @param where names the caller in errors.
 */
export function planResolvedFleet(input: FleetSpec, spec: ResolvedFleetSpec, where?: string): FleetPlan {
  const listener = planListener(spec, where);
  const pools = spec.pools.flatMap((pool) =>
    pool.kind === 'queue'
      ? []
      : [
          planPool(
            spec,
            pool,
            listener.routing.some((r) => r.pool === pool.name && r.direct),
          ),
        ],
  );
  const queuePools = spec.pools.flatMap((pool) => (pool.kind === 'queue' ? [planQueuePool(spec, pool, input)] : []));
  const sessionStore = planSessionStore(spec);
  const loadBalancer = planLoadBalancer(spec);
  return {
    spec,
    fleet: spec.name,
    mcpPath: spec.mcpPath,
    healthPath: spec.healthPath,
    names: fleetNames(spec.name),
    network: planNetwork(spec),
    loadBalancer,
    listener,
    pools,
    queuePools,
    gateway: planGateway(input, spec, Object.fromEntries(pools.map((p) => [p.name, p.url])), sessionStore.port, where),
    firewall: planFirewall(spec),
    sessionStore,
    ingress: planIngress(spec, { https: loadBalancer.httpsPort, httpRedirect: loadBalancer.httpRedirectPort, sessionStore: sessionStore.port }),
    logRetentionDays: spec.observability.logRetentionDays,
  };
}

/**
 * Validates `input` and plans the fleet.
 * @param where names the caller in errors (a construct path, a Pulumi resource name).
 * @throws FleetSpecError listing every problem of the spec; FleetPlanError when a cloud limit is hit.
 */
export function planFleet(input: FleetSpec, where?: string): FleetPlan {
  return planResolvedFleet(input, parseFleetSpec(input, where), where);
}

/** What every part of a fleet takes: the spec, and the plan its fleet already made of it. */
export interface FleetPlanInput {
  readonly spec: FleetSpec;
  /**
   * The plan of `spec`, computed once by the fleet that composes this part (`McpFleet` passes its
   * own), so that every part renders the same plan and the spec is validated once.
   * @default - planned here from `spec`
   */
  readonly plan?: FleetPlan;
}

/** The plan a part renders: the one given, or one made from the spec when the part is used alone. */
export function fleetPlanOf(input: FleetPlanInput, where?: string): FleetPlan {
  return input.plan ?? planFleet(input.spec, where);
}
