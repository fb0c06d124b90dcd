import { Arn, ArnFormat, Stack } from 'aws-cdk-lib';
import type * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { fleetPlanOf, type FirewallPlan, type FleetPlan } from '../../lib/plan';
import type { FleetSpec } from '../../lib/spec';
import { fleetLogGroup, planned } from '../shared';
import { webAclRule } from './rules';

export interface McpFirewallProps {
  /** The fleet spec (validated here); `rateLimits` sets the rate rules. */
  readonly spec: FleetSpec;
  /**
   * The plan of `spec`, made once by the fleet that composes this part (`McpFleet` passes its own).
   * @default - planned here from `spec`
   */
  readonly plan?: FleetPlan;
  /**
   * Load balancer to protect.
   * @default - no association (associate `webAcl` yourself)
   */
  readonly loadBalancer?: elbv2.IApplicationLoadBalancer;
  /**
   * Key that encrypts the WAF log group.
   * @default - CloudWatch Logs' own encryption
   */
  readonly encryptionKey?: kms.IKey;
}

/**
 * WAF in front of the fleet: AWS managed rule groups (IP reputation, common, known bad inputs) and the
 * spec's rate limits per IP, per agent header and per tool (`Mcp-Name`), logged to `aws-waf-logs-<fleet>`
 * with credentials redacted.
 */
export class McpFirewall extends Construct {
  public readonly plan: FirewallPlan;
  public readonly webAcl: wafv2.CfnWebACL;
  public readonly logGroup: logs.LogGroup;
  public readonly loggingConfiguration: wafv2.CfnLoggingConfiguration;
  /** @default - none without `loadBalancer` */
  public readonly association?: wafv2.CfnWebACLAssociation;

  constructor(scope: Construct, id: string, props: McpFirewallProps) {
    super(scope, id);
    const fleet = planned(this, () => fleetPlanOf(props, this.node.path));
    const plan = fleet.firewall;
    this.plan = plan;
    this.webAcl = new wafv2.CfnWebACL(this, 'WebAcl', {
      name: plan.name,
      scope: plan.scope,
      defaultAction: { allow: {} },
      rules: plan.rules.map(webAclRule),
      customResponseBodies: Object.fromEntries(Object.entries(plan.responseBodies).map(([key, body]) => [key, { contentType: body.contentType, content: body.content }])),
      visibilityConfig: { cloudWatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName: plan.metricName },
    });
    this.logGroup = fleetLogGroup(this, 'Logs', fleet.logRetentionDays, props.encryptionKey, plan.logGroupName);
    this.loggingConfiguration = new wafv2.CfnLoggingConfiguration(this, 'Logging', {
      resourceArn: this.webAcl.attrArn,
      // WAF wants the log group ARN without the `:*` suffix that `logGroupArn` carries.
      logDestinationConfigs: [Arn.format({ service: 'logs', resource: 'log-group', resourceName: this.logGroup.logGroupName, arnFormat: ArnFormat.COLON_RESOURCE_NAME }, Stack.of(this))],
      redactedFields: plan.redactedHeaders.map((name) => ({ singleHeader: { Name: name } })),
    });
    if (props.loadBalancer) {
      this.association = new wafv2.CfnWebACLAssociation(this, 'Association', { resourceArn: props.loadBalancer.loadBalancerArn, webAclArn: this.webAcl.attrArn });
    }
  }
}
