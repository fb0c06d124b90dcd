import { FleetSpecError } from '../../lib/spec';
import { planFleet } from '../../lib/plan';
import { threePoolSpec } from '../fixtures/specs';

describe('planFleet', () => {
  test('GIVEN the same spec twice WHEN planned THEN the plans are identical JSON data', () => {
    const a = planFleet(threePoolSpec);
    expect(JSON.parse(JSON.stringify(a))).toEqual(a);
    expect(JSON.stringify(planFleet(threePoolSpec))).toBe(JSON.stringify(a));
  });

  test('GIVEN an invalid spec WHEN planned THEN a FleetSpecError names the caller and every problem', () => {
    const bad = { ...threePoolSpec, pools: [{ ...threePoolSpec.pools[0]!, stopTimeoutSeconds: 30, deregistrationDelaySeconds: 60 }] };
    expect(() => planFleet(bad, 'Stack/Fleet')).toThrow(FleetSpecError);
    expect(() => planFleet(bad, 'Stack/Fleet')).toThrow(/^Stack\/Fleet: invalid fleet spec[\s\S]*pools\[0\] \(pool "github"\)\.deregistrationDelaySeconds/);
  });

  test('GIVEN the fleet WHEN planned THEN the load balancer is TLS 1.3 only with a long idle timeout, and only it faces the internet', () => {
    const plan = planFleet(threePoolSpec);
    expect(plan.loadBalancer).toMatchObject({
      name: 'mcp-agents',
      tlsPolicy: 'ELBSecurityPolicy-TLS13-1-3-PQ-2025-09',
      idleTimeoutSeconds: 600,
      dropInvalidHeaderFields: true,
      accessLogs: { prefix: 'agents', expirationDays: 90 },
    });
    expect(plan.ingress.filter((r) => r.from.kind === 'internet').map((r) => [r.to.kind, r.port])).toEqual([
      ['loadBalancer', 443],
      ['loadBalancer', 80],
    ]);
    expect(plan.ingress.filter((r) => r.to.kind === 'pool' && r.to.pool === 'github').map((r) => r.from.kind)).toEqual(['loadBalancer', 'gateway']);
    expect(plan.ingress.filter((r) => r.to.kind === 'sessionStore')).toEqual([{ from: { kind: 'gateway' }, to: { kind: 'sessionStore' }, port: 6379, description: 'gateway to the session store' }]);
    expect(plan.network).toEqual({ maxAzs: 2, natGateways: 2, flowLogs: { trafficType: 'ALL', retentionDays: 30 }, containerInsights: 'enhanced' });
  });
});
