/**
 * Process lifecycle of the bridge over server-everything: a pooled process that crashes is
 * restarted, idle sessions are reaped, a command that cannot start fails health, shutdown drains,
 * and callers are verified when the bridge has an identity key.
 */
import { startBridge } from '../../lib/bridge';
import { IdentitySigner, poolIdentityKey } from '../../lib/gateway/auth/identity';
import { IDENTITY_HEADER } from '../../lib/spec/gateway-env';
import { connectV1, connectV2 } from '../support/clients';
import { EVERYTHING_STDIO, alive, quietLogger, textOf, waitFor, type LogLine } from './support';

test('a crashed pool process is restarted (with back-off) and serves again', async () => {
  const lines: LogLine[] = [];
  const bridge = await startBridge({ ...EVERYTHING_STDIO, children: 1, logger: quietLogger(lines) });
  try {
    const client = await connectV2(bridge.mcpUrl);
    const [pid] = bridge.processIds().pool;
    process.kill(pid!, 'SIGKILL');
    await waitFor(() => bridge.processIds().pool.length === 1 && bridge.processIds().pool[0] !== pid);
    expect(lines.some((l) => l.message === 'restarting server process' && typeof l.fields.delayMs === 'number')).toBe(true);
    expect(textOf(await client.callTool({ name: 'echo', arguments: { message: 'again' } }))).toBe('Echo: again');
    await client.close();
  } finally {
    await bridge.close();
  }
});

test('an idle session is reaped: its process ends and its id gets 404', async () => {
  const bridge = await startBridge({ ...EVERYTHING_STDIO, children: 1, sessionIdleTimeoutMs: 300, logger: quietLogger() });
  try {
    const { client, transport } = await connectV1(bridge.mcpUrl);
    await client.listTools();
    const id = transport.sessionId!;
    const pid = bridge.processIds().sessions[id]!;
    // The SDK client keeps a GET stream open, which counts as activity; a caller that went away does not.
    await client.close();
    await waitFor(() => bridge.processIds().sessions[id] === undefined, 5000);
    await waitFor(() => !alive(pid), 5000);
    const res = await fetch(bridge.mcpUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-session-id': id },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }),
    });
    expect(res.status).toBe(404);
  } finally {
    await bridge.close();
  }
});

test('a command that cannot start: /health says 503 with the reason', async () => {
  const bridge = await startBridge({ command: '/nonexistent/mcp-server', children: 1, initializeTimeoutMs: 500, logger: quietLogger() });
  try {
    const res = await fetch(bridge.healthUrl);
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ status: 'unavailable', reason: expect.any(String) });
  } finally {
    await bridge.close();
  }
});

test('SIGTERM drain: a running call finishes, new requests are refused, every process ends', async () => {
  const bridge = await startBridge({ ...EVERYTHING_STDIO, children: 1, drainTimeoutMs: 10_000, logger: quietLogger() });
  const { client } = await connectV1(bridge.mcpUrl);
  const v2 = await connectV2(bridge.mcpUrl);
  const subscription = await v2.listen({ toolsListChanged: true });
  const pids = [...bridge.processIds().pool, ...Object.values(bridge.processIds().sessions)];
  expect(pids.length).toBe(2);

  const started = Date.now();
  const running = client.callTool({ name: 'trigger-long-running-operation', arguments: { duration: 1, steps: 2 } });
  await new Promise((resolve) => setTimeout(resolve, 200));
  const closing = bridge.close();
  // The listening socket is closed at once: a new connection is refused.
  await expect(fetch(bridge.healthUrl)).rejects.toThrow();
  const result = await running;
  expect(JSON.stringify(result)).toContain('Long running operation completed');
  expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
  await closing;
  // Subscriptions end with their result: the caller knows to listen again elsewhere.
  expect(await subscription.closed).toBe('graceful');
  for (const pid of pids) await waitFor(() => !alive(pid));
  await Promise.all([client.close(), v2.close()]).catch(() => undefined);
});

test('with an identity key, callers need the gateway-signed identity of this fleet and pool (401 otherwise)', async () => {
  const fleetKey = 'bridge-test-fleet-key-of-at-least-32-bytes';
  const key = poolIdentityKey(fleetKey, 'agents', 'everything');
  const bridge = await startBridge({ ...EVERYTHING_STDIO, children: 1, identity: { key, fleet: 'agents', pool: 'everything' }, logger: quietLogger() });
  try {
    const signer = new IdentitySigner({ key: fleetKey, fleet: 'agents' });
    const alice = { id: 'alice', scopes: [], method: 'api-key' as const };
    const client = await connectV2(bridge.mcpUrl, { [IDENTITY_HEADER]: await signer.tokenFor(alice, 'everything') });
    expect(textOf(await client.callTool({ name: 'echo', arguments: { message: 'signed' } }))).toBe('Echo: signed');
    await client.close();

    const call = (headers: Record<string, string>) =>
      fetch(bridge.mcpUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '1' } } }),
      });
    expect((await call({})).status).toBe(401);
    const forOtherPool = await call({ [IDENTITY_HEADER]: await signer.tokenFor(alice, 'github') });
    expect(forOtherPool.status).toBe(401);
    expect((await forOtherPool.json()).error.message).toMatch(/^Unauthorized: /);
    // The health check stays open to the load balancer.
    expect((await fetch(bridge.healthUrl)).status).toBe(200);
  } finally {
    await bridge.close();
  }
});

test('the server processes do not get the bridge identity keys, and do get the rest of the environment', async () => {
  const env = { ...process.env, MCP_FLEET_IDENTITY_KEY: 'secret-pool-key', MCP_FLEET_IDENTITY_FLEET_KEY: 'secret-fleet-key', BRIDGE_TEST_SETTING: 'visible' };
  const bridge = await startBridge({ ...EVERYTHING_STDIO, env, children: 1, logger: quietLogger() });
  try {
    const { client } = await connectV1(bridge.mcpUrl);
    const v2 = await connectV2(bridge.mcpUrl);
    for (const seen of [textOf(await client.callTool({ name: 'get-env', arguments: {} })), textOf(await v2.callTool({ name: 'get-env', arguments: {} }))]) {
      expect(seen).toContain('BRIDGE_TEST_SETTING');
      expect(seen).not.toContain('secret-pool-key');
      expect(seen).not.toContain('secret-fleet-key');
    }
    await Promise.all([client.close(), v2.close()]);
  } finally {
    await bridge.close();
  }
});
