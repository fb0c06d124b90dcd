/**
 * The gateway as an ECS Fargate service (`gateway.hosting: 'service'`): the same core as the Lambda,
 * run by `mcp-fleet gateway --from-env` from an image built from this package, behind a
 * least-outstanding-requests target group, scaled on CPU and on open connections per task, draining
 * open streams before ECS stops a task. Its environment is the Lambda's, except that the three
 * secrets arrive as values (ECS reads them from Secrets Manager at task start) instead of as ARNs the
 * function reads itself: the image then needs no AWS SDK and no secret ever sits in the task definition.
 */
import { GATEWAY_ENV, type ResolvedFleetSpec } from '../spec';
import { METRICS_NAMESPACE, METRIC_DIMENSIONS } from '../spec/metric-names';
import type { GatewayEnvEntry, GatewayEnvInput } from './gateway';
import type { HealthCheckPlan } from './pools';
import { boundedName, NAME_LIMITS } from './names';

/**
 * `GatewayOpenConnections` (Count): the open client connections of one gateway task, sampled once a
 * minute, with dimension {Fleet}. Each task publishes its own value (EMF on stdout, shipped by the
 * awslogs driver), so `Average` over the service's tasks is the per-task load the connection scaling
 * policy compares with `gateway.service.connectionsPerTask`.
 */
export const GATEWAY_CONNECTIONS_METRIC = {
  namespace: METRICS_NAMESPACE,
  metricName: 'GatewayOpenConnections',
  unit: 'Count',
  fleetDimension: METRIC_DIMENSIONS.fleet,
  statistic: 'Average',
  periodSeconds: 60,
} as const;

/** User the gateway runs as (uid:gid): the `node` user of the official Node.js images. */
export const GATEWAY_SERVICE_USER = '1000:1000';
/** Container name inside the task definition (both renderings). */
export const GATEWAY_SERVICE_CONTAINER = 'Gateway';
/**
 * ECS service name inside the fleet's cluster. The underscore keeps it apart from every pool's
 * service name (pool names have none).
 */
export const GATEWAY_SERVICE_NAME = 'mcp_gateway';

/** A secret ECS puts into the container's environment: variable name ← the secret named by `input`. */
export interface GatewaySecretEnvPlan {
  readonly name: string;
  readonly input: GatewayEnvInput;
}

export interface GatewayServiceContainerPlan {
  readonly name: string;
  readonly port: number;
  readonly cpu: number;
  readonly memoryMiB: number;
  /** The image is built for Graviton, like the Lambda. */
  readonly architecture: 'arm64';
  /** Seconds between SIGTERM and SIGKILL; the gateway closes open streams within it. */
  readonly stopTimeoutSeconds: number;
  readonly user: string;
  readonly readonlyRootFilesystem: true;
  readonly scratchVolumes: ReadonlyArray<{ readonly name: string; readonly containerPath: string }>;
  /** Arguments of the image's entry point (`mcp-fleet`). */
  readonly command: readonly string[];
  /** The Lambda's environment without the secret ARNs (those become `secrets`). */
  readonly environment: readonly GatewayEnvEntry[];
  readonly secrets: readonly GatewaySecretEnvPlan[];
  readonly logStreamPrefix: string;
}

export interface GatewayServiceTargetGroupPlan {
  readonly name: string;
  readonly port: number;
  readonly protocol: 'HTTP';
  readonly targetType: 'ip';
  /** Calls and streams vary widely in duration: new requests go to the task with the fewest in flight. */
  readonly algorithm: 'least_outstanding_requests';
  readonly deregistrationDelaySeconds: number;
  readonly healthCheck: HealthCheckPlan;
}

export interface GatewayServiceScalingPlan {
  readonly minCapacity: number;
  readonly maxCapacity: number;
  readonly cpuTargetPercent: number;
  /** Target of `GATEWAY_CONNECTIONS_METRIC` (Average). */
  readonly connectionsPerTask: number;
  readonly scaleInCooldownSeconds: number;
  readonly scaleOutCooldownSeconds: number;
}

