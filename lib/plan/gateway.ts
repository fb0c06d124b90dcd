/**
 * The gateway Lambda: size, runtime, its environment (the `GATEWAY_ENV` contract) and its ALB target
 * group. Values only a rendering knows (region, cache endpoint, secret ARNs) are named inputs that
 * each rendering fills with its own tokens or outputs through `renderGatewayEnvironment`.
 */
import { GATEWAY_ENV, type FleetSpec, type GatewayHosting, type ResolvedFleetSpec } from '../spec';
import type { HealthCheckPlan } from './pools';
import { FleetPlanError } from './errors';
import { planGatewayService, type GatewayServicePlan } from './gateway-service';
import { fleetNames } from './names';

/** Values of the gateway environment that come from the rendering, not the spec. */
export type GatewayEnvInput = 'region' | 'sessionStoreHost' | 'sessionStoreAuthSecretArn' | 'poolIdentitySecretArns' | 'apiKeysSecretArn' | 'publicUrl' | 'queueUrls';

/** Lambda's limit on the total size of a function's environment (names and values). */
export const LAMBDA_ENVIRONMENT_LIMIT_BYTES = 4096;
/**
 * Room kept for each input value, from what AWS gives: a region name, a cache endpoint (about 60
 * bytes), a generated secret's ARN (53 bytes of partition, region and account, and a name of about
 * 60-80), a public URL (the user's domain).
 */
const INPUT_ALLOWANCE_BYTES: Readonly<Record<Exclude<GatewayEnvInput, 'poolIdentitySecretArns' | 'apiKeysSecretArn' | 'queueUrls'>, number>> = {
  region: 32,
  sessionStoreHost: 160,
  sessionStoreAuthSecretArn: 160,
  publicUrl: 256,
};
/** Room kept for each pool's entry in `poolIdentitySecretArns` (its name aside): a generated secret's ARN and the JSON around it. */
const POOL_SECRET_ALLOWANCE_BYTES = 140;
/** Room kept for each queue pool's entry in `queueUrls` (its name aside): `https://sqs.<region>.amazonaws.com/<account>/<queue name of up to 80>` and the JSON around it. */
const QUEUE_URL_ALLOWANCE_BYTES = 150;

/** Inputs that are secret ARNs: the gateway may read exactly these secrets. */
const SECRET_INPUTS: ReadonlySet<GatewayEnvInput> = new Set(['sessionStoreAuthSecretArn', 'poolIdentitySecretArns', 'apiKeysSecretArn']);

/**
 * `queueUrls` as the environment carries it (`GATEWAY_ENV.queueUrls`): JSON, queue pool name → the
 * URL of that pool's queue. Works with CDK tokens (strings) and inside a Pulumi `apply`.
 */
export function queueUrlsJson(urls: Readonly<Record<string, string>>): string {
  return JSON.stringify(urls);
}

/**
 * `poolIdentitySecretArns` as the environment carries it: JSON, pool name → the ARN of that pool's
 * identity secret. Works with CDK tokens (strings) and inside a Pulumi `apply`.
 */
export function poolIdentitySecretArnsJson(arns: Readonly<Record<string, string>>): string {
  return JSON.stringify(arns);
}

/** One environment variable: a literal, or an input (a value only the rendering knows) wrapped in a fixed prefix and suffix. */
export type EnvEntry<I extends string> = { readonly name: string; readonly value: string } | { readonly name: string; readonly input: I; readonly prefix: string; readonly suffix: string };
/** One variable of the gateway's environment. */
export type GatewayEnvEntry = EnvEntry<GatewayEnvInput>;

export interface GatewayTargetGroupPlan {
  readonly name: string;
  readonly targetType: 'lambda';
  /** The gateway reads repeated headers (e.g. several `Accept` values) and query parameters. */
  readonly multiValueHeadersEnabled: true;
  readonly healthCheck: HealthCheckPlan;
}

export interface GatewayPlan {
  /** Which rendering runs the gateway: the Lambda below, or `service`. */
  readonly hosting: GatewayHosting;
  /** The Fargate service, with `hosting: 'service'` (then nothing of the Lambda is rendered). @default - none */
  readonly service?: GatewayServicePlan;
  readonly functionName: string;
  /** The newest Node.js Lambda runtime (the bundle targets Node 20 and runs on any newer one). */
  readonly runtime: 'nodejs24.x';
  readonly architecture: 'arm64';
  readonly memoryMiB: number;
  readonly timeoutSeconds: number;
  readonly environment: readonly GatewayEnvEntry[];
  /** Inputs the environment needs; the rendering must supply each one. */
  readonly inputs: readonly GatewayEnvInput[];
  /** Secrets the function may read (`secretsmanager:GetSecretValue`), by input name. */
  readonly secretInputs: readonly GatewayEnvInput[];
  readonly targetGroup: GatewayTargetGroupPlan;
}

/**
 * The Lambda health check invokes the function, so it runs rarely; the timeout stays well under the
 * interval and the deep check (session store + pools) answers quickly.
 */
const GATEWAY_HEALTH_CHECK = { intervalSeconds: 60, timeoutSeconds: 10, healthyThreshold: 2, unhealthyThreshold: 3, matcher: '200' } as const;

