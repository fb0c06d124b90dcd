/**
 * McpFleet: a whole MCP fleet from one spec — network, load balancer, session store, gateway, one
 * tool pool per spec pool and the firewall — wired together by the plan's ingress rules.
 */
import type * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { planFleet, POOL_CONNECTIONS_METRIC, type FleetPlan, type TrafficPeer } from '../lib/plan';
import type { FleetSpec } from '../lib/spec';
import { fleetEncryptionKey } from './encryption-key';
import { McpFirewall } from './firewall';
import { assertReservedConcurrency, McpGateway } from './gateway';
import { McpGatewayService } from './gateway-service';
import { addConnectionScaling, type ConnectionScalingOptions } from './connection-scaling';
import { McpLoadBalancer } from './load-balancer';
import { fleetMonitoringArgs, McpFleetMonitoring, type McpFleetMonitoringArgs } from './monitoring';
import { McpNetwork, type McpVpcInput } from './network';
import { allowTcp, type SecurityGroupEnd } from './security';
import { McpSessionStore } from './session-store';
import type { RenderedPoolImage } from './pool-image';
import { McpQueuePool } from './queue-pool';
import { poolIdentitySecrets } from './secrets';
import { McpToolPool } from './tool-pool';
import { McpComponentError, plannedFor } from './errors';

export interface McpFleetArgs {
  /** The fleet spec; validated synchronously, every problem listed with its path. */
  readonly spec: FleetSpec;
  /** ARN of the ACM certificate for the HTTPS listener. */
  readonly certificateArn: pulumi.Input<string>;
  /**
   * Deploy into this VPC.
   * @default - a new VPC with public and private subnets in two zones, NAT gateways and flow logs
   */
  readonly vpc?: McpVpcInput;
  /**
   * Domain name clients use (covered by the certificate); the gateway advertises `https://<domainName>`.
   * @default - the load balancer's DNS name
   */
  readonly domainName?: pulumi.Input<string>;
  /**
   * KMS key (ARN) for log groups, secrets and the session store.
   * @default - a new customer managed key with yearly rotation
   */
  readonly encryptionKeyArn?: pulumi.Input<string>;
  /**
   * Refuse deletion of the load balancer (turn off before destroying the stack).
   * @default true
   */
  readonly deletionProtection?: boolean;
  /**
   * Concurrency reserved for the gateway Lambda (also its ceiling).
   * @default - none: the gateway shares the account's unreserved concurrency
   */
  readonly gatewayReservedConcurrency?: number;
  /**
   * A registry image for the gateway service (`gateway.hosting: 'service'` only) whose entry point is
   * this package's `mcp-fleet` CLI, instead of building one.
   * @default - the queue pools' worker image when the fleet has queue pools (the same CLI: one image
   * for both); else the image the plan generates from this package, built at `pulumi up` and pushed to ECR
   */
  readonly gatewayImage?: string;
  /**
   * A registry image for the queue pools' workers, whose entry point is this package's `mcp-fleet` CLI.
   * @default - `gatewayImage` when the gateway is a service and it is given; else one image the plan
   * generates from this package, built at `pulumi up` and pushed to ECR, for every queue pool (and
   * the gateway service, when the gateway is one)
   */
  readonly workerImage?: string;
  /**
   * Alarm topic, tools to alarm on by name, dashboard name, region.
   * @default - alarms without actions, per-pool tool error alarms, `mcp-fleet-<fleet>-<region>`, the `aws:region` configuration
   */
  readonly monitoring?: Pick<McpFleetMonitoringArgs, 'alarmTopicArn' | 'toolNames' | 'dashboardName' | 'region'>;
  /**
   * The per-task gauge a pool scales on when its spec sets `connectionsPerTask` (statistic Average).
   * @default - `OpenConnections` in namespace `McpFleet` with dimensions {Fleet, Pool}, which the
   * example pool servers publish (`lib/plan/pool-metrics.ts`)
   */
  readonly connectionsPerTaskMetric?: (pool: string) => ConnectionScalingOptions['metric'];
}

const TYPE = 'mcp-fleet:index:McpFleet';

export class McpFleet extends pulumi.ComponentResource {
  /** The spec as given (validated). */
  public readonly spec: FleetSpec;
  /** Everything the spec implies, as plain data. */
  public readonly plan: FleetPlan;
  /** The key created for the fleet. @default - undefined when you passed `encryptionKeyArn` */
  public readonly encryptionKey?: aws.kms.Key;
  public readonly network: McpNetwork;
  public readonly loadBalancer: McpLoadBalancer;
  public readonly sessionStore: McpSessionStore;
  /** The gateway: a Lambda (`McpGateway`) or a Fargate service (`McpGatewayService`), as `spec.gateway.hosting` says. */
  public readonly gateway: McpGateway | McpGatewayService;
  /** Pools that serve MCP themselves, by name, in spec order. */
  public readonly pools: Readonly<Record<string, McpToolPool>>;
  /** Queue pools (queues and worker services), by name, in spec order. */
  public readonly queuePools: Readonly<Record<string, McpQueuePool>>;
  /** Each pool's identity-signing secret, by pool name: the gateway holds all, each pool (and its workers) only its own. */
  public readonly identitySecrets: Readonly<Record<string, aws.secretsmanager.Secret>>;
  public readonly firewall: McpFirewall;
  /** The fleet's dashboard and alarms. */
  public readonly monitoring: McpFleetMonitoring;
  /** `https://<domain>` + the MCP path: what agents connect to. */
  public readonly url: pulumi.Output<string>;

