/**
 * McpGatewayService: the MCP gateway as an ECS Fargate service (`gateway.hosting: 'service'`) —
 * `mcp-fleet gateway --from-env` in the private subnets behind a least-outstanding-requests target
 * group with the deep health check, scaled on CPU and on open connections per task, with a rolling
 * deployment that rolls back on failure. Secrets reach the container as ECS secrets (the execution
 * role reads exactly the planned ones); the task definition holds none. No Lambda resources.
 *
 * Its security group admits nobody by itself: `McpFleet` connects the load balancer (used alone:
 * `allowTcp(name, loadBalancer.peer, gateway.peer, port, description)`).
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { fleetPlanOf, renderGatewayEnvironment, type FleetPlan, type GatewayEnvInput, type GatewayPlan, type GatewaySecretEnvPlan, type GatewayServicePlan } from '../lib/plan';
import type { FleetSpec } from '../lib/spec';
import { awsLogs, containerEnvironment, scratchMountPoints } from './container';
import { assumeRolePolicy, ecrPullStatements, logStreamsArn, policyDocument, type PolicyStatement } from './iam';
import { createListenerRules } from './listener-rules';
import { fleetLogGroup } from './log-group';
import { givenOrRenderedImage, type RenderedPoolImage } from './pool-image';
import { plannedQueues, queueStatements, queueUrlsInput, type McpQueueRef } from './queue-access';
import { gatewayIdentitySecrets, poolIdentitySecretArns } from './secrets';
import { serviceScaling } from './service-scaling';
import { allowAllOutbound, emptySecurityGroup, type SecurityGroupEnd } from './security';
import { McpComponentError, plannedFor } from './errors';

export interface McpGatewayServiceArgs {
  /** The fleet spec (validated when the component is constructed); its `gateway.hosting` must be `service`. */
  readonly spec: FleetSpec;
  /**
   * The plan of `spec`, made once by the fleet that composes this part (`McpFleet` passes its own).
   * @default - planned here from `spec`
   */
  readonly plan?: FleetPlan;
  readonly vpcId: pulumi.Input<string>;
  /** Private subnets (with NAT) for the tasks. */
  readonly privateSubnetIds: pulumi.Input<pulumi.Input<string>[]>;
  readonly clusterArn: pulumi.Input<string>;
  readonly clusterName: pulumi.Input<string>;
  /** HTTPS listener that receives the gateway's rules. */
  readonly listenerArn: pulumi.Input<string>;
  /** Host name of the session store (TLS). */
  readonly sessionStoreHost: pulumi.Input<string>;
  /** Secret holding the session store password. */
  readonly sessionStoreAuthSecretArn: pulumi.Input<string>;
  /** Public base URL of the fleet, e.g. `https://mcp.example.com` (RFC 9728 metadata). */
  readonly publicUrl: pulumi.Input<string>;
  /**
   * An image to run instead of building one: a registry reference, or the same image built by another
   * component (`McpFleet` gives its queue pools' worker image); its entry point must be this package's `mcp-fleet` CLI.
   * @default - the image the plan generates from this package, built by `@pulumi/docker-build` at
   * `pulumi up` and pushed to an ECR repository of the gateway (as a stdio pool's)
   */
  readonly image?: string | RenderedPoolImage;
  /**
   * KMS key (ARN) that encrypts the log group and the identity secret, and that the tasks may decrypt
   * secrets with (pass the key of the session store secret).
   * @default - AWS managed keys
   */
  readonly kmsKeyArn?: pulumi.Input<string>;
  /**
   * Version of the generated identity-signing key; raise it to rotate the key.
   * @default 1
   */
  readonly identityKeyVersion?: number;
  /**
   * Each pool's identity secret, by pool name (every pool of the spec), when another component made them
   * (`McpFleet` does, before its queue pools).
   * @default - one generated here per pool of the spec
   */
  readonly identitySecrets?: Readonly<Record<string, aws.secretsmanager.Secret>>;
  /**
   * The open-connections gauge the service scales on (statistic Average).
   * @default - `GATEWAY_CONNECTIONS_METRIC` with dimension {Fleet}, which `mcp-fleet gateway --from-env` publishes
   */
  readonly connectionsPerTaskMetric?: { readonly namespace: string; readonly metricName: string; readonly statistic: 'Average'; readonly dimensions?: Readonly<Record<string, pulumi.Input<string>>> };
  /**
   * The queue of every queue pool of the spec, by pool name (an `McpQueuePool`'s `queue`): the gateway
   * gets their URLs and its task role may only send to them.
   * @default {} - required when the spec has queue pools
   */
  readonly queues?: Readonly<Record<string, McpQueueRef>>;
}

