/**
 * Authorization attacks against a real gateway (JWTs from a real JWKS, real SDK clients, real pools):
 * a case variant of a scoped tool, tools a pool lists outside its patterns, prototype method names
 * and deeply nested JSON.
 */
import { JwtAuthenticator } from '../../lib/gateway/auth';
import type { FleetSpec } from '../../lib/spec/types';
import { startIssuer, type Issuer } from '../gateway/auth/jwks-server';
import { answerOf, connectV2 } from '../support/clients';
import { JSON_HEADERS, modernRequest, post, startGateway, type RunningGateway } from '../support/harness';
import { startV2Pool, type TestPool } from '../support/pools';

const AUDIENCE = 'https://mcp.example.com/mcp';

describe('security: one matching rule for routing and authorization', () => {
  let issuer: Issuer;
  let echo: TestPool;
  const running: RunningGateway[] = [];

  const spec = (extra: Partial<FleetSpec> = {}): FleetSpec => ({
    name: 'sec-scopes',
    pools: [{ name: 'echo', image: 'x', tools: ['echo_*'] }],
    auth: { jwt: { issuer: 'https://issuer.example.com', audience: [AUDIENCE] }, toolScopes: [{ tools: 'echo_*', scopes: ['echo:admin'] }] },
    ...extra,
  });

  async function gateway(extra: Partial<FleetSpec> = {}): Promise<RunningGateway> {
    const authenticator = new JwtAuthenticator({ issuer: issuer.issuer, audience: [AUDIENCE], jwksUri: issuer.jwksUri, principalClaim: 'sub' }, { resourceMetadataUrl: `${AUDIENCE}/meta` });
    const g = await startGateway(spec(extra), { echo: echo.url }, { authenticator });
    running.push(g);
    return g;
  }
  const token = (scope: string) => issuer.sign({ iss: issuer.issuer, aud: AUDIENCE, sub: 'mallory', scope });

  beforeAll(async () => {
    issuer = await startIssuer();
    // The pool declares a mixed-case admin tool and one tool outside the spec's patterns.
    echo = await startV2Pool({ name: 'echo', tools: ['echo_public', 'Echo_Admin', 'shell_exec'] });
  });
  afterAll(async () => {
    await Promise.all(running.map((g) => g.close()));
    await echo.close();
    await issuer.close();
  });

  it('GIVEN toolScopes echo_* WHEN a caller without the scope calls the pool-declared "Echo_Admin" (and "ECHO_ADMIN") THEN 403, and with the scope it runs', async () => {
    const g = await gateway();
    const mallory = await connectV2(g.mcpUrl, { authorization: `Bearer ${await token('other')}` });
    for (const name of ['Echo_Admin', 'ECHO_ADMIN', 'echo_public']) {
      await expect(mallory.callTool({ name, arguments: {} })).rejects.toThrow(/Insufficient scope: required "echo:admin"/);
    }
    // The raw HTTP answer: 403 with the insufficient_scope challenge.
    const raw = modernRequest('tools/call', { name: 'Echo_Admin', arguments: {} });
    const res = await post(g.mcpUrl, raw.body, { ...raw.headers, authorization: `Bearer ${await token('other')}` });
    expect(res.status).toBe(403);
    expect(res.headers.get('www-authenticate')).toContain('insufficient_scope');

    const admin = await connectV2(g.mcpUrl, { authorization: `Bearer ${await token('echo:admin')}` });
    expect(answerOf(await admin.callTool({ name: 'Echo_Admin', arguments: {} }))).toMatchObject({ pool: 'echo', tool: 'Echo_Admin' });
    await mallory.close();
    await admin.close();
  });

  it('GIVEN a pool that lists a tool outside its patterns WHEN listed or called THEN it is hidden and refused by default', async () => {
    const g = await gateway();
    const admin = await connectV2(g.mcpUrl, { authorization: `Bearer ${await token('echo:admin')}` });
    expect((await admin.listTools()).tools.map((t) => t.name)).toEqual(['echo_public', 'Echo_Admin']);
    await expect(admin.callTool({ name: 'shell_exec', arguments: {} })).rejects.toThrow(/Unknown tool: shell_exec/);
    await admin.close();
  });

  it('GIVEN gateway.allowUndeclaredTools WHEN listed or called THEN the opt-in serves it', async () => {
    const g = await gateway({ gateway: { allowUndeclaredTools: true } });
    const admin = await connectV2(g.mcpUrl, { authorization: `Bearer ${await token('echo:admin')}` });
    expect((await admin.listTools()).tools.map((t) => t.name)).toContain('shell_exec');
    expect(answerOf(await admin.callTool({ name: 'shell_exec', arguments: {} }))).toMatchObject({ pool: 'echo', tool: 'shell_exec' });
    await admin.close();
  });
});

