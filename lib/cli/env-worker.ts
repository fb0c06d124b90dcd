/**
 * `mcp-fleet worker --from-env`: the worker container's settings from the environment the IaC gives
 * it (`WORKER_ENV`) — the spec, the queue pool, its server on loopback in the same task, its queue,
 * the store and the pool's own identity key (never the fleet key). Every bad value is named by its
 * variable.
 */
import { isLoopbackAddress } from '../gateway/auth/host';
import type { ResolvedFleetSpec, ResolvedQueuePoolSpec } from '../spec';
import { WORKER_ENV } from '../spec/gateway-env';
import { parseFleetSpec } from '../spec/validate';
import { queueUrlKind } from '../worker/open-queue';
import type { PoolIdentity } from '../worker/pool-client';
import { CliError } from './errors';
import { workerIdentity } from './local-workers';

/** What a worker needs, from the flags or from the environment. */
export interface WorkerSetup {
  readonly spec: ResolvedFleetSpec;
  readonly pool: ResolvedQueuePoolSpec;
  /** The pool server's MCP endpoint. */
  readonly serverUrl: string;
  /** `amqp://…` or the pool's SQS queue URL. */
  readonly queueUrl: string;
  readonly redisUrl: string;
  /** @default - none (the URL's password, if any) */
  readonly redisAuthToken?: string;
  /** @default - calls carry no identity header */
  readonly identity?: PoolIdentity;
}

type Environment = Readonly<Record<string, string | undefined>>;

function fault(variable: string, problem: string, cause?: unknown): CliError {
  return new CliError(`worker environment: ${variable} ${problem}`, cause === undefined ? undefined : { cause });
}

function required(env: Environment, variable: string): string {
  const value = env[variable];
  if (value === undefined || value === '') throw fault(variable, 'is not set');
  return value;
}

function specFrom(env: Environment): ResolvedFleetSpec {
  let input: unknown;
  try {
    input = JSON.parse(required(env, WORKER_ENV.spec));
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw fault(WORKER_ENV.spec, `is not valid JSON (${(error as Error).message})`, error);
  }
  try {
    return parseFleetSpec(input, WORKER_ENV.spec);
  } catch (error) {
    throw new CliError(`worker environment: ${(error as Error).message}`, { cause: error });
  }
}

function queuePoolFrom(env: Environment, spec: ResolvedFleetSpec): ResolvedQueuePoolSpec {
  const name = required(env, WORKER_ENV.pool);
  const pool = spec.pools.find((p) => p.name === name);
  if (!pool) throw fault(WORKER_ENV.pool, `names "${name}", which is not a pool of the spec in ${WORKER_ENV.spec} (pools: ${spec.pools.map((p) => p.name).join(', ')})`);
  if (pool.kind !== 'queue') throw fault(WORKER_ENV.pool, `names "${name}", a ${pool.kind} pool; the worker runs queue pools (kind "queue")`);
  return pool;
}

/** The server must be in the same task: the worker sends it callers' signed identities. */
function serverUrlFrom(env: Environment): string {
  const value = required(env, WORKER_ENV.serverUrl);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw fault(WORKER_ENV.serverUrl, `is not a URL (got "${value}"; expected e.g. http://127.0.0.1:8080/mcp)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw fault(WORKER_ENV.serverUrl, `must be an http:// URL (got ${url.protocol}//)`);
  if (!isLoopbackAddress(url.hostname)) throw fault(WORKER_ENV.serverUrl, `must name the server on loopback in the worker's own task (127.0.0.1, localhost or [::1]), got host "${url.hostname}"`);
  return value;
}

function queueUrlFrom(env: Environment): string {
  const value = required(env, WORKER_ENV.queueUrl);
  try {
    queueUrlKind(value);
  } catch (error) {
    throw fault(WORKER_ENV.queueUrl, `is unusable: ${(error as Error).message}`, error);
  }
  return value;
}

function redisUrlFrom(env: Environment): string {
  const value = required(env, WORKER_ENV.redisUrl);
  let protocol: string | undefined;
  try {
    protocol = new URL(value).protocol;
  } catch {
    protocol = undefined;
  }
  if (protocol !== 'redis:' && protocol !== 'rediss:') throw fault(WORKER_ENV.redisUrl, `must be a redis:// or rediss:// URL (got "${value}")`);
  return value;
}

/**
 * The worker's settings from `WORKER_ENV`.
 * @throws CliError naming the variable at fault.
 */
export function workerSetupFromEnvironment(env: Environment): WorkerSetup {
  const spec = specFrom(env);
  const pool = queuePoolFrom(env, spec);
  const serverUrl = serverUrlFrom(env);
  const queueUrl = queueUrlFrom(env);
  const redisUrl = redisUrlFrom(env);
  const redisAuthToken = env[WORKER_ENV.redisAuthToken] || undefined;
  // Required: the pool's server verifies callers with the same key and would refuse every job.
  const poolKey = required(env, WORKER_ENV.identityKey);
  let identity: PoolIdentity | undefined;
  try {
    identity = workerIdentity({ poolKey }, spec.name, pool.name);
  } catch (error) {
    throw fault(WORKER_ENV.identityKey, `is unusable: ${(error as Error).message}`, error);
  }
  return { spec, pool, serverUrl, queueUrl, redisUrl, ...(redisAuthToken ? { redisAuthToken } : {}), ...(identity ? { identity } : {}) };
}