const TYPE = 'mcp-fleet:index:McpGatewayService';

export class McpGatewayService extends pulumi.ComponentResource {
  /** The gateway plan (environment, listener targets) of which `servicePlan` is the hosting. */
  public readonly plan: GatewayPlan;
  public readonly servicePlan: GatewayServicePlan;
  public readonly securityGroup: aws.ec2.SecurityGroup;
  /** Each pool's HMAC key, by pool name: the gateway signs caller identities with it, that pool alone verifies them. */
  public readonly identitySecrets: Readonly<Record<string, aws.secretsmanager.Secret>>;
  public readonly logGroup: aws.cloudwatch.LogGroup;
  public readonly executionRole: aws.iam.Role;
  /** Role of the running gateway (it calls no AWS API itself). */
  public readonly taskRole: aws.iam.Role;
  /** The image the tasks run (when built: its ECR repository and the build). */
  public readonly image: RenderedPoolImage;
  public readonly taskDefinition: aws.ecs.TaskDefinition;
  public readonly targetGroup: aws.lb.TargetGroup;
  public readonly listenerRules: aws.lb.ListenerRule[];
  public readonly service: aws.ecs.Service;
  public readonly scalableTarget: aws.appautoscaling.Target;
  public readonly cpuScaling: aws.appautoscaling.Policy;
  public readonly connectionScaling: aws.appautoscaling.Policy;
  /** The gateway's security group as a peer for `allowTcp`. */
  public readonly peer: SecurityGroupEnd;

