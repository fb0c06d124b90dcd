/**
 * The pool container's environment (`POOL_ENV`, set by the IaC from `lib/plan`) read into listen
 * options, with every bad value named by its variable.
 */
import { poolIdentityKey } from '../../../lib/gateway/auth/identity';
import { POOL_ENV } from '../../../lib/spec/gateway-env';
import { assertCallerIdentityOptions, type DirectJwtOptions } from './caller-identity';
import { HEALTH_PATH, httpPathProblem, MCP_PATH, type PoolListenOptions } from './pool-server';

/** A variable of the environment has a value the pool cannot use. */
export class PoolEnvError extends Error {
  constructor(
    /** The variable's name. */
    public readonly variable: string,
    message: string,
  ) {
    super(`${variable} ${message}`);
    this.name = 'PoolEnvError';
  }
}

/** What the environment asks of a pool, plus what the caller should say about it. */
export interface PoolEnvSettings {
  readonly options: PoolListenOptions;
  /** Things left off for lack of settings, each worth one warning line. */
  readonly warnings: readonly string[];
}

/** Reads a port from the environment, or says what is wrong with it. */
export function portFromEnv(value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) throw new PoolEnvError(POOL_ENV.port, `must be an integer from 0 to 65535, got "${value}"`);
  return port;
}

function pathFromEnv(env: NodeJS.ProcessEnv, variable: string, fallback: string): string {
  const value = env[variable];
  if (value === undefined || value === '') return fallback;
  const problem = httpPathProblem(value);
  if (problem) throw new PoolEnvError(variable, problem);
  return value;
}

/**
 * This pool's own identity key: `POOL_ENV.identityKey`, or derived from the fleet key
 * (`POOL_ENV.identityFleetKey`, as the IaC injects it today) with a warning.
 */
function identityKeyFromEnv(env: NodeJS.ProcessEnv, fleet: string | undefined, pool: string | undefined, warnings: string[]): string | undefined {
  const own = env[POOL_ENV.identityKey] || undefined;
  const fleetKey = env[POOL_ENV.identityFleetKey] || undefined;
  if (own !== undefined || fleetKey === undefined) return own;
  if (fleet === undefined || pool === undefined) throw new PoolEnvError(POOL_ENV.identityFleetKey, `needs ${POOL_ENV.fleet} and ${POOL_ENV.pool} to derive this pool's key`);
  try {
    const derived = poolIdentityKey(fleetKey, fleet, pool);
    warnings.push(`this pool holds the fleet identity key (${POOL_ENV.identityFleetKey}) and derives its own from it; give it only its own key (${POOL_ENV.identityKey}) so it cannot derive other pools' keys`);
    return derived;
  } catch (error) {
    throw new PoolEnvError(POOL_ENV.identityFleetKey, `is unusable: ${(error as Error).message}`);
  }
}

/** The fleet's JWT settings for a directly routed pool (`POOL_ENV.jwt*`), or undefined when absent. */
function directJwtFromEnv(env: NodeJS.ProcessEnv): DirectJwtOptions | undefined {
  const issuer = env[POOL_ENV.jwtIssuer] || undefined;
  if (issuer === undefined) return undefined;
  const jwksUri = env[POOL_ENV.jwtJwksUri] || undefined;
  if (jwksUri === undefined) throw new PoolEnvError(POOL_ENV.jwtJwksUri, `must be set when ${POOL_ENV.jwtIssuer} is`);
  let audience: unknown;
  try {
    audience = JSON.parse(env[POOL_ENV.jwtAudience] ?? '');
  } catch {
    audience = undefined;
  }
  if (!Array.isArray(audience) || audience.length === 0 || !audience.every((a) => typeof a === 'string' && a !== '')) {
    throw new PoolEnvError(POOL_ENV.jwtAudience, `must be a JSON array of audiences when ${POOL_ENV.jwtIssuer} is set, got ${JSON.stringify(env[POOL_ENV.jwtAudience] ?? null)}`);
  }
  return { issuer, jwksUri, audience: audience as string[], principalClaim: env[POOL_ENV.jwtPrincipalClaim] || 'sub' };
}

/**
 * Listen options from `env`.
 * @throws PoolEnvError naming the first variable with a bad value.
 */
export function poolSettingsFromEnv(env: NodeJS.ProcessEnv): PoolEnvSettings {
  const port = portFromEnv(env[POOL_ENV.port], 8080);
  const mcpPath = pathFromEnv(env, POOL_ENV.mcpPath, MCP_PATH);
  const healthPath = pathFromEnv(env, POOL_ENV.healthPath, HEALTH_PATH);
  if (mcpPath === healthPath) throw new PoolEnvError(POOL_ENV.healthPath, `must differ from ${POOL_ENV.mcpPath} (both are "${mcpPath}")`);
  const fleet = env[POOL_ENV.fleet] || undefined;
  const pool = env[POOL_ENV.pool] || undefined;
  const warnings: string[] = [];
  const key = identityKeyFromEnv(env, fleet, pool, warnings);

  let identity: PoolListenOptions['identity'];
  if (key !== undefined) {
    // Without them the token's issuer and audience cannot be checked, and any fleet's token would pass.
    if (fleet === undefined) throw new PoolEnvError(POOL_ENV.fleet, `must be set when ${POOL_ENV.identityKey} is (it is the identity token's issuer)`);
    if (pool === undefined) throw new PoolEnvError(POOL_ENV.pool, `must be set when ${POOL_ENV.identityKey} is (it is the identity token's audience)`);
    const directJwt = directJwtFromEnv(env);
    identity = { key, fleet, pool, ...(directJwt ? { directJwt } : {}) };
    try {
      assertCallerIdentityOptions(identity);
    } catch (error) {
      throw new PoolEnvError(POOL_ENV.identityKey, `is unusable: ${(error as Error).message}`);
    }
  } else warnings.push(`callers are not verified: ${POOL_ENV.identityKey} is not set (tools see no caller; run this way only on a private machine)`);

  let connectionGauge: PoolListenOptions['connectionGauge'];
  if (fleet !== undefined && pool !== undefined) connectionGauge = { fleet, pool };
  else warnings.push(`OpenConnections is not published: ${POOL_ENV.fleet} and ${POOL_ENV.pool} must both be set`);

  return {
    options: {
      port,
      host: env.HOST || '127.0.0.1',
      mcpPath,
      healthPath,
      ...(identity ? { identity } : {}),
      ...(connectionGauge ? { connectionGauge } : {}),
    },
    warnings,
  };
}