export interface GatewayServicePlan {
  readonly serviceName: string;
  /** Task definition family. */
  readonly family: string;
  readonly container: GatewayServiceContainerPlan;
  readonly targetGroup: GatewayServiceTargetGroupPlan;
  readonly scaling: GatewayServiceScalingPlan;
  readonly service: {
    readonly desiredCount: number;
    readonly minHealthyPercent: number;
    readonly maxHealthyPercent: number;
    readonly circuitBreaker: { readonly enable: true; readonly rollback: true };
    readonly healthCheckGracePeriodSeconds: number;
    readonly assignPublicIp: false;
  };
  readonly connectionsMetric: typeof GATEWAY_CONNECTIONS_METRIC;
}

/** Which environment variable carries each secret's value, by the input naming its ARN. */
const SECRET_VALUE_ENV: Readonly<Partial<Record<GatewayEnvInput, string>>> = {
  sessionStoreAuthSecretArn: GATEWAY_ENV.redisAuthToken,
  identitySecretArn: GATEWAY_ENV.identityKey,
  apiKeysSecretArn: GATEWAY_ENV.apiKeys,
};

/** A failing task leaves rotation in about 3 × 15 s; the deep check covers the session store and pools. */
const HEALTH_CHECK = { intervalSeconds: 15, timeoutSeconds: 5, healthyThreshold: 2, unhealthyThreshold: 3, matcher: '200' } as const;
/** Scale out quickly, scale in slowly: open streams make tasks costly to drain. */
const COOLDOWNS = { scaleInCooldownSeconds: 300, scaleOutCooldownSeconds: 60 } as const;

/**
 * @param environment the Lambda's planned environment (`GatewayPlan.environment`).
 * @param secretInputs the inputs that are secret ARNs (`GatewayPlan.secretInputs`).
 */
export function planGatewayService(spec: ResolvedFleetSpec, environment: readonly GatewayEnvEntry[], secretInputs: readonly GatewayEnvInput[]): GatewayServicePlan {
  const s = spec.gateway.service;
  const isSecret = (e: GatewayEnvEntry) => 'input' in e && secretInputs.includes(e.input);
  return {
    serviceName: GATEWAY_SERVICE_NAME,
    family: boundedName(`${spec.name}-gateway-service`, NAME_LIMITS.ecsCluster),
    container: {
      name: GATEWAY_SERVICE_CONTAINER,
      port: s.port,
      cpu: s.cpu,
      memoryMiB: s.memoryMiB,
      architecture: 'arm64',
      stopTimeoutSeconds: s.stopTimeoutSeconds,
      user: GATEWAY_SERVICE_USER,
      readonlyRootFilesystem: true,
      scratchVolumes: [{ name: 'tmp', containerPath: '/tmp' }],
      command: ['gateway', '--from-env', '--host', '0.0.0.0', '--port', String(s.port)],
      environment: environment.filter((e) => !isSecret(e)),
      secrets: secretInputs.map((input) => ({ name: SECRET_VALUE_ENV[input]!, input })),
      logStreamPrefix: 'gateway',
    },
    targetGroup: {
      // Not the Lambda target group's name: switching hosting creates the new group before the old one goes.
      name: boundedName(`${spec.name}-gateway-svc`, NAME_LIMITS.targetGroup),
      port: s.port,
      protocol: 'HTTP',
      targetType: 'ip',
      algorithm: 'least_outstanding_requests',
      deregistrationDelaySeconds: s.deregistrationDelaySeconds,
      healthCheck: { path: spec.healthPath, ...HEALTH_CHECK },
    },
    scaling: {
      minCapacity: s.minTasks,
      maxCapacity: s.maxTasks,
      cpuTargetPercent: s.cpuTargetPercent,
      connectionsPerTask: s.connectionsPerTask,
      ...COOLDOWNS,
    },
    service: {
      desiredCount: s.minTasks,
      minHealthyPercent: 100,
      maxHealthyPercent: 200,
      circuitBreaker: { enable: true, rollback: true },
      healthCheckGracePeriodSeconds: 60,
      assignPublicIp: false,
    },
    connectionsMetric: GATEWAY_CONNECTIONS_METRIC,
  };
}
