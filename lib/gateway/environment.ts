/**
 * Reads the gateway's non-secret settings from the `GATEWAY_ENV` variables the IaC sets: the Lambda
 * reads them at cold start, the gateway service (`mcp-fleet gateway --from-env`) at process start.
 * Every missing or malformed variable is named.
 */
import { GATEWAY_ENV } from '../spec/gateway-env';
import type { ResolvedFleetSpec } from '../spec/defaults';
import { parseFleetSpec } from '../spec/validate';

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
  return {
    spec,
    poolUrls: poolUrls as Record<string, string>,
    region: env[GATEWAY_ENV.region] ?? env.AWS_REGION ?? 'local',
    ...(publicUrl ? { publicUrl } : {}),
    ...(redisUrl ? { redisUrl } : {}),
  };
}
