/**
 * The bridge's answers to raw HTTP: JSON-RPC batches where the revision allows them, and every
 * malformed or misdirected request refused with a clear error (status, JSON-RPC code, message).
 */
import { startBridge, type BridgeHandle } from '../../lib/bridge';
import { EVERYTHING_STDIO, quietLogger } from './support';

let bridge: BridgeHandle;
const BASE = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };

beforeAll(async () => {
  bridge = await startBridge({ ...EVERYTHING_STDIO, children: 1, maxSessions: 2, logger: quietLogger() });
});
afterAll(() => bridge.close());

function post(body: unknown, headers: Record<string, string> = {}) {
  return fetch(bridge.mcpUrl, { method: 'POST', headers: { ...BASE, ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
}

async function session(protocolVersion: string): Promise<string> {
  const res = await post({ jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion, capabilities: {}, clientInfo: { name: 'raw', version: '1' } } });
  expect(res.status).toBe(200);
  const id = res.headers.get('mcp-session-id')!;
  await post({ jsonrpc: '2.0', method: 'notifications/initialized' }, { 'mcp-session-id': id, 'mcp-protocol-version': protocolVersion });
  return id;
}

test('GIVEN a 2025-03-26 session WHEN a batch of two calls is posted THEN both answers come back, each with its own id', async () => {
  const id = await session('2025-03-26');
  const res = await post(
    [
      { jsonrpc: '2.0', id: 'a', method: 'tools/call', params: { name: 'echo', arguments: { message: 'one' } } },
      { jsonrpc: '2.0', id: 'b', method: 'tools/call', params: { name: 'echo', arguments: { message: 'two' } } },
    ],
    { 'mcp-session-id': id, 'mcp-protocol-version': '2025-03-26' },
  );
  expect(res.status).toBe(200);
  // One JSON array, or (when the server sent something first) an SSE stream of the two answers.
  const text = await res.text();
  const answers = (res.headers.get('content-type') === 'application/json' ? JSON.parse(text) : [...text.matchAll(/^data: (.*)$/gm)].map((m) => JSON.parse(m[1]!)).filter((m) => 'id' in m)) as Array<{
    id: string;
    result: { content: Array<{ text: string }> };
  }>;
  expect(answers.map((a) => [a.id, a.result.content[0]!.text]).sort()).toEqual([
    ['a', 'Echo: one'],
    ['b', 'Echo: two'],
  ]);
});

test.each([
  ['malformed JSON', () => post('{"jsonrpc":'), 400, -32700, /Parse error/],
  ['not JSON-RPC', () => post({ id: 1, method: 'ping' }), 400, -32600, /"jsonrpc": "2.0"/],
  ['a call without a session', () => post({ jsonrpc: '2.0', id: 1, method: 'tools/list' }), 400, -32000, /Mcp-Session-Id header is required/],
  ['an unknown session', () => post({ jsonrpc: '2.0', id: 1, method: 'tools/list' }, { 'mcp-session-id': 'nope' }), 404, -32001, /Session not found: nope/],
  [
    'an unsupported revision',
    () => post({ jsonrpc: '2.0', id: 1, method: 'tools/list' }, { 'mcp-session-id': 'x', 'mcp-protocol-version': '1999-01-01' }),
    400,
    -32022,
    /Unsupported protocol version: 1999-01-01/,
  ],
  [
    'a 2026 call whose Mcp-Name disagrees with the body',
    () =>
      post(
        {
          jsonrpc: '2.0',
          id: 1,
          method: 'tools/call',
          params: { name: 'echo', arguments: { message: 'x' }, _meta: { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': {} } },
        },
        { 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/call', 'mcp-name': 'get-sum' },
      ),
    400,
    -32020,
    /Mcp-Name header names "get-sum"/,
  ],
  ['a browser page of another origin', () => post({ jsonrpc: '2.0', id: 1, method: 'ping' }, { origin: 'https://evil.example' }), 403, -32000, /origin "https:\/\/evil.example"/],
  ['a body that is not JSON', () => post('x', { 'content-type': 'text/plain' }), 415, -32000, /Content-Type must be application\/json/],
])('GIVEN %s WHEN posted THEN a clear JSON-RPC error', async (_what, send, status, code, message) => {
  const res = await send();
  expect(res.status).toBe(status);
  const body = (await res.json()) as { error: { code: number; message: string } };
  expect(body.error.code).toBe(code);
  expect(body.error.message).toMatch(message);
});

test('GIVEN a 2025-11-25 session WHEN a batch is posted THEN 400: only 2025-03-26 allowed batches', async () => {
  const id = await session('2025-11-25');
  const res = await post([{ jsonrpc: '2.0', id: 1, method: 'ping' }], { 'mcp-session-id': id, 'mcp-protocol-version': '2025-11-25' });
  expect(res.status).toBe(400);
  expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/batches are not allowed in protocol version 2025-11-25/);
});

test('GIVEN no session WHEN GET or an unknown method THEN 405 with Allow', async () => {
  const get = await fetch(bridge.mcpUrl, { headers: { accept: 'text/event-stream' } });
  expect(get.status).toBe(405);
  expect(get.headers.get('allow')).toBe('POST');
  const put = await fetch(bridge.mcpUrl, { method: 'PUT' });
  expect(put.status).toBe(405);
  expect((await fetch(bridge.mcpUrl.replace('/mcp', '/elsewhere'))).status).toBe(404);
});

test('GIVEN the session limit is reached WHEN another client initializes THEN 503 with Retry-After naming the limit', async () => {
  // Two sessions exist from the tests above (maxSessions: 2).
  expect(bridge.sessionCount).toBe(2);
  const res = await post({ jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } });
  expect(res.status).toBe(503);
  expect(res.headers.get('retry-after')).toBe('5');
  expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/maximum of 2 sessions/);
});
