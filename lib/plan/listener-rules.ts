/**
 * HTTPS listener rules, in evaluation order:
 *   (b) priority pools: `tools/call` of the pool's tools from callers sending the priority header;
 *   (a) owning pools: 2026-07-28 `tools/call` routed by `Mcp-Method` / `Mcp-Name` (optionally JWT-verified);
 *   (c) everything else on the MCP path, plus the RFC 9728 metadata paths, to the gateway;
 *   (d) the health path to the gateway;
 *   (e) pools without direct rules: one rule that matches no client (source IP 127.0.0.1/32), only so
 *       that the pool's target group is attached to the load balancer, which runs its deep health
 *       check (ECS replaces tasks that fail it) and which ECS requires before it registers tasks.
 * Everything else gets a 404 from the default action. Priority requests the ALB cannot route to the
 * priority pool (other methods, older protocol revisions, undecidable scopes) reach the gateway, which
 * routes them to the priority pool too; priority `tools/call`s of such pools get gateway rules in
 * group (b) so that the owning pools' direct rules cannot capture them.
 *
 * Priorities are fixed blocks per pool index, so adding a pattern to one pool never renumbers the
 * rules of another (CloudFormation fails when two rules briefly want the same priority).
 */
import type { ResolvedFleetSpec, ResolvedPoolSpec } from '../spec';
import { jwtVerificationFor, planDirectAuth, requiredScopesFor, type DirectAuthPlan, type JwtVerificationPlan } from './direct-auth';
import { FleetPlanError } from './errors';

/** ALB limits on listener rules. */
export const ALB_RULE_LIMITS = {
  /** Match values across all conditions of one rule. */
  valuesPerRule: 5,
  /** Match values in one condition. */
  valuesPerCondition: 3,
  /** Rules per listener, default rule excluded. */
  rulesPerListener: 100,
  maxPriority: 50_000,
} as const;

/** First priority of each rule group; pools get blocks of `POOL_BLOCK` inside theirs. */
export const RULE_PRIORITY = {
  priorityPools: 1_000,
  directPools: 10_000,
  gateway: 45_000,
  health: 45_100,
  attach: 49_000,
} as const;
export const POOL_BLOCK = 100;

/** MCP 2026-07-28 request headers the ALB routes on. */
export const MCP_METHOD_HEADER = 'Mcp-Method';
export const MCP_NAME_HEADER = 'Mcp-Name';
/**
 * Source of the attachment rules: no request over the internet can come from the loopback address,
 * so these rules never match (the ALB evaluates `source-ip` on the TCP peer, not X-Forwarded-For).
 */
export const UNREACHABLE_SOURCE_CIDR = '127.0.0.1/32';
/** RFC 9728 protected resource metadata, served by the gateway. */
export const PROTECTED_RESOURCE_METADATA_PATH = '/.well-known/oauth-protected-resource';

export type RuleCondition =
  | { readonly field: 'path-pattern'; readonly values: readonly string[] }
  | { readonly field: 'http-header'; readonly header: string; readonly values: readonly string[] }
  | { readonly field: 'source-ip'; readonly values: readonly string[] };

export type RuleTarget = { readonly kind: 'pool'; readonly pool: string } | { readonly kind: 'gateway' };

export interface ListenerRulePlan {
  /** Stable identifier, usable as a construct id / resource name suffix (`direct-github-0`). */
  readonly id: string;
  readonly kind: 'priority' | 'direct' | 'gateway' | 'health' | 'attach';
  readonly priority: number;
  /** All must match. */
  readonly conditions: readonly RuleCondition[];
  /** Verify the caller's JWT before forwarding. @default - no verification */
  readonly jwt?: JwtVerificationPlan;
  readonly target: RuleTarget;
}

/** How one pool is reached from the load balancer. */
export interface PoolRoutingPlan {
  readonly pool: string;
  /** Whether any rule sends requests straight to the pool. */
  readonly direct: boolean;
  /** Patterns the ALB routes straight to the pool. */
  readonly directPatterns: readonly string[];
  /** Patterns the pool owns that only the gateway routes, each with the reason. */
  readonly viaGateway: ReadonlyArray<{ readonly pattern: string; readonly reason: string }>;
}

