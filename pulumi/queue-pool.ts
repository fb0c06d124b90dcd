/**
 * McpQueuePool: a queue pool — an SQS queue with a dead-letter queue (the fleet's customer key, TLS
 * only) and a Fargate service whose tasks run the pool's MCP server and an `mcp-fleet worker
 * --from-env` beside it, in the private subnets, with no target group, no listener rule, no Cloud Map
 * registration and no inbound rule: the workers pull jobs. Scaled on the backlog per task, on the age
 * of the oldest job and, with `minTasks: 0`, from zero.
 *
 * Its security group admits nobody; `McpFleet` lets it reach the session store (used alone:
 * `allowTcp(name, queuePool.peer, sessionStore.peer, port, description)`).
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { fleetPlanOf, renderGatewayEnvironment, type FleetPlan, type MetricDimensionValues, type QueuePoolPlan, type WorkerSecretPlan } from '../lib/plan';
import type { FleetSpec } from '../lib/spec';
import { awsLogs, containerEnvironment, containerHealthCheck, scratchMountPoints } from './container';
import { McpComponentError, plannedFor } from './errors';
import { assumeRolePolicy, ecrPullStatements, logStreamsArn, policyDocument, type PolicyStatement } from './iam';
import { fleetLogGroup } from './log-group';
import { givenOrRenderedImage, renderPoolImage, type RenderedPoolImage } from './pool-image';
import { queueStatements } from './queue-access';
import { queuePoolScaling } from './queue-scaling';
import { allowAllOutbound, emptySecurityGroup, type SecurityGroupEnd } from './security';

export interface McpQueuePoolArgs {
  /** The fleet spec (validated when the component is constructed). */
  readonly spec: FleetSpec;
  /**
   * The plan of `spec`, made once by the fleet that composes this part (`McpFleet` passes its own).
   * @default - planned here from `spec`
   */
  readonly plan?: FleetPlan;
  /** Name of the queue pool in `spec.pools`. */
  readonly pool: string;
  readonly vpcId: pulumi.Input<string>;
  /** Private subnets (with NAT, or endpoints for SQS, ECR and logs) for the tasks. */
  readonly privateSubnetIds: pulumi.Input<pulumi.Input<string>[]>;
  readonly clusterArn: pulumi.Input<string>;
  readonly clusterName: pulumi.Input<string>;
  /** Host name of the session store (TLS), where the workers keep jobs and the published tool list. */
  readonly sessionStoreHost: pulumi.Input<string>;
  /** Secret holding the session store password. */
  readonly sessionStoreAuthSecretArn: pulumi.Input<string>;
  /**
   * Secret holding this pool's own identity key (and no other pool's): its server gets it as
   * `POOL_ENV.identityKey`, its worker as `WORKER_ENV.identityKey`.
   */
  readonly identitySecretArn: pulumi.Input<string>;
  /** Customer managed key (ARN) that encrypts both queues, the log group and the secrets. */
  readonly kmsKeyArn: pulumi.Input<string>;
  /**
   * The worker image: its entry point must be this package's `mcp-fleet` CLI (a registry reference,
   * or an image another component built, e.g. the gateway service's).
   * @default - the image the plan generates from this package, built at `pulumi up` and pushed to an ECR repository of the pool
   */
  readonly workerImage?: string | RenderedPoolImage;
  /**
   * The region of the log group and of the `kms:ViaService` condition.
   * @default - the provider's region
   */
  readonly region?: pulumi.Input<string>;
}

const TYPE = 'mcp-fleet:index:McpQueuePool';
/** Container name of the server inside the task definition (as in the CDK fleet). */
const SERVER_CONTAINER_NAME = 'Server';

