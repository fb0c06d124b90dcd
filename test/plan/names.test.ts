import { boundedName, fleetNames, NAME_LIMITS, poolNames, shortHash, wafMetricName } from '../../lib/plan';

describe('boundedName', () => {
  test('GIVEN a name within the limit WHEN bounded THEN it is unchanged', () => {
    expect(boundedName('agents-github', 32)).toBe('agents-github');
  });

  test('GIVEN a name over the limit WHEN bounded THEN it keeps its start, ends in a stable hash and fits', () => {
    const long = 'averylongfleetnamexalongpoolnamey-and-more';
    const name = boundedName(long, 32);
    expect(name).toHaveLength(32);
    expect(name).toBe(`${long.slice(0, 23)}-${shortHash(long)}`);
    expect(boundedName(long, 32)).toBe(name);
  });

  test('GIVEN two long names with the same start WHEN bounded THEN they differ', () => {
    const prefix = 'x'.repeat(40);
    expect(boundedName(`${prefix}-one`, 32)).not.toBe(boundedName(`${prefix}-two`, 32));
  });

  test('GIVEN double and trailing dashes WHEN bounded THEN they are collapsed and trimmed', () => {
    expect(boundedName('a--b-', 40)).toBe('a-b');
    expect(boundedName(`${'ab-'.repeat(20)}`, 40)).not.toMatch(/--|-$/);
  });
});

describe('fleetNames / poolNames', () => {
  test('GIVEN the longest fleet and pool names WHEN named THEN every name respects its AWS limit', () => {
    const fleet = 'f'.repeat(24);
    const names = fleetNames(fleet);
    expect(names.loadBalancer.length).toBeLessThanOrEqual(NAME_LIMITS.loadBalancer);
    expect(names.loadBalancer).toMatch(/^mcp-/);
    expect(names.gatewayTargetGroup.length).toBeLessThanOrEqual(NAME_LIMITS.targetGroup);
    expect(names.sessionStore.length).toBeLessThanOrEqual(NAME_LIMITS.elastiCacheId);
    expect(names.sessionStoreUserGroup.length).toBeLessThanOrEqual(NAME_LIMITS.elastiCacheId);
    expect(names.sessionStoreDefaultUser.length).toBeLessThanOrEqual(NAME_LIMITS.elastiCacheId);
    expect(names.wafLogGroup).toMatch(/^aws-waf-logs-/);
    expect(poolNames(fleet, 'p'.repeat(20)).targetGroup.length).toBeLessThanOrEqual(NAME_LIMITS.targetGroup);
  });

  test('GIVEN a pool WHEN named THEN its DNS name is <pool>.<fleet>.mcp.internal', () => {
    expect(poolNames('agents', 'github')).toEqual({ targetGroup: 'agents-github', discoveryService: 'github', dnsName: 'github.agents.mcp.internal' });
    expect(fleetNames('agents').namespace).toBe('agents.mcp.internal');
  });

  test('GIVEN a rule name with other characters WHEN made a WAF metric name THEN only allowed characters remain', () => {
    expect(wafMetricName('agents', 'rate per.ip')).toBe('agents-rate-per-ip');
  });
});
