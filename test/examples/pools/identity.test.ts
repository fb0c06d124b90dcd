import { randomBytes } from 'node:crypto';
import { generateKeyPair } from 'jose';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { startGithubPool, startSlackPool, type PoolHandle } from '../../../examples/pools';
import { ApiKeyAuthenticator, generateApiKey } from '../../../lib/gateway/auth/api-keys';
import { IdentitySigner, poolIdentityKey } from '../../../lib/gateway/auth/identity';
import { startIssuer, type Issuer } from '../../gateway/auth/jwks-server';
import type { Principal } from '../../../lib/gateway/ports';
import { IDENTITY_HEADER } from '../../../lib/spec/gateway-env';
import { startGateway, type RunningGateway } from '../../support/harness';
import { connectLegacy, connectModern, firstText } from '../support';

const FLEET = 'identity-fleet';
/** The fleet key the gateway holds; each pool gets only its own derived key. */
const KEY = randomBytes(32);
const poolKey = (pool: string) => poolIdentityKey(KEY, FLEET, pool);
const ALICE: Principal = { id: 'alice@example.com', scopes: ['chat'], method: 'jwt' };
const LEGACY_HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-11-25' };

function signer(options: { key?: Uint8Array; fleet?: string; now?: () => number } = {}): IdentitySigner {
  return new IdentitySigner({ key: options.key ?? KEY, fleet: options.fleet ?? FLEET, reuseSeconds: 0, ...(options.now ? { now: options.now } : {}) });
}

/** A JSON-RPC POST to the pool, as a gateway or a forger would send it. */
async function rawPost(url: string, body: unknown, headers: Record<string, string>): Promise<{ status: number; headers: Headers; json: any }> {
  const res = await fetch(url, { method: 'POST', headers: { ...LEGACY_HEADERS, ...headers }, body: JSON.stringify(body) });
  const text = await res.text();
  const json: unknown = text.startsWith('event:') ? JSON.parse(/^data: (.*)$/m.exec(text)![1]!) : JSON.parse(text);
  return { status: res.status, headers: res.headers, json };
}

/** A 2025 client whose every request carries `identity` (as the gateway's legacy leg sends it). */
async function connectAs(url: string, identity: string): Promise<Client> {
  return (await connectWithTransport(url, identity)).client;
}

async function connectWithTransport(url: string, identity: string): Promise<{ client: Client; transport: StreamableHTTPClientTransport }> {
  const client = new Client({ name: 'identity-test', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { [IDENTITY_HEADER]: identity } } });
  await client.connect(transport);
  return { client, transport };
}

describe('example pools: the gateway-signed caller identity', () => {
  let slack: PoolHandle;
  beforeAll(async () => {
    slack = await startSlackPool({ port: 0, identity: { key: poolKey('slack'), fleet: FLEET, pool: 'slack' } });
  });
  afterAll(() => slack.close());

  test('GIVEN a valid token for this fleet and pool WHEN a tool posts a message THEN its author is the verified principal', async () => {
    const client = await connectAs(slack.url, await signer().tokenFor(ALICE, 'slack'));
    try {
      await client.callTool({ name: 'slack_draft_append', arguments: { text: 'signed by the fleet' } });
      const sent = firstText(await client.callTool({ name: 'slack_draft_send', arguments: { channel: 'random' } }));
      expect(sent).toMatchObject({ channel: 'random', author: 'alice@example.com', text: 'signed by the fleet' });
    } finally {
      await client.close();
    }
  });

  test('GIVEN a pool that verifies callers WHEN its deep /health runs THEN its own probe passes the check (it signs for itself)', async () => {
    const res = await fetch(slack.url.replace('/mcp', '/health'));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', pool: 'slack' });
  });

  test('GIVEN no identity header WHEN a client connects straight to the pool THEN 401: a missing header is not trusted', async () => {
    const init = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'alice', version: '1' } } };
    const refused = await rawPost(slack.url, init, {});
    expect(refused.status).toBe(401);
    expect(refused.headers.get('mcp-session-id')).toBeNull();
    expect(refused.json.error.message).toBe('Unauthorized: the x-mcp-fleet-identity header is required (callers reach this pool through the fleet gateway, which signs their identity)');
    await expect(connectLegacy(slack.url, 'alice')).rejects.toThrow();
  });

  test.each([
    ['forged (another key)', () => signer({ key: randomBytes(32) }).tokenFor(ALICE, 'slack'), /signature verification failed/],
    ['expired', () => signer({ now: () => Date.now() - 120_000 }).tokenFor(ALICE, 'slack'), /"exp" claim timestamp check failed/],
    // Another pool's (or fleet's) token is signed with another pool key: it fails on the signature.
    ['for another pool', () => signer().tokenFor(ALICE, 'github'), /signature verification failed/],
    ['from another fleet', () => signer({ fleet: 'other-fleet' }).tokenFor(ALICE, 'slack'), /signature verification failed/],
    ['minted by the github pool with its own key', () => new IdentitySigner({ poolKeys: { slack: poolKey('github') }, fleet: FLEET }).tokenFor(ALICE, 'slack'), /signature verification failed/],
    ['not a token', async () => 'alice', /Invalid Compact JWS/],
  ])('GIVEN an open session WHEN a tool call carries an identity %s THEN 401 with a JSON-RPC error, and the tool does not run', async (_what, token, reason) => {
    const { client, transport } = await connectWithTransport(slack.url, await signer().tokenFor(ALICE, 'slack'));
    try {
      await client.callTool({ name: 'slack_draft_append', arguments: { text: 'must stay a draft' } });
      const before = firstText(await client.callTool({ name: 'slack_channel_history', arguments: { channel: 'general', limit: 100 } })) as { messages: unknown[] };

      const refused = await rawPost(
        slack.url,
        { jsonrpc: '2.0', id: 9, method: 'tools/call', params: { name: 'slack_draft_send', arguments: { channel: 'general' } } },
        { 'mcp-session-id': transport.sessionId!, [IDENTITY_HEADER]: await token() },
      );
      expect(refused.status).toBe(401);
      expect(refused.json).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: -32000 } });
      expect(refused.json.error.message).toMatch(/^Unauthorized: fleet identity rejected: /);
      expect(refused.json.error.message).toMatch(reason);

      // The draft was neither sent nor cleared.
      expect(firstText(await client.callTool({ name: 'slack_draft_show', arguments: {} }))).toEqual({ lines: 1, text: 'must stay a draft' });
      const after = firstText(await client.callTool({ name: 'slack_channel_history', arguments: { channel: 'general', limit: 100 } })) as { messages: unknown[] };
      expect(after.messages).toEqual(before.messages);
    } finally {
      await client.close();
    }
  });

  test('GIVEN a forged token WHEN it comes with initialize THEN no session is opened', async () => {
    const forged = await signer({ key: randomBytes(32) }).tokenFor(ALICE, 'slack');
    const init = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'forger', version: '1' } } };
    const refused = await rawPost(slack.url, init, { [IDENTITY_HEADER]: forged });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('mcp-session-id')).toBeNull();
    expect(refused.json.error.message).toMatch(/signature verification failed/);
  });

  test('GIVEN an identity key shorter than 32 bytes WHEN a pool starts THEN it refuses to', async () => {
    await expect(startSlackPool({ port: 0, identity: { key: 'short', fleet: FLEET, pool: 'slack' } })).rejects.toThrow('the identity key must be at least 32 bytes (got 5)');
  });
});