/**
 * @param input the spec as the user wrote it (sent to the gateway, which validates and resolves it
 *   again at cold start: the resolved form would freeze today's defaults into the environment).
 * @param poolUrls pool name → URL, from the pool plans.
 * @param sessionStorePort port of the session store endpoint.
 * @param where names the caller in errors.
 * @throws FleetPlanError when a Lambda's environment would not fit Lambda's 4 KB.
 */
export function planGateway(input: FleetSpec, spec: ResolvedFleetSpec, poolUrls: Readonly<Record<string, string>>, sessionStorePort: number, where?: string): GatewayPlan {
  const names = fleetNames(spec.name);
  const fromInput = (name: string, source: GatewayEnvInput, prefix = '', suffix = ''): GatewayEnvEntry => ({ name, input: source, prefix, suffix });
  const specJson = JSON.stringify(input);
  const queuePools = spec.pools.filter((p) => p.kind === 'queue');
  const environment: GatewayEnvEntry[] = [
    { name: GATEWAY_ENV.spec, value: specJson },
    { name: GATEWAY_ENV.poolUrls, value: JSON.stringify(poolUrls) },
    fromInput(GATEWAY_ENV.region, 'region'),
    fromInput(GATEWAY_ENV.redisUrl, 'sessionStoreHost', 'rediss://', `:${sessionStorePort}`),
    fromInput(GATEWAY_ENV.redisAuthSecretArn, 'sessionStoreAuthSecretArn'),
    fromInput(GATEWAY_ENV.poolIdentitySecretArns, 'poolIdentitySecretArns'),
    ...(spec.auth.apiKeys ? [fromInput(GATEWAY_ENV.apiKeysSecretArn, 'apiKeysSecretArn')] : []),
    fromInput(GATEWAY_ENV.publicUrl, 'publicUrl'),
    ...(queuePools.length > 0 ? [fromInput(GATEWAY_ENV.queueUrls, 'queueUrls')] : []),
  ];
  const inputs = environment.flatMap((e) => ('input' in e ? [e.input] : []));
  const allowance = (input: GatewayEnvInput) => {
    if (input === 'poolIdentitySecretArns') return spec.pools.reduce((n, p) => n + Buffer.byteLength(JSON.stringify(p.name)) + POOL_SECRET_ALLOWANCE_BYTES, 2);
    // The API key secret's ARN is partial: partition, region, account and the name from the spec.
    if (input === 'apiKeysSecretArn') return 64 + Buffer.byteLength(spec.auth.apiKeys?.secretName ?? '');
    if (input === 'queueUrls') return queuePools.reduce((n, p) => n + Buffer.byteLength(JSON.stringify(p.name)) + QUEUE_URL_ALLOWANCE_BYTES, 2);
    return INPUT_ALLOWANCE_BYTES[input];
  };
  const bytes = environment.reduce((n, e) => n + Buffer.byteLength(e.name) + ('value' in e ? Buffer.byteLength(e.value) : Buffer.byteLength(e.prefix + e.suffix) + allowance(e.input)), 0);
  const hosting = spec.gateway.hosting;
  if (hosting === 'lambda' && bytes > LAMBDA_ENVIRONMENT_LIMIT_BYTES) {
    throw new FleetPlanError(
      `the gateway environment would need about ${bytes} bytes (the spec alone ${Buffer.byteLength(specJson)}); Lambda allows ${LAMBDA_ENVIRONMENT_LIMIT_BYTES}. Merge tool patterns or drop optional spec settings`,
      where,
    );
  }
  const secretInputs = inputs.filter((i) => SECRET_INPUTS.has(i));
  return {
    hosting,
    ...(hosting === 'service' ? { service: planGatewayService(spec, environment, secretInputs) } : {}),
    functionName: names.gatewayFunction,
    runtime: 'nodejs24.x',
    architecture: 'arm64',
    memoryMiB: spec.gateway.memoryMiB,
    timeoutSeconds: spec.gateway.timeoutSeconds,
    environment,
    inputs,
    secretInputs,
    targetGroup: { name: names.gatewayTargetGroup, targetType: 'lambda', multiValueHeadersEnabled: true, healthCheck: { path: spec.healthPath, ...GATEWAY_HEALTH_CHECK } },
  };
}

/**
 * A planned environment (the gateway's: Lambda or service container; a queue pool's worker) as a plain
 * record. Works with CDK tokens (they are strings) and inside a Pulumi `apply`. Throws when an input
 * the plan needs is missing.
 * @param where names the caller in errors.
 * @param subject whose environment it is, for the error (`'the worker'`).
 */
export function renderGatewayEnvironment<I extends string>(
  plan: { readonly environment: readonly EnvEntry<I>[] },
  values: Partial<Readonly<Record<I, string>>>,
  where?: string,
  subject = 'the gateway',
): Record<string, string> {
  const missing = plan.environment.flatMap((e) => ('input' in e && values[e.input] === undefined ? [e.input] : []));
  if (missing.length > 0) throw new FleetPlanError(`${subject} environment needs ${missing.join(', ')}`, where);
  return Object.fromEntries(plan.environment.map((e) => [e.name, 'input' in e ? `${e.prefix}${values[e.input]}${e.suffix}` : e.value]));
}