export interface ListenerPlan {
  readonly rules: readonly ListenerRulePlan[];
  readonly routing: readonly PoolRoutingPlan[];
  readonly directAuth: DirectAuthPlan;
  /** Answer of the default action (no rule matched). */
  readonly defaultResponse: { readonly statusCode: 404; readonly contentType: 'application/json'; readonly body: string };
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Patterns of `pool` grouped by the scopes their direct rule must require, in spec order. */
function groupByScopes(spec: ResolvedFleetSpec, pool: ResolvedPoolSpec, viaGateway: Array<{ pattern: string; reason: string }>) {
  const groups = new Map<string, { scopes: readonly string[]; patterns: string[] }>();
  for (const pattern of pool.tools) {
    const required = requiredScopesFor(pattern, spec.auth.toolScopes, spec.auth.poolScopes[pool.name]);
    if ('unresolvable' in required) {
      viaGateway.push({ pattern, reason: required.unresolvable });
      continue;
    }
    const key = required.scopes.join(' ');
    const group = groups.get(key) ?? { scopes: required.scopes, patterns: [] };
    group.patterns.push(pattern);
    groups.set(key, group);
  }
  return [...groups.values()];
}

function poolRules(spec: ResolvedFleetSpec, pool: ResolvedPoolSpec, auth: DirectAuthPlan, firstPriority: number, routing: PoolRoutingPlan[], where: string | undefined): ListenerRulePlan[] {
  if (!auth.allowed) {
    // No direct rule exists anywhere, so everything reaches the gateway.
    routing.push({ pool: pool.name, direct: false, directPatterns: [], viaGateway: pool.tools.map((pattern) => ({ pattern, reason: auth.reason! })) });
    return [];
  }
  const viaGateway: Array<{ pattern: string; reason: string }> = [];
  let groups: Array<{ scopes: readonly string[]; patterns: string[] }> = [];
  if (pool.directRouting) groups = groupByScopes(spec, pool, viaGateway);
  else {
    const reason = `pool "${pool.name}" has directRouting off${pool.protocolVersion === '2026-07-28' ? '' : ` (it speaks ${pool.protocolVersion})`}`;
    viaGateway.push(...pool.tools.map((pattern) => ({ pattern, reason })));
  }

  const kind = pool.priorityRoute ? 'priority' : 'direct';
  const fixed: RuleCondition[] = [
    { field: 'path-pattern', values: [spec.mcpPath] },
    ...(pool.priorityRoute ? [{ field: 'http-header' as const, header: pool.priorityRoute.header, values: [pool.priorityRoute.value] }] : []),
    { field: 'http-header', header: MCP_METHOD_HEADER, values: ['tools/call'] },
    ...(auth.requireBearerHeader ? [{ field: 'http-header' as const, header: 'Authorization', values: ['Bearer *'] }] : []),
  ];
  const chunkSize = Math.min(ALB_RULE_LIMITS.valuesPerCondition, ALB_RULE_LIMITS.valuesPerRule - fixed.length);
  const rules: ListenerRulePlan[] = [];
  const add = (id: string, names: string[], target: RuleTarget, jwt?: JwtVerificationPlan) => {
    const index = rules.length;
    if (index >= POOL_BLOCK) throw new FleetPlanError(`pool "${pool.name}" needs more than ${POOL_BLOCK} listener rules`, where);
    rules.push({
      id: `${id}-${index}`,
      kind,
      priority: firstPriority + index,
      conditions: [...fixed, { field: 'http-header', header: MCP_NAME_HEADER, values: names }],
      ...(jwt ? { jwt } : {}),
      target,
    });
  };
  for (const group of groups) {
    for (const names of chunk(group.patterns, chunkSize)) add(`${kind}-${pool.name}`, names, { kind: 'pool', pool: pool.name }, auth.verifyJwt ? jwtVerificationFor(spec, group.scopes) : undefined);
  }
  const directPatterns = rules.flatMap((r) => r.conditions.at(-1)!.values);
  if (pool.priorityRoute) {
    // Priority calls the ALB cannot route to this pool must still skip the owning pools' direct
    // rules below: they go to the gateway, which routes them to this pool.
    for (const names of chunk(
      viaGateway.map((v) => v.pattern),
      chunkSize,
    ))
      add(`${kind}-${pool.name}-gateway`, names, { kind: 'gateway' });
  }
  routing.push({ pool: pool.name, direct: directPatterns.length > 0, directPatterns, viaGateway });
  return rules;
}

/**
 * Listener rules, per-pool routing and the default response for a fleet.
 * @param where names the caller in errors.
 */
export function planListener(spec: ResolvedFleetSpec, where?: string): ListenerPlan {
  const auth = planDirectAuth(spec);
  const routing: PoolRoutingPlan[] = [];
  const priority: ListenerRulePlan[] = [];
  const direct: ListenerRulePlan[] = [];
  spec.pools.forEach((pool, index) => {
    if (pool.priorityRoute) priority.push(...poolRules(spec, pool, auth, RULE_PRIORITY.priorityPools + index * POOL_BLOCK, routing, where));
    else direct.push(...poolRules(spec, pool, auth, RULE_PRIORITY.directPools + index * POOL_BLOCK, routing, where));
  });
  const last = (rules: ListenerRulePlan[]) => rules.at(-1)?.priority ?? 0;
  if (last(priority) >= RULE_PRIORITY.directPools || last(direct) >= RULE_PRIORITY.gateway || RULE_PRIORITY.attach + spec.pools.length > ALB_RULE_LIMITS.maxPriority) {
    throw new FleetPlanError(`${spec.pools.length} pools exceed the listener rule priority blocks`, where);
  }

  const gateway: ListenerRulePlan = {
    id: 'gateway',
    kind: 'gateway',
    priority: RULE_PRIORITY.gateway,
    conditions: [{ field: 'path-pattern', values: [spec.mcpPath, PROTECTED_RESOURCE_METADATA_PATH, `${PROTECTED_RESOURCE_METADATA_PATH}${spec.mcpPath}`] }],
    target: { kind: 'gateway' },
  };
  const health: ListenerRulePlan = {
    id: 'health',
    kind: 'health',
    priority: RULE_PRIORITY.health,
    conditions: [{ field: 'path-pattern', values: [spec.healthPath] }],
    target: { kind: 'gateway' },
  };
  // Queue pools have no target group to attach.
  const queued = new Set(spec.pools.filter((p) => p.kind === 'queue').map((p) => p.name));
  const attach = routing
    .filter((r) => !r.direct && !queued.has(r.pool))
    .map(
      (r): ListenerRulePlan => ({
        id: `attach-${r.pool}`,
        kind: 'attach',
        priority: RULE_PRIORITY.attach + spec.pools.findIndex((p) => p.name === r.pool),
        conditions: [{ field: 'source-ip', values: [UNREACHABLE_SOURCE_CIDR] }],
        target: { kind: 'pool', pool: r.pool },
      }),
    );
  const rules = [...priority, ...direct, gateway, health, ...attach];
  if (rules.length > ALB_RULE_LIMITS.rulesPerListener) {
    throw new FleetPlanError(
      `the fleet needs ${rules.length} listener rules; an ALB listener allows ${ALB_RULE_LIMITS.rulesPerListener}. Merge tool patterns (e.g. github_* instead of many github_x names)`,
      where,
    );
  }
  return {
    rules,
    routing,
    directAuth: auth,
    defaultResponse: {
      statusCode: 404,
      contentType: 'application/json',
      body: JSON.stringify({ error: 'not_found', message: `The MCP endpoint is ${spec.mcpPath}` }),
    },
  };
}
