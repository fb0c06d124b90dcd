/** Aggregation and routing across pools: order, collisions, stable names, priority routes, resources and prompts, dead pools. */
import { createServer } from 'node:net';
import { startV1StatefulPool, startV1StatelessPool, startV2Pool, type TestPool } from '../support/pools';
import { answerOf, connectV1, connectV2 } from '../support/clients';
import { startEchoPool } from '../support/echo-pool';
import { modernRequest, post, startGateway, type RunningGateway } from '../support/harness';
import type { ContainerPoolSpec, PoolSpec } from '../../lib/spec/types';

/** A loopback port nobody listens on (bound, then released). */
async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

describe('gateway aggregation and routing', () => {
  let alpha: TestPool;
  let beta: TestPool;
  let gamma: TestPool;
  let fast: TestPool;
  const running: RunningGateway[] = [];
  const pool = (name: string, tools: string[], extra: Partial<ContainerPoolSpec> = {}): PoolSpec => ({ name, image: 'x', tools, ...extra });

  beforeAll(async () => {
    [alpha, beta, gamma, fast] = await Promise.all([
      startV2Pool({ name: 'alpha', tools: ['alpha_one', 'shared', 'alpha_two'], extras: true }),
      startV1StatefulPool({ name: 'beta', tools: ['beta_one', 'shared'], extras: true }),
      startV1StatelessPool({ name: 'gamma', tools: ['shared', 'alpha_one', 'gamma_one'] }),
      startV2Pool({ name: 'fast', tools: ['alpha_one', 'alpha_two'] }),
    ]);
  });

  afterAll(async () => {
    await Promise.all(running.map((g) => g.close()));
    await Promise.all([alpha, beta, gamma, fast].map((p) => p.close()));
  });

  async function gatewayFor(pools: PoolSpec[], urls: Record<string, string>): Promise<RunningGateway> {
    // These pools list tools outside their patterns on purpose (collisions need them): opt in.
    const g = await startGateway({ name: 'routing', pools, gateway: { allowUndeclaredTools: true } }, urls);
    running.push(g);
    return g;
  }

  const twoPools = () => [pool('alpha', ['alpha_*']), pool('beta', ['beta_*'], { sessionMode: 'stateful', protocolVersion: '2025-11-25' })];

  it('GIVEN two pools that both expose "shared" WHEN tools are listed THEN pools come in spec order and only the later pool\'s copy is prefixed', async () => {
    const g = await gatewayFor(twoPools(), { alpha: alpha.url, beta: beta.url });
    const client = await connectV2(g.mcpUrl);
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toEqual(['alpha_one', 'shared', 'alpha_two', 'beta_one', 'beta__shared']);
    expect(answerOf(await client.callTool({ name: 'shared', arguments: {} }))).toMatchObject({ pool: 'alpha', tool: 'shared' });
    expect(answerOf(await client.callTool({ name: 'beta__shared', arguments: { n: 1 } }))).toMatchObject({ pool: 'beta', tool: 'shared', args: { n: 1 } });
    await client.close();
  });

  it("GIVEN a pool is added after the others WHEN tools are listed THEN no existing name changes and the newcomer's colliding tools are prefixed", async () => {
    const before = await gatewayFor(twoPools(), { alpha: alpha.url, beta: beta.url });
    const after = await gatewayFor([...twoPools(), pool('gamma', ['gamma_*'], { protocolVersion: '2025-06-18' })], { alpha: alpha.url, beta: beta.url, gamma: gamma.url });
    const { client: c1 } = await connectV1(before.mcpUrl);
    const { client: c2 } = await connectV1(after.mcpUrl);
    const oldNames = (await c1.listTools()).tools.map((t) => t.name);
    const newNames = (await c2.listTools()).tools.map((t) => t.name);
    expect(newNames.slice(0, oldNames.length)).toEqual(oldNames);
    expect(newNames.slice(oldNames.length)).toEqual(['gamma__shared', 'gamma__alpha_one', 'gamma_one']);
    // The newcomer's copy of a pattern-owned name routes to the newcomer under its prefixed name.
    expect(answerOf(await c2.callTool({ name: 'gamma__alpha_one', arguments: {} }))).toMatchObject({ pool: 'gamma', tool: 'alpha_one' });
    expect(answerOf(await c2.callTool({ name: 'alpha_one', arguments: {} }))).toMatchObject({ pool: 'alpha' });
    await Promise.all([c1.close(), c2.close()]);
  });

  it('GIVEN a priority pool WHEN a call carries its header THEN the priority pool answers, otherwise the owner; the priority pool is not listed', async () => {
    const g = await gatewayFor([...twoPools(), pool('fast', ['alpha_*'], { priorityRoute: { header: 'x-mcp-priority', value: 'high' } })], {
      alpha: alpha.url,
      beta: beta.url,
      fast: fast.url,
    });
    const normal = await connectV2(g.mcpUrl);
    const urgent = await connectV2(g.mcpUrl, { 'x-mcp-priority': 'high' });
    expect(answerOf(await normal.callTool({ name: 'alpha_one', arguments: {} }))).toMatchObject({ pool: 'alpha' });
    expect(answerOf(await urgent.callTool({ name: 'alpha_one', arguments: {} }))).toMatchObject({ pool: 'fast' });
    expect(answerOf(await urgent.callTool({ name: 'beta_one', arguments: {} }))).toMatchObject({ pool: 'beta' });
    expect((await urgent.listTools()).tools.map((t) => t.name)).not.toContain('fast__alpha_one');
    await Promise.all([normal.close(), urgent.close()]);
  });

  it('GIVEN pools with prompts and resources WHEN a v1 client lists and reads them THEN lists are merged and reads reach the owning pool', async () => {
    const g = await gatewayFor(twoPools(), { alpha: alpha.url, beta: beta.url });
    const { client } = await connectV1(g.mcpUrl);
    expect((await client.listResources()).resources.map((r) => r.uri)).toEqual(['alpha://info', 'beta://info']);
    expect((await client.listResourceTemplates()).resourceTemplates.map((r) => r.uriTemplate)).toEqual(['alpha://item/{id}', 'beta://item/{id}']);
    expect((await client.listPrompts()).prompts.map((p) => p.name)).toEqual(['alpha_prompt', 'beta_prompt']);
    expect((await client.readResource({ uri: 'beta://info' })).contents[0]).toMatchObject({ text: 'info of beta' });
    expect((await client.readResource({ uri: 'alpha://item/42' })).contents[0]).toMatchObject({ text: expect.stringContaining('of alpha') });
    expect((await client.getPrompt({ name: 'beta_prompt' })).messages[0]!.content).toMatchObject({ text: 'prompt of beta from beta' });
    await client.close();
  });

  it('GIVEN the same through a v2 client WHEN it reads THEN it gets 2026-shaped results', async () => {
    const g = await gatewayFor(twoPools(), { alpha: alpha.url, beta: beta.url });
    const client = await connectV2(g.mcpUrl);
    expect((await client.listResources()).resources.map((r) => r.uri)).toEqual(['alpha://info', 'beta://info']);
    expect((await client.readResource({ uri: 'beta://info' })).contents[0]).toMatchObject({ text: 'info of beta' });
    expect((await client.getPrompt({ name: 'alpha_prompt' })).messages[0]!.content).toMatchObject({ text: 'prompt of alpha from alpha' });
    await client.close();
  });

  it('GIVEN a pool that is down WHEN tools are listed THEN it is left out and its tool calls get a clear pool error', async () => {
    const port = await deadPort();
    const warnings: Array<Record<string, unknown>> = [];
    const g = await startGateway(
      { name: 'routing', pools: [...twoPools(), pool('gone', ['gone_*'])], gateway: { allowUndeclaredTools: true } },
      { alpha: alpha.url, beta: beta.url, gone: `http://127.0.0.1:${port}/mcp` },
      { logger: { info: () => undefined, error: () => undefined, warn: (message, fields) => void warnings.push({ message, ...fields }) } },
    );
    running.push(g);
    const modern = await connectV2(g.mcpUrl);
    const { client: legacy } = await connectV1(g.mcpUrl);
    expect((await modern.listTools()).tools.map((t) => t.name)).toEqual(['alpha_one', 'shared', 'alpha_two', 'beta_one', 'beta__shared']);
    expect((await legacy.listTools()).tools).toHaveLength(5);
    expect(warnings).toContainEqual(expect.objectContaining({ message: 'pool left out of list', pool: 'gone', list: 'tools/list' }));
    await expect(modern.callTool({ name: 'gone_tool', arguments: {} })).rejects.toThrow(/Pool \\*"gone\\*" unavailable: .*ECONNREFUSED/);
    await expect(legacy.callTool({ name: 'gone_tool', arguments: {} })).rejects.toThrow(/Pool \\*"gone\\*" unavailable: .*ECONNREFUSED/);
    await Promise.all([modern.close(), legacy.close()]);
  });

  it('GIVEN a pool that pages its tools/list WHEN a client lists THEN the gateway follows every cursor and answers the whole list; a client cursor is refused', async () => {
    const paged = await startEchoPool({ tool: 'paged_tool', pages: 4 });
    const g = await gatewayFor([pool('paged', ['paged_*'])], { paged: paged.url });
    const client = await connectV2(g.mcpUrl);
    const listed = await client.listTools();
    expect(listed.tools.map((t) => t.name)).toEqual(['paged_tool', 'paged_tool_p1', 'paged_tool_p2', 'paged_tool_p3']);
    expect(listed.nextCursor).toBeUndefined();
    const { headers, body } = modernRequest('tools/list', { cursor: '1' });
    const res = await post(g.mcpUrl, body, headers);
    expect(res.json.error).toMatchObject({ code: -32602, message: expect.stringContaining('unknown cursor') });
    await client.close();
    await paged.close();
  });

  it('GIVEN pools with their own list cache hints WHEN a 2026 client lists THEN the shortest non-zero TTL, and private if any pool is', async () => {
    const a = await startEchoPool({ tool: 'a_tool', listCache: { ttlMs: 60_000, cacheScope: 'public' } });
    const b = await startEchoPool({ tool: 'b_tool', listCache: { ttlMs: 5_000, cacheScope: 'public' } });
    const c = await startEchoPool({ tool: 'c_tool', listCache: { ttlMs: 0, cacheScope: 'private' } });
    const list = async (g: RunningGateway) => {
      const { headers, body } = modernRequest('tools/list');
      return (await post(g.mcpUrl, body, headers)).json.result;
    };
    const open = await gatewayFor([pool('a', ['a_*']), pool('b', ['b_*'])], { a: a.url, b: b.url });
    expect(await list(open)).toMatchObject({ ttlMs: 5_000, cacheScope: 'public' });
    const mixed = await gatewayFor([pool('a', ['a_*']), pool('c', ['c_*'])], { a: a.url, c: c.url });
    expect(await list(mixed)).toMatchObject({ ttlMs: 60_000, cacheScope: 'private' });
    await Promise.all([a.close(), b.close(), c.close()]); // the gateways close with the others
  });

  it('GIVEN completion/complete for a prompt WHEN asked in either era THEN it reaches the pool that owns the prompt; an unknown prompt is -32602', async () => {
    const first = await startEchoPool({ tool: 'one_tool', prompt: 'one_prompt' });
    const second = await startEchoPool({ tool: 'two_tool', era: '2025-11-25', prompt: 'two_prompt' });
    const g = await gatewayFor([pool('one', ['one_*']), pool('two', ['two_*'], { sessionMode: 'stateful', protocolVersion: '2025-11-25' })], { one: first.url, two: second.url });
    const { client } = await connectV1(g.mcpUrl);
    const modern = await connectV2(g.mcpUrl);
    for (const c of [client, modern] as const) {
      expect((await c.complete({ ref: { type: 'ref/prompt', name: 'two_prompt' }, argument: { name: 'topic', value: 'a' } })).completion.values).toEqual(['two_prompt:a']);
      expect((await c.complete({ ref: { type: 'ref/prompt', name: 'one_prompt' }, argument: { name: 'topic', value: 'b' } })).completion.values).toEqual(['one_prompt:b']);
      await expect(c.complete({ ref: { type: 'ref/prompt', name: 'nobody_prompt' }, argument: { name: 'topic', value: 'a' } })).rejects.toMatchObject({ code: -32602 });
    }
    await Promise.all([client.close(), modern.close()]);
    await Promise.all([first.close(), second.close()]);
  });
});
