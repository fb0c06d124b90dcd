/** Translates the plan's HTTPS listener rules into `aws.lb.ListenerRule`s for one target group. */
import * as aws from '@pulumi/aws';
import type * as pulumi from '@pulumi/pulumi';
import type { ListenerRulePlan, RuleCondition } from '../lib/plan';

function condition(c: RuleCondition): aws.types.input.lb.ListenerRuleCondition {
  switch (c.field) {
    case 'path-pattern':
      return { pathPattern: { values: [...c.values] } };
    case 'http-header':
      return { httpHeader: { httpHeaderName: c.header, values: [...c.values] } };
    case 'source-ip':
      return { sourceIp: { values: [...c.values] } };
  }
}

function actions(rule: ListenerRulePlan, targetGroupArn: pulumi.Input<string>): aws.types.input.lb.ListenerRuleAction[] {
  const forward = { type: 'forward', targetGroupArn };
  if (!rule.jwt) return [forward];
  const jwtValidation = {
    issuer: rule.jwt.issuer,
    jwksEndpoint: rule.jwt.jwksEndpoint,
    additionalClaims: rule.jwt.additionalClaims.map((c) => ({ name: c.name, format: c.format, values: [...c.values] })),
  };
  return [
    { type: 'jwt-validation', order: 1, jwtValidation },
    { ...forward, order: 2 },
  ];
}

/**
 * One listener rule per plan rule, named `<name>-<rule id>`, parented to `parent` (the component
 * that owns the target group).
 */
export function createListenerRules(
  name: string,
  rules: readonly ListenerRulePlan[],
  listenerArn: pulumi.Input<string>,
  targetGroupArn: pulumi.Input<string>,
  parent: pulumi.Resource,
): aws.lb.ListenerRule[] {
  return rules.map(
    (rule) => new aws.lb.ListenerRule(`${name}-${rule.id}`, { listenerArn, priority: rule.priority, conditions: rule.conditions.map(condition), actions: actions(rule, targetGroupArn) }, { parent }),
  );
}
