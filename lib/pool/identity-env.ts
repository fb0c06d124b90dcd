/**
 * A pool's caller-identity settings from its container environment (`POOL_ENV`, set by the IaC from
 * `lib/plan`), with every bad value named by its variable. Used by the example pools and by
 * `mcp-fleet bridge`.
 */
import { poolIdentityKey } from '../gateway/auth/identity';
import { POOL_ENV } from '../spec/gateway-env';
import { assertCallerIdentityOptions, type CallerIdentityOptions, type DirectJwtOptions } from './caller-identity';

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
    warnings.push(
      `this pool holds the fleet identity key (${POOL_ENV.identityFleetKey}) and derives its own from it; give it only its own key (${POOL_ENV.identityKey}) so it cannot derive other pools' keys`,
    );
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
 * How the pool verifies its callers, or undefined (with a warning pushed) when no identity key is
 * configured.
 * @throws PoolEnvError naming the first variable with a bad value.
 */
export function callerIdentityFromEnv(env: NodeJS.ProcessEnv, warnings: string[]): CallerIdentityOptions | undefined {
  const fleet = env[POOL_ENV.fleet] || undefined;
  const pool = env[POOL_ENV.pool] || undefined;
  const key = identityKeyFromEnv(env, fleet, pool, warnings);
  if (key === undefined) {
    warnings.push(`callers are not verified: ${POOL_ENV.identityKey} is not set (tools see no caller; run this way only on a private machine)`);
    return undefined;
  }
  // Without them the token's issuer and audience cannot be checked, and any fleet's token would pass.
  if (fleet === undefined) throw new PoolEnvError(POOL_ENV.fleet, `must be set when ${POOL_ENV.identityKey} is (it is the identity token's issuer)`);
  if (pool === undefined) throw new PoolEnvError(POOL_ENV.pool, `must be set when ${POOL_ENV.identityKey} is (it is the identity token's audience)`);
  const directJwt = directJwtFromEnv(env);
  const identity: CallerIdentityOptions = { key, fleet, pool, ...(directJwt ? { directJwt } : {}) };
  try {
    assertCallerIdentityOptions(identity);
  } catch (error) {
    throw new PoolEnvError(POOL_ENV.identityKey, `is unusable: ${(error as Error).message}`);
  }
  return identity;
}