export class McpQueuePool extends pulumi.ComponentResource {
  public readonly plan: QueuePoolPlan;
  public readonly queue: aws.sqs.Queue;
  public readonly deadLetterQueue: aws.sqs.Queue;
  /** The TLS-only policies of the queue and the dead-letter queue. */
  public readonly queuePolicies: aws.sqs.QueuePolicy[];
  /** The server's image (for build and stdio sources: the ECR repository and the build). */
  public readonly image: RenderedPoolImage;
  public readonly workerImage: RenderedPoolImage;
  public readonly securityGroup: aws.ec2.SecurityGroup;
  public readonly logGroup: aws.cloudwatch.LogGroup;
  public readonly executionRole: aws.iam.Role;
  /** Role of the running tasks: may consume its own queue; attach what the server's tools need. */
  public readonly taskRole: aws.iam.Role;
  public readonly taskDefinition: aws.ecs.TaskDefinition;
  public readonly service: aws.ecs.Service;
  public readonly scalableTarget: aws.appautoscaling.Target;
  /** Target tracking on the backlog per task. */
  public readonly backlogScaling: aws.appautoscaling.Policy;
  /** The step policies' alarms, by plan id (`OldestJobAge`, and `FromZero` with `minTasks: 0`). */
  public readonly stepAlarms: Readonly<Record<string, aws.cloudwatch.MetricAlarm>>;
  /** The pool's security group as a peer for `allowTcp`. */
  public readonly peer: SecurityGroupEnd;

