/** What pools receive from the gateway: no client credentials, a signed identity, the request id; DELETE ends backend sessions; health. */
import { poolIdentityKey, verifyFleetIdentity } from '../../lib/gateway/auth/identity';
import type { Principal } from '../../lib/gateway/ports';
import { IDENTITY_HEADER } from '../../lib/spec/gateway-env';
import { answerOf, connectV1, connectV2 } from '../support/clients';
import { startGateway, type RunningGateway } from '../support/harness';
import { startV1StatefulPool, startV2Pool, type TestPool } from '../support/pools';

describe('requests the gateway sends to pools', () => {
  const identityKey = new TextEncoder().encode('an-identity-key-of-at-least-32-bytes!');
  let pools: TestPool[];
  let gw: RunningGateway;

  beforeAll(async () => {
    pools = [await startV2Pool({ name: 'github', tools: ['github_search'] }), await startV1StatefulPool({ name: 'slack', tools: ['slack_post'] })];
    const authenticator = {
      authenticate: async (r: { headers: Record<string, string> }): Promise<Principal> => ({
        id: r.headers.authorization === 'Bearer token-of-alice' ? 'alice' : 'nobody',
        scopes: ['repo:read'],
        method: 'jwt',
      }),
    };
    gw = await startGateway(
      {
        name: 'headers',
        pools: [
          { name: 'github', image: 'x', tools: ['github_*'] },
          { name: 'slack', image: 'x', tools: ['slack_*'], sessionMode: 'stateful', protocolVersion: '2025-11-25' },
        ],
      },
      { github: pools[0]!.url, slack: pools[1]!.url },
      { authenticator, identityKey },
    );
  });

  afterAll(async () => {
    await gw.close();
    await Promise.all(pools.map((p) => p.close()));
  });

  it('GIVEN a caller with a bearer token and cookies WHEN its call reaches a pool THEN the pool sees neither, but a signed identity for itself and the request id', async () => {
    const client = await connectV2(gw.mcpUrl, { authorization: 'Bearer token-of-alice', cookie: 'sid=secret', 'x-request-id': 'req-12345' });
    expect(answerOf(await client.callTool({ name: 'github_search', arguments: {} }))).toMatchObject({ pool: 'github' });
    const seen = pools[0]!.seenHeaders.at(-1)!;
    expect(seen.authorization).toBeUndefined();
    expect(seen.cookie).toBeUndefined();
    expect(seen['x-request-id']).toBe('req-12345');
    // The pool's own key, derived from the fleet key the gateway holds.
    const identity = await verifyFleetIdentity(String(seen[IDENTITY_HEADER]), poolIdentityKey(identityKey, 'headers', 'github'), { pool: 'github', fleet: 'headers' });
    expect(identity).toMatchObject({ principal: 'alice', scopes: ['repo:read'], pool: 'github', fleet: 'headers' });
    await client.close();
  });

  it('GIVEN a v1 session with a backend session WHEN the client ends it with DELETE THEN the gateway ends the backend session in the pool', async () => {
    const { client, transport } = await connectV1(gw.mcpUrl, { authorization: 'Bearer token-of-alice' });
    await client.callTool({ name: 'slack_post', arguments: {} });
    const backendSession = pools[1]!.seenHeaders.at(-1)!['mcp-session-id'];
    expect(backendSession).toBeDefined();
    await transport.terminateSession();
    const deletes = pools[1]!.seenHeaders.filter((h) => h['mcp-session-id'] === backendSession);
    expect(deletes.length).toBeGreaterThan(1);
    // The pool forgot it: a request with that id is refused by the pool itself.
    const res = await fetch(pools[1]!.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-session-id': String(backendSession), 'mcp-protocol-version': '2025-11-25' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }),
    });
    expect(res.status).toBe(404);
    await client.close().catch(() => undefined);
  });

  it('GIVEN live pools and store WHEN /health is asked THEN 200 with each pool and its breaker state', async () => {
    const res = await fetch(gw.mcpUrl.replace('/mcp', '/health'));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      status: 'ok',
      region: 'local',
      store: 'ok',
      pools: { github: { status: 'ok', breaker: 'closed' }, slack: { status: 'ok', breaker: 'closed' } },
    });
  });
});