  constructor(name: string, args: McpFleetArgs, opts?: pulumi.ComponentResourceOptions) {
    // Synchronous: a bad spec fails here, with every problem, before any resource is registered.
    const plan = plannedFor(`McpFleet ${name}`, () => planFleet(args.spec, `McpFleet ${name}`));
    assertReservedConcurrency(args.gatewayReservedConcurrency, `McpFleet ${name}`);
    assertGatewayArgs(plan, args, `McpFleet ${name}`);
    super(TYPE, name, {}, opts);
    this.plan = plan;
    this.spec = args.spec;
    const { spec } = args;
    const parent = { parent: this };
    if (!spec.auth?.jwt && !spec.auth?.apiKeys) {
      // Allowed (a fleet behind a private network or another proxy), but never by accident.
      void pulumi.log.warn('the spec has no auth.jwt or auth.apiKeys: anyone who reaches the load balancer can call every tool', this);
    }
    if (!args.encryptionKeyArn) this.encryptionKey = fleetEncryptionKey(`${name}-key`, plan.fleet, this);
    const kmsKeyArn = args.encryptionKeyArn ?? this.encryptionKey!.arn;

    this.network = new McpNetwork(`${name}-network`, { spec, plan, kmsKeyArn, ...(args.vpc ? { vpc: args.vpc } : {}) }, parent);
    const { vpcId, publicSubnetIds, privateSubnetIds } = this.network;
    this.loadBalancer = new McpLoadBalancer(
      `${name}-lb`,
      { spec, plan, certificateArn: args.certificateArn, vpcId, publicSubnetIds, ...(args.deletionProtection !== undefined ? { deletionProtection: args.deletionProtection } : {}) },
      parent,
    );
    const host = args.domainName ?? this.loadBalancer.loadBalancer.dnsName;
    const publicUrl = pulumi.interpolate`https://${host}`;

    this.sessionStore = new McpSessionStore(`${name}-sessions`, { spec, plan, vpcId, privateSubnetIds, kmsKeyArn }, parent);
    // Before the queue pools, whose workers sign with them; the gateway created them before queue pools existed (the alias keeps them).
    const gatewayType = plan.gateway.hosting === 'service' ? 'mcp-fleet:index:McpGatewayService' : 'mcp-fleet:index:McpGateway';
    this.identitySecrets = poolIdentitySecrets(`${name}-gateway-identity`, { fleet: plan.fleet, pools: spec.pools }, { kmsKeyArn }, this, pulumi.createUrn(`${name}-gateway`, gatewayType, this));
    // Before the gateway, which may send to their queues only. One worker image for all of them.
    // What every pool component gets: the spec and its plan, and where its tasks run.
    const inCluster = { spec, plan, vpcId, privateSubnetIds, clusterArn: this.network.cluster.arn, clusterName: this.network.cluster.name };
    const queuePools: Record<string, McpQueuePool> = {};
    let workerImage: string | RenderedPoolImage | undefined = args.workerImage ?? (plan.gateway.hosting === 'service' ? args.gatewayImage : undefined);
    for (const pool of plan.queuePools) {
      const queuePool: McpQueuePool = new McpQueuePool(
        `${name}-queue-${pool.name}`,
        {
          ...inCluster,
          pool: pool.name,
          sessionStoreHost: this.sessionStore.host,
          sessionStoreAuthSecretArn: this.sessionStore.authSecret.arn,
          identitySecretArn: this.identitySecrets[pool.name]!.arn,
          kmsKeyArn,
          ...(workerImage !== undefined ? { workerImage } : {}),
        },
        parent,
      );
      workerImage ??= queuePool.workerImage;
      queuePools[pool.name] = queuePool;
    }
    this.queuePools = queuePools;
    this.gateway = this.createGateway(name, args, publicUrl);

    const pools: Record<string, McpToolPool> = {};
    for (const pool of this.plan.pools) {
      pools[pool.name] = new McpToolPool(
        `${name}-pool-${pool.name}`,
        {
          ...inCluster,
          pool: pool.name,
          namespaceId: this.network.namespace.id,
          listenerArn: this.loadBalancer.httpsListener.arn,
          loadBalancerArnSuffix: this.loadBalancer.loadBalancer.arnSuffix,
          identitySecretArn: this.identitySecrets[pool.name]!.arn,
          kmsKeyArn,
        },
        parent,
      );
    }
    this.pools = pools;
    this.connect(name);

    this.firewall = new McpFirewall(`${name}-waf`, { spec, plan, loadBalancerArn: this.loadBalancer.loadBalancer.arn, kmsKeyArn }, parent);
    this.url = pulumi.interpolate`${publicUrl}${this.plan.mcpPath}`;

    this.monitoring = new McpFleetMonitoring(`${name}-monitoring`, { ...fleetMonitoringArgs(this), ...args.monitoring }, parent);
    const connectionsPerTaskMetric = args.connectionsPerTaskMetric ?? ((pool: string) => poolConnectionsMetric(plan.fleet, pool));
    for (const pool of Object.values(this.pools)) addConnectionScaling(pool, { metric: connectionsPerTaskMetric(pool.plan.name) });

    this.registerOutputs({
      url: this.url,
      loadBalancerDnsName: this.loadBalancer.loadBalancer.dnsName,
      ...(this.gateway instanceof McpGateway ? { gatewayFunctionArn: this.gateway.function.arn } : { gatewayServiceName: this.gateway.service.name }),
      sessionStoreHost: this.sessionStore.host,
      webAclArn: this.firewall.webAcl.arn,
      clusterName: this.network.cluster.name,
      queueUrls: Object.fromEntries(Object.entries(this.queuePools).map(([pool, q]) => [pool, q.queue.url])),
    });
  }

