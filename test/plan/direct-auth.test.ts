import { jwtVerificationFor, patternCovers, planDirectAuth, requiredScopesFor } from '../../lib/plan';
import { resolveFleetSpec, type AuthSpec, type FleetSpec } from '../../lib/spec';

const spec = (auth?: AuthSpec) => resolveFleetSpec({ name: 'f', pools: [{ name: 'p', image: 'i', tools: ['a_*'] }], ...(auth ? { auth } : {}) } satisfies FleetSpec);
const jwt = { issuer: 'https://idp.example.com', audience: ['mcp'] };

describe('planDirectAuth', () => {
  test('GIVEN no auth WHEN planned THEN direct routes need no checks', () => {
    expect(planDirectAuth(spec())).toEqual({ allowed: true, verifyJwt: false, requireBearerHeader: false });
  });

  test('GIVEN JWT verified at the load balancer WHEN planned THEN direct routes verify it', () => {
    expect(planDirectAuth(spec({ jwt }))).toEqual({ allowed: true, verifyJwt: true, requireBearerHeader: false });
  });

  test('GIVEN JWT and API keys WHEN planned THEN direct routes also require a bearer header so API-key callers reach the gateway', () => {
    expect(planDirectAuth(spec({ jwt, apiKeys: { secretName: 'keys' } }))).toEqual({ allowed: true, verifyJwt: true, requireBearerHeader: true });
  });

  test('GIVEN only API keys WHEN planned THEN direct routing is off with the reason', () => {
    const plan = planDirectAuth(spec({ apiKeys: { secretName: 'keys' } }));
    expect(plan.allowed).toBe(false);
    expect(plan.reason).toMatch(/cannot verify API keys/);
  });

  test('GIVEN JWT not verified at the load balancer and API keys WHEN planned THEN direct routing is off', () => {
    expect(planDirectAuth(spec({ jwt: { ...jwt, verifyAtLoadBalancer: false }, apiKeys: { secretName: 'k' } })).allowed).toBe(false);
  });

  test('GIVEN JWT not verified at the load balancer WHEN planned THEN no direct route exists: everything goes through the gateway', () => {
    const plan = planDirectAuth(spec({ jwt: { ...jwt, verifyAtLoadBalancer: false } }));
    expect(plan).toMatchObject({ allowed: false, verifyJwt: false });
    expect(plan.reason).toMatch(/verifyAtLoadBalancer is false: the load balancer checks no caller/);
  });

  test('GIVEN more audiences than the ALB checks WHEN planned THEN direct routing is off', () => {
    const audience = Array.from({ length: 11 }, (_, i) => `aud${i}`);
    expect(planDirectAuth(spec({ jwt: { ...jwt, audience } })).reason).toMatch(/11 values/);
  });
});

describe('patternCovers', () => {
  test.each([
    ['github_*', 'github_*', true],
    ['*', 'anything_?', true],
    ['github_*', 'github_issue_*', true],
    ['GITHUB_*', 'github_x', true],
    ['github_*', 'git*', false],
    ['github_issue_*', 'github_*', false],
    ['a?c', 'abc', false],
  ])('GIVEN %s and %s THEN covers = %s', (outer, inner, expected) => {
    expect(patternCovers(outer, inner)).toBe(expected);
  });
});

describe('requiredScopesFor with pool scopes', () => {
  test('GIVEN auth.poolScopes for the serving pool THEN they join the tool scopes, sorted and unique', () => {
    expect(requiredScopesFor('a_*', [{ tools: 'a_*', scopes: ['a:x'] }], ['pool:p', 'a:x'])).toEqual({ scopes: ['a:x', 'pool:p'] });
    expect(requiredScopesFor('b_*', [], ['pool:p'])).toEqual({ scopes: ['pool:p'] });
  });
});

describe('requiredScopesFor', () => {
  const scopes = [
    { tools: 'github_admin_*', scopes: ['github:admin'] },
    { tools: 'github_*', scopes: ['github:write', 'github:read'] },
  ];

  test('GIVEN the first matching entry covers the pattern THEN its scopes are required, sorted', () => {
    expect(requiredScopesFor('github_issue_*', scopes)).toEqual({ scopes: ['github:read', 'github:write'] });
    expect(requiredScopesFor('github_admin_x', scopes)).toEqual({ scopes: ['github:admin'] });
  });

  test('GIVEN an entry that applies to only some of the tools THEN the scopes cannot be decided at the ALB', () => {
    expect(requiredScopesFor('github_*', scopes)).toEqual({ unresolvable: expect.stringContaining('github_admin_*') });
  });

  test('GIVEN no entry matches THEN no scopes are required', () => {
    expect(requiredScopesFor('slack_*', scopes)).toEqual({ scopes: [] });
  });
});

describe('jwtVerificationFor', () => {
  test('GIVEN scopes WHEN planned THEN aud and scope claims are required', () => {
    const s = resolveFleetSpec({ name: 'f', pools: [{ name: 'p', image: 'i', tools: ['a'] }], auth: { jwt } });
    expect(jwtVerificationFor(s, ['x:read'])).toEqual({
      issuer: 'https://idp.example.com',
      jwksEndpoint: 'https://idp.example.com/.well-known/jwks.json',
      additionalClaims: [
        { name: 'aud', format: 'single-string', values: ['mcp'] },
        { name: 'scope', format: 'space-separated-values', values: ['x:read'] },
      ],
    });
  });

  test('GIVEN several audiences and no scopes WHEN planned THEN aud is a string array and there is no scope claim', () => {
    const s = resolveFleetSpec({ name: 'f', pools: [{ name: 'p', image: 'i', tools: ['a'] }], auth: { jwt: { ...jwt, audience: ['a', 'b'] } } });
    expect(jwtVerificationFor(s, []).additionalClaims).toEqual([{ name: 'aud', format: 'string-array', values: ['a', 'b'] }]);
  });
});