describe('example pools: caller identity end to end through the real gateway', () => {
  let slack: PoolHandle;
  let gateway: RunningGateway;
  const apiKey = generateApiKey();

  beforeAll(async () => {
    slack = await startSlackPool({ port: 0, identity: { key: poolKey('slack'), fleet: FLEET, pool: 'slack' } });
    gateway = await startGateway(
      { name: FLEET, pools: [{ name: 'slack', image: 'x', tools: ['slack_*'], sessionMode: 'stateful', protocolVersion: '2025-11-25' }] },
      { slack: slack.url },
      { identityKey: KEY, authenticator: new ApiKeyAuthenticator([{ id: 'k1', sha256: apiKey.sha256, principal: 'bot-deployer', scopes: [] }]) },
    );
  });
  afterAll(async () => {
    await gateway.close();
    await slack.close();
  });

  /** #random as a caller with a valid identity sees it. */
  async function rawHistory(): Promise<unknown> {
    const client = await connectAs(slack.url, await signer().tokenFor(ALICE, 'slack'));
    try {
      return firstText(await client.callTool({ name: 'slack_channel_history', arguments: { channel: 'random', limit: 100 } }));
    } finally {
      await client.close();
    }
  }

  test('GIVEN an API-key caller WHEN it posts through the gateway THEN the pool verifies the signed identity and the message author is the principal', async () => {
    const client = new Client({ name: 'through-gateway', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(gateway.mcpUrl), { requestInit: { headers: { 'x-api-key': apiKey.key } } }));
    try {
      await client.callTool({ name: 'slack_draft_append', arguments: { text: 'deployed v42' } });
      const sent = firstText(await client.callTool({ name: 'slack_draft_send', arguments: { channel: 'random' } }));
      expect(sent).toMatchObject({ author: 'bot-deployer', text: 'deployed v42' });
    } finally {
      await client.close();
    }
  });

  test('GIVEN a gateway signing with another key WHEN a caller posts THEN the pool refuses and the caller gets an error, not a message', async () => {
    const rogue = await startGateway(
      { name: FLEET, pools: [{ name: 'slack', image: 'x', tools: ['slack_*'], sessionMode: 'stateful', protocolVersion: '2025-11-25' }] },
      { slack: slack.url },
      { identityKey: randomBytes(32) },
    );
    try {
      const client = new Client({ name: 'rogue', version: '1.0.0' });
      const before = await rawHistory();
      await expect(
        (async () => {
          await client.connect(new StreamableHTTPClientTransport(new URL(rogue.mcpUrl)));
          await client.callTool({ name: 'slack_draft_append', arguments: { text: 'x' } });
          await client.callTool({ name: 'slack_draft_send', arguments: { channel: 'random' } });
        })(),
      ).rejects.toThrow(/fleet identity rejected: signature verification failed/);
      await client.close();
      expect(await rawHistory()).toEqual(before);
    } finally {
      await rogue.close();
    }
  });
});

