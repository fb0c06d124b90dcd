import type * as acm from 'aws-cdk-lib/aws-certificatemanager';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { planFleet, type FleetPlan } from '../../lib/plan';
import type { FleetSpec } from '../../lib/spec';
import { McpFirewall } from '../firewall';
import { McpGateway, type McpGatewayProps } from '../gateway';
import { McpLoadBalancer, type McpFleetDomain, type McpLoadBalancerProps } from '../load-balancer';
import { McpNetwork, type McpNetworkProps } from '../network';
import { McpSessionStore, type McpSessionStoreProps } from '../session-store';
import { constructError } from '../shared';
import { McpToolPool, type McpToolPoolProps } from '../tool-pool';
import { fleetKey } from './fleet-key';
import { McpIdentitySecret } from './identity-secret';

/** Overrides for one pool's resources. */
export type McpPoolOverrides = Pick<McpToolPoolProps, 'serviceProps' | 'containerProps' | 'targetGroupProps'>;

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
  /** Overrides per pool name. @default - no overrides */
  readonly pools?: Readonly<Record<string, McpPoolOverrides>>;
  /** @default - no overrides */
  readonly gateway?: Pick<McpGatewayProps, 'reservedConcurrentExecutions' | 'functionProps'>;
  /** @default - no overrides */
  readonly sessionStore?: Pick<McpSessionStoreProps, 'replicationGroupProps' | 'serverlessCacheProps'>;
}

/**
 * A production MCP fleet from one spec: network and cluster, TLS 1.3 load balancer with MCP-aware
 * routing, one Fargate service per pool, the gateway Lambda, the session store, WAF, and the identity
 * key shared by gateway and pools. Every part is a public construct that can also be used alone.
 */
export class McpFleet extends Construct {
  public readonly plan: FleetPlan;
  public readonly encryptionKey: kms.IKey;
  public readonly network: McpNetwork;
  public readonly loadBalancer: McpLoadBalancer;
  public readonly identitySecret: McpIdentitySecret;
  public readonly sessionStore: McpSessionStore;
  public readonly gateway: McpGateway;
  /** Pools in spec order. */
  public readonly pools: readonly McpToolPool[];
  public readonly firewall: McpFirewall;

  constructor(scope: Construct, id: string, props: McpFleetProps) {
    super(scope, id);
    this.plan = planFleet(props.spec, this.node.path);
    const unknownPools = Object.keys(props.pools ?? {}).filter((name) => !this.plan.pools.some((p) => p.name === name));
    if (unknownPools.length > 0) throw constructError(this.node.path, `pools overrides name pools that are not in the spec: ${unknownPools.join(', ')}`);
    const { spec } = props;

    this.encryptionKey = props.encryptionKey ?? fleetKey(this, 'Key', this.plan.fleet);
    const encryptionKey = this.encryptionKey;
    this.network = new McpNetwork(this, 'Network', { spec, ...(props.vpc ? { vpc: props.vpc } : {}), ...props.network, encryptionKey });
    const vpc = this.network.vpc;
    this.loadBalancer = new McpLoadBalancer(this, 'LoadBalancer', {
      spec,
      vpc,
      ...(props.certificateArn ? { certificateArn: props.certificateArn } : {}),
      ...(props.certificate ? { certificate: props.certificate } : {}),
      ...(props.domain ? { domain: props.domain } : {}),
      ...(props.deletionProtection !== undefined ? { deletionProtection: props.deletionProtection } : {}),
      ...props.loadBalancer,
    });
    this.identitySecret = new McpIdentitySecret(this, 'Identity', { fleet: this.plan.fleet, encryptionKey });
    this.sessionStore = new McpSessionStore(this, 'SessionStore', { spec, vpc, encryptionKey, ...props.sessionStore });
    this.gateway = new McpGateway(this, 'Gateway', {
      spec,
      vpc,
      listener: this.loadBalancer.httpsListener,
      sessionStore: this.sessionStore,
      identitySecret: this.identitySecret.secret,
      publicUrl: this.loadBalancer.publicUrl,
      encryptionKey,
      ...props.gateway,
    });
    this.sessionStore.allowFrom(this.gateway.securityGroup);
    this.pools = this.plan.pools.map(
      (pool) =>
        new McpToolPool(this, `Pool-${pool.name}`, {
          spec,
          pool: pool.name,
          cluster: this.network.cluster,
          namespace: this.network.namespace,
          listener: this.loadBalancer.httpsListener,
          identitySecret: this.identitySecret.secret,
          gatewaySecurityGroup: this.gateway.securityGroup,
          encryptionKey,
          ...props.pools?.[pool.name],
        }),
    );
    this.firewall = new McpFirewall(this, 'Firewall', { spec, loadBalancer: this.loadBalancer.loadBalancer, encryptionKey });
  }
}
