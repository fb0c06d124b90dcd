/**
 * The gateway Lambda: an ALB target. The gateway is built once per cold start from the environment
 * that the IaC sets (`GATEWAY_ENV`), with secrets read from Secrets Manager, and reused by every
 * invocation of the execution environment. Not exported from the package barrel (it imports the AWS
 * SDK, which the Lambda runtime provides).
 */
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { ALBEvent, ALBResult } from 'aws-lambda';
import { GATEWAY_ENV } from '../spec/gateway-env';
import { albResultFor, requestFromAlbEvent } from './adapters/alb-lambda';
import { createRedisClient } from './adapters/redis';
import { parseApiKeysDocument } from './auth/api-keys';
import { createAuthenticator } from './auth/composite';
import { protectedResourceMetadataUrl, canonicalResourceUrl } from './auth/protected-resource';
import { GatewayError } from './errors';
import { readGatewayEnvironment, type Environment } from './environment';
import { createGateway, type Gateway, type GatewayOptions } from './gateway';
import { RPC, errorResponse } from './protocol/jsonrpc';
import { MemoryRateLimiter } from './resilience/memory-rate-limiter';
import { RedisRateLimiter } from './resilience/redis-rate-limiter';
import { RedisSessionStore } from './session/redis-store';
import { createTelemetry, type Telemetry } from './telemetry/telemetry';
import { queueUrlKind } from '../worker/open-queue';
import { QueueBackendClient } from '../worker/queue-backend';
import { RedisJobStore } from '../worker/redis-job-store';

export type { Environment } from './environment';

/** Reads a secret's string value. */
export type SecretReader = (arn: string) => Promise<string>;

/**
 * Secrets Manager, loaded on first use: the SDK client takes longer to load than the whole rest of
 * the gateway, and a fleet without secrets never needs it.
 */
function secretsManagerReader(): SecretReader {
  let sdk: Promise<typeof import('@aws-sdk/client-secrets-manager')> | undefined;
  let client: SecretsManagerClient | undefined;
  return async (arn) => {
    const { SecretsManagerClient, GetSecretValueCommand } = await (sdk ??= import('@aws-sdk/client-secrets-manager'));
    client ??= new SecretsManagerClient({});
    const out = await client.send(new GetSecretValueCommand({ SecretId: arn }));
    if (out.SecretString === undefined) throw new Error(`secret ${arn} has no string value`);
    return out.SecretString;
  };
}

/** Builds the gateway from `GATEWAY_ENV` variables; every missing or malformed input is named. */
export async function createGatewayFromEnvironment(env: Environment, readSecret: SecretReader = secretsManagerReader(), telemetry?: Telemetry): Promise<Gateway> {
  const { spec, poolUrls, region, publicUrl, redisUrl, queueUrls } = readGatewayEnvironment(env);
  if (queueUrls) assertSqsOnly(queueUrls);
  const secret = (name: string) => {
    const arn = env[name];
    return arn ? readSecret(arn) : Promise.resolve(undefined);
  };
  const [redisAuth, poolKeys, apiKeys] = await Promise.all([
    secret(GATEWAY_ENV.redisAuthSecretArn),
    readPoolIdentityKeys(env, readSecret),
    spec.auth.apiKeys ? secret(GATEWAY_ENV.apiKeysSecretArn) : Promise.resolve(undefined),
  ]);
  if (spec.auth.apiKeys && apiKeys === undefined) throw new Error(`gateway environment: auth.apiKeys is set but ${GATEWAY_ENV.apiKeysSecretArn} is not`);
  const resourceUrl = publicUrl ? canonicalResourceUrl(publicUrl, spec.mcpPath) : undefined;
  const options: { -readonly [K in keyof GatewayOptions]: GatewayOptions[K] } = {
    spec,
    poolUrls,
    region,
    authenticator: createAuthenticator(spec.auth, {
      ...(resourceUrl ? { resourceMetadataUrl: protectedResourceMetadataUrl(resourceUrl) } : {}),
      ...(apiKeys !== undefined ? { apiKeys: parseApiKeysDocument(apiKeys, GATEWAY_ENV.apiKeysSecretArn) } : {}),
    }),
    ...(publicUrl ? { publicUrl } : {}),
    ...(poolKeys !== undefined ? { poolIdentityKeys: poolKeys } : {}),
    ...(telemetry ? { telemetry } : {}),
  };
  if (redisUrl) {
    const client = createRedisClient(redisUrl, redisAuth !== undefined ? { authToken: redisAuth } : {});
    options.sessionStore = new RedisSessionStore({ client, fleet: spec.name, region });
    options.rateLimiter = new RedisRateLimiter(client, { keyPrefix: `mcp-fleet:${spec.name}:${region}:rate:` });
    // Queue pools (readGatewayEnvironment requires the store with them): each pool's own queue.
    if (queueUrls) options.queue = new QueueBackendClient({ url: queueUrls, fleet: spec.name, store: new RedisJobStore({ client, fleet: spec.name }) });
  } else {
    // Without a shared store each execution environment enforces the limits on its own.
    options.rateLimiter = new MemoryRateLimiter();
  }
  return createGateway(options);
}

