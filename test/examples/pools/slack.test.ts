import { SLACK_TOOLS, startSlackPool, type PoolHandle } from '../../../examples/pools';
import { allText, connectLegacy, firstText } from '../support';

const MCP_HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-11-25' };

describe('slack example pool (SDK v1, stateful)', () => {
  let pool: PoolHandle;
  beforeAll(async () => {
    pool = await startSlackPool({ port: 0 });
  });
  afterAll(() => pool.close());

  test('GIVEN two sessions WHEN one composes a draft THEN the draft lives in that session only, and sending posts it for everyone', async () => {
    const alice = await connectLegacy(pool.url, 'alice');
    const bob = await connectLegacy(pool.url, 'bob');
    try {
      expect(alice.transport.sessionId).toMatch(/^[0-9a-f-]{36}$/);
      expect(alice.transport.sessionId).not.toBe(bob.transport.sessionId);
      expect((await alice.client.listTools()).tools.map((t) => t.name)).toEqual([...SLACK_TOOLS]);

      await alice.client.callTool({ name: 'slack_draft_append', arguments: { text: 'release 1.2 is out' } });
      expect(firstText(await alice.client.callTool({ name: 'slack_draft_append', arguments: { text: 'notes in #deploys' } }))).toEqual({ lines: 2, characters: 36 });
      expect(firstText(await bob.client.callTool({ name: 'slack_draft_show', arguments: {} }))).toEqual({ lines: 0, text: '' });

      const sent = firstText(await alice.client.callTool({ name: 'slack_draft_send', arguments: { channel: '#random' } })) as { author: string; text: string };
      expect(sent).toMatchObject({ channel: 'random', author: 'anonymous', text: 'release 1.2 is out\nnotes in #deploys' });
      expect(firstText(await alice.client.callTool({ name: 'slack_draft_show', arguments: {} }))).toEqual({ lines: 0, text: '' });

      const history = firstText(await bob.client.callTool({ name: 'slack_channel_history', arguments: { channel: 'random', limit: 5 } })) as { messages: unknown[] };
      expect(history.messages).toEqual([expect.objectContaining({ author: 'anonymous', text: sent.text })]);
    } finally {
      await alice.client.close();
      await bob.client.close();
    }
  });

  test('GIVEN an empty draft or an unknown channel WHEN sending THEN the tool answers an error that says why', async () => {
    const { client } = await connectLegacy(pool.url);
    try {
      const empty = await client.callTool({ name: 'slack_draft_send', arguments: { channel: 'general' } });
      expect(empty.isError).toBe(true);
      expect(allText(empty)).toMatch(/draft is empty/);
      await client.callTool({ name: 'slack_draft_append', arguments: { text: 'hi' } });
      const unknown = await client.callTool({ name: 'slack_draft_send', arguments: { channel: 'nowhere' } });
      expect(allText(unknown)).toMatch(/unknown channel "nowhere"; channels: #general, #deploys, #random/);
    } finally {
      await client.close();
    }
  });

  test('GIVEN a session WHEN it is deleted THEN its id gets 404 (the client must re-initialize)', async () => {
    const { client, transport } = await connectLegacy(pool.url);
    const id = transport.sessionId!;
    await transport.terminateSession();
    await client.close();
    const response = await fetch(pool.url, { method: 'POST', headers: { ...MCP_HEADERS, 'mcp-session-id': id }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }) });
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { code: -32001, message: 'Session not found' } });
  });

  test('GIVEN no session id WHEN a request other than initialize arrives THEN 400', async () => {
    const response = await fetch(pool.url, { method: 'POST', headers: MCP_HEADERS, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }) });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(/Mcp-Session-Id header is required/);
  });

  test('GIVEN a body that is not JSON WHEN posted THEN 400 with the parse error code', async () => {
    const response = await fetch(pool.url, { method: 'POST', headers: MCP_HEADERS, body: '{"jsonrpc":' });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: -32700 } });
  });

  test('GIVEN idle sessions WHEN the idle time passes THEN they expire', async () => {
    const shortLived = await startSlackPool({ port: 0, sessionIdleMs: 200 });
    try {
      const { client, transport } = await connectLegacy(shortLived.url);
      const id = transport.sessionId!;
      await client.close();
      await new Promise((resolve) => setTimeout(resolve, 600));
      const response = await fetch(shortLived.url, { method: 'POST', headers: { ...MCP_HEADERS, 'mcp-session-id': id }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }) });
      expect(response.status).toBe(404);
    } finally {
      await shortLived.close();
    }
  });

  test('GIVEN a session with an open GET stream WHEN the pool closes THEN it does not wait for the stream to end', async () => {
    const own = await startSlackPool({ port: 0, drainTimeoutMs: 20_000 });
    const { client } = await connectLegacy(own.url);
    await client.callTool({ name: 'slack_draft_append', arguments: { text: 'unsent' } });
    const started = Date.now();
    await own.close();
    expect(Date.now() - started).toBeLessThan(2000);
    await client.close();
  });

  test('GIVEN a running pool WHEN /health is asked THEN it answers 200 after initialize and ping', async () => {
    const response = await fetch(pool.healthUrl);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok', pool: 'slack' });
  });
});
