import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { startGithubPool, startSlackPool, type PoolHandle } from '../../examples/pools';
import { poolIdentityKey } from '../../lib/gateway/auth/identity';
import { connectLegacy, connectModern, firstText, spawnTs, type Spawned } from '../examples/support';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Starts `mcp-fleet gateway` and resolves with its MCP URL once it listens. */
async function startGatewayProcess(args: string[]): Promise<{ process: Spawned; url: string }> {
  const child = spawnTs('lib/cli/main.ts', ['gateway', '--port', '0', ...args]);
  const line = await child.waitForLine(/^mcp-fleet gateway: fleet /);
  return { process: child, url: /at (http:\/\/\S+\/mcp) /.exec(line)![1]! };
}

describe('mcp-fleet gateway', () => {
  let github: PoolHandle;
  let slack: PoolHandle;
  let dir: string;
  const children: Spawned[] = [];

  beforeAll(async () => {
    [github, slack] = await Promise.all([startGithubPool({ port: 0 }), startSlackPool({ port: 0 })]);
    dir = mkdtempSync(path.join(tmpdir(), 'mcp-fleet-gateway-'));
  });
  afterEach(() => {
    for (const child of children.splice(0)) if (child.child.exitCode === null) child.child.kill('SIGKILL');
  });
  afterAll(async () => {
    await Promise.all([github.close(), slack.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  test('GIVEN only --pool flags WHEN the gateway starts THEN it finds each pool era and its tools by asking, and SIGTERM stops it', async () => {
    const gateway = await startGatewayProcess(['--pool', `github=${github.url}`, '--pool', `slack=${slack.url}`]);
    children.push(gateway.process);
    expect(gateway.process.stdout()).toContain(`pool github: ${github.url} (tools by discovery; MCP 2026-07-28, stateless)`);
    expect(gateway.process.stdout()).toContain(`pool slack: ${slack.url} (tools by discovery; MCP 2025-11-25, stateful)`);

    const { client } = await connectLegacy(gateway.url);
    try {
      const names = (await client.listTools()).tools.map((t) => t.name);
      expect(names).toEqual(expect.arrayContaining(['github_diff_stats', 'slack_draft_append']));
      await client.callTool({ name: 'slack_draft_append', arguments: { text: 'discovered' } });
      expect(firstText(await client.callTool({ name: 'slack_draft_show', arguments: {} }))).toEqual({ lines: 1, text: 'discovered' });
    } finally {
      await client.close();
    }
    const modern = await connectModern(gateway.url);
    try {
      expect((await modern.callTool({ name: 'github_diff_stats', arguments: { before: 'a', after: 'b' } })).structuredContent).toMatchObject({ added: 1, removed: 1 });
    } finally {
      await modern.close();
    }

    gateway.process.child.kill('SIGTERM');
    expect(await gateway.process.exited()).toBe(0);
  });

  test('GIVEN two gateways sharing Redis WHEN a session starts on one THEN it continues on the other', async () => {
    const config = path.join(dir, 'fleet.json');
    writeFileSync(
      config,
      JSON.stringify({
        name: 'shared',
        pools: [
          { name: 'github', image: 'x', tools: ['github_*'] },
          { name: 'slack', image: 'x', tools: ['slack_*'], sessionMode: 'stateful', protocolVersion: '2025-11-25' },
        ],
      }),
    );
    // A region of its own keeps this test's keys apart from anything else in the database.
    const region = `t${randomBytes(4).toString('hex')}`;
    const args = ['--config', config, '--pool', `github=${github.url}`, '--pool', `slack=${slack.url}`, '--redis', REDIS_URL, '--region', region];
    const [a, b] = await Promise.all([startGatewayProcess(args), startGatewayProcess(args)]);
    children.push(a.process, b.process);
    expect(a.process.stdout()).toContain(`redis session store, region ${region}`);

    const first = await connectLegacy(a.url, 'roaming');
    await first.client.callTool({ name: 'slack_draft_append', arguments: { text: 'started on A' } });
    const sessionId = first.transport.sessionId!;

    // The SDK skips initialize when the transport already has a session id: the session continues on B.
    const onB = new StreamableHTTPClientTransport(new URL(b.url), { sessionId });
    const second = new Client({ name: 'roaming', version: '1.0.0' });
    await second.connect(onB);
    try {
      expect(firstText(await second.callTool({ name: 'slack_draft_show', arguments: {} }))).toEqual({ lines: 1, text: 'started on A' });
    } finally {
      await onB.terminateSession();
      await second.close();
      await first.client.close();
    }
    a.process.child.kill('SIGTERM');
    b.process.child.kill('SIGTERM');
    expect(await Promise.all([a.process.exited(), b.process.exited()])).toEqual([0, 0]);
  });

  test.each([
    ['a pool the spec does not have', (c: string) => ['--config', c, '--pool', 'search=http://127.0.0.1:9/mcp'], 2, /--pool search: .* has no pool "search" \(its pools: github, slack\)/],
    ['a spec pool without a URL', (c: string) => ['--config', c, '--pool', 'github=http://127.0.0.1:9/mcp'], 1, /pool "slack" of .* has no URL: pass --pool slack=URL/],
    ['a pool that does not answer', () => ['--pool', 'dead=http://127.0.0.1:9/mcp'], 1, /--pool dead: http:\/\/127\.0\.0\.1:9\/mcp did not complete an MCP handshake/],
    [
      'a session store that does not answer',
      (c: string) => ['--config', c, '--pool', 'github=http://127.0.0.1:9/mcp', '--pool', 'slack=http://127.0.0.1:9/mcp', '--redis', 'redis://127.0.0.1:9'],
      1,
      /--redis redis:\/\/127\.0\.0\.1:9: the session store does not answer/,
    ],
    ['a wrong flag', () => ['--pool', 'x'], 2, /--pool expects NAME=URL/],
  ])('GIVEN %s WHEN the gateway starts THEN it exits with a status and a message saying what is wrong', async (_name, argsFor, code, message) => {
    const config = path.join(dir, 'two-pools.json');
    writeFileSync(
      config,
      JSON.stringify({
        name: 'two',
        pools: [
          { name: 'github', image: 'x', tools: ['github_*'] },
          { name: 'slack', image: 'x', tools: ['slack_*'] },
        ],
      }),
    );
    const child = spawnTs('lib/cli/main.ts', ['gateway', '--port', '0', ...argsFor(config)]);
    children.push(child);
    expect(await child.exited()).toBe(code);
    expect(child.stderr()).toMatch(message);
  });
});

describe('mcp-fleet gateway signs the caller identity (MCP_FLEET_IDENTITY_KEY)', () => {
  const fleetKey = randomBytes(32).toString('base64url');
  let github: PoolHandle;
  let slack: PoolHandle;
  const children: Spawned[] = [];

  beforeAll(async () => {
    // Real example pools, each holding only its own key derived from the fleet key.
    const identity = (pool: string) => ({ key: poolIdentityKey(fleetKey, 'local', pool), fleet: 'local', pool });
    [github, slack] = await Promise.all([startGithubPool({ port: 0, identity: identity('github') }), startSlackPool({ port: 0, identity: identity('slack') })]);
  });
  afterEach(() => {
    for (const child of children.splice(0)) if (child.child.exitCode === null) child.child.kill('SIGKILL');
  });
  afterAll(async () => {
    await Promise.all([github.close(), slack.close()]);
  });

  async function gatewayWith(env: NodeJS.ProcessEnv): Promise<string> {
    const child = spawnTs('lib/cli/main.ts', ['gateway', '--port', '0', '--pool', `github=${github.url}`, '--pool', `slack=${slack.url}`], env);
    children.push(child);
    const line = await child.waitForLine(/^mcp-fleet gateway: fleet /);
    return /at (http:\/\/\S+\/mcp) /.exec(line)![1]!;
  }

  test('GIVEN the fleet key WHEN SDK clients call through the CLI gateway THEN the pools verify the signed identity and serve both eras', async () => {
    const url = await gatewayWith({ MCP_FLEET_IDENTITY_KEY: fleetKey });
    const { client } = await connectLegacy(url);
    try {
      await client.callTool({ name: 'slack_draft_append', arguments: { text: 'signed' } });
      const sent = firstText(await client.callTool({ name: 'slack_draft_send', arguments: { channel: 'random' } }));
      // The author is the gateway-verified principal (anonymous: this fleet has no auth), never the client's chosen name.
      expect(sent).toMatchObject({ author: 'anonymous', text: 'signed' });
    } finally {
      await client.close();
    }
    const modern = await connectModern(url);
    try {
      expect((await modern.callTool({ name: 'github_diff_stats', arguments: { before: 'a', after: 'b' } })).structuredContent).toMatchObject({ added: 1, removed: 1 });
    } finally {
      await modern.close();
    }
  });

  test('GIVEN no fleet key (or a wrong one) WHEN the gateway starts THEN the pools refuse its handshake and it exits 1 saying so; straight to a pool, no service either', async () => {
    for (const key of ['', randomBytes(32).toString('base64url')]) {
      const child = spawnTs('lib/cli/main.ts', ['gateway', '--port', '0', '--pool', `github=${github.url}`], { MCP_FLEET_IDENTITY_KEY: key });
      children.push(child);
      expect(await child.exited()).toBe(1);
      expect(child.stderr()).toMatch(/--pool github: .* did not complete an MCP handshake .*HTTP 401/);
    }
    // Straight to the pool, bypassing the gateway: no signed identity, no service.
    await expect(connectLegacy(slack.url)).rejects.toThrow(/x-mcp-fleet-identity header is required/);
  });
});
