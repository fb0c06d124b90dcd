import { Duration, Stack, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { grantQueueAccess } from '../queue-pool/access';
import { plannedQueues, queueUrlsInput } from './queues';
import { plannedPoolIdentitySecrets } from './pool-identity-secrets';
import { fleetPlanOf, renderGatewayEnvironment, type FleetPlan, type GatewayEnvInput, type GatewayPlan, type GatewayServicePlan } from '../../lib/plan';
import { GATEWAY_ENV, type FleetSpec } from '../../lib/spec';
import { addPlannedListenerRules, allowPlannedIngress, constructError, fleetLogGroup, mergeProps, planned, plannedFargateService, targetHealthCheck } from '../shared';
import { poolContainerImage } from '../tool-pool/images';
import type { McpGatewaySessionStore } from './gateway';

export interface McpGatewayServiceProps {
  /** The fleet spec (validated here); its `gateway.hosting` must be `service`. */
  readonly spec: FleetSpec;
  /**
   * The plan of `spec`, made once by the fleet that composes this part (`McpFleet` passes its own).
   * @default - planned here from `spec`
   */
  readonly plan?: FleetPlan;
  /** The fleet's cluster (its VPC is the service's). */
  readonly cluster: ecs.ICluster;
  /** HTTPS listener of the fleet's load balancer: the service adds the MCP path and health rules. */
  readonly listener: elbv2.IApplicationListener;
  readonly sessionStore: McpGatewaySessionStore;
  /** Each pool's identity secret (the HMAC key that signs caller identities for it), by pool name. */
  readonly poolIdentitySecrets: Readonly<Record<string, secretsmanager.ISecret>>;
  /** Public base URL of the fleet (RFC 9728 metadata), e.g. `https://mcp.example.com`. */
  readonly publicUrl: string;
  /**
   * The queue of each queue pool, by pool name (an `McpQueuePool`'s `queue`): the gateway may only send to them.
   * @default {} (a fleet without queue pools)
   */
  readonly queues?: Readonly<Record<string, sqs.IQueue>>;
  /**
   * Key that encrypts the service's log group.
   * @default - CloudWatch Logs' own encryption
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * The gateway image: it must run the `mcp-fleet` CLI of this package as its entry point.
   * @default - the image the plan generates from this package, built at deploy time (an image asset)
   */
  readonly image?: ecs.ContainerImage;
  /**
   * Overrides for the Fargate service. Networking, circuit breaker and the task definition are enforced.
   * @default - the plan's counts, deployment percentages and grace period
   */
  readonly serviceProps?: Partial<ecs.FargateServiceProps>;
  /**
   * Overrides for the container. Command, non-root user, read-only root filesystem, port, and the
   * planned environment and secrets (which always win over added ones) are enforced.
   * @default - the plan's stop timeout and logging
   */
  readonly containerProps?: Partial<ecs.ContainerDefinitionOptions>;
  /**
   * The open-connections gauge the service scales on (statistic Average).
   * @default - `GATEWAY_CONNECTIONS_METRIC`, which `mcp-fleet gateway --from-env` publishes
   */
  readonly connectionsPerTaskMetric?: cloudwatch.IMetric;
}

/**
 * The MCP gateway as an ECS Fargate service (`gateway.hosting: 'service'`): `mcp-fleet gateway
 * --from-env` in the private subnets behind a least-outstanding-requests target group with the deep
 * health check, scaled on CPU and on open connections per task, with a rolling deployment that rolls
 * back on failure. The secrets reach the container as ECS secrets, never in the task definition.
 */
export class McpGatewayService extends Construct {
  /** The gateway plan (environment, listener targets) of which `servicePlan` is the hosting. */
  public readonly plan: GatewayPlan;
  public readonly servicePlan: GatewayServicePlan;
  public readonly securityGroup: ec2.SecurityGroup;
  public readonly logGroup: logs.LogGroup;
  public readonly taskDefinition: ecs.FargateTaskDefinition;
  public readonly container: ecs.ContainerDefinition;
  public readonly service: ecs.FargateService;
  public readonly targetGroup: elbv2.ApplicationTargetGroup;
  public readonly listenerRules: readonly elbv2.ApplicationListenerRule[];
  public readonly scaling: ecs.ScalableTaskCount;

  constructor(scope: Construct, id: string, props: McpGatewayServiceProps) {
    super(scope, id);
    const fleet = planned(this, () => fleetPlanOf(props, this.node.path));
    this.plan = fleet.gateway;
    if (!fleet.gateway.service) throw constructError(this, `the spec's gateway.hosting is '${fleet.gateway.hosting}'; McpGatewayService needs 'service' (use McpGateway for a Lambda)`);
    const plan = fleet.gateway.service;
    this.servicePlan = plan;
    const vpc = props.cluster.vpc;
    const c = plan.container;

    // Outbound stays open: the JWKS endpoint (internet), the session store, the pools, image registries.
    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', { vpc, description: `MCP fleet ${fleet.fleet} gateway service`, allowAllOutbound: true });
    this.logGroup = fleetLogGroup(this, 'Logs', fleet.logRetentionDays, props.encryptionKey);

    this.taskDefinition = new ecs.FargateTaskDefinition(this, 'TaskDefinition', {
      family: plan.family,
      cpu: c.cpu,
      memoryLimitMiB: c.memoryMiB,
      runtimePlatform: { cpuArchitecture: ecs.CpuArchitecture.X86_64, operatingSystemFamily: ecs.OperatingSystemFamily.LINUX },
      volumes: c.scratchVolumes.map((v) => ({ name: v.name })),
    });
    const queues = plannedQueues(this, fleet, props.queues);
    const environment = renderGatewayEnvironment(
      c,
      { region: Stack.of(this).region, sessionStoreHost: props.sessionStore.host, publicUrl: props.publicUrl, ...queueUrlsInput(queues) },
      this.node.path,
    );
    const secrets = this.containerSecrets(props, new Map(plannedPoolIdentitySecrets(this, fleet, props.poolIdentitySecrets)));
    const containerOptions = mergeProps<ecs.ContainerDefinitionOptions>(
      { stopTimeout: Duration.seconds(c.stopTimeoutSeconds), logging: ecs.LogDrivers.awsLogs({ streamPrefix: c.logStreamPrefix, logGroup: this.logGroup }) },
      props.containerProps,
      {
        image: props.image ?? poolContainerImage(this, plan.image),
        command: [...c.command],
        portMappings: [{ containerPort: c.port, name: 'mcp' }],
        user: c.user,
        readonlyRootFilesystem: c.readonlyRootFilesystem,
        environment: { ...props.containerProps?.environment, ...environment },
        secrets: { ...props.containerProps?.secrets, ...secrets },
      },
    );
    assertDrainingFitsStop(this, plan.targetGroup.deregistrationDelaySeconds, containerOptions.stopTimeout);
    this.container = this.taskDefinition.addContainer(c.name, containerOptions);
    this.container.addMountPoints(...c.scratchVolumes.map((v) => ({ sourceVolume: v.name, containerPath: v.containerPath, readOnly: false })));
    grantQueueAccess(
      this,
      this.taskDefinition.taskRole,
      'send',
      queues.map(([, q]) => q),
    );

    this.service = plannedFargateService(this, plan.service, {
      cluster: props.cluster,
      taskDefinition: this.taskDefinition,
      securityGroup: this.securityGroup,
      userProps: props.serviceProps,
      defaults: { serviceName: plan.serviceName },
    });

    const tg = plan.targetGroup;
    this.targetGroup = new elbv2.ApplicationTargetGroup(this, 'TargetGroup', {
      vpc,
      targetGroupName: tg.name,
      port: tg.port,
      protocol: elbv2.ApplicationProtocol.HTTP,
      targetType: elbv2.TargetType.IP,
      loadBalancingAlgorithmType: elbv2.TargetGroupLoadBalancingAlgorithmType.LEAST_OUTSTANDING_REQUESTS,
      deregistrationDelay: Duration.seconds(tg.deregistrationDelaySeconds),
      healthCheck: targetHealthCheck(tg.healthCheck),
    });
    this.targetGroup.addTarget(this.service.loadBalancerTarget({ containerName: c.name, containerPort: c.port }));
    this.listenerRules = addPlannedListenerRules(
      this,
      props.listener,
      fleet.listener.rules.filter((r) => r.target.kind === 'gateway'),
      this.targetGroup,
    );
    allowPlannedIngress(this.securityGroup, fleet.ingress, { kind: 'gateway' }, { loadBalancer: props.listener });

    this.scaling = this.addScaling(props.connectionsPerTaskMetric ?? defaultConnectionsMetric(plan, fleet.fleet));
    this.acknowledgeFindings(props.image === undefined);
  }

  /** The planned secrets as ECS secrets: ECS reads them at task start with the execution role. */
  private containerSecrets(props: McpGatewayServiceProps, poolSecrets: ReadonlyMap<string, secretsmanager.ISecret>): Record<string, ecs.Secret> {
    const apiKeys = props.spec.auth?.apiKeys;
    const sources: Partial<Record<GatewayEnvInput, secretsmanager.ISecret>> = {
      sessionStoreAuthSecretArn: props.sessionStore.authSecret,
      ...(apiKeys ? { apiKeysSecretArn: secretsmanager.Secret.fromSecretNameV2(this, 'ApiKeys', apiKeys.secretName) } : {}),
    };
    return Object.fromEntries(
      this.servicePlan.container.secrets.map((s) => {
        const source = s.pool !== undefined ? poolSecrets.get(s.pool) : sources[s.input];
        if (!source) throw constructError(this, `the plan asks for secret ${s.input}, which the props do not provide`);
        return [s.name, ecs.Secret.fromSecretsManager(source)];
      }),
    );
  }

  private addScaling(connections: cloudwatch.IMetric): ecs.ScalableTaskCount {
    const sc = this.servicePlan.scaling;
    const statistic = connections.toMetricConfig().metricStat?.statistic;
    if (statistic !== 'Average') throw constructError(this, `connectionsPerTaskMetric must use the Average statistic (a per-task mean), not ${statistic ?? 'a math expression'}`);
    const cooldowns = { scaleInCooldown: Duration.seconds(sc.scaleInCooldownSeconds), scaleOutCooldown: Duration.seconds(sc.scaleOutCooldownSeconds) };
    const scaling = this.service.autoScaleTaskCount({ minCapacity: sc.minCapacity, maxCapacity: sc.maxCapacity });
    scaling.scaleOnCpuUtilization('Cpu', { targetUtilizationPercent: sc.cpuTargetPercent, ...cooldowns });
    scaling.scaleToTrackCustomMetric('ConnectionsPerTask', { metric: connections, targetValue: sc.connectionsPerTask, ...cooldowns });
    return scaling;
  }

  private acknowledgeFindings(imageAsset: boolean): void {
    Validations.of(this.taskDefinition).acknowledge(
      {
        id: 'AwsSolutions-ECS2',
        reason: `The environment holds only non-secret gateway settings (spec, pool URLs, region, store URL, public URL); the store password, identity key and API keys come from Secrets Manager as ECS secrets (${GATEWAY_ENV.redisAuthToken} and the others).`,
      },
      {
        id: 'NIST.800.53.R5-IAMNoInlinePolicy',
        reason: "The execution role policy CDK attaches holds exactly this task's grants (its log group, its secrets and their key, its image); a managed policy would invite reuse.",
      },
    );
    if (imageAsset) {
      Validations.of(this.taskDefinition).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: 'ecr:GetAuthorizationToken, which pulling the image asset needs, has no resource-level permissions: AWS requires "*".',
      });
    }
  }
}

/** The gauge `mcp-fleet gateway --from-env` publishes (`GATEWAY_CONNECTIONS_METRIC`). */
function defaultConnectionsMetric(plan: GatewayServicePlan, fleet: string): cloudwatch.IMetric {
  const m = plan.connectionsMetric;
  return new cloudwatch.Metric({ namespace: m.namespace, metricName: m.metricName, dimensionsMap: { [m.fleetDimension]: fleet }, statistic: m.statistic, period: Duration.seconds(m.periodSeconds) });
}

/** The load balancer must finish draining a task before ECS kills it (overrides may change the stop timeout). */
function assertDrainingFitsStop(scope: Construct, drainSeconds: number, stopTimeout: Duration | undefined): void {
  // ECS's default stop timeout is 30 s.
  const stop = stopTimeout?.toSeconds() ?? 30;
  if (drainSeconds > stop)
    throw constructError(
      scope,
      `target group deregistration delay (${drainSeconds} s) exceeds the container stop timeout (${stop} s): ECS would kill tasks while the load balancer still drains their streams`,
    );
}