describe('example pools: caller identity on the SDK v2 pool (2026-07-28)', () => {
  let github: PoolHandle;
  let gateway: RunningGateway;
  beforeAll(async () => {
    github = await startGithubPool({ port: 0, identity: { key: poolKey('github'), fleet: FLEET, pool: 'github' } });
    gateway = await startGateway({ name: FLEET, pools: [{ name: 'github', image: 'x', tools: ['github_*'] }] }, { github: github.url }, { identityKey: KEY });
  });
  afterAll(async () => {
    await gateway.close();
    await github.close();
  });

  test('GIVEN the gateway signs with the fleet key WHEN a 2026-07-28 client calls a tool through it THEN the pool accepts the identity', async () => {
    const client = await connectModern(gateway.mcpUrl);
    try {
      const ref = await client.callTool({ name: 'github_parse_reference', arguments: { reference: 'aws/aws-cdk' } });
      expect(ref.structuredContent).toMatchObject({ owner: 'aws', repo: 'aws-cdk' });
    } finally {
      await client.close();
    }
  });

  test('GIVEN a gateway signing with another key WHEN a 2026-07-28 client calls a tool through it THEN the pool refuses the call', async () => {
    const rogue = await startGateway({ name: FLEET, pools: [{ name: 'github', image: 'x', tools: ['github_*'] }] }, { github: github.url }, { identityKey: randomBytes(32) });
    try {
      const attempt = (async () => {
        const client = await connectModern(rogue.mcpUrl);
        try {
          await client.callTool({ name: 'github_parse_reference', arguments: { reference: 'aws/aws-cdk' } });
        } finally {
          await client.close();
        }
      })();
      await expect(attempt).rejects.toThrow(/fleet identity rejected: signature verification failed/);
    } finally {
      await rogue.close();
    }
  });

  test('GIVEN a token for the slack pool WHEN it reaches the github pool THEN 401', async () => {
    const refused = await rawPost(
      github.url,
      { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'replay', version: '1' } } },
      { [IDENTITY_HEADER]: await signer().tokenFor(ALICE, 'slack') },
    );
    expect(refused.status).toBe(401);
    expect(refused.json.error.message).toMatch(/signature verification failed/);
  });
});

describe('example pools: a directly routed pool verifies the forwarded JWT itself', () => {
  let issuer: Issuer;
  let github: PoolHandle;
  const AUDIENCE = 'https://mcp.example.com/mcp';
  const modernCall = (headers: Record<string, string>) =>
    fetch(github.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'mcp-protocol-version': '2026-07-28',
        'mcp-method': 'tools/call',
        'mcp-name': 'github_parse_reference',
        ...headers,
      },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/call',
        params: {
          name: 'github_parse_reference',
          arguments: { reference: 'aws/aws-cdk' },
          _meta: { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': {} },
        },
      }),
    });

  beforeAll(async () => {
    issuer = await startIssuer();
    github = await startGithubPool({
      port: 0,
      identity: { key: poolKey('github'), fleet: FLEET, pool: 'github', directJwt: { issuer: issuer.issuer, audience: [AUDIENCE], jwksUri: issuer.jwksUri } },
    });
  });
  afterAll(async () => {
    await github.close();
    await issuer.close();
  });

  test("GIVEN a direct-route request with the caller's valid JWT WHEN it arrives without the identity header THEN the pool verifies the token and serves it", async () => {
    const token = await issuer.sign({ iss: issuer.issuer, aud: AUDIENCE, sub: 'agent-7' });
    const res = await modernCall({ authorization: `Bearer ${token}` });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('aws-cdk');
  });

  test.each([
    ['no token at all', async () => ({}), /neither the x-mcp-fleet-identity header nor a bearer token/],
    ['a token for another audience', async () => ({ authorization: `Bearer ${await issuer.sign({ iss: issuer.issuer, aud: 'other', sub: 'x' })}` }), /unexpected "aud" claim value/],
    ['an expired token', async () => ({ authorization: `Bearer ${await issuer.sign({ iss: issuer.issuer, aud: AUDIENCE, sub: 'x' }, { expiresIn: Math.floor(Date.now() / 1000) - 60 })}` }), /expired/],
    [
      'a token signed by someone else',
      async () => ({ authorization: `Bearer ${await issuer.sign({ iss: issuer.issuer, aud: AUDIENCE, sub: 'x' }, { key: (await generateKeyPair('ES256')).privateKey })}` }),
      /signature is invalid/,
    ],
  ])('GIVEN a header-less request with %s WHEN it reaches the pool THEN 401 and the tool does not run', async (_what, headers, reason) => {
    const res = await modernCall(await headers());
    expect(res.status).toBe(401);
    const body = (await res.json()) as { error: { message: string } };
    expect(body.error.message).toMatch(reason);
  });
});
