import { GITHUB_TOOLS, startGithubPool, type PoolHandle } from '../../../examples/pools';
import { allText, connectLegacy, connectModern, firstText } from '../support';

describe('github example pool (SDK v2)', () => {
  let pool: PoolHandle;
  beforeAll(async () => {
    pool = await startGithubPool({ port: 0 });
  });
  afterAll(() => pool.close());

  test('GIVEN a 2026-07-28 client WHEN it lists and calls tools THEN it sees exactly the github_* tools and real results', async () => {
    const client = await connectModern(pool.url);
    try {
      expect(client.getNegotiatedProtocolVersion()).toBe('2026-07-28');
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name)).toEqual([...GITHUB_TOOLS]);
      expect(tools.every((t) => t.inputSchema.type === 'object')).toBe(true);

      const search = await client.callTool({ name: 'github_search_repos', arguments: { query: 'sdk', language: 'TypeScript' } });
      const found = search.structuredContent as { total: number; items: Array<{ fullName: string; language: string }> };
      expect(found.items.map((r) => r.fullName)).toEqual(['modelcontextprotocol/typescript-sdk']);

      const diff = await client.callTool({ name: 'github_diff_stats', arguments: { before: 'a\nb\nc\n', after: 'a\nc\nd\n' } });
      expect(diff.structuredContent).toMatchObject({ added: 1, removed: 1, unchanged: 2 });
    } finally {
      await client.close();
    }
  });

  test('GIVEN a 2025 client WHEN it calls a tool THEN the stateless legacy leg answers it', async () => {
    const { client } = await connectLegacy(pool.url);
    try {
      expect((await client.listTools()).tools.map((t) => t.name)).toEqual([...GITHUB_TOOLS]);
      const ref = await client.callTool({ name: 'github_parse_reference', arguments: { reference: 'aws/aws-cdk#42' } });
      expect(firstText(ref)).toEqual({ owner: 'aws', repo: 'aws-cdk', kind: 'issue', number: 42 });
    } finally {
      await client.close();
    }
  });

  test('GIVEN bad input WHEN a tool is called THEN the tool answers an error that says why', async () => {
    const client = await connectModern(pool.url);
    try {
      const ref = await client.callTool({ name: 'github_parse_reference', arguments: { reference: 'not a reference' } });
      expect(ref.isError).toBe(true);
      expect(allText(ref)).toMatch(/is not a GitHub reference/);
      const tooLong = await client.callTool({ name: 'github_diff_stats', arguments: { before: 'x\n'.repeat(1500), after: '' } });
      expect(tooLong.isError).toBe(true);
      expect(allText(tooLong)).toMatch(/at most 1000/);
    } finally {
      await client.close();
    }
  });

  test('GIVEN a running pool WHEN /health is asked THEN it answers 200 after a real MCP exchange', async () => {
    const response = await fetch(pool.healthUrl);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok', pool: 'github' });
  });
});
