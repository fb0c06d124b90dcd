import { Duration, Stack, Validations } from 'aws-cdk-lib';
import type * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { fleetPlanOf, renderGatewayEnvironment, type FleetPlan, type QueuePoolPlan, type WorkerSecretPlan } from '../../lib/plan';
import type { FleetSpec } from '../../lib/spec';
import { constructError, fleetLogGroup, planned, plannedFargateService } from '../shared';
import { grantImagePull, poolContainerImage } from '../tool-pool/images';
import { serverContainerOptions } from '../tool-pool/server-container';
import { grantQueueAccess } from './access';
import { addQueueScaling } from './scaling';

/** The session store the workers keep jobs in: its host and AUTH token secret (an `McpSessionStore`). */
export interface McpQueuePoolSessionStore {
  readonly host: string;
  readonly authSecret: secretsmanager.ISecret;
}

export interface McpQueuePoolProps {
  /** The fleet spec (validated here). */
  readonly spec: FleetSpec;
  /**
   * The plan of `spec`, made once by the fleet that composes this part (`McpFleet` passes its own).
   * @default - planned here from `spec`
   */
  readonly plan?: FleetPlan;
  /** Name of the queue pool in `spec.pools`. */
  readonly pool: string;
  readonly cluster: ecs.ICluster;
  /** Where the workers keep job state and results. Admit the pool's `securityGroup` on the store's group. */
  readonly sessionStore: McpQueuePoolSessionStore;
  /**
   * Secret holding this pool's own identity HMAC key (and no other pool's): its server container gets
   * it as `POOL_ENV.identityKey`, its worker as `WORKER_ENV.identityKey`.
   */
  readonly identitySecret: secretsmanager.ISecret;
  /** Customer managed key that encrypts both queues (and the log group). */
  readonly encryptionKey: kms.IKey;
  /**
   * The worker image: it must run this package's `mcp-fleet` CLI as its entry point.
   * @default - the image the plan generates from this package (the gateway service's), built at deploy time
   */
  readonly workerImage?: ecs.ContainerImage;
  /**
   * Overrides for the Fargate service. Networking, circuit breaker and the task definition are enforced.
   * @default - the plan's counts and deployment percentages
   */
  readonly serviceProps?: Partial<ecs.FargateServiceProps>;
  /**
   * Overrides for the server container. Non-root user, read-only root filesystem and port are enforced;
   * `environment` and `secrets` add to the plan's, whose `POOL_ENV` variables always win.
   * @default - the plan's image, environment, identity secret and stop timeout
   */
  readonly containerProps?: Partial<ecs.ContainerDefinitionOptions>;
}

/**
 * A queue pool: an SQS queue with a dead-letter queue (the fleet's customer key, TLS only) and a
 * Fargate service whose tasks run the pool's MCP server and an `mcp-fleet worker` beside it, in the
 * private subnets, with no target group, no listener rule and no inbound rule: the workers pull jobs.
 * Scaled on the backlog per task, on the age of the oldest job and, with `minTasks: 0`, from zero.
 */
export class McpQueuePool extends Construct {
  public readonly plan: QueuePoolPlan;
  public readonly queue: sqs.Queue;
  public readonly deadLetterQueue: sqs.Queue;
  /** The tasks' group: no inbound rule; outbound to SQS, the session store, registries and the server's own calls. */
  public readonly securityGroup: ec2.SecurityGroup;
  public readonly logGroup: logs.LogGroup;
  public readonly taskDefinition: ecs.FargateTaskDefinition;
  /** The MCP server container. */
  public readonly container: ecs.ContainerDefinition;
  public readonly workerContainer: ecs.ContainerDefinition;
  public readonly service: ecs.FargateService;
  public readonly scaling: ecs.ScalableTaskCount;
  /** Target tracking on the backlog per task (metric math: an L1 policy). */
  public readonly backlogScalingPolicy: appscaling.CfnScalingPolicy;
  /** The alarms that drive the step policies, by plan id (`OldestJobAge`, and `FromZero` with `minTasks: 0`). */
  public readonly stepAlarms: Readonly<Record<string, cloudwatch.Alarm>>;

  constructor(scope: Construct, id: string, props: McpQueuePoolProps) {
    super(scope, id);
    const fleet = planned(this, () => fleetPlanOf(props, this.node.path));
    const plan = fleet.queuePools.find((p) => p.name === props.pool);
    if (!plan) {
      const kinds = fleet.pools.some((p) => p.name === props.pool) ? `; "${props.pool}" is a ${fleet.pools.find((p) => p.name === props.pool)!.kind} pool (use McpToolPool)` : '';
      throw constructError(this, `queue pool "${props.pool}" is not in the spec (queue pools: ${fleet.queuePools.map((p) => p.name).join(', ') || 'none'})${kinds}`);
    }
    this.plan = plan;
    const q = plan.queue;

    const encryption = { encryption: sqs.QueueEncryption.KMS, encryptionMasterKey: props.encryptionKey, dataKeyReuse: Duration.seconds(q.encryption.dataKeyReuseSeconds), enforceSSL: q.enforceTls };
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', { queueName: q.names.deadLetterQueue, retentionPeriod: Duration.seconds(q.deadLetterRetentionSeconds), ...encryption });
    this.queue = new sqs.Queue(this, 'Queue', {
      queueName: q.names.queue,
      visibilityTimeout: Duration.seconds(q.visibilityTimeoutSeconds),
      retentionPeriod: Duration.seconds(q.retentionSeconds),
      receiveMessageWaitTime: Duration.seconds(q.receiveWaitSeconds),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: q.maxReceiveCount },
      ...encryption,
    });

