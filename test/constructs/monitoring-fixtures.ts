/**
 * Test fixtures for the monitoring and global routing constructs: imported (not created) fleet
 * resources, so a stack holds nothing but the construct under test, and a helper that turns a
 * synthesized DashboardBody (an Fn::Join when it contains tokens) back into JSON.
 */
import { App, Stack } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type { Template } from 'aws-cdk-lib/assertions';
import type { McpFleetMonitoringPool } from '../../constructs/monitoring';

export const ACCOUNT = '111111111111';
export const REGION = 'eu-west-1';
export const LOAD_BALANCER_ARN = `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:loadbalancer/app/mcp-agents/50dc6c495c0c9188`;

/**
 * CDK's built-in CloudFormation validation is off, as in the example app: by default it only reports its
 * findings as warnings (no test could fail on it) and costs about 2 s of CPU per synthesis; cfn-lint
 * checks these templates (monitoring-routing-lint.test.ts).
 */
export function testStack(id = 'Monitoring', region = REGION): { app: App; stack: Stack } {
  const app = new App({ builtinCloudFormationValidation: false });
  return { app, stack: new Stack(app, id, { env: { account: ACCOUNT, region } }) };
}

export function importedLoadBalancer(stack: Stack): elbv2.IApplicationLoadBalancer {
  return elbv2.ApplicationLoadBalancer.fromApplicationLoadBalancerAttributes(stack, 'Alb', {
    loadBalancerArn: LOAD_BALANCER_ARN,
    securityGroupId: 'sg-0123456789abcdef0',
    loadBalancerDnsName: 'mcp-agents-1234567890.eu-west-1.elb.amazonaws.com',
    loadBalancerCanonicalHostedZoneId: 'Z32O12XQLNTSW2',
  });
}

export function targetGroupArn(name: string): string {
  return `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:targetgroup/${name}/6d0ecf831eec9f09`;
}

export function importedPools(stack: Stack, names: readonly string[]): McpFleetMonitoringPool[] {
  const cluster = ecs.Cluster.fromClusterArn(stack, 'Cluster', `arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/agents-mcp`);
  return names.map((name) => ({
    name,
    targetGroup: elbv2.ApplicationTargetGroup.fromTargetGroupAttributes(stack, `${name}Tg`, { targetGroupArn: targetGroupArn(`agents-${name}`), loadBalancerArns: LOAD_BALANCER_ARN }),
    service: ecs.FargateService.fromFargateServiceAttributes(stack, `${name}Service`, { cluster, serviceName: `agents-${name}` }),
  }));
}

export function importedGateway(stack: Stack): { fn: lambda.IFunction; tg: elbv2.IApplicationTargetGroup } {
  return {
    fn: lambda.Function.fromFunctionName(stack, 'Gateway', 'agents-gateway'),
    tg: elbv2.ApplicationTargetGroup.fromTargetGroupAttributes(stack, 'GatewayTg', { targetGroupArn: targetGroupArn('agents-gateway') }),
  };
}

export interface DashboardWidget {
  readonly type: string;
  readonly width: number;
  readonly height: number;
  readonly x: number;
  readonly y: number;
  readonly properties: {
    readonly title?: string;
    readonly markdown?: string;
    readonly metrics?: ReadonlyArray<ReadonlyArray<unknown>>;
    readonly alarms?: readonly unknown[];
    readonly annotations?: { readonly horizontal?: ReadonlyArray<{ readonly value: number; readonly label: string }> };
    readonly region?: string;
  };
}

/**
 * The dashboard's widgets. Tokens inside the body (alarm ARNs, names of resources in the stack) become
 * `${<CloudFormation JSON>}` so the JSON stays parseable and the reference stays visible.
 */
export function dashboardWidgets(template: Template): DashboardWidget[] {
  const dashboards = Object.values(template.findResources('AWS::CloudWatch::Dashboard'));
  if (dashboards.length !== 1) throw new Error(`expected one dashboard, found ${dashboards.length}`);
  const body: unknown = dashboards[0]!.Properties.DashboardBody;
  const text =
    typeof body === 'string'
      ? body
      : (body as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1].map((part) => (typeof part === 'string' ? part : `\${${JSON.stringify(part).replace(/"/g, "'")}}`)).join('');
  return (JSON.parse(text) as { widgets: DashboardWidget[] }).widgets;
}

export function widget(widgets: readonly DashboardWidget[], title: string): DashboardWidget {
  const found = widgets.find((w) => w.properties.title === title);
  if (!found) throw new Error(`no widget "${title}" among: ${widgets.map((w) => w.properties.title ?? w.type).join(' | ')}`);
  return found;
}
