/**
 * McpToolPool: one pool of MCP servers — a Fargate service (non-root, read-only root filesystem,
 * circuit breaker with rollback) behind a least-outstanding-requests target group with a deep health
 * check and draining that ends before ECS stops the task (validated with the spec), its listener rules,
 * its Cloud Map registration (the gateway resolves tasks by DNS) and target-tracking autoscaling on CPU
 * and on requests per target.
 *
 * Its security group admits nobody by itself: `McpFleet` connects the load balancer and the gateway
 * (used alone: `allowTcp(name, loadBalancer.peer, pool.peer, port, description)`).
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { fleetPlanOf, type ListenerRulePlan, type PoolPlan, type FleetPlan } from '../lib/plan';
import type { FleetSpec } from '../lib/spec';
import { assumeRolePolicy, ecrPullStatements, logStreamsArn, policyDocument, type PolicyStatement } from './iam';
import { createListenerRules } from './listener-rules';
import { fleetLogGroup } from './log-group';
import { awsLogs, containerEnvironment, containerHealthCheck, scratchMountPoints } from './container';
import { renderPoolImage, type RenderedPoolImage } from './pool-image';
import { serviceScaling } from './service-scaling';
import { allowAllOutbound, emptySecurityGroup, type SecurityGroupEnd } from './security';
import { McpComponentError, plannedFor } from './errors';

export interface McpToolPoolArgs {
  /** The fleet spec (validated when the component is constructed). */
  readonly spec: FleetSpec;
  /**
   * The plan of `spec`, made once by the fleet that composes this part (`McpFleet` passes its own).
   * @default - planned here from `spec`
   */
  readonly plan?: FleetPlan;
  /** Name of the pool in `spec.pools`. */
  readonly pool: string;
  readonly vpcId: pulumi.Input<string>;
  /** Private subnets (with NAT) for the tasks. */
  readonly privateSubnetIds: pulumi.Input<pulumi.Input<string>[]>;
  readonly clusterArn: pulumi.Input<string>;
  readonly clusterName: pulumi.Input<string>;
  /** Cloud Map private DNS namespace the tasks register in. */
  readonly namespaceId: pulumi.Input<string>;
  /** HTTPS listener that receives the pool's direct-routing rules. */
  readonly listenerArn: pulumi.Input<string>;
  /** `arnSuffix` of the load balancer, for the requests-per-target scaling metric of directly routed pools. */
  readonly loadBalancerArnSuffix: pulumi.Input<string>;
  /** Secret holding this pool's own identity key (injected as a container secret; the execution role may read only it). */
  readonly identitySecretArn: pulumi.Input<string>;
  /**
   * KMS key (ARN) that encrypts the pool's log group and the identity secret (the tasks may decrypt with it).
   * @default - AWS managed keys
   */
  readonly kmsKeyArn?: pulumi.Input<string>;
  /**
   * The region of the log group, for the awslogs driver.
   * @default - the provider's region
   */
  readonly region?: pulumi.Input<string>;
}

const TYPE = 'mcp-fleet:index:McpToolPool';
/** Container name inside the task definition (as in the CDK fleet). */
const POOL_CONTAINER_NAME = 'Server';

export class McpToolPool extends pulumi.ComponentResource {
  /** The pool's plan (names, container, target group, scaling). */
  public readonly plan: PoolPlan;
  /** Logical name of the component (its children's names start with it). */
  public readonly resourceName: string;
  /** Open connections per task to scale to (`addConnectionScaling`). @default - no connection scaling */
  public readonly connectionsPerTask?: number;
  /** The image the tasks run (for build and stdio pools: the ECR repository and the build). */
  public readonly image: RenderedPoolImage;
  public readonly securityGroup: aws.ec2.SecurityGroup;
  public readonly logGroup: aws.cloudwatch.LogGroup;
  public readonly executionRole: aws.iam.Role;
  /** Role of the running servers; attach the policies your tools need. */
  public readonly taskRole: aws.iam.Role;
  public readonly taskDefinition: aws.ecs.TaskDefinition;
  public readonly targetGroup: aws.lb.TargetGroup;
  public readonly listenerRules: aws.lb.ListenerRule[];
  public readonly discoveryService: aws.servicediscovery.Service;
  public readonly service: aws.ecs.Service;
  public readonly scalableTarget: aws.appautoscaling.Target;
  public readonly cpuScaling: aws.appautoscaling.Policy;
  /** Scaling on ALB requests per target. @default - undefined for pools only the gateway reaches (the metric would read zero) */
  public readonly requestScaling?: aws.appautoscaling.Policy;
  /** The pool's security group as a peer for `allowTcp`. */
  public readonly peer: SecurityGroupEnd;

