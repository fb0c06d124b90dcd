/**
 * McpNetwork: the VPC under the fleet (yours, or one created with public and private subnets in
 * `plan.network.maxAzs` zones, a NAT gateway per zone and flow logs), the ECS cluster with Container
 * Insights, and the Cloud Map namespace in which pools register their tasks.
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { fleetPlanOf, type FleetPlan } from '../lib/plan';
import type { FleetSpec } from '../lib/spec';
import { assumeRolePolicy, logStreamsArn, policyDocument } from './iam';
import { fleetLogGroup } from './log-group';
import { McpComponentError, plannedFor } from './errors';

/** An existing VPC to deploy the fleet into. */
export interface McpVpcInput {
  readonly vpcId: pulumi.Input<string>;
  /** Subnets with a route to an internet gateway, one per zone, for the load balancer (at least two zones). */
  readonly publicSubnetIds: pulumi.Input<pulumi.Input<string>[]>;
  /** Subnets with outbound internet access through NAT, for tasks, the gateway and the session store. */
  readonly privateSubnetIds: pulumi.Input<pulumi.Input<string>[]>;
}

export interface McpNetworkArgs {
  /** The fleet spec (validated when the component is constructed). */
  readonly spec: FleetSpec;
  /**
   * The plan of `spec`, made once by the fleet that composes this part (`McpFleet` passes its own).
   * @default - planned here from `spec`
   */
  readonly plan?: FleetPlan;
  /**
   * Deploy into this VPC instead of creating one.
   * @default - a new VPC (10.0.0.0/16) with public and private subnets, NAT gateways and flow logs
   */
  readonly vpc?: McpVpcInput;
  /**
   * Address range of a created VPC.
   * @default '10.0.0.0/16'
   */
  readonly cidrBlock?: string;
  /**
   * KMS key (ARN) that encrypts the flow log group.
   * @default - AWS managed encryption
   */
  readonly kmsKeyArn?: pulumi.Input<string>;
}

const TYPE = 'mcp-fleet:index:McpNetwork';
const DEFAULT_CIDR = '10.0.0.0/16';

/** Prefix lengths of the created subnets: small public ones (load balancer, NAT), large private ones (tasks). */
const SUBNET_MASKS = { public: 24, private: 20 } as const;

/**
 * Allocates the subnets in order — public ones, then private ones, one per zone — each at the next
 * address aligned to its size, as CDK's VPC does (so both renderings lay out the same network).
 */
export function subnetCidrs(cidrBlock: string, zones: number, where: string): { publicCidrs: string[]; privateCidrs: string[] } {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidrBlock);
  const octets = match ? match.slice(1, 5).map(Number) : [];
  const prefix = match ? Number(match[5]) : NaN;
  if (!match || octets.some((o) => o > 255) || prefix < 16 || prefix > 20)
    throw new McpComponentError(where, `cidrBlock must be an IPv4 block from /16 to /20 such as 10.0.0.0/16, got "${cidrBlock}"`);
  const base = octets.reduce((n, o) => n * 256 + o, 0);
  const end = base + 2 ** (32 - prefix);
  let next = base;
  const allocate = (mask: number) => {
    const size = 2 ** (32 - mask);
    const start = Math.ceil(next / size) * size;
    next = start + size;
    if (next > end) throw new McpComponentError(where, `${cidrBlock} is too small for ${zones} public /${SUBNET_MASKS.public} and ${zones} private /${SUBNET_MASKS.private} subnets`);
    return `${[24, 16, 8, 0].map((shift) => Math.floor(start / 2 ** shift) % 256).join('.')}/${mask}`;
  };
  const publicCidrs = Array.from({ length: zones }, () => allocate(SUBNET_MASKS.public));
  const privateCidrs = Array.from({ length: zones }, () => allocate(SUBNET_MASKS.private));
  return { publicCidrs, privateCidrs };
}

export class McpNetwork extends pulumi.ComponentResource {
  public readonly vpcId: pulumi.Output<string>;
  public readonly publicSubnetIds: pulumi.Output<string[]>;
  public readonly privateSubnetIds: pulumi.Output<string[]>;
  /** The created VPC. @default - undefined when you passed `vpc` */
  public readonly vpc?: aws.ec2.Vpc;
  /** Flow log of a created VPC. @default - undefined when you passed `vpc` */
  public readonly flowLog?: aws.ec2.FlowLog;
  public readonly cluster: aws.ecs.Cluster;
  public readonly namespace: aws.servicediscovery.PrivateDnsNamespace;