  /** The gateway in the hosting the spec asks for. */
  private createGateway(name: string, args: McpFleetArgs, publicUrl: pulumi.Output<string>): McpGateway | McpGatewayService {
    const common = {
      spec: args.spec,
      plan: this.plan,
      vpcId: this.network.vpcId,
      privateSubnetIds: this.network.privateSubnetIds,
      listenerArn: this.loadBalancer.httpsListener.arn,
      sessionStoreHost: this.sessionStore.host,
      sessionStoreAuthSecretArn: this.sessionStore.authSecret.arn,
      publicUrl,
      kmsKeyArn: args.encryptionKeyArn ?? this.encryptionKey!.arn,
      identitySecrets: this.identitySecrets,
      queues: Object.fromEntries(Object.entries(this.queuePools).map(([pool, q]) => [pool, q.queue])),
    };
    if (this.plan.gateway.hosting === 'service') {
      // The queue pools' workers run the same image (this package's CLI): built once for both.
      const shared = args.gatewayImage ?? Object.values(this.queuePools)[0]?.workerImage;
      const image = shared !== undefined ? { image: shared } : {};
      return new McpGatewayService(`${name}-gateway`, { ...common, clusterArn: this.network.cluster.arn, clusterName: this.network.cluster.name, ...image }, { parent: this });
    }
    return new McpGateway(
      `${name}-gateway`,
      { ...common, ...(args.gatewayReservedConcurrency !== undefined ? { reservedConcurrentExecutions: args.gatewayReservedConcurrency } : {}) },
      { parent: this },
    );
  }

  /** The plan's ingress rules between fleet security groups (internet rules belong to the load balancer). */
  private connect(name: string): void {
    const peer = (p: TrafficPeer): SecurityGroupEnd | undefined => {
      switch (p.kind) {
        case 'internet':
          return undefined;
        case 'loadBalancer':
          return this.loadBalancer.peer;
        case 'gateway':
          return this.gateway.peer;
        case 'sessionStore':
          return this.sessionStore.peer;
        case 'pool':
          return (this.pools[p.pool] ?? this.queuePools[p.pool])!.peer;
      }
    };
    const label = (p: TrafficPeer) => (p.kind === 'pool' ? `pool-${p.pool}` : p.kind);
    for (const rule of this.plan.ingress) {
      const from = peer(rule.from);
      const to = peer(rule.to);
      if (!from || !to) continue;
      allowTcp(`${name}-${label(rule.from)}-to-${label(rule.to)}-${rule.port}`, from, to, rule.port, rule.description);
    }
  }
}

/** The gauge the pool servers publish about themselves (see `POOL_CONNECTIONS_METRIC`). */
function poolConnectionsMetric(fleet: string, pool: string): ConnectionScalingOptions['metric'] {
  const m = POOL_CONNECTIONS_METRIC;
  return { namespace: m.namespace, metricName: m.metricName, statistic: m.statistic, dimensions: { [m.fleetDimension]: fleet, [m.poolDimension]: pool } };
}

/** Arguments of one hosting given for the other would be ignored: refused instead. */
function assertGatewayArgs(plan: FleetPlan, args: McpFleetArgs, where: string): void {
  if (plan.gateway.hosting === 'service') {
    if (args.gatewayReservedConcurrency !== undefined) throw new McpComponentError(where, `gatewayReservedConcurrency is for the gateway Lambda, but the spec's gateway.hosting is 'service'`);
  } else if (args.gatewayImage !== undefined) {
    throw new McpComponentError(where, `gatewayImage is for gateway.hosting 'service', but the spec's gateway runs as a Lambda`);
  }
}
