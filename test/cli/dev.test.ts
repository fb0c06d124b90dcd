import { connectLegacy, connectModern, firstText, spawnTs, type Spawned } from '../examples/support';

describe('mcp-fleet dev', () => {
  let dev: Spawned | undefined;
  afterEach(() => {
    if (dev?.child.exitCode === null) dev.child.kill('SIGKILL');
  });

  test('GIVEN a fresh checkout WHEN dev runs THEN SDK clients of both eras use tools of several pools through the printed URL, and Ctrl-C stops it cleanly', async () => {
    dev = spawnTs('lib/cli/main.ts', ['dev', '--port', '0']);
    const url = (await dev.waitForLine(/^MCP endpoint: /)).replace('MCP endpoint: ', '').trim();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);

    const legacy = await connectLegacy(url, 'dev-test');
    try {
      const names = (await legacy.client.listTools()).tools.map((t) => t.name);
      expect(names).toEqual(expect.arrayContaining(['github_search_repos', 'slack_draft_append', 'image_generate']));
      // The stateful slack pool keeps the draft across calls of one gateway session.
      await legacy.client.callTool({ name: 'slack_draft_append', arguments: { text: 'through the gateway' } });
      expect(firstText(await legacy.client.callTool({ name: 'slack_draft_show', arguments: {} }))).toEqual({ lines: 1, text: 'through the gateway' });
      expect(firstText(await legacy.client.callTool({ name: 'github_parse_reference', arguments: { reference: 'aws/aws-cdk#7' } }))).toMatchObject({ kind: 'issue', number: 7 });
    } finally {
      await legacy.client.close();
    }

    const modern = await connectModern(url);
    try {
      const search = await modern.callTool({ name: 'github_search_repos', arguments: { query: 'valkey' } });
      expect((search.structuredContent as { items: Array<{ fullName: string }> }).items.map((r) => r.fullName)).toEqual(['valkey-io/valkey']);
      const image = firstText(await modern.callTool({ name: 'image_generate', arguments: { width: 8, height: 4 } }));
      expect(image).toMatchObject({ width: 8, height: 4 });
    } finally {
      await modern.close();
    }

    dev.child.kill('SIGINT');
    expect(await dev.exited()).toBe(0);
    expect(dev.stdout()).toContain('mcp-fleet dev: SIGINT, stopping');
    expect(dev.stdout()).toContain('mcp-fleet dev: stopped');
  });

  test('GIVEN a spec with a pool that has no example server WHEN dev starts THEN it says which --pool to pass and exits 1', async () => {
    dev = spawnTs('lib/cli/main.ts', ['dev', '--config', 'test/cli/fixtures/unknown-pool.json']);
    expect(await dev.exited()).toBe(1);
    expect(dev.stderr()).toContain('mcp-fleet dev: test/cli/fixtures/unknown-pool.json: no example server for pool "search" (examples: github, slack, images); pass --pool search=URL');
  });
});
