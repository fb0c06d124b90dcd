/** subscriptions/listen (2026-07-28) through the gateway: one subscription fanned in across real SDK v2 pools. */
import { POOL_ERROR } from '../../lib/gateway/backend/response';
import { connectV2 } from '../support/clients';
import { modernRequest, startGateway, type RunningGateway } from '../support/harness';
import { startV2Pool, type V2TestPool } from '../support/pools';

describe('subscriptions/listen across pools', () => {
  let pools: V2TestPool[];
  let gw: RunningGateway;

  beforeAll(async () => {
    pools = [await startV2Pool({ name: 'github', tools: ['github_search'] }), await startV2Pool({ name: 'jira', tools: ['jira_find'] })];
    gw = await startGateway(
      {
        name: 'listen',
        pools: [
          { name: 'github', image: 'x', tools: ['github_*'] },
          { name: 'jira', image: 'x', tools: ['jira_*'] },
        ],
      },
      { github: pools[0]!.url, jira: pools[1]!.url },
    );
  });

  afterAll(async () => {
    await gw.close();
    await Promise.all(pools.map((p) => p.close()));
  });

  it('GIVEN a v2 client listening for tool list changes WHEN either pool changes its tools THEN the client hears both on its one subscription, and close ends it', async () => {
    const client = await connectV2(gw.mcpUrl);
    const heard: unknown[] = [];
    client.setNotificationHandler('notifications/tools/list_changed', (n) => void heard.push(n));
    const subscription = await client.listen({ toolsListChanged: true });
    expect(subscription.honoredFilter).toMatchObject({ toolsListChanged: true });
    pools[0]!.notify.toolsChanged();
    pools[1]!.notify.toolsChanged();
    for (let i = 0; i < 50 && heard.length < 2; i++) await new Promise((r) => setTimeout(r, 20));
    expect(heard).toHaveLength(2);
    await subscription.close();
    expect(await subscription.closed).toBe('local');
    await client.close();
  });

  it('GIVEN an open subscription WHEN the gateway stops THEN the client sees a graceful end', async () => {
    const own = await startGateway({ name: 'listen', pools: [{ name: 'github', image: 'x', tools: ['github_*'] }] }, { github: pools[0]!.url });
    const client = await connectV2(own.mcpUrl);
    const subscription = await client.listen({ toolsListChanged: true });
    await own.close();
    expect(await subscription.closed).toBe('graceful');
    await client.close().catch(() => undefined);
  });

  it('GIVEN a buffered host (ALB→Lambda) WHEN a 2026 client listens THEN an immediate clear error', async () => {
    const { headers, body } = modernRequest('subscriptions/listen', { notifications: { toolsListChanged: true } });
    const response = await gw.gateway.handle({ method: 'POST', path: '/mcp', query: '', headers, body: JSON.stringify(body) });
    const error = JSON.parse(String(response.body)).error;
    expect(error.code).toBe(POOL_ERROR.cannotRelay);
    expect(error.message).toContain('subscriptions/listen needs a gateway that holds streams open');
  });
});
