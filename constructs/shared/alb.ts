/** Load balancer pieces the pools and the gateway share: planned listener rules and health checks. */
import { Duration } from 'aws-cdk-lib';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import type { Construct } from 'constructs';
import type { HealthCheckPlan, ListenerRulePlan, RuleCondition } from '../../lib/plan';

function condition(c: RuleCondition): elbv2.ListenerCondition {
  switch (c.field) {
    case 'path-pattern':
      return elbv2.ListenerCondition.pathPatterns([...c.values]);
    case 'http-header':
      return elbv2.ListenerCondition.httpHeader(c.header, [...c.values]);
    case 'source-ip':
      return elbv2.ListenerCondition.sourceIps([...c.values]);
  }
}

/**
 * Renders planned listener rules that forward to `targetGroup`, each as construct `Rule-<plan id>`.
 * A JWT-verified rule gets the `jwt-validation` action first; its required claims go in through an
 * override because `ListenerAction.authenticateJwt` has no option for them yet.
 */
export function addPlannedListenerRules(
  scope: Construct,
  listener: elbv2.IApplicationListener,
  rules: readonly ListenerRulePlan[],
  targetGroup: elbv2.IApplicationTargetGroup,
): elbv2.ApplicationListenerRule[] {
  return rules.map((rule) => {
    const forward = elbv2.ListenerAction.forward([targetGroup]);
    const created = new elbv2.ApplicationListenerRule(scope, `Rule-${rule.id}`, {
      listener,
      priority: rule.priority,
      conditions: rule.conditions.map(condition),
      action: rule.jwt ? elbv2.ListenerAction.authenticateJwt({ issuer: rule.jwt.issuer, jwksEndpoint: rule.jwt.jwksEndpoint, next: forward }) : forward,
    });
    if (rule.jwt && rule.jwt.additionalClaims.length > 0) {
      (created.node.defaultChild as elbv2.CfnListenerRule).addPropertyOverride(
        'Actions.0.JwtValidationConfig.AdditionalClaims',
        rule.jwt.additionalClaims.map((c) => ({ Format: c.format, Name: c.name, Values: [...c.values] })),
      );
    }
    return created;
  });
}

/** A planned target group health check as the CDK `HealthCheck` (always enabled). */
export function targetHealthCheck(plan: HealthCheckPlan): elbv2.HealthCheck {
  return {
    enabled: true,
    path: plan.path,
    interval: Duration.seconds(plan.intervalSeconds),
    timeout: Duration.seconds(plan.timeoutSeconds),
    healthyThresholdCount: plan.healthyThreshold,
    unhealthyThresholdCount: plan.unhealthyThreshold,
    healthyHttpCodes: plan.matcher,
  };
}
