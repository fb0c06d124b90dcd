import { BODY_SIZE_OVERRIDE, planFirewall, RATE_LIMITED_BODY_KEY, type RateRulePlan } from '../../lib/plan';
import { resolveFleetSpec } from '../../lib/spec';
import { threePoolSpec } from '../fixtures/specs';

describe('planFirewall', () => {
  test('GIVEN default limits WHEN planned THEN reputation, per-IP and per-agent rate rules and the managed groups are in a fixed order', () => {
    const plan = planFirewall(resolveFleetSpec(threePoolSpec));
    expect(plan.rules.map((r) => [r.name, r.priority])).toEqual([
      ['ip-reputation', 0],
      ['rate-per-ip', 10],
      ['rate-per-agent', 20],
      ['common', 40],
      ['known-bad-inputs', 50],
    ]);
    expect(plan).toMatchObject({ name: 'agents-mcp', scope: 'REGIONAL', defaultAction: 'allow', metricName: 'agents-web-acl', logGroupName: 'aws-waf-logs-agents' });
    expect(plan.rules.find((r) => r.name === 'rate-per-agent')).toEqual({
      kind: 'rate',
      name: 'rate-per-agent',
      priority: 20,
      limit: 3000,
      windowSeconds: 300,
      key: { type: 'header-and-ip', header: 'x-mcp-agent-id' },
      responseCode: 429,
      metricName: 'agents-rate-per-agent',
    });
  });

  test('GIVEN the common rule set WHEN planned THEN its 8 KB body rule only counts, with the reason', () => {
    const common = planFirewall(resolveFleetSpec(threePoolSpec)).rules.find((r) => r.name === 'common');
    expect(common).toMatchObject({ kind: 'managed', vendor: 'AWS', groupName: 'AWSManagedRulesCommonRuleSet', overrides: [BODY_SIZE_OVERRIDE] });
    expect(BODY_SIZE_OVERRIDE.reason).toMatch(/8 KB/);
  });

  test('GIVEN per-IP, per-agent and per-tool WAF limits WHEN planned THEN they carry the limits, windows and keys of the spec', () => {
    const spec = resolveFleetSpec({
      ...threePoolSpec,
      rateLimits: { perIp: { requests: 500, windowSeconds: 60 }, perAgent: { header: 'X-Agent', waf: { requests: 100 } }, perTool: { waf: { requests: 50, windowSeconds: 120 } } },
    });
    const rate = planFirewall(spec).rules.filter((r): r is RateRulePlan => r.kind === 'rate');
    expect(rate.map((r) => [r.name, r.limit, r.windowSeconds, r.key])).toEqual([
      ['rate-per-ip', 500, 60, { type: 'ip' }],
      ['rate-per-agent', 100, 300, { type: 'header-and-ip', header: 'x-agent' }],
      ['rate-per-tool', 50, 120, { type: 'header', header: 'mcp-name' }],
    ]);
  });

  test('GIVEN a per-tool WAF limit WHEN planned THEN a base64-encoded Mcp-Name on tools/call is blocked (400) before the per-tool count, so it cannot dodge the key', () => {
    const spec = resolveFleetSpec({ ...threePoolSpec, rateLimits: { perTool: { waf: { requests: 50 } } } });
    const plan = planFirewall(spec);
    const block = plan.rules.find((r) => r.name === 'encoded-tool-name');
    expect(block).toEqual({
      kind: 'match-block',
      name: 'encoded-tool-name',
      priority: 25,
      conditions: [
        { header: 'mcp-method', match: 'EXACTLY', value: 'tools/call' },
        { header: 'mcp-name', match: 'STARTS_WITH', value: '=?base64?' },
      ],
      responseCode: 400,
      responseBodyKey: 'encoded-tool-name',
      metricName: 'agents-encoded-tool-name',
    });
    expect(JSON.parse(plan.responseBodies['encoded-tool-name']!.content)).toMatchObject({ error: { code: -32600 } });
    // Without a per-tool limit there is no key to dodge and no rule.
    expect(planFirewall(resolveFleetSpec(threePoolSpec)).rules.some((r) => r.kind === 'match-block')).toBe(false);
  });

  test('GIVEN API keys WHEN planned THEN WAF logs redact the bearer token and the API key header', () => {
    expect(planFirewall(resolveFleetSpec(threePoolSpec)).redactedHeaders).toEqual(['authorization']);
    const withKeys = resolveFleetSpec({ ...threePoolSpec, auth: { ...threePoolSpec.auth, apiKeys: { secretName: 'k', header: 'X-Key' } } });
    expect(planFirewall(withKeys).redactedHeaders).toEqual(['authorization', 'x-key']);
  });

  test('GIVEN a blocked request WHEN answered THEN the body is a JSON-RPC error', () => {
    const body = planFirewall(resolveFleetSpec(threePoolSpec)).responseBodies[RATE_LIMITED_BODY_KEY]!;
    expect(body.contentType).toBe('APPLICATION_JSON');
    expect(JSON.parse(body.content)).toMatchObject({ jsonrpc: '2.0', error: { code: -32000 } });
  });
});
