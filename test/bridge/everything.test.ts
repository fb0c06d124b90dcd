/**
 * `startBridge` over the official `@modelcontextprotocol/server-everything` in stdio mode, with the
 * official SDK clients: v1 (2025-11-25 sessions, a process each) and v2 (2026-07-28, the pool).
 */
import { Client as V1Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as V1Transport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { CreateMessageRequestSchema, ElicitRequestSchema, ListRootsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { startBridge, type BridgeHandle } from '../../lib/bridge';
import { connectV2 } from '../support/clients';
import { EVERYTHING_STDIO, alive, quietLogger, textOf, waitFor } from './support';

let bridge: BridgeHandle;
const clients: Array<{ close(): Promise<void> }> = [];

beforeAll(async () => {
  bridge = await startBridge({ ...EVERYTHING_STDIO, children: 2, logger: quietLogger() });
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close().catch(() => undefined)));
});
afterAll(() => bridge.close());

/** A v1 client with sampling, elicitation and roots answered by the test. */
async function v1(roots: string[] = []): Promise<{ client: V1Client; transport: V1Transport }> {
  const client = new V1Client({ name: 'bridge-test-v1', version: '1.0.0' }, { capabilities: { sampling: {}, elicitation: {}, roots: {} } });
  client.setRequestHandler(CreateMessageRequestSchema, (request) => ({
    model: 'test-model',
    role: 'assistant',
    content: { type: 'text', text: `sampled: ${(request.params.messages[0]!.content as { text: string }).text}` },
  }));
  client.setRequestHandler(ElicitRequestSchema, () => ({ action: 'accept', content: { name: 'Ada', color: 'blue', number: 7, checked: true } }));
  client.setRequestHandler(ListRootsRequestSchema, () => ({ roots: roots.map((uri) => ({ uri, name: uri })) }));
  const transport = new V1Transport(new URL(bridge.mcpUrl));
  await client.connect(transport);
  clients.push(client);
  return { client, transport };
}

describe('2025-era sessions (SDK v1)', () => {
  test('tools, resources and prompts of the stdio server are served', async () => {
    const { client } = await v1();
    const tools = await client.listTools();
    expect(tools.tools.map((t) => t.name)).toEqual(expect.arrayContaining(['echo', 'get-sum', 'trigger-sampling-request', 'trigger-elicitation-request']));
    expect(textOf(await client.callTool({ name: 'echo', arguments: { message: 'hi' } }))).toBe('Echo: hi');
    expect(textOf(await client.callTool({ name: 'get-sum', arguments: { a: 2, b: 3 } }))).toContain('5');

    const resources = await client.listResources();
    expect(resources.resources.length).toBeGreaterThan(0);
    const first = resources.resources[0]!;
    const read = await client.readResource({ uri: first.uri });
    expect(read.contents[0]!.uri).toBe(first.uri);

    const prompts = await client.listPrompts();
    expect(prompts.prompts.map((p) => p.name)).toContain('simple-prompt');
    const prompt = await client.getPrompt({ name: 'simple-prompt' });
    expect(prompt.messages.length).toBeGreaterThan(0);
  });

  test('sampling and elicitation requests of the server reach the client and its answers go back', async () => {
    const { client } = await v1();
    const sampled = await client.callTool({ name: 'trigger-sampling-request', arguments: { prompt: 'hello there', maxTokens: 10 } });
    expect(JSON.stringify(sampled)).toContain('sampled: ');
    expect(JSON.stringify(sampled)).toContain('hello there');
    const elicited = await client.callTool({ name: 'trigger-elicitation-request', arguments: {} });
    expect(JSON.stringify(elicited)).toContain('Ada');
  });

  test('progress notifications stream live: the first arrives well before the result', async () => {
    const { client } = await v1();
    const started = Date.now();
    const progressAt: number[] = [];
    await client.callTool({ name: 'trigger-long-running-operation', arguments: { duration: 1, steps: 4 } }, undefined, {
      onprogress: () => progressAt.push(Date.now() - started),
    });
    const done = Date.now() - started;
    expect(progressAt.length).toBe(4);
    expect(progressAt[0]!).toBeLessThan(done - 500);
  });

  test('each session has its own server process, which knows only its own client (roots)', async () => {
    const a = await v1(['file:///alpha']);
    const b = await v1(['file:///beta']);
    const pids = bridge.processIds().sessions;
    expect(pids[a.transport.sessionId!]).toBeDefined();
    expect(pids[a.transport.sessionId!]).not.toBe(pids[b.transport.sessionId!]);
    const rootsA = textOf(await a.client.callTool({ name: 'get-roots-list', arguments: {} }));
    const rootsB = textOf(await b.client.callTool({ name: 'get-roots-list', arguments: {} }));
    expect(rootsA).toContain('file:///alpha');
    expect(rootsA).not.toContain('file:///beta');
    expect(rootsB).toContain('file:///beta');
  });

  test('a session whose process crashed gets 404; a new session works', async () => {
    const { client, transport } = await v1();
    const pid = bridge.processIds().sessions[transport.sessionId!]!;
    process.kill(pid, 'SIGKILL');
    await waitFor(() => bridge.processIds().sessions[transport.sessionId!] === undefined);
    const raw = await fetch(bridge.mcpUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-session-id': transport.sessionId!, 'mcp-protocol-version': '2025-11-25' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'tools/list' }),
    });
    expect(raw.status).toBe(404);
    expect((await raw.json()).error.code).toBe(-32001);
    await expect(client.listTools()).rejects.toThrow();
    const again = await v1();
    expect(textOf(await again.client.callTool({ name: 'echo', arguments: { message: 'back' } }))).toBe('Echo: back');
  });

  test('DELETE ends the session and its process', async () => {
    const { transport } = await v1();
    const id = transport.sessionId!;
    const pid = bridge.processIds().sessions[id]!;
    await transport.terminateSession();
    expect(bridge.processIds().sessions[id]).toBeUndefined();
    await waitFor(() => !alive(pid));
  });
});

