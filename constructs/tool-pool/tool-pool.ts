import { Duration, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as servicediscovery from 'aws-cdk-lib/aws-servicediscovery';
import { Construct } from 'constructs';
import { fleetPlanOf, type PoolPlan, type FleetPlan } from '../../lib/plan';
import { DEFAULTS, type FleetSpec } from '../../lib/spec';
import { addPlannedListenerRules, allowPlannedIngress, constructError, fleetLogGroup, mergeProps, planned, plannedFargateService, targetHealthCheck } from '../shared';
import { grantImagePull } from './images';
import { serverContainerOptions } from './server-container';

export interface McpToolPoolProps {
  /** The fleet spec (validated here). */
  readonly spec: FleetSpec;
  /**
   * The plan of `spec`, made once by the fleet that composes this part (`McpFleet` passes its own).
   * @default - planned here from `spec`
   */
  readonly plan?: FleetPlan;
  /** Name of the pool in `spec.pools`. */
  readonly pool: string;
  readonly cluster: ecs.ICluster;
  /** Private DNS namespace in which the pool registers its task IPs (`<pool>.<namespace>`). */
  readonly namespace: servicediscovery.IPrivateDnsNamespace;
  /** HTTPS listener of the fleet's load balancer: the pool adds its planned rules to it. */
  readonly listener: elbv2.IApplicationListener;
  /**
   * Secret holding this pool's own identity HMAC key (and no other pool's), given to the container
   * as `POOL_ENV.identityKey`; the execution role may read only it.
   */
  readonly identitySecret: secretsmanager.ISecret;
  /**
   * Security group of the gateway, admitted on the pool port.
   * @default - only the load balancer; call `allowFrom(gateway)` later
   */
  readonly gatewaySecurityGroup?: ec2.ISecurityGroup;
  /**
   * Key that encrypts the pool's log group.
   * @default - CloudWatch Logs' own encryption
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * Overrides for the Fargate service. Networking, circuit breaker and Cloud Map are enforced.
   * @default - the plan's counts, deployment percentages and grace period
   */
  readonly serviceProps?: Partial<ecs.FargateServiceProps>;
  /**
   * Overrides for the container. Non-root user, read-only root filesystem and port are enforced;
   * `environment` and `secrets` add to the plan's, whose `POOL_ENV` variables always win.
   * @default - the plan's image, environment, identity secret and stop timeout
   */
  readonly containerProps?: Partial<ecs.ContainerDefinitionOptions>;
  /**
   * Overrides for the target group. Protocol, port, target type and VPC are enforced.
   * @default - the plan's algorithm, deregistration delay, health check and stickiness
   */
  readonly targetGroupProps?: Partial<elbv2.ApplicationTargetGroupProps>;
}

/**
 * One pool of MCP servers: a Fargate service behind an ALB target group, registered in Cloud Map,
 * scaled on CPU (and on requests per target when the ALB routes to it), reachable only from the load
 * balancer and the gateway.
 */
export class McpToolPool extends Construct {
  public readonly plan: PoolPlan;
  public readonly securityGroup: ec2.SecurityGroup;
  public readonly logGroup: logs.LogGroup;
  public readonly taskDefinition: ecs.FargateTaskDefinition;
  public readonly container: ecs.ContainerDefinition;
  public readonly service: ecs.FargateService;
  public readonly targetGroup: elbv2.ApplicationTargetGroup;
  public readonly listenerRules: readonly elbv2.ApplicationListenerRule[];
  public readonly scaling: ecs.ScalableTaskCount;

  constructor(scope: Construct, id: string, props: McpToolPoolProps) {
    super(scope, id);
    const fleet = planned(this, () => fleetPlanOf(props, this.node.path));
    const plan = fleet.pools.find((p) => p.name === props.pool);
    if (!plan) throw constructError(this, `pool "${props.pool}" is not in the spec (pools: ${fleet.pools.map((p) => p.name).join(', ')})`);
    this.plan = plan;
    const vpc = props.cluster.vpc;

    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', { vpc, description: `MCP pool ${plan.name} of fleet ${fleet.fleet}`, allowAllOutbound: true });
    this.logGroup = fleetLogGroup(this, 'Logs', fleet.logRetentionDays, props.encryptionKey);

    const c = plan.container;
    this.taskDefinition = new ecs.FargateTaskDefinition(this, 'TaskDefinition', {
      cpu: c.cpu,
      memoryLimitMiB: c.memoryMiB,
      volumes: c.scratchVolumes.map((v) => ({ name: v.name })),
    });
    const containerOptions = serverContainerOptions(this, c, {
      identitySecret: props.identitySecret,
      logGroup: this.logGroup,
      streamPrefix: plan.name,
      ...(props.containerProps ? { userProps: props.containerProps } : {}),
      portMappings: [{ containerPort: c.port, name: 'mcp' }],
    });
    const targetGroupProps = mergeProps<elbv2.ApplicationTargetGroupProps>(
      {
        targetGroupName: plan.targetGroup.name,
        loadBalancingAlgorithmType: elbv2.TargetGroupLoadBalancingAlgorithmType.LEAST_OUTSTANDING_REQUESTS,
        deregistrationDelay: Duration.seconds(plan.targetGroup.deregistrationDelaySeconds),
        healthCheck: targetHealthCheck(plan.targetGroup.healthCheck),
        ...(plan.targetGroup.stickiness ? { stickinessCookieDuration: Duration.seconds(plan.targetGroup.stickiness.durationSeconds) } : {}),
      },
      props.targetGroupProps,
      { vpc, port: plan.targetGroup.port, protocol: elbv2.ApplicationProtocol.HTTP, targetType: elbv2.TargetType.IP },
    );
    assertDrainingFitsStop(this.node.path, targetGroupProps.deregistrationDelay, containerOptions.stopTimeout);

    this.container = this.taskDefinition.addContainer('Server', containerOptions);
    this.container.addMountPoints(...c.scratchVolumes.map((v) => ({ sourceVolume: v.name, containerPath: v.containerPath, readOnly: false })));
    Validations.of(this.taskDefinition).acknowledge(
      {
        id: 'AwsSolutions-ECS2',
        reason: 'The environment holds only non-secret pool settings (fleet, pool, port, paths, user variables from the spec); the identity key comes from Secrets Manager as an ECS secret.',
      },
      {
        id: 'NIST.800.53.R5-IAMNoInlinePolicy',
        reason: "The execution role policy CDK attaches holds exactly this task's grants (its log group, the identity secret and key); a managed policy would invite reuse.",
      },
    );
    grantImagePull(this, this.taskDefinition, c.image);

    this.service = plannedFargateService(this, plan.service, {
      cluster: props.cluster,
      taskDefinition: this.taskDefinition,
      securityGroup: this.securityGroup,
      userProps: props.serviceProps,
      enforced: {
        cloudMapOptions: {
          cloudMapNamespace: props.namespace,
          name: plan.discovery.serviceName,
          dnsRecordType: servicediscovery.DnsRecordType.A,
          dnsTtl: Duration.seconds(plan.discovery.dnsTtlSeconds),
        },
      },
    });

    // Before the target is attached: its automatic load balancer rule would otherwise take the place of the planned one.
    allowPlannedIngress(
      this.securityGroup,
      fleet.ingress,
      { kind: 'pool', pool: plan.name },
      { loadBalancer: props.listener, ...(props.gatewaySecurityGroup ? { gateway: props.gatewaySecurityGroup } : {}) },
    );
    this.targetGroup = new elbv2.ApplicationTargetGroup(this, 'TargetGroup', targetGroupProps);
    this.targetGroup.addTarget(this.service.loadBalancerTarget({ containerName: this.container.containerName, containerPort: c.port }));
    const rules = fleet.listener.rules.filter((r) => r.target.kind === 'pool' && r.target.pool === plan.name);
    this.listenerRules = addPlannedListenerRules(this, props.listener, rules, this.targetGroup);

    const scaling = plan.scaling;
    const cooldowns = { scaleInCooldown: Duration.seconds(scaling.scaleInCooldownSeconds), scaleOutCooldown: Duration.seconds(scaling.scaleOutCooldownSeconds) };
    this.scaling = this.service.autoScaleTaskCount({ minCapacity: scaling.minCapacity, maxCapacity: scaling.maxCapacity });
    this.scaling.scaleOnCpuUtilization('Cpu', { targetUtilizationPercent: scaling.cpuTargetPercent, ...cooldowns });
    if (scaling.requestsPerTarget !== undefined) {
      this.scaling.scaleOnRequestCount('Requests', { requestsPerTarget: scaling.requestsPerTarget, targetGroup: this.targetGroup, ...cooldowns });
    }
  }

  /** Admits `peer` (the gateway, a load balancer) on the pool port. */
  public allowFrom(peer: ec2.IConnectable, description: string): void {
    this.securityGroup.connections.allowFrom(peer, ec2.Port.tcp(this.plan.container.port), `${description} to MCP pool ${this.plan.name}`);
  }
}

/**
 * The load balancer must finish draining a task (in-flight calls, SSE streams) before ECS kills it,
 * and Fargate caps the stop timeout.
 */
function assertDrainingFitsStop(path: string, deregistrationDelay: Duration | undefined, stopTimeout: Duration | undefined): void {
  const drain = deregistrationDelay?.toSeconds() ?? 300;
  const stop = stopTimeout?.toSeconds() ?? 30;
  if (stop > DEFAULTS.maxStopTimeoutSeconds) throw constructError(path, `container stop timeout (${stop} s) exceeds the Fargate maximum of ${DEFAULTS.maxStopTimeoutSeconds} s`);
  if (drain > stop)
    throw constructError(
      path,
      `target group deregistration delay (${drain} s) exceeds the container stop timeout (${stop} s): ECS would kill tasks while the load balancer still drains their requests and SSE streams`,
    );
}