  constructor(name: string, args: McpNetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    const plan: FleetPlan = plannedFor(`McpNetwork ${name}`, () => fleetPlanOf(args, `McpNetwork ${name}`));
    const cidrs = args.vpc ? undefined : subnetCidrs(args.cidrBlock ?? DEFAULT_CIDR, plan.network.maxAzs, `McpNetwork ${name}`);
    super(TYPE, name, {}, opts);
    const parent = { parent: this };

    if (args.vpc || !cidrs) {
      const vpc = args.vpc!;
      this.vpcId = pulumi.output(vpc.vpcId);
      this.publicSubnetIds = pulumi.output(vpc.publicSubnetIds);
      this.privateSubnetIds = pulumi.output(vpc.privateSubnetIds);
    } else {
      const created = this.createVpc(name, plan, args.cidrBlock ?? DEFAULT_CIDR, cidrs, args.kmsKeyArn);
      this.vpc = created.vpc;
      this.flowLog = created.flowLog;
      this.vpcId = created.vpc.id;
      this.publicSubnetIds = pulumi.all(created.publicSubnets.map((s) => s.id));
      this.privateSubnetIds = pulumi.all(created.privateSubnets.map((s) => s.id));
    }

    this.cluster = new aws.ecs.Cluster(`${name}-cluster`, { name: plan.names.cluster, settings: [{ name: 'containerInsights', value: plan.network.containerInsights }] }, parent);
    this.namespace = new aws.servicediscovery.PrivateDnsNamespace(`${name}-namespace`, { name: plan.names.namespace, vpc: this.vpcId, description: `MCP pools of fleet ${plan.fleet}` }, parent);

    this.registerOutputs({
      vpcId: this.vpcId,
      publicSubnetIds: this.publicSubnetIds,
      privateSubnetIds: this.privateSubnetIds,
      clusterArn: this.cluster.arn,
      namespaceId: this.namespace.id,
    });
  }

  private createVpc(name: string, plan: FleetPlan, cidrBlock: string, cidrs: { publicCidrs: string[]; privateCidrs: string[] }, kmsKeyArn: pulumi.Input<string> | undefined) {
    const parent = { parent: this };
    const zones = plan.network.maxAzs;
    const { publicCidrs, privateCidrs } = cidrs;
    const azs = aws.getAvailabilityZonesOutput({ state: 'available' }, parent);
    const zone = (i: number) =>
      azs.names.apply((names) => {
        if (names.length < zones) throw new McpComponentError(`McpNetwork ${name}`, `the region has ${names.length} availability zones, the fleet needs ${zones}`);
        return names[i]!;
      });

    const vpc = new aws.ec2.Vpc(`${name}-vpc`, { cidrBlock, enableDnsHostnames: true, enableDnsSupport: true, tags: { Name: `${plan.fleet}-mcp` } }, parent);
    // Adopting the default security group without rules strips its allow-all rules: nothing can use it by accident.
    new aws.ec2.DefaultSecurityGroup(`${name}-default-sg`, { vpcId: vpc.id }, parent);
    const internetGateway = new aws.ec2.InternetGateway(`${name}-igw`, { vpcId: vpc.id }, parent);

    /** A subnet with its own route table whose default route leaves through `defaultRoute`. */
    const subnet = (tier: 'public' | 'private', i: number, cidrBlock: string, defaultRoute: { gatewayId: pulumi.Input<string> } | { natGatewayId: pulumi.Input<string> }) => {
      const id = `${name}-${tier}-${i}`;
      const created = new aws.ec2.Subnet(id, { vpcId: vpc.id, cidrBlock, availabilityZone: zone(i), mapPublicIpOnLaunch: false, tags: { Name: `${plan.fleet}-${tier}-${i}` } }, parent);
      const routeTable = new aws.ec2.RouteTable(id, { vpcId: vpc.id }, parent);
      new aws.ec2.Route(`${id}-default`, { routeTableId: routeTable.id, destinationCidrBlock: '0.0.0.0/0', ...defaultRoute }, parent);
      new aws.ec2.RouteTableAssociation(id, { subnetId: created.id, routeTableId: routeTable.id }, parent);
      return created;
    };

    const publicSubnets = publicCidrs.map((cidr, i) => subnet('public', i, cidr, { gatewayId: internetGateway.id }));
    const natGateways = publicSubnets.slice(0, plan.network.natGateways).map((publicSubnet, i) => {
      const eip = new aws.ec2.Eip(`${name}-nat-${i}`, { domain: 'vpc' }, parent);
      return new aws.ec2.NatGateway(`${name}-nat-${i}`, { subnetId: publicSubnet.id, allocationId: eip.id }, { parent: this, dependsOn: [internetGateway] });
    });
    // Each zone leaves through its own NAT gateway, so losing one zone does not cut the others off.
    const privateSubnets = privateCidrs.map((cidr, i) => subnet('private', i, cidr, { natGatewayId: natGateways[i % natGateways.length]!.id }));

    const flowLogGroup = fleetLogGroup(`${name}-flow-logs`, { retentionDays: plan.network.flowLogs.retentionDays, ...(kmsKeyArn ? { kmsKeyArn } : {}) }, this);
    const flowLogRole = new aws.iam.Role(`${name}-flow-logs`, { assumeRolePolicy: assumeRolePolicy('vpc-flow-logs.amazonaws.com') }, parent);
    const flowLogPolicy = new aws.iam.RolePolicy(
      `${name}-flow-logs`,
      {
        role: flowLogRole.id,
        policy: policyDocument([{ Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'], Resource: [flowLogGroup.arn, logStreamsArn(flowLogGroup.arn)] }]),
      },
      parent,
    );
    const flowLog = new aws.ec2.FlowLog(
      `${name}-flow-log`,
      { vpcId: vpc.id, trafficType: plan.network.flowLogs.trafficType, logDestinationType: 'cloud-watch-logs', logDestination: flowLogGroup.arn, iamRoleArn: flowLogRole.arn },
      { parent: this, dependsOn: [flowLogPolicy] },
    );
    return { vpc, publicSubnets, privateSubnets, flowLog };
  }
}
