import { Token, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as servicediscovery from 'aws-cdk-lib/aws-servicediscovery';
import { Construct } from 'constructs';
import { fleetPlanOf, type FleetPlan } from '../../lib/plan';
import type { FleetSpec } from '../../lib/spec';
import { constructError, fleetLogGroup, mergeProps, planned } from '../shared';

export interface McpNetworkProps {
  /** The fleet spec (validated here). */
  readonly spec: FleetSpec;
  /**
   * The plan of `spec`, made once by the fleet that composes this part (`McpFleet` passes its own).
   * @default - planned here from `spec`
   */
  readonly plan?: FleetPlan;
  /**
   * Bring your own VPC. It needs private subnets with egress (`PRIVATE_WITH_EGRESS`) in at least two
   * availability zones; its flow logs stay yours to configure.
   * @default - a new VPC over two zones with public and private subnets, a NAT gateway per zone and flow logs
   */
  readonly vpc?: ec2.IVpc;
  /**
   * Overrides for the created VPC (ignored with `vpc`, which is an error to combine).
   * @default - the plan's zones, NAT gateways and flow logs
   */
  readonly vpcProps?: Partial<ec2.VpcProps>;
  /**
   * Overrides for the ECS cluster; Container Insights stays on.
   * @default - the plan's cluster name, enhanced Container Insights
   */
  readonly clusterProps?: Partial<ecs.ClusterProps>;
  /**
   * Key that encrypts the flow log group.
   * @default - CloudWatch Logs' own encryption
   */
  readonly encryptionKey?: kms.IKey;
}

/** Where a fleet runs: a VPC (yours or a new one), an ECS cluster and the Cloud Map namespace of the pools. */
export class McpNetwork extends Construct {
  public readonly vpc: ec2.IVpc;
  public readonly cluster: ecs.Cluster;
  /** `<fleet>.mcp.internal`, where pools register their task IPs for the gateway. */
  public readonly namespace: servicediscovery.PrivateDnsNamespace;
  /** Flow log of a created VPC. @default - none for a VPC you bring */
  public readonly flowLog?: ec2.FlowLog;
  /** Log group of `flowLog`. */
  public readonly flowLogGroup?: logs.LogGroup;

  constructor(scope: Construct, id: string, props: McpNetworkProps) {
    super(scope, id);
    const plan = planned(this, () => fleetPlanOf(props, this.node.path));
    if (props.vpc && props.vpcProps) throw constructError(this, 'vpc and vpcProps are mutually exclusive: vpcProps configure a VPC this construct creates');

    if (props.vpc) {
      this.vpc = props.vpc;
      assertUsableVpc(props.vpc, this.node.path);
    } else {
      this.flowLogGroup = fleetLogGroup(this, 'FlowLogs', plan.network.flowLogs.retentionDays, props.encryptionKey);
      const vpc = new ec2.Vpc(
        this,
        'Vpc',
        mergeProps<ec2.VpcProps>(
          {
            // CDK takes either a zone count or explicit zones.
            ...(props.vpcProps?.availabilityZones ? {} : { maxAzs: plan.network.maxAzs }),
            natGateways: plan.network.natGateways,
            subnetConfiguration: [
              // Only the load balancer and the NAT gateways live here; neither needs auto-assigned IPs.
              { name: 'public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24, mapPublicIpOnLaunch: false },
              { name: 'private', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 20 },
            ],
          },
          props.vpcProps,
          { restrictDefaultSecurityGroup: true },
        ),
      );
      this.flowLog = vpc.addFlowLog('FlowLog', { destination: ec2.FlowLogDestination.toCloudWatchLogs(this.flowLogGroup), trafficType: ec2.FlowLogTrafficType.ALL });
      this.vpc = vpc;
      assertUsableVpc(vpc, this.node.path);
      for (const subnet of vpc.publicSubnets) {
        Validations.of(subnet).acknowledge({
          id: 'NIST.800.53.R5-VPCNoUnrestrictedRouteToIGW',
          reason: 'Public subnets hold the internet-facing load balancer and the NAT gateways, which need the default route to the internet gateway.',
        });
      }
      Validations.of(this.flowLog).acknowledge({ id: 'NIST.800.53.R5-IAMNoInlinePolicy', reason: 'The role policy CDK attaches lets VPC Flow Logs write to exactly this flow log group.' });
    }

    this.cluster = new ecs.Cluster(
      this,
      'Cluster',
      mergeProps<ecs.ClusterProps>({ clusterName: plan.names.cluster }, props.clusterProps, {
        vpc: this.vpc,
        containerInsightsV2: ecs.ContainerInsights.ENHANCED,
      }),
    );
    this.namespace = new servicediscovery.PrivateDnsNamespace(this, 'Namespace', { name: plan.names.namespace, vpc: this.vpc, description: `MCP pools of fleet ${plan.fleet}` });
  }
}

/** Private subnets with egress in two zones at least: pools and the gateway must survive a zone loss. */
function assertUsableVpc(vpc: ec2.IVpc, path: string): void {
  let subnets: ec2.SelectedSubnets;
  try {
    subnets = vpc.selectSubnets({ subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS });
  } catch (e) {
    throw constructError(path, `the VPC needs private subnets with egress (PRIVATE_WITH_EGRESS): ${(e as Error).message}`);
  }
  const zones = new Set(subnets.availabilityZones.filter((z) => !Token.isUnresolved(z)));
  if (subnets.subnets.length === 0 || (zones.size > 0 && zones.size < 2)) {
    throw constructError(path, `the VPC needs private subnets with egress in at least two availability zones (found ${subnets.subnets.length} subnet(s) in ${zones.size} zone(s))`);
  }
}
