/**
 * The fleet plan in the shapes the AWS APIs answer with, so the deploy tests compare what the
 * emulator holds with what the plan says, not with numbers copied into the test.
 */
import type { JwtValidationActionConfig, RuleCondition as ApiRuleCondition } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { HealthCheckPlan, JwtVerificationPlan, RuleCondition } from '../../../lib/plan';

/** A listener rule condition of the plan as DescribeRules returns it. */
export function apiRuleCondition(condition: RuleCondition): ApiRuleCondition {
  switch (condition.field) {
    case 'path-pattern':
      return { Field: 'path-pattern', PathPatternConfig: { Values: [...condition.values] } };
    case 'http-header':
      return { Field: 'http-header', HttpHeaderConfig: { HttpHeaderName: condition.header, Values: [...condition.values] } };
    case 'source-ip':
      return { Field: 'source-ip', SourceIpConfig: { Values: [...condition.values] } };
  }
}

/** The JWT verification of a planned rule as the `jwt-validation` action's configuration. */
export function apiJwtValidation(jwt: JwtVerificationPlan): JwtValidationActionConfig {
  return {
    Issuer: jwt.issuer,
    JwksEndpoint: jwt.jwksEndpoint,
    AdditionalClaims: jwt.additionalClaims.map((claim) => ({ Name: claim.name, Format: claim.format, Values: [...claim.values] })),
  };
}

/** A health check of the plan as DescribeTargetGroups returns it. */
export function apiHealthCheck(healthCheck: HealthCheckPlan): Record<string, unknown> {
  return {
    HealthCheckPath: healthCheck.path,
    HealthCheckIntervalSeconds: healthCheck.intervalSeconds,
    HealthCheckTimeoutSeconds: healthCheck.timeoutSeconds,
    HealthyThresholdCount: healthCheck.healthyThreshold,
    UnhealthyThresholdCount: healthCheck.unhealthyThreshold,
    Matcher: { HttpCode: healthCheck.matcher },
  };
}

/** `[{ Key, Value }]` (ELBv2 attributes) as a plain object. */
export function attributeMap(attributes: ReadonlyArray<{ Key?: string; Value?: string }> | undefined): Record<string, string> {
  return Object.fromEntries((attributes ?? []).map(({ Key, Value }) => [Key ?? '', Value ?? '']));
}
