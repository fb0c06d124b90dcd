/** The security and limit policies as the gateway applies them: Origin, tool scopes, rate limits, RFC 9728 metadata. */
import type { Principal } from '../../lib/gateway/ports';
import { MemoryRateLimiter } from '../../lib/gateway/resilience/memory-rate-limiter';
import { modernRequest, post, startGateway, type RunningGateway } from '../support/harness';
import { startV2Pool, type TestPool } from '../support/pools';

describe('gateway policies', () => {
  let pool: TestPool;
  let gw: RunningGateway;

  beforeAll(async () => {
    pool = await startV2Pool({ name: 'github', tools: ['github_read', 'github_admin'] });
    const authenticator = {
      authenticate: async (r: { headers: Record<string, string> }): Promise<Principal> => ({ id: r.headers['x-test-principal'] ?? 'alice', scopes: ['repo:read'], method: 'jwt' }),
    };
    gw = await startGateway(
      {
        name: 'policies',
        pools: [{ name: 'github', image: 'x', tools: ['github_*'] }],
        auth: {
          jwt: { issuer: 'https://issuer.example.com', audience: ['https://mcp.example.com/mcp'] },
          toolScopes: [{ tools: 'github_admin', scopes: ['repo:admin', 'repo:read'] }],
          allowedOrigins: ['https://app.example.com'],
        },
        rateLimits: { perAgent: { toolCalls: { perSecond: 1, burst: 2 } } },
      },
      { github: pool.url },
      { authenticator, rateLimiter: new MemoryRateLimiter(), publicUrl: 'https://mcp.example.com' },
    );
  });

  afterAll(async () => {
    await gw.close();
    await pool.close();
  });

  const call = (tool: string, principal: string, extra: Record<string, string> = {}) => {
    const { headers, body } = modernRequest('tools/call', { name: tool, arguments: {} });
    return post(gw.mcpUrl, body, { ...headers, 'x-test-principal': principal, ...extra });
  };

  it('GIVEN a browser Origin that is not allowed WHEN it posts THEN 403; an allowed Origin passes', async () => {
    expect((await call('github_read', 'origin-test', { origin: 'https://evil.example.com' })).status).toBe(403);
    expect((await call('github_read', 'origin-test', { origin: 'https://app.example.com' })).status).toBe(200);
  });

  it("GIVEN a caller without the tool's scopes WHEN it calls THEN 403 with an insufficient_scope challenge naming every scope and the metadata URL", async () => {
    const res = await call('github_admin', 'scope-test');
    expect(res.status).toBe(403);
    expect(res.headers.get('www-authenticate')).toBe(
      'Bearer error="insufficient_scope", error_description="tool \\"github_admin\\" requires scopes repo:admin repo:read", scope="repo:admin repo:read", resource_metadata="https://mcp.example.com/.well-known/oauth-protected-resource/mcp"',
    );
  });

  it('GIVEN an agent over its tools/call bucket WHEN it calls again THEN 429 with Retry-After, while another agent still gets through', async () => {
    expect((await call('github_read', 'busy')).status).toBe(200);
    expect((await call('github_read', 'busy')).status).toBe(200);
    const limited = await call('github_read', 'busy');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('1');
    expect(limited.json).toMatchObject({ id: 1, error: { message: expect.stringContaining('Rate limit exceeded') } });
    expect((await call('github_read', 'calm')).status).toBe(200);
  });

  it('GIVEN the RFC 9728 well-known path WHEN fetched THEN the protected resource metadata names the issuer', async () => {
    const res = await fetch(gw.mcpUrl.replace('/mcp', '/.well-known/oauth-protected-resource/mcp'));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ resource: 'https://mcp.example.com/mcp', authorization_servers: ['https://issuer.example.com'] });
  });

  it('GIVEN lists and pings WHEN the bucket is empty THEN they are not limited (only tools/call is)', async () => {
    const { headers, body } = modernRequest('tools/list');
    for (let i = 0; i < 4; i++) expect((await post(gw.mcpUrl, body, { ...headers, 'x-test-principal': 'busy' })).status).toBe(200);
  });
});
