/**
 * `queue` pools on AWS: an SQS queue (and its dead-letter queue) per pool, and a Fargate service whose
 * tasks run the pool's MCP server (planned as its source's kind plans it) with an `mcp-fleet worker`
 * container beside it, which receives the pool's jobs, calls the server on localhost and keeps results
 * in the session store. No target group, no listener rule: callers reach the pool only through the
 * gateway, which may only send to the queue; the workers may only consume from it.
 */
import { WORKER_ENV, type FleetSpec, type ResolvedFleetSpec, type ResolvedQueuePoolSpec } from '../spec';
import type { EnvEntry } from './gateway';
import { planGatewayImage, GATEWAY_SERVICE_USER } from './gateway-service';
import { queueNames, type QueueNames } from './names';
import { SESSION_STORE_PORT } from './session-store';
import type { GeneratedImagePlan, ScratchVolumePlan } from './pool-kinds/types';
import { planPoolBase, type PoolPlanBase } from './pools';
import { planQueueScaling, type QueueScalingPlan } from './queue-scaling';

/** The SQS queue of a queue pool and its dead-letter queue. */
export interface QueuePlan {
  readonly names: QueueNames;
  /** Seconds a received job stays invisible to other workers (the worker extends it while it runs). */
  readonly visibilityTimeoutSeconds: number;
  /** Seconds a job may wait in the queue. */
  readonly retentionSeconds: number;
  /** Long polling: a receive waits up to 20 s (the SQS maximum) for a job instead of returning empty. */
  readonly receiveWaitSeconds: 20;
  /** Deliveries of a job before SQS moves it to the dead-letter queue. */
  readonly maxReceiveCount: number;
  /** Dead letters are kept as long as SQS allows (14 days): someone has to look at them. */
  readonly deadLetterRetentionSeconds: 1_209_600;
  /** Both queues are encrypted with the fleet's customer managed key; a data key is reused for 5 minutes (fewer KMS calls). */
  readonly encryption: { readonly kind: 'customerKey'; readonly dataKeyReuseSeconds: 300 };
  /** Both queue policies deny every request not made over TLS. */
  readonly enforceTls: true;
}

/** IAM actions on a queue and on its key, for one side of the queue. */
export interface QueueAccessPlan {
  readonly queueActions: readonly string[];
  readonly keyActions: readonly string[];
}

/**
 * Who may do what with a queue pool's queue. The key actions carry the condition
 * `kms:ViaService = sqs.<region>.amazonaws.com` (`sqsViaService`): the fleet key serves the queues'
 * messages only through SQS, not as a general decryption oracle.
 */