  constructor(name: string, args: McpQueuePoolArgs, opts?: pulumi.ComponentResourceOptions) {
    const where = `McpQueuePool ${name}`;
    const fleet = plannedFor(where, () => fleetPlanOf(args, where));
    const plan = fleet.queuePools.find((p) => p.name === args.pool);
    if (!plan) {
      const other = fleet.pools.find((p) => p.name === args.pool);
      throw new McpComponentError(
        where,
        `queue pool "${args.pool}" is not in the spec (queue pools: ${fleet.queuePools.map((p) => p.name).join(', ') || 'none'})${other ? `; "${args.pool}" is a ${other.kind} pool (use McpToolPool)` : ''}`,
      );
    }
    super(TYPE, name, {}, opts);
    this.plan = plan;
    const parent = { parent: this };
    const region = args.region ?? aws.getRegionOutput({}, parent).region;
    const q = plan.queue;

    const encryption = { kmsMasterKeyId: args.kmsKeyArn, kmsDataKeyReusePeriodSeconds: q.encryption.dataKeyReuseSeconds };
    this.deadLetterQueue = new aws.sqs.Queue(`${name}-dlq`, { name: q.names.deadLetterQueue, messageRetentionSeconds: q.deadLetterRetentionSeconds, ...encryption }, parent);
    this.queue = new aws.sqs.Queue(
      `${name}-queue`,
      {
        name: q.names.queue,
        visibilityTimeoutSeconds: q.visibilityTimeoutSeconds,
        messageRetentionSeconds: q.retentionSeconds,
        receiveWaitTimeSeconds: q.receiveWaitSeconds,
        redrivePolicy: pulumi.jsonStringify({ deadLetterTargetArn: this.deadLetterQueue.arn, maxReceiveCount: q.maxReceiveCount }),
        ...encryption,
      },
      parent,
    );
    this.queuePolicies = [
      [this.queue, 'queue'],
      [this.deadLetterQueue, 'dlq'],
    ].map(([queue, suffix]) => tlsOnlyPolicy(`${name}-${suffix as string}-policy`, queue as aws.sqs.Queue, this));

    // Outbound stays open: SQS and the session store, image registries, and whatever the server itself calls.
    this.securityGroup = emptySecurityGroup(`${name}-sg`, `MCP queue pool ${plan.name} of fleet ${fleet.fleet}`, args.vpcId, this);
    this.peer = { owner: this, securityGroupId: this.securityGroup.id, allowsAllOutbound: true };
    allowAllOutbound(`${name}-out`, this.peer, `queue pool ${plan.name} to SQS, the session store, image registries and its tools' upstream services`);

    this.image = renderPoolImage(name, plan.name, plan.container.image, this);
    this.workerImage = givenOrRenderedImage(`${name}-worker`, 'worker', plan.worker.image, args.workerImage, this);
    this.logGroup = fleetLogGroup(`${name}-logs`, { retentionDays: fleet.logRetentionDays, kmsKeyArn: args.kmsKeyArn }, this);
    this.executionRole = new aws.iam.Role(`${name}-execution`, { assumeRolePolicy: assumeRolePolicy('ecs-tasks.amazonaws.com') }, parent);
    const executionPolicy = new aws.iam.RolePolicy(`${name}-execution`, { role: this.executionRole.id, policy: policyDocument(this.executionStatements(args)) }, parent);
    this.taskRole = new aws.iam.Role(`${name}-task`, { assumeRolePolicy: assumeRolePolicy('ecs-tasks.amazonaws.com') }, parent);
    const taskPolicy = new aws.iam.RolePolicy(`${name}-task`, { role: this.taskRole.id, policy: policyDocument(queueStatements('consume', [this.queue], args.kmsKeyArn, region)) }, parent);
    this.taskDefinition = this.createTaskDefinition(name, fleet.fleet, args, region);

    const svc = plan.service;
    this.service = new aws.ecs.Service(
      `${name}-service`,
      {
        name: plan.name,
        cluster: args.clusterArn,
        taskDefinition: this.taskDefinition.arn,
        launchType: 'FARGATE',
        platformVersion: 'LATEST',
        desiredCount: svc.desiredCount,
        deploymentMinimumHealthyPercent: svc.minHealthyPercent,
        deploymentMaximumPercent: svc.maxHealthyPercent,
        deploymentCircuitBreaker: { enable: svc.circuitBreaker.enable, rollback: svc.circuitBreaker.rollback },
        healthCheckGracePeriodSeconds: svc.healthCheckGracePeriodSeconds,
        networkConfiguration: { subnets: args.privateSubnetIds, securityGroups: [this.securityGroup.id], assignPublicIp: svc.assignPublicIp },
        propagateTags: 'SERVICE',
      },
      // Tasks need their grants to start and to receive; autoscaling owns the task count after creation.
      { parent: this, dependsOn: [executionPolicy, taskPolicy], ignoreChanges: ['desiredCount'] },
    );

    const values: pulumi.Output<MetricDimensionValues> = pulumi.output({
      fleet: fleet.fleet,
      region,
      loadBalancerFullName: '',
      poolTargetGroupFullNames: {} as Record<string, string>,
      poolServices: { [plan.name]: { clusterName: args.clusterName, serviceName: this.service.name } },
      cacheNodeIds: [] as string[],
      poolQueueNames: { [plan.name]: { queue: this.queue.name, deadLetterQueue: this.deadLetterQueue.name } },
    });
    const scaling = queuePoolScaling(name, { clusterName: args.clusterName, serviceName: this.service.name }, plan.scaling, values, parent);
    this.scalableTarget = scaling.scalableTarget;
    this.backlogScaling = scaling.backlogScaling;
    this.stepAlarms = scaling.stepAlarms;

    this.registerOutputs({ queueUrl: this.queue.url, deadLetterQueueUrl: this.deadLetterQueue.url, serviceName: this.service.name, securityGroupId: this.securityGroup.id });
  }

