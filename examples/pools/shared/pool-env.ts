/**
 * The pool container's environment (`POOL_ENV`, set by the IaC from `lib/plan`) read into listen
 * options, with every bad value named by its variable.
 */
import { callerIdentityFromEnv, PoolEnvError } from '../../../lib/pool/identity-env';
import { POOL_ENV } from '../../../lib/spec/gateway-env';
import { HEALTH_PATH, httpPathProblem, MCP_PATH, type PoolListenOptions } from './pool-server';

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
  const identity = callerIdentityFromEnv(env, warnings);

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
