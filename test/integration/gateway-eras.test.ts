import { startGateway, type RunningGateway } from '../support/harness';
import { startV1StatefulPool, startV1StatelessPool, startV2Pool, type TestPool } from '../support/pools';
import { answerOf, connectV1, connectV2 } from '../support/clients';

describe('gateway serves both client eras against every pool era', () => {
  let pools: TestPool[];
  let gw: RunningGateway;
  let mcpUrl: string;

  beforeAll(async () => {
    pools = await Promise.all([
      startV2Pool({ name: 'github', tools: ['github_search', 'github_issue'], extras: true }),
      startV1StatefulPool({ name: 'slack', tools: ['slack_post', 'slack_count'], extras: true }),
      startV1StatelessPool({ name: 'images', tools: ['images_resize'] }),
    ]);
    gw = await startGateway(
      {
        name: 'eras',
        pools: [
          { name: 'github', image: 'x', tools: ['github_*'] },
          { name: 'slack', image: 'x', tools: ['slack_*'], sessionMode: 'stateful', protocolVersion: '2025-11-25' },
          { name: 'images', image: 'x', tools: ['images_*'], protocolVersion: '2025-06-18' },
        ],
      },
      { github: pools[0]!.url, slack: pools[1]!.url, images: pools[2]!.url },
    );
    mcpUrl = gw.mcpUrl;
  });

  afterAll(async () => {
    await gw.close();
    await Promise.all(pools.map((p) => p.close()));
  });

  const connect = {
    'v1 (2025-11-25)': async (url: string) => (await connectV1(url)).client,
    'v2 (2026-07-28)': connectV2,
  };

  it.each(Object.keys(connect) as Array<keyof typeof connect>)('GIVEN a %s client WHEN it lists and calls tools of every pool THEN each pool answers its own tool', async (era) => {
    const client = await connect[era](mcpUrl);
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toEqual(['github_search', 'github_issue', 'slack_post', 'slack_count', 'images_resize']);
    for (const [tool, pool] of [
      ['github_search', 'github'],
      ['slack_post', 'slack'],
      ['images_resize', 'images'],
    ] as const) {
      const answer = answerOf(await client.callTool({ name: tool, arguments: { text: `hi ${tool}` } }));
      expect(answer).toMatchObject({ pool, tool, args: { text: `hi ${tool}` } });
    }
    await client.close();
  });
});