  constructor(name: string, args: McpGatewayServiceArgs, opts?: pulumi.ComponentResourceOptions) {
    const where = `McpGatewayService ${name}`;
    const fleet = plannedFor(where, () => fleetPlanOf(args, where));
    const servicePlan = fleet.gateway.service;
    if (!servicePlan) throw new McpComponentError(where, `the spec's gateway.hosting is '${fleet.gateway.hosting}'; McpGatewayService needs 'service' (use McpGateway for a Lambda)`);
    const metric = args.connectionsPerTaskMetric;
    if (metric && metric.statistic !== 'Average')
      throw new McpComponentError(where, `the connections-per-task metric must use the Average statistic (a per-task mean), not ${String(metric.statistic)}`);
    const queues = plannedQueues(where, fleet, args.queues);
    super(TYPE, name, {}, opts);
    this.plan = fleet.gateway;
    this.servicePlan = servicePlan;
    const parent = { parent: this };
    const c = servicePlan.container;

    this.securityGroup = emptySecurityGroup(`${name}-sg`, `MCP fleet ${fleet.fleet} gateway service`, args.vpcId, this);
    this.peer = { owner: this, securityGroupId: this.securityGroup.id, allowsAllOutbound: true };
    allowAllOutbound(`${name}-out`, this.peer, 'gateway to the JWKS endpoint, the session store, the pools and image registries');
    this.identitySecrets = gatewayIdentitySecrets(where, name, fleet, args, this);
    this.image = givenOrRenderedImage(name, 'gateway', servicePlan.image, args.image, this);

    const region = aws.getRegionOutput({}, parent).region;
    const identity = aws.getCallerIdentityOutput({}, parent);
    const partition = aws.getPartitionOutput({}, parent).partition;
    const apiKeys = args.spec.auth?.apiKeys?.secretName;
    const secretArns: Partial<Record<GatewayEnvInput, pulumi.Input<string>>> = {
      sessionStoreAuthSecretArn: args.sessionStoreAuthSecretArn,
      // Referenced by name: ECS resolves the partial ARN, IAM matches the random suffix.
      ...(apiKeys ? { apiKeysSecretArn: pulumi.interpolate`arn:${partition}:secretsmanager:${region}:${identity.accountId}:secret:${apiKeys}` } : {}),
    };

    this.logGroup = fleetLogGroup(`${name}-logs`, { retentionDays: fleet.logRetentionDays, ...(args.kmsKeyArn ? { kmsKeyArn: args.kmsKeyArn } : {}) }, this);
    this.executionRole = new aws.iam.Role(`${name}-execution`, { assumeRolePolicy: assumeRolePolicy('ecs-tasks.amazonaws.com') }, parent);
    const executionPolicy = new aws.iam.RolePolicy(`${name}-execution`, { role: this.executionRole.id, policy: policyDocument(this.executionStatements(secretArns, args.kmsKeyArn)) }, parent);
    this.taskRole = new aws.iam.Role(`${name}-task`, { assumeRolePolicy: assumeRolePolicy('ecs-tasks.amazonaws.com') }, parent);
    // The only AWS API the gateway calls itself: sending queue pools' jobs.
    const send = queueStatements(
      'send',
      queues.map(([, q]) => q),
      args.kmsKeyArn,
      region,
    );
    const taskPolicy = send.length > 0 ? new aws.iam.RolePolicy(`${name}-task`, { role: this.taskRole.id, policy: policyDocument(send) }, parent) : undefined;
    this.taskDefinition = this.createTaskDefinition(name, args, secretArns, region, queueUrlsInput(queues));

    const tg = servicePlan.targetGroup;
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
        stickiness: { enabled: false, type: 'lb_cookie' },
      },
      parent,
    );
    this.listenerRules = createListenerRules(
      name,
      fleet.listener.rules.filter((r) => r.target.kind === 'gateway'),
      args.listenerArn,
      this.targetGroup.arn,
      this,
    );

    const svc = servicePlan.service;
    this.service = new aws.ecs.Service(
      `${name}-service`,
      {
        name: servicePlan.serviceName,
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
        loadBalancers: [{ targetGroupArn: this.targetGroup.arn, containerName: c.name, containerPort: c.port }],
        propagateTags: 'SERVICE',
      },
      // ECS rejects a target group no listener uses, and tasks need their execution grants to start;
      // autoscaling owns the task count after creation.
      { parent: this, dependsOn: [...this.listenerRules, executionPolicy, ...(taskPolicy ? [taskPolicy] : [])], ignoreChanges: ['desiredCount'] },
    );

    const sc = servicePlan.scaling;
    const scaling = serviceScaling(name, { clusterName: args.clusterName, serviceName: this.service.name }, sc, parent);
    this.scalableTarget = scaling.scalableTarget;
    const { trackingPolicy } = scaling;
    this.cpuScaling = trackingPolicy('cpu-scaling', { targetValue: sc.cpuTargetPercent, predefinedMetricSpecification: { predefinedMetricType: 'ECSServiceAverageCPUUtilization' } });
    const m = servicePlan.connectionsMetric;
    const gauge = metric ?? { namespace: m.namespace, metricName: m.metricName, statistic: m.statistic, dimensions: { [m.fleetDimension]: fleet.fleet } };
    this.connectionScaling = trackingPolicy('connection-scaling', {
      targetValue: sc.connectionsPerTask,
      customizedMetricSpecification: {
        namespace: gauge.namespace,
        metricName: gauge.metricName,
        statistic: gauge.statistic,
        dimensions: Object.entries(gauge.dimensions ?? {}).map(([dimension, value]) => ({ name: dimension, value })),
      },
    });

    this.registerOutputs({ serviceName: this.service.name, targetGroupArn: this.targetGroup.arn, identitySecretArns: poolIdentitySecretArns(this.identitySecrets) });
  }

  /** The ARN of a planned container secret: a pool's identity secret, or the one its input names. */
  private valueFrom(s: GatewaySecretEnvPlan, secretArns: Partial<Record<GatewayEnvInput, pulumi.Input<string>>>): pulumi.Input<string> {
    return s.pool !== undefined ? this.identitySecrets[s.pool]!.arn : secretArns[s.input]!;
  }

  /** What ECS needs to start a task: write its logs, read the planned secrets (and decrypt them), pull a private ECR image. */
  private executionStatements(secretArns: Partial<Record<GatewayEnvInput, pulumi.Input<string>>>, kmsKeyArn: pulumi.Input<string> | undefined): PolicyStatement[] {
    const secrets = this.servicePlan.container.secrets.map((s) => (s.input === 'apiKeysSecretArn' ? pulumi.interpolate`${secretArns[s.input]!}-??????` : pulumi.output(this.valueFrom(s, secretArns))));
    return [
      { Sid: 'WriteLogs', Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: [logStreamsArn(this.logGroup.arn)] },
      { Sid: 'ReadSecrets', Effect: 'Allow', Action: ['secretsmanager:GetSecretValue'], Resource: secrets },
      ...(kmsKeyArn ? [{ Sid: 'DecryptSecrets', Effect: 'Allow' as const, Action: ['kms:Decrypt'], Resource: [kmsKeyArn] }] : []),
      ...ecrPullStatements(this.image.ecrRepositoryArn),
    ];
  }

  private createTaskDefinition(
    name: string,
    args: McpGatewayServiceArgs,
    secretArns: Partial<Record<GatewayEnvInput, pulumi.Input<string>>>,
    region: pulumi.Input<string>,
    queueUrls: pulumi.Output<string> | undefined,
  ): aws.ecs.TaskDefinition {
    const plan = this.servicePlan;
    const c = plan.container;
    const environment = pulumi
      .all({ region, sessionStoreHost: args.sessionStoreHost, publicUrl: args.publicUrl, ...(queueUrls ? { queueUrls } : {}) })
      .apply((values) => renderGatewayEnvironment(c, values, `McpGatewayService ${name}`));
    const containerDefinitions = pulumi.jsonStringify([
      {
        name: c.name,
        image: this.image.ref,
        essential: true,
        command: [...c.command],
        user: c.user,
        readonlyRootFilesystem: c.readonlyRootFilesystem,
        portMappings: [{ name: 'mcp', containerPort: c.port, protocol: 'tcp' }],
        stopTimeout: c.stopTimeoutSeconds,
        environment: environment.apply(containerEnvironment),
        secrets: c.secrets.map((s) => ({ name: s.name, valueFrom: this.valueFrom(s, secretArns) })),
        mountPoints: scratchMountPoints(c.scratchVolumes),
        logConfiguration: awsLogs(this.logGroup.name, region, c.logStreamPrefix),
      },
    ]);
    return new aws.ecs.TaskDefinition(
      `${name}-task`,
      {
        family: plan.family,
        cpu: String(c.cpu),
        memory: String(c.memoryMiB),
        networkMode: 'awsvpc',
        requiresCompatibilities: ['FARGATE'],
        runtimePlatform: { operatingSystemFamily: 'LINUX', cpuArchitecture: 'X86_64' },
        executionRoleArn: this.executionRole.arn,
        taskRoleArn: this.taskRole.arn,
        volumes: c.scratchVolumes.map((v) => ({ name: v.name })),
        containerDefinitions,
      },
      { parent: this },
    );
  }
}
