/**
 * A fleet with auth never gets an unauthenticated route to a pool (CDK rendering of the listener
 * plan): without the ALB's JWT check no rule forwards caller traffic to a pool, and with it every
 * rule that does — priority rules included — verifies the JWT first.
 */
import { Template } from 'aws-cdk-lib/assertions';
import { McpFleet } from '../../constructs';
import type { FleetSpec } from '../../lib/spec';
import { threePoolSpec } from '../fixtures/specs';
import { CERTIFICATE_ARN, resourcesOf, testStack } from './support';

function listenerRules(spec: FleetSpec) {
  const stack = testStack();
  new McpFleet(stack, 'Fleet', { spec, certificateArn: CERTIFICATE_ARN });
  return resourcesOf(Template.fromStack(stack), 'AWS::ElasticLoadBalancingV2::ListenerRule').map(([, p]) => p);
}

const forwardsToPool = (rule: Record<string, any>) => /^FleetPool/.test(rule.Actions.at(-1).TargetGroupArn?.Ref ?? '');
const onlyFromLoopback = (rule: Record<string, any>) => rule.Conditions.length === 1 && rule.Conditions[0].Field === 'source-ip';

describe('McpFleet listener rules with auth', () => {
  const withPriority: FleetSpec = {
    ...threePoolSpec,
    pools: [...threePoolSpec.pools, { name: 'fast', image: 'registry.example.com/mcp/github-pool:1.0.0', tools: ['github_*'], priorityRoute: { header: 'x-mcp-priority', value: 'high' } }],
  };

  test('GIVEN auth.jwt.verifyAtLoadBalancer false WHEN synthesized THEN the only rules to pools are the unreachable attachment rules', () => {
    const rules = listenerRules({ ...withPriority, auth: { ...withPriority.auth, jwt: { ...withPriority.auth!.jwt!, verifyAtLoadBalancer: false } } });
    const toPools = rules.filter(forwardsToPool);
    expect(toPools.length).toBe(4);
    expect(toPools.every(onlyFromLoopback)).toBe(true);
  });

  test('GIVEN the ALB verifies JWTs and the priority pool needs a scope WHEN synthesized THEN every rule to a pool (priority too) validates the JWT first', () => {
    const rules = listenerRules({ ...withPriority, auth: { ...withPriority.auth, poolScopes: { fast: ['mcp:priority'] } } });
    const direct = rules.filter((r) => forwardsToPool(r) && !onlyFromLoopback(r));
    expect(direct.length).toBeGreaterThanOrEqual(3);
    for (const rule of direct) expect(rule.Actions[0].Type).toBe('jwt-validation');
    const priority = direct.find((r) => r.Conditions.some((c: any) => c.HttpHeaderConfig?.HttpHeaderName === 'x-mcp-priority'))!;
    expect(JSON.stringify(priority.Actions[0])).toContain('mcp:priority');
  });
});