export const QUEUE_ACCESS = {
  /** The gateway (Lambda role or gateway service task role): sends jobs, nothing else. */
  send: { queueActions: ['sqs:SendMessage'], keyActions: ['kms:GenerateDataKey', 'kms:Decrypt'] },
  /** The pool's worker task role: its own queue only, and only what the worker calls (it reads no queue attributes). */
  consume: { queueActions: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility'], keyActions: ['kms:Decrypt'] },
} as const satisfies Readonly<Record<'send' | 'consume', QueueAccessPlan>>;

/** The `kms:ViaService` value of SQS in `region` (a token or a Pulumi value works too). */
export function sqsViaService(region: string): string {
  return `sqs.${region}.amazonaws.com`;
}

/** Values of the worker environment that only a rendering knows. */
export type WorkerEnvInput = 'queueUrl' | 'sessionStoreHost';

/** A secret ECS puts into the worker's environment. */
export interface WorkerSecretPlan {
  readonly name: string;
  /** The pool's own identity secret, or the session store's AUTH token secret. */
  readonly source: 'poolIdentitySecret' | 'sessionStoreAuthSecret';
}

/** Container name of the worker inside a queue pool's task definition (both renderings). */
export const QUEUE_WORKER_CONTAINER = 'Worker';

/** The `mcp-fleet worker` container beside the pool's server. */
export interface QueueWorkerPlan {
  readonly name: typeof QUEUE_WORKER_CONTAINER;
  /** The image the gateway service runs (the package's CLI): one image for both, built once. */
  readonly image: GeneratedImagePlan;
  /** Arguments of the image's entry point (`mcp-fleet`). */
  readonly command: readonly string[];
  readonly user: string;
  readonly readonlyRootFilesystem: true;
  readonly scratchVolumes: readonly ScratchVolumePlan[];
  /** Seconds between SIGTERM and SIGKILL: the worker finishes or releases its running jobs within it. */
  readonly stopTimeoutSeconds: number;
  /** The `WORKER_ENV` contract; the inputs are filled by the rendering (`renderGatewayEnvironment`). */
  readonly environment: readonly EnvEntry<WorkerEnvInput>[];
  readonly secrets: readonly WorkerSecretPlan[];
  /**
   * The worker starts once the server is up (healthy, when the server has a container health check)
   * and, by the same dependency, ECS stops it before the server.
   */
  readonly dependsOnServer: 'HEALTHY' | 'START';
  readonly logStreamPrefix: string;
}

/** A queue pool: its server and worker service, its queues, its scaling. */
export interface QueuePoolPlan extends PoolPlanBase {
  readonly kind: 'queue';
  readonly queue: QueuePlan;
  readonly worker: QueueWorkerPlan;
  readonly scaling: QueueScalingPlan;
}

/** The worker's `/tmp` (the root filesystem is read-only); not the server's, which is its own volume. */
const WORKER_SCRATCH: ScratchVolumePlan = { name: 'worker-tmp', containerPath: '/tmp' };

/**
 * @param input the spec as the user wrote it: the worker validates and resolves it again, as the gateway does.
 */
export function planQueuePool(spec: ResolvedFleetSpec, pool: ResolvedQueuePoolSpec, input: FleetSpec): QueuePoolPlan {
  // Never routed directly: only its own worker calls the server.
  const base = planPoolBase(spec, pool, false);
  const q = pool.queue;
  const names = queueNames(spec.name, pool.name);
  const value = (name: string, v: string): EnvEntry<WorkerEnvInput> => ({ name, value: v });
  return {
    ...base,
    kind: 'queue',
    queue: {
      names,
      visibilityTimeoutSeconds: q.visibilityTimeoutSeconds,
      retentionSeconds: q.retentionSeconds,
      receiveWaitSeconds: 20,
      maxReceiveCount: q.maxReceives,
      deadLetterRetentionSeconds: 1_209_600,
      encryption: { kind: 'customerKey', dataKeyReuseSeconds: 300 },
      enforceTls: true,
    },
    worker: {
      name: QUEUE_WORKER_CONTAINER,
      image: planGatewayImage(spec.gateway.service.port),
      command: ['worker', '--from-env'],
      user: GATEWAY_SERVICE_USER,
      readonlyRootFilesystem: true,
      scratchVolumes: [WORKER_SCRATCH],
      stopTimeoutSeconds: pool.stopTimeoutSeconds,
      environment: [
        value(WORKER_ENV.spec, JSON.stringify(input)),
        value(WORKER_ENV.pool, pool.name),
        value(WORKER_ENV.serverUrl, `http://127.0.0.1:${pool.port}${pool.mcpPath}`),
        { name: WORKER_ENV.queueUrl, input: 'queueUrl', prefix: '', suffix: '' },
        { name: WORKER_ENV.redisUrl, input: 'sessionStoreHost', prefix: 'rediss://', suffix: `:${SESSION_STORE_PORT}` },
      ],
      secrets: [
        { name: WORKER_ENV.identityKey, source: 'poolIdentitySecret' },
        { name: WORKER_ENV.redisAuthToken, source: 'sessionStoreAuthSecret' },
      ],
      dependsOnServer: base.container.healthCheck ? 'HEALTHY' : 'START',
      logStreamPrefix: 'worker',
    },
    scaling: planQueueScaling(pool),
  };
}