    // Outbound stays open: SQS and the session store, image registries, and whatever the server itself calls.
    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', { vpc: props.cluster.vpc, description: `MCP queue pool ${plan.name} of fleet ${fleet.fleet}`, allowAllOutbound: true });
    this.logGroup = fleetLogGroup(this, 'Logs', fleet.logRetentionDays, props.encryptionKey);
    const c = plan.container;
    const w = plan.worker;
    this.taskDefinition = new ecs.FargateTaskDefinition(this, 'TaskDefinition', {
      cpu: c.cpu,
      memoryLimitMiB: c.memoryMiB,
      // The worker image is built for linux/amd64, as pool images are.
      runtimePlatform: { cpuArchitecture: ecs.CpuArchitecture.X86_64, operatingSystemFamily: ecs.OperatingSystemFamily.LINUX },
      volumes: [...c.scratchVolumes, ...w.scratchVolumes].map((v) => ({ name: v.name })),
    });
    this.container = this.addServer(props);
    this.workerContainer = this.addWorker(props);
    grantImagePull(this, this.taskDefinition, c.image);
    grantQueueAccess(this, this.taskDefinition.taskRole, 'consume', [this.queue]);
    this.acknowledgeFindings(props.workerImage === undefined);

    this.service = plannedFargateService(this, plan.service, {
      cluster: props.cluster,
      taskDefinition: this.taskDefinition,
      securityGroup: this.securityGroup,
      userProps: props.serviceProps,
    });
    const scaling = addQueueScaling(this, plan.name, this.service, plan.scaling, {
      fleet: fleet.fleet,
      region: Stack.of(this).region,
      loadBalancerFullName: '',
      poolTargetGroupFullNames: {},
      poolServices: { [plan.name]: { clusterName: props.cluster.clusterName, serviceName: this.service.serviceName } },
      cacheNodeIds: [],
      poolQueueNames: { [plan.name]: { queue: this.queue.queueName, deadLetterQueue: this.deadLetterQueue.queueName } },
    });
    this.scaling = scaling.taskCount;
    this.backlogScalingPolicy = scaling.backlogPolicy;
    this.stepAlarms = scaling.stepAlarms;
  }

  /** The MCP server, as the tool pools run it; only the worker calls it, on loopback (no port mapping). */
  private addServer(props: McpQueuePoolProps): ecs.ContainerDefinition {
    const c = this.plan.container;
    const server = this.taskDefinition.addContainer(
      'Server',
      serverContainerOptions(this, c, {
        identitySecret: props.identitySecret,
        logGroup: this.logGroup,
        streamPrefix: this.plan.name,
        ...(props.containerProps ? { userProps: props.containerProps } : {}),
      }),
    );
    server.addMountPoints(...c.scratchVolumes.map((v) => ({ sourceVolume: v.name, containerPath: v.containerPath, readOnly: false })));
    return server;
  }

  /** `mcp-fleet worker --from-env` beside the server: the planned environment and secrets, nothing to override. */
  private addWorker(props: McpQueuePoolProps): ecs.ContainerDefinition {
    const w = this.plan.worker;
    const sources: Readonly<Record<WorkerSecretPlan['source'], secretsmanager.ISecret>> = { poolIdentitySecret: props.identitySecret, sessionStoreAuthSecret: props.sessionStore.authSecret };
    const worker = this.taskDefinition.addContainer(w.name, {
      image: props.workerImage ?? poolContainerImage(this, w.image),
      command: [...w.command],
      user: w.user,
      readonlyRootFilesystem: w.readonlyRootFilesystem,
      stopTimeout: Duration.seconds(w.stopTimeoutSeconds),
      environment: renderGatewayEnvironment(w, { queueUrl: this.queue.queueUrl, sessionStoreHost: props.sessionStore.host }, this.node.path, 'the worker'),
      secrets: Object.fromEntries(w.secrets.map((s) => [s.name, ecs.Secret.fromSecretsManager(sources[s.source])])),
      logging: ecs.LogDrivers.awsLogs({ streamPrefix: w.logStreamPrefix, logGroup: this.logGroup }),
    });
    worker.addMountPoints(...w.scratchVolumes.map((v) => ({ sourceVolume: v.name, containerPath: v.containerPath, readOnly: false })));
    worker.addContainerDependencies({ container: this.container, condition: ecs.ContainerDependencyCondition[w.dependsOnServer] });
    return worker;
  }

  private acknowledgeFindings(imageAsset: boolean): void {
    Validations.of(this.taskDefinition).acknowledge(
      {
        id: 'AwsSolutions-ECS2',
        reason:
          'The environment holds only non-secret settings (fleet, pool, port, paths, the spec, the queue URL, the store URL, user variables from the spec); the identity key and the store password come from Secrets Manager as ECS secrets.',
      },
      {
        id: 'NIST.800.53.R5-IAMNoInlinePolicy',
        reason: "The task and execution role policies CDK attaches hold exactly this task's grants (its queue and key, its log group, its secrets, its image); a managed policy would invite reuse.",
      },
    );
    if (imageAsset) {
      Validations.of(this.taskDefinition).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: 'ecr:GetAuthorizationToken, which pulling an image asset or a private ECR image needs, has no resource-level permissions: AWS requires "*".',
      });
    }
  }
}