describe('2026-07-28 (SDK v2, stateless, pooled processes)', () => {
  test('discovery, tools, resources and prompts', async () => {
    const client = await connectV2(bridge.mcpUrl);
    clients.push(client);
    expect(client.getServerVersion()?.name).toBe('mcp-servers/everything');
    const tools = await client.listTools();
    expect(tools.tools.map((t) => t.name)).toContain('echo');
    // The pool processes were initialized without client capabilities: no sampling tools for stateless callers.
    expect(tools.tools.map((t) => t.name)).not.toContain('trigger-sampling-request');
    expect(textOf(await client.callTool({ name: 'echo', arguments: { message: 'stateless' } }))).toBe('Echo: stateless');
    const resources = await client.listResources();
    const read = await client.readResource({ uri: resources.resources[0]!.uri });
    expect(read.contents.length).toBe(1);
    const prompt = await client.getPrompt({ name: 'simple-prompt' });
    expect(prompt.messages.length).toBeGreaterThan(0);
  });

  test('concurrent callers that use the same request ids get their own answers', async () => {
    const callers = await Promise.all([1, 2, 3, 4].map(() => connectV2(bridge.mcpUrl)));
    clients.push(...callers);
    const answers = await Promise.all(callers.flatMap((c, i) => [0, 1, 2].map((j) => c.callTool({ name: 'echo', arguments: { message: `c${i}-${j}` } }))));
    expect(answers.map(textOf)).toEqual(callers.flatMap((_, i) => [0, 1, 2].map((j) => `Echo: c${i}-${j}`)));
    expect(bridge.processIds().pool.length).toBeLessThanOrEqual(2);
  });

  test('subscriptions/listen is acknowledged with the list changes the server declares', async () => {
    const client = await connectV2(bridge.mcpUrl);
    clients.push(client);
    const subscription = await client.listen({
      toolsListChanged: true,
      promptsListChanged: true,
      resourcesListChanged: true,
      resourceSubscriptions: ['demo://resource/static/document/architecture.md'],
    });
    // Resource subscriptions are per-caller state a shared process cannot keep: not honoured.
    expect(subscription.honoredFilter).toEqual({ toolsListChanged: true, promptsListChanged: true, resourcesListChanged: true });
    await subscription.close();
    expect(await subscription.closed).toBe('local');
  });

  test('/health pings a pooled process', async () => {
    const res = await fetch(bridge.healthUrl);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok' });
  });
});