  constructor(name: string, args: McpToolPoolArgs, opts?: pulumi.ComponentResourceOptions) {
    const where = `McpToolPool ${name}`;
    const fleet = plannedFor(where, () => fleetPlanOf(args, where));
    const plan = fleet.pools.find((p) => p.name === args.pool);
    if (!plan) throw new McpComponentError(where, `the spec has no pool "${args.pool}" (pools: ${fleet.pools.map((p) => p.name).join(', ')})`);
    super(TYPE, name, {}, opts);
    this.plan = plan;
    this.resourceName = name;
    if (plan.scaling.connectionsPerTask !== undefined) this.connectionsPerTask = plan.scaling.connectionsPerTask;
    const rules: ListenerRulePlan[] = fleet.listener.rules.filter((r) => r.target.kind === 'pool' && r.target.pool === plan.name);
    const parent = { parent: this };
    const region = args.region ?? aws.getRegionOutput({}, parent).region;

    this.securityGroup = emptySecurityGroup(`${name}-sg`, `MCP pool ${plan.name} of fleet ${fleet.fleet}`, args.vpcId, this);
    this.peer = { owner: this, securityGroupId: this.securityGroup.id, allowsAllOutbound: true };
    allowAllOutbound(`${name}-out`, this.peer, `pool ${plan.name} to image registries, AWS APIs and its tools' upstream services`);

    this.image = renderPoolImage(name, plan.name, plan.container.image, this);
    this.logGroup = fleetLogGroup(`${name}-logs`, { retentionDays: fleet.logRetentionDays, ...(args.kmsKeyArn ? { kmsKeyArn: args.kmsKeyArn } : {}) }, this);
    this.executionRole = new aws.iam.Role(`${name}-execution`, { assumeRolePolicy: assumeRolePolicy('ecs-tasks.amazonaws.com') }, parent);
    const executionPolicy = new aws.iam.RolePolicy(
      `${name}-execution`,
      { role: this.executionRole.id, policy: policyDocument(this.executionStatements(args.identitySecretArn, args.kmsKeyArn)) },
      parent,
    );
    this.taskRole = new aws.iam.Role(`${name}-task`, { assumeRolePolicy: assumeRolePolicy('ecs-tasks.amazonaws.com') }, parent);
    this.taskDefinition = this.createTaskDefinition(name, fleet.fleet, plan, args.identitySecretArn, region);

    const tg = plan.targetGroup;
    this.targetGroup = new aws.lb.TargetGroup(
      `${name}-tg`,
      {
        name: tg.name,
        vpcId: args.vpcId,
        port: tg.port,
        protocol: tg.protocol,
        targetType: tg.targetType,
        loadBalancingAlgorithmType: tg.algorithm,
        deregistrationDelay: tg.deregistrationDelaySeconds,
        healthCheck: {
          enabled: true,
          path: tg.healthCheck.path,
          protocol: 'HTTP',
          interval: tg.healthCheck.intervalSeconds,
          timeout: tg.healthCheck.timeoutSeconds,
          healthyThreshold: tg.healthCheck.healthyThreshold,
          unhealthyThreshold: tg.healthCheck.unhealthyThreshold,
          matcher: tg.healthCheck.matcher,
        },
        stickiness: tg.stickiness ? { enabled: true, type: tg.stickiness.type, cookieDuration: tg.stickiness.durationSeconds } : { enabled: false, type: 'lb_cookie' },
      },
      parent,
    );
    this.listenerRules = createListenerRules(name, rules, args.listenerArn, this.targetGroup.arn, this);

    this.discoveryService = new aws.servicediscovery.Service(
      `${name}-discovery`,
      {
        name: plan.discovery.serviceName,
        dnsConfig: {
          namespaceId: args.namespaceId,
          routingPolicy: 'MULTIVALUE',
          dnsRecords: [{ type: plan.discovery.dnsRecordType, ttl: plan.discovery.dnsTtlSeconds }],
        },
        // ECS reports task health to Cloud Map, so failing tasks leave DNS before they are replaced. (The
        // threshold is always 1 at AWS; it is given so that the provider never drops an empty block.)
        healthCheckCustomConfig: { failureThreshold: 1 },
        forceDestroy: true,
      },
      parent,
    );

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
        loadBalancers: [{ targetGroupArn: this.targetGroup.arn, containerName: POOL_CONTAINER_NAME, containerPort: plan.container.port }],
        serviceRegistries: { registryArn: this.discoveryService.arn },
        propagateTags: 'SERVICE',
      },
      // ECS rejects a target group no listener uses, and tasks need their execution grants to start;
      // autoscaling owns the task count after creation.
      { parent: this, dependsOn: [...this.listenerRules, executionPolicy], ignoreChanges: ['desiredCount'] },
    );

    const sc = plan.scaling;
    const scaling = serviceScaling(name, { clusterName: args.clusterName, serviceName: this.service.name }, sc, parent);
    this.scalableTarget = scaling.scalableTarget;
    const { trackingPolicy } = scaling;
    this.cpuScaling = trackingPolicy('cpu-scaling', {
      targetValue: sc.cpuTargetPercent,
      predefinedMetricSpecification: { predefinedMetricType: 'ECSServiceAverageCPUUtilization' },
    });
    if (sc.requestsPerTarget !== undefined) {
      this.requestScaling = trackingPolicy('request-scaling', {
        targetValue: sc.requestsPerTarget,
        predefinedMetricSpecification: {
          predefinedMetricType: 'ALBRequestCountPerTarget',
          resourceLabel: pulumi.interpolate`${args.loadBalancerArnSuffix}/${this.targetGroup.arnSuffix}`,
        },
      });
    }

    this.registerOutputs({
      serviceName: this.service.name,
      targetGroupArn: this.targetGroup.arn,
      securityGroupId: this.securityGroup.id,
      url: plan.url,
    });
  }

  /** What ECS needs to start a task: write its logs, read the identity secret, pull from a private ECR repository. */
  private executionStatements(identitySecretArn: pulumi.Input<string>, kmsKeyArn: pulumi.Input<string> | undefined): PolicyStatement[] {
    return [
      { Sid: 'WriteLogs', Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: [logStreamsArn(this.logGroup.arn)] },
      { Sid: 'ReadIdentitySecret', Effect: 'Allow', Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], Resource: [identitySecretArn] },
      ...(kmsKeyArn ? [{ Sid: 'DecryptIdentitySecret', Effect: 'Allow' as const, Action: ['kms:Decrypt'], Resource: [kmsKeyArn] }] : []),
      ...ecrPullStatements(this.image.ecrRepositoryArn),
    ];
  }

  private createTaskDefinition(name: string, fleetName: string, plan: PoolPlan, identitySecretArn: pulumi.Input<string>, region: pulumi.Input<string>): aws.ecs.TaskDefinition {
    const c = plan.container;
    const containerDefinitions = pulumi.jsonStringify([
      {
        name: POOL_CONTAINER_NAME,
        image: this.image.ref,
        essential: true,
        user: c.user,
        readonlyRootFilesystem: c.readonlyRootFilesystem,
        portMappings: [{ name: 'mcp', containerPort: c.port, protocol: 'tcp' }],
        stopTimeout: c.stopTimeoutSeconds,
        environment: containerEnvironment(c.environment),
        secrets: c.secrets.map((s) => ({ name: s.name, valueFrom: identitySecretArn })),
        mountPoints: scratchMountPoints(c.scratchVolumes),
        ...(c.healthCheck ? { healthCheck: containerHealthCheck(c.healthCheck) } : {}),
        logConfiguration: awsLogs(this.logGroup.name, region, plan.name),
      },
    ]);
    return new aws.ecs.TaskDefinition(
      `${name}-task`,
      {
        family: `${fleetName}-${plan.name}`,
        cpu: String(c.cpu),
        memory: String(c.memoryMiB),
        networkMode: 'awsvpc',
        requiresCompatibilities: ['FARGATE'],
        runtimePlatform: { operatingSystemFamily: 'LINUX' },
        executionRoleArn: this.executionRole.arn,
        taskRoleArn: this.taskRole.arn,
        volumes: c.scratchVolumes.map((v) => ({ name: v.name })),
        containerDefinitions,
      },
      { parent: this },
    );
  }
}