  /** What ECS needs to start a task: write its logs, read the pool's identity secret and the store's password, pull private ECR images. */
  private executionStatements(args: McpQueuePoolArgs): PolicyStatement[] {
    return [
      { Sid: 'WriteLogs', Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: [logStreamsArn(this.logGroup.arn)] },
      { Sid: 'ReadSecrets', Effect: 'Allow', Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], Resource: [args.identitySecretArn, args.sessionStoreAuthSecretArn] },
      { Sid: 'DecryptSecrets', Effect: 'Allow', Action: ['kms:Decrypt'], Resource: [args.kmsKeyArn] },
      ...ecrPullStatements([this.image.ecrRepositoryArn, this.workerImage.ecrRepositoryArn]),
    ];
  }

  private createTaskDefinition(name: string, fleetName: string, args: McpQueuePoolArgs, region: pulumi.Input<string>): aws.ecs.TaskDefinition {
    const c = this.plan.container;
    const w = this.plan.worker;
    const sources: Readonly<Record<WorkerSecretPlan['source'], pulumi.Input<string>>> = { poolIdentitySecret: args.identitySecretArn, sessionStoreAuthSecret: args.sessionStoreAuthSecretArn };
    const workerEnvironment = pulumi
      .all({ queueUrl: this.queue.url, sessionStoreHost: args.sessionStoreHost })
      .apply((values) => renderGatewayEnvironment(w, values, `McpQueuePool ${name}`, 'the worker'))
      .apply(containerEnvironment);
    const containerDefinitions = pulumi.jsonStringify([
      {
        // Only the worker calls it, on loopback: no port mapping.
        name: SERVER_CONTAINER_NAME,
        image: this.image.ref,
        essential: true,
        user: c.user,
        readonlyRootFilesystem: c.readonlyRootFilesystem,
        stopTimeout: c.stopTimeoutSeconds,
        environment: containerEnvironment(c.environment),
        secrets: c.secrets.map((s) => ({ name: s.name, valueFrom: args.identitySecretArn })),
        mountPoints: scratchMountPoints(c.scratchVolumes),
        ...(c.healthCheck ? { healthCheck: containerHealthCheck(c.healthCheck) } : {}),
        logConfiguration: awsLogs(this.logGroup.name, region, this.plan.name),
      },
      {
        name: w.name,
        image: this.workerImage.ref,
        essential: true,
        command: [...w.command],
        user: w.user,
        readonlyRootFilesystem: w.readonlyRootFilesystem,
        stopTimeout: w.stopTimeoutSeconds,
        environment: workerEnvironment,
        secrets: w.secrets.map((s) => ({ name: s.name, valueFrom: sources[s.source] })),
        mountPoints: scratchMountPoints(w.scratchVolumes),
        // Starts once the server is up and, by the same dependency, stops before it.
        dependsOn: [{ containerName: SERVER_CONTAINER_NAME, condition: w.dependsOnServer }],
        logConfiguration: awsLogs(this.logGroup.name, region, w.logStreamPrefix),
      },
    ]);
    return new aws.ecs.TaskDefinition(
      `${name}-task`,
      {
        family: `${fleetName}-${this.plan.name}`,
        cpu: String(c.cpu),
        memory: String(c.memoryMiB),
        networkMode: 'awsvpc',
        requiresCompatibilities: ['FARGATE'],
        // The worker image is built for linux/amd64, as pool images are.
        runtimePlatform: { operatingSystemFamily: 'LINUX', cpuArchitecture: 'X86_64' },
        executionRoleArn: this.executionRole.arn,
        taskRoleArn: this.taskRole.arn,
        volumes: [...c.scratchVolumes, ...w.scratchVolumes].map((v) => ({ name: v.name })),
        containerDefinitions,
      },
      { parent: this },
    );
  }
}

/** Denies every request to the queue not made over TLS (as CDK's `enforceSSL`). */
function tlsOnlyPolicy(name: string, queue: aws.sqs.Queue, parent: pulumi.Resource): aws.sqs.QueuePolicy {
  return new aws.sqs.QueuePolicy(
    name,
    {
      queueUrl: queue.url,
      policy: pulumi.jsonStringify({
        Version: '2012-10-17',
        Statement: [{ Sid: 'DenyWithoutTls', Effect: 'Deny', Principal: { AWS: '*' }, Action: 'sqs:*', Resource: queue.arn, Condition: { Bool: { 'aws:SecureTransport': 'false' } } }],
      }),
    },
    { parent },
  );
}
