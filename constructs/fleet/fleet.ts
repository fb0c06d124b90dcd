import { Annotations, Duration } from 'aws-cdk-lib';
import type * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { planFleet, POOL_CONNECTIONS_METRIC, type FleetPlan } from '../../lib/plan';
import type { FleetSpec } from '../../lib/spec';
import { McpFirewall } from '../firewall';
import { McpGateway, McpGatewayService, type McpGatewayProps, type McpGatewayServiceProps } from '../gateway';
import { McpLoadBalancer, type McpFleetDomain, type McpLoadBalancerProps } from '../load-balancer';
import { addConnectionScaling, McpFleetMonitoring, type McpFleetMonitoringProps } from '../monitoring';
import { McpNetwork, type McpNetworkProps } from '../network';
import { McpSessionStore, type McpSessionStoreProps } from '../session-store';
import { allowPlannedIngress, concreteRegion, constructError, planned } from '../shared';
import { McpQueuePool, type McpQueuePoolProps } from '../queue-pool';
import { McpToolPool, type McpToolPoolProps } from '../tool-pool';
import { fleetKey } from './fleet-key';
import { McpIdentitySecret } from './identity-secret';

/** Overrides for one pool's resources. */
export type McpPoolOverrides = Pick<McpToolPoolProps, 'serviceProps' | 'containerProps' | 'targetGroupProps'>;
/** Overrides for one queue pool's resources. */
export type McpQueuePoolOverrides = Pick<McpQueuePoolProps, 'serviceProps' | 'containerProps' | 'workerImage'>;

export interface McpFleetProps {
  /** The fleet spec: pools, auth, rate limits, session store, gateway (validated here). */
  readonly spec: FleetSpec;
  /**
   * ARN of an ACM certificate for the HTTPS listener.
   * @default - `certificate`, or a DNS-validated certificate for `domain`
   */
  readonly certificateArn?: string;
  /**
   * The HTTPS listener certificate.
   * @default - from `certificateArn`, or a DNS-validated certificate for `domain`
   */
  readonly certificate?: acm.ICertificate;
  /**
   * Public DNS name of the fleet (alias record; certificate if none is given).
   * @default - clients use the load balancer's DNS name
   */
  readonly domain?: McpFleetDomain;
  /**
   * Bring your own VPC (private subnets with egress in two zones or more).
   * @default - a new VPC
   */
  readonly vpc?: ec2.IVpc;
  /**
   * Refuse deletion of the load balancer.
   * @default true
   */
  readonly deletionProtection?: boolean;
  /**
   * Customer managed key for logs, secrets and the session store.
   * @default - a new key with yearly rotation
   */
  readonly encryptionKey?: kms.IKey;
  /** @default - no overrides */
  readonly network?: Pick<McpNetworkProps, 'vpcProps' | 'clusterProps'>;
  /** @default - no overrides */
  readonly loadBalancer?: Pick<McpLoadBalancerProps, 'accessLogsBucket' | 'loadBalancerProps'>;
  /** Overrides per pool name (not queue pools: `queuePools`). @default - no overrides */
  readonly pools?: Readonly<Record<string, McpPoolOverrides>>;
  /**
   * Overrides per queue pool name, e.g. a registry `workerImage` where no image can be built.
   * @default - no overrides: the worker image is built from this package at deploy time
   */
  readonly queuePools?: Readonly<Record<string, McpQueuePoolOverrides>>;
  /** Overrides for the gateway Lambda (`gateway.hosting: 'lambda'`). @default - no overrides */
  readonly gateway?: Pick<McpGatewayProps, 'reservedConcurrentExecutions' | 'functionProps'>;
  /**
   * Image and overrides for the gateway service (`gateway.hosting: 'service'`).
   * @default - the image built from this package at deploy time, no overrides
   */
  readonly gatewayService?: Pick<McpGatewayServiceProps, 'image' | 'serviceProps' | 'containerProps' | 'connectionsPerTaskMetric'>;
  /** @default - no overrides */
  readonly sessionStore?: Pick<McpSessionStoreProps, 'replicationGroupProps' | 'serverlessCacheProps'>;
  /**
   * Alarm topic, tools to alarm on by name, dashboard name.
   * @default - alarms without actions, per-pool tool error alarms, `mcp-fleet-<fleet>-<region>`
   */
  readonly monitoring?: Pick<McpFleetMonitoringProps, 'alarmTopic' | 'toolNames' | 'dashboardName'>;
  /**
   * The per-task gauge a pool scales on when its spec sets `connectionsPerTask` (statistic Average).
   * @default - `OpenConnections` in namespace `McpFleet` with dimensions {Fleet, Pool}, which the
   * example pool servers publish (`lib/plan/pool-metrics.ts`)
   */
  readonly connectionsPerTaskMetric?: (pool: string) => cloudwatch.IMetric;
}

