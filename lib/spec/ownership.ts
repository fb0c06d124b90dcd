/** Which pool owns a tool, by the spec's patterns (discovery refines this in the gateway). */
import type { ResolvedFleetSpec, ResolvedPoolSpec } from './defaults';
import { matchesAnyPattern } from './patterns';

/** Pools that own tools: every pool but the priority pools. */
export function owningPools(spec: ResolvedFleetSpec): readonly ResolvedPoolSpec[] {
  return spec.pools.filter((p) => !p.priorityRoute);
}

/** Pools selected by a request header (`x-mcp-priority: high`); `headers` has lower-case names. */
export function priorityPoolFor(spec: ResolvedFleetSpec, headers: Readonly<Record<string, string | undefined>>): ResolvedPoolSpec | undefined {
  return spec.pools.find((p) => p.priorityRoute && headers[p.priorityRoute.header] === p.priorityRoute.value);
}

/** The owning pool whose patterns match `toolName`, if any (validation guarantees at most one). */
export function ownerOfTool(spec: ResolvedFleetSpec, toolName: string): ResolvedPoolSpec | undefined {
  return owningPools(spec).find((p) => matchesAnyPattern(toolName, p.tools));
}
