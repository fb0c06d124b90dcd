/**
 * The gateway as an ECS Fargate service (`gateway.hosting: 'service'`): the same core as the Lambda,
 * run by `mcp-fleet gateway --from-env` from an image the library generates from this package (a
 * `generated` image, built at deploy time like a stdio pool's: the CLI is one bundled file), behind a
 * least-outstanding-requests target group, scaled on CPU and on open connections per task, draining
 * open streams before ECS stops a task. Its environment is the Lambda's, except that the three
 * secrets arrive as values (ECS reads them from Secrets Manager at task start) instead of as ARNs the
 * function reads itself: the image then needs no AWS SDK and no secret ever sits in the task definition.
 */
import { GATEWAY_ENV, poolIdentityKeyEnv, type ResolvedFleetSpec } from '../spec';
import { METRICS_NAMESPACE, METRIC_DIMENSIONS } from '../spec/metric-names';
import type { GatewayEnvEntry, GatewayEnvInput } from './gateway';
import { SCALING_COOLDOWNS, SERVICE_HEALTH_CHECK, type FargateServicePlan, type HealthCheckPlan } from './pools';
import type { GeneratedImagePlan } from './pool-kinds/types';
import { boundedName, NAME_LIMITS } from './names';

/**
 * `GatewayOpenConnections` (Count): the client connections one gateway task holds open with a live
 * stream (a tool call relaying progress or waiting for the client, a GET session stream, a
 * subscription), sampled once a minute, with dimension {Fleet} (`lib/cli/connection-gauge.ts`). Each task publishes its own value (EMF on stdout, shipped by the
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
/** Base of the generated image (the stdio pools' default base too, so builds share its layers). */
export const GATEWAY_BASE_IMAGE = 'node:22-bookworm-slim';
/** Where the package's files go in the image. */
export const GATEWAY_PACKAGE_DIR = '/opt/mcp-fleet';
/** The package files the image needs: the CLI is one self-contained bundle (with its licenses). */
export const GATEWAY_PACKAGE_FILES = ['package.json', 'bin/mcp-fleet.js', 'dist/cli/mcp-fleet.js', 'dist/cli/mcp-fleet.js.LEGAL.txt'] as const;
/** Context directory (inside the build context) of the package files. */
const CONTEXT_PACKAGE_DIR = 'mcp-fleet';
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
  /** With `poolIdentitySecretArns`: the pool whose identity secret this is. @default - none */
  readonly pool?: string;
}

export interface GatewayServiceContainerPlan {
  readonly name: string;
  readonly port: number;
  readonly cpu: number;
  readonly memoryMiB: number;
  /** The CPU the image is built for: the image renderers build linux/amd64, Fargate's default. */
  readonly architecture: 'x86_64';
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
  readonly service: FargateServicePlan;
  readonly connectionsMetric: typeof GATEWAY_CONNECTIONS_METRIC;
  /** The image the library generates (a rendering may be given a registry image instead). */
  readonly image: GeneratedImagePlan;
}

/** Which environment variable carries each secret's value, by the input naming its ARN. */
const SECRET_VALUE_ENV: Readonly<Partial<Record<GatewayEnvInput, string>>> = {
  sessionStoreAuthSecretArn: GATEWAY_ENV.redisAuthToken,
  apiKeysSecretArn: GATEWAY_ENV.apiKeys,
};

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
      architecture: 'x86_64',
      stopTimeoutSeconds: s.stopTimeoutSeconds,
      user: GATEWAY_SERVICE_USER,
      readonlyRootFilesystem: true,
      scratchVolumes: [{ name: 'tmp', containerPath: '/tmp' }],
      command: ['gateway', '--from-env', '--host', '0.0.0.0', '--port', String(s.port)],
      environment: environment.filter((e) => !isSecret(e)),
      // Each pool's identity key in a variable of its own; the other secrets one each.
      secrets: secretInputs.flatMap((input): GatewaySecretEnvPlan[] =>
        input === 'poolIdentitySecretArns' ? spec.pools.map((p) => ({ name: poolIdentityKeyEnv(p.name), input, pool: p.name })) : [{ name: SECRET_VALUE_ENV[input]!, input }],
      ),
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
      // The deep check covers the session store and the pools.
      healthCheck: { path: spec.healthPath, ...SERVICE_HEALTH_CHECK },
    },
    scaling: {
      minCapacity: s.minTasks,
      maxCapacity: s.maxTasks,
      cpuTargetPercent: s.cpuTargetPercent,
      connectionsPerTask: s.connectionsPerTask,
      ...SCALING_COOLDOWNS,
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
    image: planGatewayImage(s.port),
  };
}

/**
 * The image of this package's CLI that the gateway service runs, and the queue pools' workers too
 * (with another command): one Dockerfile, so one image asset for both.
 * @param port the gateway service's port (`gateway.service.port`), which the Dockerfile exposes.
 */
export function planGatewayImage(port: number): GeneratedImagePlan {
  return {
    kind: 'generated',
    dockerfile: gatewayDockerfile(port),
    packageFiles: [...GATEWAY_PACKAGE_FILES],
    packageDir: CONTEXT_PACKAGE_DIR,
    entrypoint: GATEWAY_ENTRYPOINT,
  };
}

/** The image's entry point: the package's CLI (the task definition's command picks `gateway --from-env`). */
const GATEWAY_ENTRYPOINT = ['node', `${GATEWAY_PACKAGE_DIR}/bin/mcp-fleet.js`] as const;

/** The Dockerfile of the gateway image. Exec forms are JSON arrays. */
export function gatewayDockerfile(port: number): string {
  return [
    '# Generated by mcp-fleet: the gateway service, `mcp-fleet gateway --from-env` (see README, "Gateway hosting").',
    `FROM ${GATEWAY_BASE_IMAGE}`,
    `COPY ${CONTEXT_PACKAGE_DIR} ${GATEWAY_PACKAGE_DIR}`,
    'ENV NODE_ENV=production',
    '# The root filesystem is read-only at run time: /tmp is the writable, task-scoped volume.',
    'VOLUME ["/tmp"]',
    `USER ${GATEWAY_SERVICE_USER}`,
    `EXPOSE ${port}`,
    `ENTRYPOINT ${JSON.stringify(GATEWAY_ENTRYPOINT)}`,
    `CMD ${JSON.stringify(['gateway', '--from-env', '--host', '0.0.0.0', '--port', String(port)])}`,
    '',
  ].join('\n');
}
