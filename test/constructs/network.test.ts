import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { McpNetwork } from '../../constructs';
import { threePoolSpec } from '../fixtures/specs';
import { testStack, testVpc } from './support';

describe('McpNetwork', () => {
  describe('GIVEN no VPC', () => {
    let template: Template;
    let network: McpNetwork;
    beforeAll(() => {
      const stack = testStack();
      network = new McpNetwork(stack, 'Network', { spec: threePoolSpec });
      template = Template.fromStack(stack);
    });

    test('THEN a VPC spans two zones with private subnets behind a NAT gateway per zone', () => {
      template.resourceCountIs('AWS::EC2::VPC', 1);
      template.resourceCountIs('AWS::EC2::NatGateway', 2);
      expect(network.vpc.privateSubnets).toHaveLength(2);
      expect(new Set(network.vpc.privateSubnets.map((s) => s.availabilityZone)).size).toBe(2);
      template.resourcePropertiesCountIs('AWS::EC2::Subnet', { MapPublicIpOnLaunch: false }, 4);
    });

    test('THEN all traffic is flow-logged to a log group with the spec retention', () => {
      template.hasResourceProperties('AWS::EC2::FlowLog', { TrafficType: 'ALL', LogDestinationType: 'cloud-watch-logs' });
      template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
    });

    test('THEN the ECS cluster has enhanced Container Insights and the pools get a private namespace', () => {
      template.hasResourceProperties('AWS::ECS::Cluster', { ClusterName: 'agents-mcp', ClusterSettings: [{ Name: 'containerInsights', Value: 'enhanced' }] });
      template.hasResourceProperties('AWS::ServiceDiscovery::PrivateDnsNamespace', { Name: 'agents.mcp.internal' });
    });
  });

  test('GIVEN your own VPC WHEN used THEN it is not changed and no flow log is added', () => {
    const stack = testStack();
    const vpc = testVpc(stack);
    const network = new McpNetwork(stack, 'Network', { spec: threePoolSpec, vpc });
    expect(network.vpc).toBe(vpc);
    expect(network.flowLog).toBeUndefined();
    Template.fromStack(stack).hasResourceProperties('AWS::ECS::Cluster', { ClusterSettings: Match.anyValue() });
  });

  test('GIVEN a VPC without private subnets WHEN used THEN the error names the construct path', () => {
    const stack = testStack();
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, subnetConfiguration: [{ name: 'public', subnetType: ec2.SubnetType.PUBLIC }] });
    expect(() => new McpNetwork(stack, 'Network', { spec: threePoolSpec, vpc })).toThrow(/^Test\/Network: the VPC needs private subnets with egress/);
  });

  test('GIVEN a VPC with private subnets in one zone WHEN used THEN the error says two zones are needed', () => {
    const stack = testStack();
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1 });
    expect(() => new McpNetwork(stack, 'Network', { spec: threePoolSpec, vpc })).toThrow(
      'Test/Network: the VPC needs private subnets with egress in at least two availability zones (found 1 subnet(s) in 1 zone(s))',
    );
  });

  test('GIVEN both vpc and vpcProps WHEN constructed THEN the error names the path', () => {
    const stack = testStack();
    expect(() => new McpNetwork(stack, 'Network', { spec: threePoolSpec, vpc: testVpc(stack), vpcProps: { natGateways: 1 } })).toThrow(/^Test\/Network: vpc and vpcProps are mutually exclusive/);
  });

  test('GIVEN an invalid spec WHEN constructed THEN the error names the construct path and the spec path', () => {
    const stack = testStack();
    expect(() => new McpNetwork(stack, 'Network', { spec: { ...threePoolSpec, name: 'Bad Name' } })).toThrow(/^Test\/Network: invalid fleet spec[\s\S]*name: must be lower-case/);
  });
});