/** The Lambda sends jobs to SQS only (its bundle has no AMQP client). @throws Error naming the variable and pool. */
function assertSqsOnly(queueUrls: Readonly<Record<string, string>>): void {
  for (const [pool, url] of Object.entries(queueUrls)) {
    if (queueUrlKind(url) !== 'sqs')
      throw new Error(`gateway environment: ${GATEWAY_ENV.queueUrls}.${pool} must be an SQS queue URL: the gateway Lambda sends jobs to SQS only (got ${new URL(url).protocol}//)`);
  }
}

/** Each pool's own identity key, read from the secrets `GATEWAY_ENV.poolIdentitySecretArns` names. */
async function readPoolIdentityKeys(env: Environment, readSecret: SecretReader): Promise<Record<string, string> | undefined> {
  const text = env[GATEWAY_ENV.poolIdentitySecretArns];
  if (!text) return undefined;
  let arns: unknown;
  try {
    arns = JSON.parse(text);
  } catch (error) {
    throw new Error(`gateway environment: ${GATEWAY_ENV.poolIdentitySecretArns} is not JSON (${(error as Error).message})`, { cause: error });
  }
  if (arns === null || typeof arns !== 'object' || Array.isArray(arns) || !Object.values(arns).every((a) => typeof a === 'string' && a !== '')) {
    throw new Error(`gateway environment: ${GATEWAY_ENV.poolIdentitySecretArns} must be a JSON object of pool name to secret ARN`);
  }
  const entries = await Promise.all(Object.entries(arns as Record<string, string>).map(async ([pool, arn]) => [pool, await readSecret(arn)] as const));
  return Object.fromEntries(entries);
}

let gateway: Promise<Gateway> | undefined;
let telemetry: Telemetry | undefined;

/** The ALB target: one gateway per execution environment, built on the first invocation. */
export async function handler(event: ALBEvent): Promise<ALBResult> {
  telemetry ??= createTelemetry({ fleet: fleetNameOf(process.env) });
  gateway ??= createGatewayFromEnvironment(process.env, secretsManagerReader(), telemetry).catch((error: unknown) => {
    gateway = undefined; // a failed cold start is retried by the next invocation
    throw error;
  });
  const request = requestFromAlbEvent(event);
  let ready: Gateway;
  try {
    ready = await gateway;
  } catch (error) {
    // Configuration problems are logged in full and answered as a JSON-RPC error, not a bare 502.
    telemetry.log.error('gateway cold start failed', { error });
    return albResultFor(event, request, errorResponse(new GatewayError(503, RPC.internalError, `Gateway unavailable: it could not start (${(error as Error).message})`)));
  }
  const result = albResultFor(event, request, await ready.handle(request));
  telemetry.flush(); // EMF lines must be out before the invocation freezes
  return result;
}

/** The fleet name for metrics even when the spec is broken (then `unknown`). */
function fleetNameOf(env: Environment): string {
  try {
    const name = (JSON.parse(env[GATEWAY_ENV.spec] ?? '{}') as { name?: unknown }).name;
    return typeof name === 'string' ? name : 'unknown';
  } catch {
    return 'unknown';
  }
}
