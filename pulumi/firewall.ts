/**
 * McpFirewall: the WAF web ACL on the load balancer — AWS managed rule groups and the spec's rate
 * rules (per IP, per agent header, optionally per tool via `Mcp-Name`) answering 429 with a JSON-RPC
 * body — plus its association and logging with the `Authorization` header redacted.
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { fleetPlanOf, RATE_LIMITED_BODY_KEY, type FirewallRulePlan, type FleetPlan } from '../lib/plan';
import type { FleetSpec } from '../lib/spec';
import { fleetLogGroup } from './log-group';
import { plannedFor } from './errors';

type WebAclRule = aws.types.input.wafv2.WebAclRule;

export interface McpFirewallArgs {
  /** The fleet spec (validated when the component is constructed). */
  readonly spec: FleetSpec;
  /**
   * The plan of `spec`, made once by the fleet that composes this part (`McpFleet` passes its own).
   * @default - planned here from `spec`
   */
  readonly plan?: FleetPlan;
  /** ARN of the load balancer to protect. */
  readonly loadBalancerArn: pulumi.Input<string>;
  /**
   * KMS key (ARN) that encrypts the WAF log group.
   * @default - AWS managed encryption
   */
  readonly kmsKeyArn?: pulumi.Input<string>;
}

const TYPE = 'mcp-fleet:index:McpFirewall';

function visibility(metricName: string) {
  return { cloudwatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName };
}

function webAclRule(rule: FirewallRulePlan): WebAclRule {
  if (rule.kind === 'managed') {
    return {
      name: rule.name,
      priority: rule.priority,
      overrideAction: { none: {} },
      statement: {
        managedRuleGroupStatement: {
          vendorName: rule.vendor,
          name: rule.groupName,
          ruleActionOverrides: rule.overrides.map((o) => ({ name: o.name, actionToUse: { count: {} } })),
        },
      },
      visibilityConfig: visibility(rule.metricName),
    };
  }
  if (rule.kind === 'match-block') {
    const statements = rule.conditions.map((c) => ({
      byteMatchStatement: {
        fieldToMatch: { singleHeader: { name: c.header } },
        positionalConstraint: c.match,
        searchString: c.value,
        textTransformations: [{ priority: 0, type: 'LOWERCASE' }],
      },
    }));
    return {
      name: rule.name,
      priority: rule.priority,
      action: { block: { customResponse: { responseCode: rule.responseCode, customResponseBodyKey: rule.responseBodyKey } } },
      statement: statements.length === 1 ? statements[0]! : { andStatement: { statements } },
      visibilityConfig: visibility(rule.metricName),
    };
  }
  const header = (name: string) => ({ header: { name, textTransformations: [{ priority: 0, type: 'NONE' }] } });
  const keyed =
    rule.key.type === 'ip'
      ? { aggregateKeyType: 'IP' }
      : { aggregateKeyType: 'CUSTOM_KEYS', customKeys: rule.key.type === 'header-and-ip' ? [header(rule.key.header), { ip: {} }] : [header(rule.key.header)] };
  return {
    name: rule.name,
    priority: rule.priority,
    action: { block: { customResponse: { responseCode: rule.responseCode, customResponseBodyKey: RATE_LIMITED_BODY_KEY } } },
    statement: { rateBasedStatement: { limit: rule.limit, evaluationWindowSec: rule.windowSeconds, ...keyed } },
    visibilityConfig: visibility(rule.metricName),
  };
}

export class McpFirewall extends pulumi.ComponentResource {
  public readonly webAcl: aws.wafv2.WebAcl;
  public readonly logGroup: aws.cloudwatch.LogGroup;

  constructor(name: string, args: McpFirewallArgs, opts?: pulumi.ComponentResourceOptions) {
    const fleet = plannedFor(`McpFirewall ${name}`, () => fleetPlanOf(args, `McpFirewall ${name}`));
    super(TYPE, name, {}, opts);
    const plan = fleet.firewall;
    const parent = { parent: this };

    this.webAcl = new aws.wafv2.WebAcl(
      `${name}-acl`,
      {
        name: plan.name,
        scope: plan.scope,
        defaultAction: { [plan.defaultAction]: {} },
        visibilityConfig: visibility(plan.metricName),
        customResponseBodies: Object.entries(plan.responseBodies).map(([key, body]) => ({ key, contentType: body.contentType, content: body.content })),
        rules: plan.rules.map(webAclRule),
      },
      parent,
    );
    new aws.wafv2.WebAclAssociation(`${name}-association`, { resourceArn: args.loadBalancerArn, webAclArn: this.webAcl.arn }, parent);

    this.logGroup = fleetLogGroup(`${name}-logs`, { name: plan.logGroupName, retentionDays: fleet.logRetentionDays, ...(args.kmsKeyArn ? { kmsKeyArn: args.kmsKeyArn } : {}) }, this);
    new aws.wafv2.WebAclLoggingConfiguration(
      `${name}-logging`,
      {
        resourceArn: this.webAcl.arn,
        logDestinationConfigs: [this.logGroup.arn],
        // Credentials (bearer tokens, API keys) must not land in logs.
        redactedFields: plan.redactedHeaders.map((header) => ({ singleHeader: { name: header } })),
      },
      parent,
    );

    this.registerOutputs({ webAclArn: this.webAcl.arn, logGroupName: this.logGroup.name });
  }
}
