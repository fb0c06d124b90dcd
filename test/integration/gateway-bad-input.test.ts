/** Bad input on the MCP endpoint: every refusal with its HTTP status and JSON-RPC code. */
import { startV1StatelessPool, startV2Pool, type TestPool } from '../support/pools';
import { JSON_HEADERS, initializeLegacy, modernRequest, post, startGateway, type RunningGateway } from '../support/harness';
import type { Principal } from '../../lib/gateway/ports';

describe('gateway refuses bad input clearly', () => {
  let pools: TestPool[];
  let gw: RunningGateway;
  let url: string;

  beforeAll(async () => {
    pools = [await startV2Pool({ name: 'github', tools: ['github_search'] }), await startV1StatelessPool({ name: 'images', tools: ['images_resize'] })];
    // The caller names its principal in a header, so tests can act as two principals.
    const authenticator = { authenticate: async (r: { headers: Record<string, string> }): Promise<Principal> => ({ id: r.headers['x-test-principal'] ?? 'alice', scopes: [], method: 'api-key' }) };
    gw = await startGateway(
      {
        name: 'bad-input',
        pools: [
          { name: 'github', image: 'x', tools: ['github_*'] },
          { name: 'images', image: 'x', tools: ['images_*'], protocolVersion: '2025-06-18' },
        ],
        gateway: { maxBodyBytes: 10_000 },
      },
      { github: pools[0]!.url, images: pools[1]!.url },
      { authenticator },
    );
    url = gw.mcpUrl;
  });

  afterAll(async () => {
    await gw.close();
    await Promise.all(pools.map((p) => p.close()));
  });

  it('GIVEN malformed JSON WHEN posted THEN 400 with -32700 parse error', async () => {
    const res = await post(url, '{"jsonrpc": "2.0", "id": 1,');
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe(-32700);
  });

  it('GIVEN JSON that is not a JSON-RPC message WHEN posted THEN 400 with -32600 invalid request naming the problem', async () => {
    const res = await post(url, { jsonrpc: '1.0', id: 1, method: 'ping' });
    expect(res.status).toBe(400);
    expect(res.json.error).toMatchObject({ code: -32600, message: expect.stringContaining('"jsonrpc": "2.0"') });
    const nullId = await post(url, { jsonrpc: '2.0', id: null, method: 'ping' });
    expect(nullId.json.error.code).toBe(-32600);
  });

  it('GIVEN a wrong Content-Type WHEN posted THEN 415', async () => {
    const res = await post(url, { jsonrpc: '2.0', id: 1, method: 'ping' }, { ...JSON_HEADERS, 'content-type': 'text/plain' });
    expect(res.status).toBe(415);
  });

  it('GIVEN an Accept without text/event-stream WHEN posted THEN 406', async () => {
    const res = await post(url, { jsonrpc: '2.0', id: 1, method: 'ping' }, { ...JSON_HEADERS, accept: 'application/json' });
    expect(res.status).toBe(406);
    expect(res.json.error.message).toContain('text/event-stream');
  });

  it('GIVEN a body over gateway.maxBodyBytes WHEN posted THEN 413 before the gateway reads it all', async () => {
    const res = await post(url, { jsonrpc: '2.0', id: 1, method: 'ping', params: { pad: 'x'.repeat(20_000) } });
    expect(res.status).toBe(413);
    expect(res.json.error.message).toContain('10000 bytes');
  });

  it('GIVEN a 2025-era request without a session id WHEN posted THEN 400', async () => {
    const res = await post(url, { jsonrpc: '2.0', id: 1, method: 'tools/list' });
    expect(res.status).toBe(400);
    expect(res.json.error.message).toContain('Mcp-Session-Id');
  });

  it('GIVEN an unknown session id WHEN posted THEN 404 so that the client re-initializes', async () => {
    const res = await post(url, { jsonrpc: '2.0', id: 1, method: 'tools/list' }, { ...JSON_HEADERS, 'mcp-session-id': 'local.not-a-session' });
    expect(res.status).toBe(404);
    expect(res.json.error.code).toBe(-32001);
  });

  it('GIVEN a session of another principal WHEN presented THEN 404 as if unknown', async () => {
    const sessionId = await initializeLegacy(url, { 'x-test-principal': 'alice' });
    const own = await post(url, { jsonrpc: '2.0', id: 1, method: 'ping' }, { ...JSON_HEADERS, 'mcp-session-id': sessionId, 'x-test-principal': 'alice' });
    expect(own.status).toBe(200);
    const foreign = await post(url, { jsonrpc: '2.0', id: 1, method: 'ping' }, { ...JSON_HEADERS, 'mcp-session-id': sessionId, 'x-test-principal': 'mallory' });
    expect(foreign.status).toBe(404);
  });

  it('GIVEN a minted session id WHEN inspected THEN it carries the region and at least 128 random bits', async () => {
    const sessionId = await initializeLegacy(url);
    const [region, random] = sessionId.split('.');
    expect(region).toBe('local');
    expect(Buffer.from(random!, 'base64url').length * 8).toBeGreaterThanOrEqual(128);
  });

  it('GIVEN DELETE of a session WHEN it is used again THEN 404', async () => {
    const sessionId = await initializeLegacy(url);
    const del = await fetch(url, { method: 'DELETE', headers: { 'mcp-session-id': sessionId } });
    expect(del.status).toBe(200);
    const after = await post(url, { jsonrpc: '2.0', id: 1, method: 'ping' }, { ...JSON_HEADERS, 'mcp-session-id': sessionId });
    expect(after.status).toBe(404);
  });

  it('GIVEN GET or DELETE without a 2025-era session WHEN sent (no session id, or a 2026-07-28 caller) THEN 405 with Allow: POST', async () => {
    for (const headers of [{ accept: 'text/event-stream' }, { accept: 'text/event-stream', 'mcp-protocol-version': '2026-07-28' }] as Array<Record<string, string>>) {
      const res = await fetch(url, { headers });
      expect(res.status).toBe(405);
      expect(res.headers.get('allow')).toBe('POST');
      expect((await res.json()).error.message).toContain('subscriptions/listen');
    }
    const del = await fetch(url, { method: 'DELETE', headers: { 'mcp-protocol-version': '2026-07-28' } });
    expect(del.status).toBe(405);
  });

  it('GIVEN notifications and client responses in a session WHEN posted THEN 202 without a body', async () => {
    const sessionId = await initializeLegacy(url);
    const headers = { ...JSON_HEADERS, 'mcp-session-id': sessionId };
    const notification = await post(url, { jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 9 } }, headers);
    expect(notification.status).toBe(202);
    const response = await post(url, { jsonrpc: '2.0', id: 'server-1', result: {} }, headers);
    expect(response.status).toBe(202);
  });

  it('GIVEN a batch WHEN the session speaks 2025-11-25 THEN 400; WHEN it speaks 2025-03-26 THEN each request is answered', async () => {
    const batch = [
      { jsonrpc: '2.0', id: 1, method: 'ping' },
      { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'images_resize', arguments: { n: 2 } } },
      { jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: 1, progress: 1 } },
    ];
    const modernSession = await initializeLegacy(url);
    const refused = await post(url, batch, { ...JSON_HEADERS, 'mcp-session-id': modernSession });
    expect(refused.status).toBe(400);
    expect(refused.json.error.code).toBe(-32600);
    const oldSession = await initializeLegacy(url, {}, '2025-03-26');
    const answered = await post(url, batch, { ...JSON_HEADERS, 'mcp-session-id': oldSession });
    expect(answered.status).toBe(200);
    expect(answered.json.map((m: { id: number }) => m.id)).toEqual([1, 2]);
    expect(JSON.parse(answered.json[1].result.content[0].text)).toMatchObject({ pool: 'images', args: { n: 2 } });
  });

  it('GIVEN a 2026 request whose Mcp-Method header disagrees with the body WHEN posted THEN 400 with -32020', async () => {
    const { headers, body } = modernRequest('tools/list');
    const res = await post(url, body, { ...headers, 'mcp-method': 'tools/call' });
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe(-32020);
  });

  it('GIVEN a 2026 tools/call whose Mcp-Name header names another tool WHEN posted THEN 400 with -32020', async () => {
    const { headers, body } = modernRequest('tools/call', { name: 'github_search', arguments: {} });
    const res = await post(url, body, { ...headers, 'mcp-name': 'images_resize' });
    expect(res.status).toBe(400);
    expect(res.json.error).toMatchObject({ code: -32020, data: { mismatch: { header: 'images_resize', body: 'github_search' } } });
    const { 'mcp-name': _name, ...withoutName } = headers;
    const missing = await post(url, body, withoutName);
    expect([missing.status, missing.json.error.code]).toEqual([400, -32020]);
    expect(missing.json.error.message).toContain('Mcp-Name header is absent');
  });

  it('GIVEN a 2026 header without the _meta envelope WHEN posted THEN 400 with -32602', async () => {
    const { headers } = modernRequest('tools/list');
    const res = await post(url, { jsonrpc: '2.0', id: 1, method: 'tools/list' }, headers);
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe(-32602);
  });

  it('GIVEN an unsupported protocol version WHEN claimed in the envelope or the header THEN 400 with -32022 and the supported versions', async () => {
    const { headers, body } = modernRequest('tools/list');
    const claimed = { ...body, params: { _meta: { ...body.params._meta, 'io.modelcontextprotocol/protocolVersion': '2099-01-01' } } };
    const res = await post(url, claimed, { ...headers, 'mcp-protocol-version': '2099-01-01' });
    expect(res.status).toBe(400);
    expect(res.json.error).toMatchObject({ code: -32022, data: { supported: ['2026-07-28', '2025-11-25', '2025-06-18', '2025-03-26'], requested: '2099-01-01' } });
    const sessionId = await initializeLegacy(url);
    const legacy = await post(url, { jsonrpc: '2.0', id: 1, method: 'ping' }, { ...JSON_HEADERS, 'mcp-session-id': sessionId, 'mcp-protocol-version': '1999-01-01' });
    expect([legacy.status, legacy.json.error.code]).toEqual([400, -32022]);
  });

  it('GIVEN initialize with a 2026 header WHEN posted THEN 400 with -32020', async () => {
    const res = await post(
      url,
      { jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'x', version: '1' } } },
      { ...JSON_HEADERS, 'mcp-protocol-version': '2026-07-28' },
    );
    expect([res.status, res.json.error.code]).toEqual([400, -32020]);
  });

  it('GIVEN an unknown tool WHEN called in either era THEN the JSON-RPC error -32602 "Unknown tool"', async () => {
    const { headers, body } = modernRequest('tools/call', { name: 'nobody_owns_this', arguments: {} });
    const modern = await post(url, body, headers);
    expect(modern.status).toBe(200);
    expect(modern.json).toMatchObject({ id: 1, error: { code: -32602, message: 'Unknown tool: nobody_owns_this' } });
    const sessionId = await initializeLegacy(url);
    const legacy = await post(url, { jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'nobody_owns_this' } }, { ...JSON_HEADERS, 'mcp-session-id': sessionId });
    expect(legacy.json).toMatchObject({ id: 7, error: { code: -32602 } });
  });

  it('GIVEN an unknown method WHEN called THEN -32601', async () => {
    const { headers, body } = modernRequest('tasks/list');
    const res = await post(url, body, headers);
    expect(res.json.error.code).toBe(-32601);
  });

  it('GIVEN a path other than the MCP endpoint WHEN requested THEN 404', async () => {
    const res = await fetch(url.replace('/mcp', '/other'));
    expect(res.status).toBe(404);
  });
});