describe('security: scopes follow the serving pool; every routed method is authorized; lists are per caller', () => {
  let issuer: Issuer;
  let pools: TestPool[];
  let g: RunningGateway;
  const token = (scope: string) => issuer.sign({ iss: issuer.issuer, aud: AUDIENCE, sub: 'mallory', scope });
  const as = async (scope: string) => connectV2(g.mcpUrl, { authorization: `Bearer ${await token(scope)}` });

  beforeAll(async () => {
    issuer = await startIssuer();
    pools = [
      await startV2Pool({ name: 'echo', tools: ['echo_admin', 'echo_public'] }),
      // A discovery-only pool that also lists "echo_admin": exposed as "misc__echo_admin".
      await startV2Pool({ name: 'misc', tools: ['echo_admin', 'misc_tool'] }),
      await startV2Pool({ name: 'docs', tools: ['docs_search'], extras: true }),
      await startV2Pool({ name: 'fast', tools: ['echo_public'] }),
    ];
    const authenticator = new JwtAuthenticator({ issuer: issuer.issuer, audience: [AUDIENCE], jwksUri: issuer.jwksUri, principalClaim: 'sub' }, { resourceMetadataUrl: `${AUDIENCE}/meta` });
    g = await startGateway(
      {
        name: 'sec-pools',
        pools: [
          { name: 'echo', image: 'x', tools: ['echo_*'] },
          { name: 'misc', image: 'x', tools: [], discoveryOnly: true },
          { name: 'docs', image: 'x', tools: ['docs_*'] },
          { name: 'fast', image: 'x', tools: ['echo_public'], priorityRoute: { header: 'x-mcp-priority', value: 'high' } },
        ],
        auth: {
          jwt: { issuer: 'https://issuer.example.com', audience: [AUDIENCE] },
          toolScopes: [{ tools: 'echo_admin', scopes: ['echo:admin'] }],
          poolScopes: { docs: ['docs:read'], fast: ['mcp:priority'] },
        },
      },
      Object.fromEntries(pools.map((p, i) => [['echo', 'misc', 'docs', 'fast'][i], p.url])),
      { authenticator },
    );
  });
  afterAll(async () => {
    await g.close();
    await Promise.all(pools.map((p) => p.close()));
    await issuer.close();
  });

  it('GIVEN a collision-prefixed copy of a scoped tool WHEN called without the scope THEN 403 (the declared name is checked too)', async () => {
    const mallory = await as('none');
    await expect(mallory.callTool({ name: 'misc__echo_admin', arguments: {} })).rejects.toThrow(/Insufficient scope: required "echo:admin"/);
    const admin = await as('echo:admin');
    expect(answerOf(await admin.callTool({ name: 'misc__echo_admin', arguments: {} }))).toMatchObject({ pool: 'misc', tool: 'echo_admin' });
    await Promise.all([mallory.close(), admin.close()]);
  });

  it('GIVEN poolScopes WHEN prompts/get, resources/read and completion/complete reach the pool without its scope THEN 403, with it they work', async () => {
    const calls = (c: Awaited<ReturnType<typeof as>>) => [
      () => c.getPrompt({ name: 'docs_prompt' }),
      () => c.readResource({ uri: 'docs://info' }),
      () => c.complete({ ref: { type: 'ref/prompt', name: 'docs_prompt' }, argument: { name: 'a', value: 'b' } }),
    ];
    const mallory = await as('none');
    for (const call of calls(mallory)) await expect(call()).rejects.toThrow(/docs:read/);
    const reader = await as('docs:read');
    expect(JSON.stringify(await reader.getPrompt({ name: 'docs_prompt' }))).toContain('prompt of docs');
    expect(JSON.stringify(await reader.readResource({ uri: 'docs://info' }))).toContain('info of docs');
    await Promise.all([mallory.close(), reader.close()]);
  });

  it('GIVEN scopes WHEN lists are asked for THEN each caller sees only what it may use', async () => {
    const mallory = await as('none');
    expect((await mallory.listTools()).tools.map((t) => t.name)).toEqual(['echo_public', 'misc_tool']);
    expect((await mallory.listPrompts()).prompts).toEqual([]);
    expect((await mallory.listResources()).resources).toEqual([]);
    const all = await as('echo:admin docs:read');
    expect((await all.listTools()).tools.map((t) => t.name)).toEqual(['echo_admin', 'echo_public', 'misc__echo_admin', 'misc_tool', 'docs_search']);
    expect((await all.listPrompts()).prompts.map((p) => p.name)).toEqual(['docs_prompt']);
    expect((await all.listResources()).resources.map((r) => r.uri)).toEqual(['docs://info']);
    await Promise.all([mallory.close(), all.close()]);
  });

  it('GIVEN /health WHEN asked through the load balancer (X-Forwarded-For) THEN only the verdict; an authenticated or internal caller gets the details', async () => {
    const health = g.mcpUrl.replace('/mcp', '/health');
    const viaAlb = { 'x-forwarded-for': '203.0.113.7' };
    const bare = await fetch(health, { headers: viaAlb });
    expect(await bare.json()).toEqual({ status: 'ok' });
    const authed = await fetch(health, { headers: { ...viaAlb, authorization: `Bearer ${await token('none')}` } });
    expect(await authed.json()).toMatchObject({ status: 'ok', pools: { echo: { status: 'ok' } } });
    const forged = await fetch(health, { headers: { ...viaAlb, authorization: 'Bearer not-a-token' } });
    expect(await forged.json()).toEqual({ status: 'ok' });
    const internal = await fetch(health);
    expect(await internal.json()).toMatchObject({ status: 'ok', store: 'ok', pools: { docs: { status: 'ok' } } });
  });

  it('GIVEN a priority pool with a pool scope WHEN the priority header is sent without the scope THEN 403; with it the priority pool answers', async () => {
    const priority = { 'x-mcp-priority': 'high' };
    const mallory = await connectV2(g.mcpUrl, { ...priority, authorization: `Bearer ${await token('none')}` });
    await expect(mallory.callTool({ name: 'echo_public', arguments: {} })).rejects.toThrow(/mcp:priority/);
    const vip = await connectV2(g.mcpUrl, { ...priority, authorization: `Bearer ${await token('mcp:priority')}` });
    expect(answerOf(await vip.callTool({ name: 'echo_public', arguments: {} }))).toMatchObject({ pool: 'fast' });
    // Without the header the owning pool answers, no scope needed.
    const plain = await as('none');
    expect(answerOf(await plain.callTool({ name: 'echo_public', arguments: {} }))).toMatchObject({ pool: 'echo' });
    await Promise.all([mallory.close(), vip.close(), plain.close()]);
  });
});