/**
 * A production MCP fleet from one spec: network and cluster, TLS 1.3 load balancer with MCP-aware
 * routing, one Fargate service per pool (queue pools: an SQS queue and a worker service), the gateway Lambda, the session store, WAF, and one identity
 * key per pool (the gateway holds all, each pool only its own). Every part is a public construct that can also be used alone.
 */
export class McpFleet extends Construct {
  public readonly plan: FleetPlan;
  public readonly encryptionKey: kms.IKey;
  public readonly network: McpNetwork;
  public readonly loadBalancer: McpLoadBalancer;
  /** Each pool's identity secret, by pool name: the gateway reads all, a pool task only its own. */
  public readonly identitySecrets: Readonly<Record<string, McpIdentitySecret>>;
  public readonly sessionStore: McpSessionStore;
  /** The gateway: a Lambda (`McpGateway`) or a Fargate service (`McpGatewayService`), as `spec.gateway.hosting` says. */
  public readonly gateway: McpGateway | McpGatewayService;
  /** The pools that serve MCP themselves, in spec order. */
  public readonly pools: readonly McpToolPool[];
  /** The queue pools (queues and worker services), in spec order. */
  public readonly queuePools: readonly McpQueuePool[];
  public readonly firewall: McpFirewall;
  /** The fleet's dashboard and alarms. */
  public readonly monitoring: McpFleetMonitoring;

  constructor(scope: Construct, id: string, props: McpFleetProps) {
    super(scope, id);
    concreteRegion(this, 'McpFleet');
    const plan = planned(this, () => planFleet(props.spec, this.node.path));
    this.plan = plan;
    const queued = Object.keys(props.pools ?? {}).filter((name) => this.plan.queuePools.some((p) => p.name === name));
    if (queued.length > 0) throw constructError(this, `pools overrides name queue pools (${queued.join(', ')}): their overrides go in queuePools`);
    const unknownPools = Object.keys(props.pools ?? {}).filter((name) => !this.plan.pools.some((p) => p.name === name));
    if (unknownPools.length > 0) throw constructError(this, `pools overrides name pools that are not in the spec: ${unknownPools.join(', ')}`);
    const unknownQueuePools = Object.keys(props.queuePools ?? {}).filter((name) => !this.plan.queuePools.some((p) => p.name === name));
    if (unknownQueuePools.length > 0) throw constructError(this, `queuePools overrides name pools that are not queue pools of the spec: ${unknownQueuePools.join(', ')}`);
    const { spec } = props;
    if (!spec.auth?.jwt && !spec.auth?.apiKeys) {
      // Allowed (a fleet behind a private network or another proxy), but never by accident.
      Annotations.of(this).addWarningV2('mcp-fleet:no-auth', 'the spec has no auth.jwt or auth.apiKeys: anyone who reaches the load balancer can call every tool');
    }

    this.encryptionKey = props.encryptionKey ?? fleetKey(this, 'Key', this.plan.fleet);
    const encryptionKey = this.encryptionKey;
    this.network = new McpNetwork(this, 'Network', { spec, plan, ...(props.vpc ? { vpc: props.vpc } : {}), ...props.network, encryptionKey });
    const vpc = this.network.vpc;
    this.loadBalancer = new McpLoadBalancer(this, 'LoadBalancer', {
      spec,
      plan,
      vpc,
      ...(props.certificateArn ? { certificateArn: props.certificateArn } : {}),
      ...(props.certificate ? { certificate: props.certificate } : {}),
      ...(props.domain ? { domain: props.domain } : {}),
      ...(props.deletionProtection !== undefined ? { deletionProtection: props.deletionProtection } : {}),
      ...props.loadBalancer,
    });
    this.identitySecrets = Object.fromEntries(plan.spec.pools.map((p) => [p.name, new McpIdentitySecret(this, `Identity-${p.name}`, { fleet: plan.fleet, pool: p.name, encryptionKey })]));
    this.sessionStore = new McpSessionStore(this, 'SessionStore', { spec, plan, vpc, encryptionKey, ...props.sessionStore });
    // Before the gateway, which may send to their queues only.
    this.queuePools = plan.queuePools.map(
      (pool) =>
        new McpQueuePool(this, `Queue-${pool.name}`, {
          spec,
          plan,
          pool: pool.name,
          cluster: this.network.cluster,
          sessionStore: this.sessionStore,
          identitySecret: this.identitySecrets[pool.name]!.secret,
          encryptionKey,
          ...props.queuePools?.[pool.name],
        }),
    );
    this.gateway = this.createGateway(props);
    // Pools admit their peers themselves (from the plan's rules to them); the rest of the plan's rules here.
    allowPlannedIngress(
      this.sessionStore.securityGroup,
      plan.ingress,
      { kind: 'sessionStore' },
      { gateway: this.gateway.securityGroup, pools: Object.fromEntries(this.queuePools.map((q) => [q.plan.name, q.securityGroup])) },
    );
    this.pools = this.plan.pools.map(
      (pool) =>
        new McpToolPool(this, `Pool-${pool.name}`, {
          spec,
          plan,
          pool: pool.name,
          cluster: this.network.cluster,
          namespace: this.network.namespace,
          listener: this.loadBalancer.httpsListener,
          identitySecret: this.identitySecrets[pool.name]!.secret,
          gatewaySecurityGroup: this.gateway.securityGroup,
          encryptionKey,
          ...props.pools?.[pool.name],
        }),
    );
    this.firewall = new McpFirewall(this, 'Firewall', { spec, plan, loadBalancer: this.loadBalancer.loadBalancer, encryptionKey });

    const store = this.sessionStore.plan;
    this.monitoring = new McpFleetMonitoring(this, 'Monitoring', {
      spec,
      plan,
      loadBalancer: this.loadBalancer.loadBalancer,
      pools: this.pools.map((pool) => ({ name: pool.plan.name, targetGroup: pool.targetGroup, service: pool.service })),
      queuePools: this.queuePools.map((pool) => ({ name: pool.plan.name, service: pool.service, queue: pool.queue, deadLetterQueue: pool.deadLetterQueue })),
      ...(this.gateway instanceof McpGateway ? { gatewayFunction: this.gateway.function } : { gatewayService: this.gateway.service }),
      gatewayTargetGroup: this.gateway.targetGroup,
      sessionStore: store.deployment === 'replication-group' ? { replicationGroupId: store.id } : { serverlessCacheName: store.name },
      webAclMetricName: this.firewall.plan.metricName,
      ...props.monitoring,
    });
    const connectionsPerTaskMetric = props.connectionsPerTaskMetric ?? ((pool: string) => poolConnectionsMetric(this.plan.fleet, pool));
    for (const pool of this.pools) addConnectionScaling(pool.scaling, pool.plan, { connectionsPerTaskMetric: connectionsPerTaskMetric(pool.plan.name) });
  }

