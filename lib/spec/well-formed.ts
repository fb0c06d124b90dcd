/**
 * The well-formed parts of a spec that failed its structural check, so that the cross-field rules
 * (overlaps, Fargate sizes, draining, timeouts…) run in the same pass and a user sees every problem at
 * once. A malformed field is left out together with the fields a rule reads with it: a default for one
 * and the user's value for the other could disagree, and a problem the user did not make must never be
 * reported. Leaving a field out can only hide a cross-field problem until the structure is fixed.
 */
import type { FleetSpec, PoolSpec } from './types';

/** Where zod found a structural problem. */
export interface IssuePath {
  readonly path: ReadonlyArray<PropertyKey>;
}

/** The spec the cross-field rules read: pools too broken to check are left out, their indices kept. */
export interface WellFormedSpec extends Omit<FleetSpec, 'pools'> {
  /** `undefined` where a pool cannot take part; tool patterns that are malformed are holes. */
  readonly pools: ReadonlyArray<PoolSpec | undefined>;
  /** Pools whose priorityRoute is malformed: neither tool owners nor priority routes. */
  readonly unroutable: ReadonlySet<number>;
}

/** Fields cross-field rules read together, per object. */
const POOL_GROUPS = [
  ['cpu', 'memoryMiB'],
  ['deregistrationDelaySeconds', 'stopTimeoutSeconds'],
  ['minTasks', 'maxTasks'],
  ['protocolVersion', 'directRouting'],
  ['mcpPath', 'healthPath'],
  ['discoveryOnly', 'directRouting', 'priorityRoute'],
];
const FLEET_GROUPS = [['mcpPath', 'healthPath']];
/** The hosting decides which gateway settings apply; the timeouts are compared with each other. */
const GATEWAY_GROUPS = [['hosting', 'service', 'memoryMiB', 'timeoutSeconds', 'backendTimeoutMs', 'maxBodyBytes']];
/** Auth rules read only whether jwt and apiKeys are there: a malformed one still counts as given. */
const AUTH_PRESENCE = new Set(['jwt', 'apiKeys']);

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Keys of an object with an issue at `prefix.key…`, widened to their groups. */
function badKeys(issues: readonly IssuePath[], prefix: readonly PropertyKey[], groups: readonly string[][]): Set<string> {
  const bad = new Set<string>();
  for (const { path } of issues) {
    if (path.length > prefix.length && prefix.every((p, i) => path[i] === p) && typeof path[prefix.length] === 'string') bad.add(path[prefix.length] as string);
  }
  for (const group of groups) if (group.some((k) => bad.has(k))) for (const k of group) bad.add(k);
  return bad;
}

function without(value: Json, keys: ReadonlySet<string>): Json {
  return Object.fromEntries(Object.entries(value).filter(([k]) => !keys.has(k)));
}

/** A pool with its malformed fields left out; undefined when its kind is unknown (nothing else was checked). */
function wellFormedPool(value: unknown, index: number, issues: readonly IssuePath[]): { pool?: PoolSpec; unroutable: boolean } {
  const prefix = ['pools', index];
  const bad = badKeys(issues, prefix, POOL_GROUPS);
  if (!isObject(value) || bad.has('kind') || issues.some((i) => i.path.length === 2 && i.path[0] === 'pools' && i.path[1] === index && !isObject(value))) return { unroutable: true };
  const pool = without(value, new Set([...bad].filter((k) => k !== 'tools' && k !== 'name')));
  if (bad.has('name') && typeof pool.name !== 'string') delete pool.name;
  if (bad.has('tools')) {
    // Keep good patterns at their index (holes where a pattern is malformed), so messages keep their paths.
    const tools: unknown[] = Array.isArray(value.tools) ? [...value.tools] : [];
    tools.forEach((t, j) => {
      if (typeof t !== 'string' || issues.some((i) => i.path[0] === 'pools' && i.path[1] === index && i.path[2] === 'tools' && i.path[3] === j)) delete tools[j];
    });
    pool.tools = tools;
  }
  return { pool: pool as unknown as PoolSpec, unroutable: bad.has('priorityRoute') };
}

/** The parts of `input` the cross-field rules can read; undefined when not even the pools are an array. */
export function wellFormedParts(input: unknown, issues: readonly IssuePath[]): WellFormedSpec | undefined {
  if (!isObject(input) || !Array.isArray(input.pools)) return undefined;
  const unroutable = new Set<number>();
  const pools = input.pools.map((value, i) => {
    const checked = wellFormedPool(value, i, issues);
    if (checked.unroutable) unroutable.add(i);
    return checked.pool;
  });
  // Top level: scalars and sections that are malformed as a whole (issues inside a section are handled below).
  const topLevel = badKeys(
    issues.filter((i) => i.path.length === 1),
    [],
    FLEET_GROUPS,
  );
  const spec = without(input, topLevel);
  if (isObject(spec.gateway)) spec.gateway = without(spec.gateway, badKeys(issues, ['gateway'], GATEWAY_GROUPS));
  if (isObject(spec.auth)) {
    const auth: Json = { ...spec.auth };
    for (const key of badKeys(issues, ['auth'], [])) {
      if (AUTH_PRESENCE.has(key)) auth[key] = {};
      else delete auth[key];
    }
    spec.auth = auth;
  }
  for (const section of ['rateLimits', 'sessionStore'] as const) {
    if (isObject(spec[section])) spec[section] = without(spec[section], badKeys(issues, [section], []));
  }
  return { ...(spec as unknown as FleetSpec), pools, unroutable };
}
