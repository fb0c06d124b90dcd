import type * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { RATE_LIMITED_BODY_KEY, type FirewallRulePlan, type HeaderMatchPlan, type RateKeyPlan } from '../../lib/plan';

const visibility = (metricName: string): wafv2.CfnWebACL.VisibilityConfigProperty => ({ cloudWatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName });

/** One planned WAF rule as a `CfnWebACL` rule. */
export function webAclRule(rule: FirewallRulePlan): wafv2.CfnWebACL.RuleProperty {
  if (rule.kind === 'managed') {
    return {
      name: rule.name,
      priority: rule.priority,
      overrideAction: { none: {} },
      statement: {
        managedRuleGroupStatement: {
          vendorName: rule.vendor,
          name: rule.groupName,
          ...(rule.overrides.length > 0 ? { ruleActionOverrides: rule.overrides.map((o) => ({ name: o.name, actionToUse: { count: {} } })) } : {}),
        },
      },
      visibilityConfig: visibility(rule.metricName),
    };
  }
  if (rule.kind === 'match-block') {
    const statements = rule.conditions.map(headerMatch);
    return {
      name: rule.name,
      priority: rule.priority,
      action: { block: { customResponse: { responseCode: rule.responseCode, customResponseBodyKey: rule.responseBodyKey } } },
      statement: statements.length === 1 ? statements[0]! : { andStatement: { statements } },
      visibilityConfig: visibility(rule.metricName),
    };
  }
  const rateBasedStatement: wafv2.CfnWebACL.RateBasedStatementProperty =
    rule.key.type === 'ip'
      ? { limit: rule.limit, evaluationWindowSec: rule.windowSeconds, aggregateKeyType: 'IP' }
      : { limit: rule.limit, evaluationWindowSec: rule.windowSeconds, aggregateKeyType: 'CUSTOM_KEYS', customKeys: customKeys(rule.key) };
  return {
    name: rule.name,
    priority: rule.priority,
    action: { block: { customResponse: { responseCode: rule.responseCode, customResponseBodyKey: RATE_LIMITED_BODY_KEY } } },
    statement: { rateBasedStatement },
    visibilityConfig: visibility(rule.metricName),
  };
}

function customKeys(key: Exclude<RateKeyPlan, { type: 'ip' }>): wafv2.CfnWebACL.RateBasedStatementCustomKeyProperty[] {
  const header = { header: { name: key.header, textTransformations: [{ priority: 0, type: 'NONE' }] } };
  return key.type === 'header-and-ip' ? [header, { ip: {} }] : [header];
}

function headerMatch(condition: HeaderMatchPlan): wafv2.CfnWebACL.StatementProperty {
  return {
    byteMatchStatement: {
      fieldToMatch: { singleHeader: { Name: condition.header } },
      positionalConstraint: condition.match,
      searchString: condition.value,
      textTransformations: [{ priority: 0, type: 'LOWERCASE' }],
    },
  };
}
