import { ALB_RULE_LIMITS, FleetPlanError, planListener, PROTECTED_RESOURCE_METADATA_PATH, type ListenerRulePlan } from '../../lib/plan';
import { resolveFleetSpec, type FleetSpec, type PoolSpec } from '../../lib/spec';
import { threePoolSpec } from '../fixtures/specs';

const fleet = (pools: PoolSpec[], rest: Partial<FleetSpec> = {}) => resolveFleetSpec({ name: 'f', pools, ...rest });
const header = (rule: ListenerRulePlan, name: string) => rule.conditions.find((c) => c.field === 'http-header' && c.header === name)?.values;
const valueCount = (rule: ListenerRulePlan) => rule.conditions.reduce((n, c) => n + c.values.length, 0);

describe('planListener', () => {
  describe('GIVEN the three-pool fleet (JWT verified at the ALB, github scopes)', () => {
    const plan = planListener(resolveFleetSpec(threePoolSpec));

    test('THEN the 2026-07-28 pools get direct rules, the 2025 pool only gateway routes', () => {
      expect(plan.rules.map((r) => [r.id, r.priority])).toEqual([
        ['direct-github-0', 10_000],
        ['direct-images-0', 10_200],
        ['gateway', 45_000],
        ['health', 45_100],
        ['attach-slack', 49_001],
      ]);
      expect(plan.rules.at(-1)).toEqual({
        id: 'attach-slack',
        kind: 'attach',
        priority: 49_001,
        conditions: [{ field: 'source-ip', values: ['127.0.0.1/32'] }],
        target: { kind: 'pool', pool: 'slack' },
      });
      expect(plan.routing.find((r) => r.pool === 'slack')).toEqual({
        pool: 'slack',
        direct: false,
        directPatterns: [],
        viaGateway: [{ pattern: 'slack_*', reason: expect.stringContaining('directRouting off') }],
      });
    });

    test('THEN a direct rule matches the MCP path, tools/call and the pool patterns, behind JWT verification with the scopes', () => {
      const github = plan.rules[0]!;
      expect(github.conditions).toEqual([
        { field: 'path-pattern', values: ['/mcp'] },
        { field: 'http-header', header: 'Mcp-Method', values: ['tools/call'] },
        { field: 'http-header', header: 'Mcp-Name', values: ['github_*'] },
      ]);
      expect(github.target).toEqual({ kind: 'pool', pool: 'github' });
      expect(github.jwt?.additionalClaims).toEqual([
        { name: 'aud', format: 'single-string', values: ['mcp-fleet'] },
        { name: 'scope', format: 'space-separated-values', values: ['github:read'] },
      ]);
      expect(plan.rules[1]!.jwt?.additionalClaims).toEqual([{ name: 'aud', format: 'single-string', values: ['mcp-fleet'] }]);
    });

    test('THEN the gateway gets the MCP path and the RFC 9728 paths, and the health path', () => {
      expect(plan.rules.find((r) => r.kind === 'gateway')!.conditions).toEqual([
        { field: 'path-pattern', values: ['/mcp', PROTECTED_RESOURCE_METADATA_PATH, `${PROTECTED_RESOURCE_METADATA_PATH}/mcp`] },
      ]);
      expect(plan.rules.find((r) => r.kind === 'health')).toMatchObject({ conditions: [{ field: 'path-pattern', values: ['/health'] }], target: { kind: 'gateway' } });
      expect(plan.defaultResponse.statusCode).toBe(404);
    });
  });

  test('GIVEN a pool with seven patterns WHEN planned THEN they are chunked three per rule within the ALB value limits', () => {
    const tools = ['a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7'];
    const plan = planListener(fleet([{ name: 'p', image: 'i', tools }]));
    const direct = plan.rules.filter((r) => r.kind === 'direct');
    expect(direct.map((r) => header(r, 'Mcp-Name'))).toEqual([['a1', 'a2', 'a3'], ['a4', 'a5', 'a6'], ['a7']]);
    expect(direct.map((r) => r.priority)).toEqual([10_000, 10_001, 10_002]);
    for (const rule of plan.rules) {
      expect(valueCount(rule)).toBeLessThanOrEqual(ALB_RULE_LIMITS.valuesPerRule);
      for (const c of rule.conditions) expect(c.values.length).toBeLessThanOrEqual(ALB_RULE_LIMITS.valuesPerCondition);
    }
  });

  test('GIVEN a priority pool WHEN planned THEN its rules come first and also match the priority header', () => {
    const plan = planListener(
      fleet([
        { name: 'main', image: 'i', tools: ['x_*'] },
        { name: 'fast', image: 'i', tools: ['x_*', 'y_*', 'z_*'], priorityRoute: { header: 'x-mcp-priority', value: 'high' } },
      ]),
    );
    expect(plan.rules.map((r) => [r.id, r.priority])).toEqual([
      ['priority-fast-0', 1_100],
      ['priority-fast-1', 1_101],
      ['direct-main-0', 10_000],
      ['gateway', 45_000],
      ['health', 45_100],
    ]);
    expect(header(plan.rules[0]!, 'x-mcp-priority')).toEqual(['high']);
    expect(header(plan.rules[0]!, 'Mcp-Name')).toEqual(['x_*', 'y_*']);
    expect(valueCount(plan.rules[0]!)).toBe(5);
  });

  test('GIVEN a priority pool the ALB cannot route to WHEN planned THEN its priority calls go to the gateway before any owning pool rule can take them', () => {
    const plan = planListener(
      fleet([
        { name: 'main', image: 'i', tools: ['x_*'] },
        { name: 'fast', image: 'i', tools: ['x_*'], protocolVersion: '2025-11-25', priorityRoute: { header: 'x-mcp-priority', value: 'high' } },
      ]),
    );
    expect(plan.rules.map((r) => [r.id, r.priority, r.target])).toEqual([
      ['priority-fast-gateway-0', 1_100, { kind: 'gateway' }],
      ['direct-main-0', 10_000, { kind: 'pool', pool: 'main' }],
      ['gateway', 45_000, { kind: 'gateway' }],
      ['health', 45_100, { kind: 'gateway' }],
      ['attach-fast', 49_001, { kind: 'pool', pool: 'fast' }],
    ]);
    expect(header(plan.rules[0]!, 'x-mcp-priority')).toEqual(['high']);
    expect(plan.rules[0]!.jwt).toBeUndefined();
  });

  test('GIVEN JWT and API keys WHEN planned THEN direct rules also require a bearer Authorization header', () => {
    const plan = planListener(fleet([{ name: 'p', image: 'i', tools: ['a', 'b'] }], { auth: { jwt: { issuer: 'https://idp.example.com', audience: ['m'] }, apiKeys: { secretName: 'k' } } }));
    const direct = plan.rules.filter((r) => r.kind === 'direct');
    expect(direct.map((r) => header(r, 'Mcp-Name'))).toEqual([['a', 'b']]);
    expect(header(direct[0]!, 'Authorization')).toEqual(['Bearer *']);
  });

  test('GIVEN patterns needing different scopes WHEN planned THEN each rule carries one scope set, and undecidable patterns go via the gateway', () => {
    const plan = planListener(
      fleet([{ name: 'p', image: 'i', tools: ['gh_read_*', 'gh_write_*', 'gh_list', 'other_*'] }], {
        auth: {
          jwt: { issuer: 'https://idp.example.com', audience: ['m'] },
          toolScopes: [
            { tools: 'gh_write_*', scopes: ['gh:write'] },
            { tools: 'gh_*', scopes: ['gh:read'] },
            { tools: 'other_admin', scopes: ['admin'] },
          ],
        },
      }),
    );
    const direct = plan.rules.filter((r) => r.kind === 'direct');
    expect(direct.map((r) => [header(r, 'Mcp-Name'), r.jwt?.additionalClaims.find((c) => c.name === 'scope')?.values])).toEqual([
      [['gh_read_*', 'gh_list'], ['gh:read']],
      [['gh_write_*'], ['gh:write']],
    ]);
    expect(plan.routing[0]!.viaGateway).toEqual([{ pattern: 'other_*', reason: expect.stringContaining('other_admin') }]);
  });

  test('GIVEN API keys only WHEN planned THEN no direct rules exist and the reason is recorded per pattern', () => {
    const plan = planListener(fleet([{ name: 'p', image: 'i', tools: ['a'] }], { auth: { apiKeys: { secretName: 'k' } } }));
    expect(plan.rules.map((r) => r.kind)).toEqual(['gateway', 'health', 'attach']);
    expect(plan.routing[0]!.viaGateway[0]!.reason).toMatch(/API keys/);
  });

  test('GIVEN more patterns than a listener has rules WHEN planned THEN a FleetPlanError names the caller and the limit', () => {
    const pools = Array.from({ length: 4 }, (_, p) => ({ name: `p${p}`, image: 'i', tools: Array.from({ length: 80 }, (_, t) => `p${p}_t${t}`) }));
    expect(() => planListener(fleet(pools), 'Stack/Fleet')).toThrow(FleetPlanError);
    expect(() => planListener(fleet(pools), 'Stack/Fleet')).toThrow(/^Stack\/Fleet: the fleet needs 110 listener rules; an ALB listener allows 100/);
  });

  describe('security: a fleet with auth never gets an unauthenticated route to a pool', () => {
    const pools: PoolSpec[] = [
      { name: 'fast', image: 'i', tools: ['gh_*'], priorityRoute: { header: 'x-mcp-priority', value: 'high' } },
      { name: 'gh', image: 'i', tools: ['gh_*'] },
    ];
    const jwt = { issuer: 'https://idp.example.com', audience: ['mcp'] };

    test('GIVEN verifyAtLoadBalancer false WHEN planned THEN neither direct nor priority rules forward to a pool', () => {
      const plan = planListener(fleet(pools, { auth: { jwt: { ...jwt, verifyAtLoadBalancer: false } } }));
      const toPools = plan.rules.filter((r) => r.target.kind === 'pool');
      expect(toPools.every((r) => r.kind === 'attach' && r.conditions[0]!.field === 'source-ip')).toBe(true);
      expect(plan.routing.every((r) => !r.direct && r.viaGateway.every((v) => /verifyAtLoadBalancer is false/.test(v.reason)))).toBe(true);
    });

    test('GIVEN a JWT fleet WHEN planned THEN every rule that forwards to a pool verifies the JWT, and the priority pool requires its pool scope', () => {
      const plan = planListener(fleet(pools, { auth: { jwt, poolScopes: { fast: ['mcp:priority'] } } }));
      const forwarding = plan.rules.filter((r) => r.target.kind === 'pool' && r.kind !== 'attach');
      expect(forwarding.map((r) => r.kind)).toEqual(['priority', 'direct']);
      for (const rule of forwarding) expect(rule.jwt).toBeDefined();
      const scopeOf = (r: ListenerRulePlan) => r.jwt!.additionalClaims.find((c) => c.name === 'scope')?.values;
      expect(scopeOf(forwarding[0]!)).toEqual(['mcp:priority']);
      expect(scopeOf(forwarding[1]!)).toBeUndefined();
    });
  });
});