describe('security: hostile JSON-RPC input answers 4xx, never 500', () => {
  let pool: TestPool;
  let g: RunningGateway;

  beforeAll(async () => {
    pool = await startV2Pool({ name: 'github', tools: ['github_search'] });
    g = await startGateway({ name: 'sec-input', pools: [{ name: 'github', image: 'x', tools: ['github_*'] }] }, { github: pool.url });
  });
  afterAll(async () => {
    await g.close();
    await pool.close();
  });

  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty'])('GIVEN method "%s" WHEN posted (2026 era) THEN -32601 method not found', async (method) => {
    const raw = modernRequest(method);
    const res = await post(g.mcpUrl, raw.body, raw.headers);
    expect(res.status).toBe(200);
    expect(res.json.error).toMatchObject({ code: -32601, message: `Method not found: ${method}` });
  });

  it('GIVEN arguments nested 100 000 deep WHEN posted THEN 400 -32600 naming the depth limit', async () => {
    const raw = modernRequest('tools/call', { name: 'github_search', arguments: {} });
    const body = JSON.stringify(raw.body).replace('"arguments":{}', `"arguments":{"x":${'['.repeat(100_000)}${']'.repeat(100_000)}}`);
    const res = await post(g.mcpUrl, body, raw.headers);
    expect(res.status).toBe(400);
    expect(res.json.error).toMatchObject({ code: -32600, message: expect.stringContaining('deeper than 64 levels') });
    // Brackets inside strings are data, not nesting.
    const text = modernRequest('tools/call', { name: 'github_search', arguments: { text: '['.repeat(1000) } });
    expect((await post(g.mcpUrl, text.body, text.headers)).status).toBe(200);
  });

  it('GIVEN a 2025-era session WHEN a prototype method is sent THEN -32601 too', async () => {
    const init = await post(g.mcpUrl, { jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'x', version: '1' } } });
    const sessionId = init.headers.get('mcp-session-id')!;
    const res = await post(g.mcpUrl, { jsonrpc: '2.0', id: 1, method: '__proto__' }, { ...JSON_HEADERS, 'mcp-session-id': sessionId, 'mcp-protocol-version': '2025-11-25' });
    expect(res.json.error).toMatchObject({ code: -32601 });
  });
});