  /** The gateway in the hosting the spec asks for; overrides meant for the other hosting are refused. */
  private createGateway(props: McpFleetProps): McpGateway | McpGatewayService {
    const common = {
      spec: props.spec,
      plan: this.plan,
      listener: this.loadBalancer.httpsListener,
      sessionStore: this.sessionStore,
      poolIdentitySecrets: Object.fromEntries(Object.entries(this.identitySecrets).map(([pool, s]) => [pool, s.secret])),
      publicUrl: this.loadBalancer.publicUrl,
      encryptionKey: this.encryptionKey,
      queues: Object.fromEntries(this.queuePools.map((q) => [q.plan.name, q.queue])),
    };
    if (this.plan.gateway.hosting === 'service') {
      if (props.gateway) throw constructError(this, "gateway overrides are for the gateway Lambda, but the spec's gateway.hosting is 'service': use gatewayService");
      return new McpGatewayService(this, 'GatewayService', { ...common, cluster: this.network.cluster, ...props.gatewayService });
    }
    if (props.gatewayService) throw constructError(this, "gatewayService is for gateway.hosting 'service', but the spec's gateway runs as a Lambda");
    return new McpGateway(this, 'Gateway', { ...common, vpc: this.network.vpc, ...props.gateway });
  }
}

/** The gauge the pool servers publish about themselves (see `POOL_CONNECTIONS_METRIC`). */
function poolConnectionsMetric(fleet: string, pool: string): cloudwatch.IMetric {
  const m = POOL_CONNECTIONS_METRIC;
  return new cloudwatch.Metric({
    namespace: m.namespace,
    metricName: m.metricName,
    dimensionsMap: { [m.fleetDimension]: fleet, [m.poolDimension]: pool },
    statistic: m.statistic,
    period: Duration.seconds(m.periodSeconds),
  });
}
