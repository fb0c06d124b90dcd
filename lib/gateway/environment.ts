/**
 * Reads the gateway's non-secret settings from the `GATEWAY_ENV` variables the IaC sets: the Lambda
 * reads them at cold start, the gateway service (`mcp-fleet gateway --from-env`) at process start.
 * Every missing or malformed variable is named.
 */
import { GATEWAY_ENV } from '../spec/gateway-env';
import type { ResolvedFleetSpec } from '../spec/defaults';
import { parseFleetSpec } from '../spec/validate';
import { queueUrlKind } from '../worker/open-queue';

export type Environment = Readonly<Record<string, string | undefined>>;

/** What the environment says about the fleet, before any secret is read. */
export interface GatewayEnvironment {
  readonly spec: ResolvedFleetSpec;
  readonly poolUrls: Readonly<Record<string, string>>;
  readonly region: string;
  /** @default - no public URL (no RFC 9728 metadata URL in 401 challenges) */
  readonly publicUrl?: string;
  /** @default - the in-memory session store */
  readonly redisUrl?: string;
  /** Each queue pool's own queue URL. @default - none (a spec without queue pools) */
  readonly queueUrls?: Readonly<Record<string, string>>;
}

function required(env: Environment, name: string): string {
  const value = env[name];
  if (value === undefined || value === '') throw new Error(`gateway environment: ${name} is not set`);
  return value;
}

function parseJson(env: Environment, name: string): unknown {
  try {
    return JSON.parse(required(env, name));
  } catch (cause) {
    if (cause instanceof SyntaxError) throw new Error(`gateway environment: ${name} is not valid JSON (${cause.message})`);
    throw cause;
  }
}

/** @throws Error (or FleetSpecError for the spec) naming the variable at fault. */
export function readGatewayEnvironment(env: Environment): GatewayEnvironment {
  const spec = parseFleetSpec(parseJson(env, GATEWAY_ENV.spec), GATEWAY_ENV.spec);
  const poolUrls = parseJson(env, GATEWAY_ENV.poolUrls);
  if (typeof poolUrls !== 'object' || poolUrls === null || Array.isArray(poolUrls) || !Object.values(poolUrls).every((v) => typeof v === 'string')) {
    throw new Error(`gateway environment: ${GATEWAY_ENV.poolUrls} must be a JSON object of pool name → URL`);
  }
  const publicUrl = env[GATEWAY_ENV.publicUrl];
  const redisUrl = env[GATEWAY_ENV.redisUrl];
  const queueUrls = readQueueUrls(env, spec);
  // Queue pools' URLs are optional: their workers pull jobs, and their tools come from the store.
  const missing = spec.pools.filter((p) => (poolUrls as Record<string, unknown>)[p.name] === undefined && !(p.kind === 'queue' && queueUrls)).map((p) => p.name);
  if (missing.length > 0) throw new Error(`gateway environment: ${GATEWAY_ENV.poolUrls} has no URL for pool ${missing.join(', ')}`);
  if (queueUrls && !redisUrl) throw new Error(`gateway environment: ${GATEWAY_ENV.queueUrls} is set but ${GATEWAY_ENV.redisUrl} is not (queue pools keep their jobs' state in the store)`);
  return {
    spec,
    poolUrls: poolUrls as Record<string, string>,
    ...(queueUrls ? { queueUrls } : {}),
    region: env[GATEWAY_ENV.region] ?? env.AWS_REGION ?? 'local',
    ...(publicUrl ? { publicUrl } : {}),
    ...(redisUrl ? { redisUrl } : {}),
  };
}

/**
 * `GATEWAY_ENV.queueUrls`: a queue URL for exactly the spec's queue pools.
 * @throws Error naming the variable (and the pool) at fault.
 */
function readQueueUrls(env: Environment, spec: ResolvedFleetSpec): Record<string, string> | undefined {
  const queuePools = spec.pools.filter((p) => p.kind === 'queue').map((p) => p.name);
  const name = GATEWAY_ENV.queueUrls;
  if (env[name] === undefined || env[name] === '') {
    if (queuePools.length > 0) throw new Error(`gateway environment: ${name} is not set, and the spec has queue pool${queuePools.length === 1 ? '' : 's'} ${queuePools.join(', ')}`);
    return undefined;
  }
  const urls = parseJson(env, name);
  if (typeof urls !== 'object' || urls === null || Array.isArray(urls)) throw new Error(`gateway environment: ${name} must be a JSON object of queue pool name → queue URL`);
  const entries = Object.entries(urls as Record<string, unknown>);
  for (const [pool, url] of entries) {
    if (!queuePools.includes(pool)) throw new Error(`gateway environment: ${name} names "${pool}", which is not a queue pool of the spec (queue pools: ${queuePools.join(', ') || 'none'})`);
    if (typeof url !== 'string') throw new Error(`gateway environment: ${name}.${pool} must be a string`);
    try {
      queueUrlKind(url);
    } catch (error) {
      throw new Error(`gateway environment: ${name}.${pool}: ${(error as Error).message}`, { cause: error });
    }
  }
  const missing = queuePools.filter((pool) => !entries.some(([p]) => p === pool));
  if (missing.length > 0) throw new Error(`gateway environment: ${name} has no queue URL for queue pool ${missing.join(', ')}`);
  // An empty map (a spec without queue pools) asks for nothing, not even the store.
  return entries.length > 0 ? (Object.fromEntries(entries) as Record<string, string>) : undefined;
}
