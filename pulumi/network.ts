/**
 * McpNetwork: the VPC under the fleet (yours, or one created with public and private subnets in
 * `plan.network.maxAzs` zones, a NAT gateway per zone and flow logs), the ECS cluster with Container
 * Insights, and the Cloud Map namespace in which pools register their tasks.
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { planFleet, type FleetPlan } from '../lib/plan';
import type { FleetSpec } from '../lib/spec';
import { assumeRolePolicy, logStreamsArn, policyDocument } from './iam';

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
   * Deploy into this VPC instead of creating one.
   * @default - a new VPC (10.0.0.0/16) with public and private subnets, NAT gateways and flow logs
   */
  readonly vpc?: McpVpcInput;
  /**
   * Address range of a created VPC.
   * @default '10.0.0.0/16'
   */
  readonly cidrBlock?: string;
}

const TYPE = 'mcp-fleet:index:McpNetwork';

/** Splits a /16 into four /18 blocks: public subnets first, then private ones (as CDK's default VPC does). */
function subnetCidrs(cidrBlock: string, zones: number): { publicCidrs: string[]; privateCidrs: string[] } {
  const match = /^(\d+)\.(\d+)\.0\.0\/16$/.exec(cidrBlock);
  if (!match) throw new Error(`cidrBlock must be a /16 such as 10.0.0.0/16, got "${cidrBlock}"`);
  const [, a, b] = match;
  const block = (i: number) => `${a}.${b}.${i * 64}.0/18`;
  if (zones * 2 > 4) throw new Error(`a /16 holds subnets for at most 2 zones, the plan asks for ${zones}`);
  return {
    publicCidrs: Array.from({ length: zones }, (_, i) => block(i)),
    privateCidrs: Array.from({ length: zones }, (_, i) => block(zones + i)),
  };
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
    const plan: FleetPlan = planFleet(args.spec, `McpNetwork ${name}`);
    super(TYPE, name, {}, opts);
    const parent = { parent: this };

    if (args.vpc) {
      this.vpcId = pulumi.output(args.vpc.vpcId);
      this.publicSubnetIds = pulumi.output(args.vpc.publicSubnetIds);
      this.privateSubnetIds = pulumi.output(args.vpc.privateSubnetIds);
    } else {
      const created = this.createVpc(name, plan, args.cidrBlock ?? '10.0.0.0/16');
      this.vpc = created.vpc;
      this.flowLog = created.flowLog;
      this.vpcId = created.vpc.id;
      this.publicSubnetIds = pulumi.all(created.publicSubnets.map((s) => s.id));
      this.privateSubnetIds = pulumi.all(created.privateSubnets.map((s) => s.id));
    }

    this.cluster = new aws.ecs.Cluster(
      `${name}-cluster`,
      { name: plan.names.cluster, settings: [{ name: 'containerInsights', value: plan.network.containerInsights }] },
      parent,
    );
    this.namespace = new aws.servicediscovery.PrivateDnsNamespace(
      `${name}-namespace`,
      { name: plan.names.namespace, vpc: this.vpcId, description: `MCP pools of fleet ${plan.fleet}` },
      parent,
    );

    this.registerOutputs({
      vpcId: this.vpcId,
      publicSubnetIds: this.publicSubnetIds,
      privateSubnetIds: this.privateSubnetIds,
      clusterArn: this.cluster.arn,
      namespaceId: this.namespace.id,
    });
  }

  private createVpc(name: string, plan: FleetPlan, cidrBlock: string) {
    const parent = { parent: this };
    const zones = plan.network.maxAzs;
    const { publicCidrs, privateCidrs } = subnetCidrs(cidrBlock, zones);
    const azs = aws.getAvailabilityZonesOutput({ state: 'available' }, parent);
    const zone = (i: number) =>
      azs.names.apply((names) => {
        if (names.length < zones) throw new Error(`McpNetwork ${name}: the region has ${names.length} availability zones, the fleet needs ${zones}`);
        return names[i]!;
      });

    const vpc = new aws.ec2.Vpc(`${name}-vpc`, { cidrBlock, enableDnsHostnames: true, enableDnsSupport: true, tags: { Name: `${plan.fleet}-mcp` } }, parent);
    const internetGateway = new aws.ec2.InternetGateway(`${name}-igw`, { vpcId: vpc.id }, parent);

    const publicSubnets = publicCidrs.map((cidr, i) => {
      const subnet = new aws.ec2.Subnet(
        `${name}-public-${i}`,
        { vpcId: vpc.id, cidrBlock: cidr, availabilityZone: zone(i), mapPublicIpOnLaunch: false, tags: { Name: `${plan.fleet}-public-${i}` } },
        parent,
      );
      const routeTable = new aws.ec2.RouteTable(`${name}-public-${i}`, { vpcId: vpc.id }, parent);
      new aws.ec2.Route(`${name}-public-${i}-default`, { routeTableId: routeTable.id, destinationCidrBlock: '0.0.0.0/0', gatewayId: internetGateway.id }, parent);
      new aws.ec2.RouteTableAssociation(`${name}-public-${i}`, { subnetId: subnet.id, routeTableId: routeTable.id }, parent);
      return subnet;
    });

    const natGateways = publicSubnets.slice(0, plan.network.natGateways).map((subnet, i) => {
      const eip = new aws.ec2.Eip(`${name}-nat-${i}`, { domain: 'vpc' }, parent);
      return new aws.ec2.NatGateway(`${name}-nat-${i}`, { subnetId: subnet.id, allocationId: eip.id }, { parent: this, dependsOn: [internetGateway] });
    });

    const privateSubnets = privateCidrs.map((cidr, i) => {
      const subnet = new aws.ec2.Subnet(
        `${name}-private-${i}`,
        { vpcId: vpc.id, cidrBlock: cidr, availabilityZone: zone(i), mapPublicIpOnLaunch: false, tags: { Name: `${plan.fleet}-private-${i}` } },
        parent,
      );
      const routeTable = new aws.ec2.RouteTable(`${name}-private-${i}`, { vpcId: vpc.id }, parent);
      // Each zone leaves through its own NAT gateway, so losing one zone does not cut the others off.
      const nat = natGateways[i % natGateways.length]!;
      new aws.ec2.Route(`${name}-private-${i}-default`, { routeTableId: routeTable.id, destinationCidrBlock: '0.0.0.0/0', natGatewayId: nat.id }, parent);
      new aws.ec2.RouteTableAssociation(`${name}-private-${i}`, { subnetId: subnet.id, routeTableId: routeTable.id }, parent);
      return subnet;
    });

    const flowLogGroup = new aws.cloudwatch.LogGroup(`${name}-flow-logs`, { retentionInDays: plan.network.flowLogs.retentionDays }, parent);
    const flowLogRole = new aws.iam.Role(`${name}-flow-logs`, { assumeRolePolicy: assumeRolePolicy('vpc-flow-logs.amazonaws.com') }, parent);
    new aws.iam.RolePolicy(
      `${name}-flow-logs`,
      {
        role: flowLogRole.id,
        policy: policyDocument([
          { Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'], Resource: [flowLogGroup.arn, logStreamsArn(flowLogGroup.arn)] },
        ]),
      },
      parent,
    );
    const flowLog = new aws.ec2.FlowLog(
      `${name}-flow-log`,
      { vpcId: vpc.id, trafficType: plan.network.flowLogs.trafficType, logDestinationType: 'cloud-watch-logs', logDestination: flowLogGroup.arn, iamRoleArn: flowLogRole.arn },
      parent,
    );
    return { vpc, publicSubnets, privateSubnets, flowLog };
  }
}
