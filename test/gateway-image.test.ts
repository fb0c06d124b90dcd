/**
 * The gateway service image's build context (dist/gateway-image, written by `npm run build`): what
 * the Dockerfile does, and that the CLI it copies serves the fleet from the planned container
 * environment (no Docker engine here: the bundle runs under this Node instead of the image's).
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { startGithubPool, type PoolHandle } from '../examples/pools';
import { GATEWAY_IMAGE_DIR, assertGatewayImageContext } from '../lib/gateway-image';
import { GATEWAY_SERVICE_USER, planFleet, renderGatewayEnvironment } from '../lib/plan';
import { GATEWAY_ENV, type FleetSpec } from '../lib/spec';
import { connectModern, spawnTs } from './examples/support';

const ROOT = path.resolve(__dirname, '..');

describe('the gateway service image context', () => {
  const dir = assertGatewayImageContext('test');
  const dockerfile = readFileSync(path.join(dir, 'Dockerfile'), 'utf8');

  test('GIVEN a build THEN the context is dist/gateway-image with the CLI bundle byte for byte', () => {
    expect(GATEWAY_IMAGE_DIR).toBe(path.join(ROOT, 'dist', 'gateway-image'));
    expect(readFileSync(path.join(dir, 'mcp-fleet.js')).equals(readFileSync(path.join(ROOT, 'dist', 'cli', 'mcp-fleet.js')))).toBe(true);
    expect(readFileSync(path.join(dir, '.dockerignore'), 'utf8')).toBe('*\n!mcp-fleet.js\n!mcp-fleet.js.LEGAL.txt\n');
  });

  test('GIVEN the Dockerfile THEN it runs the CLI as the planned non-root user with the planned default command', () => {
    const service = planFleet({ name: 'img', pools: [{ name: 'a', image: 'x', tools: ['a_*'] }], gateway: { hosting: 'service' } }).gateway.service!;
    expect(dockerfile).toMatch(/^FROM public\.ecr\.aws\/docker\/library\/node:22-alpine$/m);
    expect(dockerfile).toContain(`\nUSER ${GATEWAY_SERVICE_USER}\n`);
    expect(dockerfile).toContain('\nENTRYPOINT ["node", "/opt/mcp-fleet/mcp-fleet.js"]\n');
    expect(dockerfile).toContain(`\nCMD ${JSON.stringify(service.container.command).replace(/","/g, '", "')}\n`);
  });

  describe('GIVEN the bundled CLI and the planned container environment', () => {
    let github: PoolHandle;
    beforeAll(async () => {
      github = await startGithubPool({ port: 0 });
    });
    afterAll(async () => {
      await github.close();
    });

    test('WHEN started as the container starts it THEN it serves the fleet and stops on SIGTERM', async () => {
      const spec: FleetSpec = { name: 'image-test', pools: [{ name: 'github', image: 'x', tools: ['github_*'] }], gateway: { hosting: 'service' } };
      const env = renderGatewayEnvironment(planFleet(spec).gateway.service!.container, { region: 'local', sessionStoreHost: 'unused', publicUrl: 'https://mcp.example.com' });
      // No session store here: without a store URL the gateway keeps sessions in memory.
      const { [GATEWAY_ENV.redisUrl]: _store, ...withoutStore } = env;
      const child = spawnTs(path.relative(ROOT, path.join(dir, 'mcp-fleet.js')), ['gateway', '--from-env', '--host', '127.0.0.1', '--port', '0'], { ...withoutStore, [GATEWAY_ENV.poolUrls]: JSON.stringify({ github: github.url }) });
      try {
        const line = await child.waitForLine(/^mcp-fleet gateway: fleet /);
        const client = await connectModern(/at (http:\/\/\S+\/mcp) /.exec(line)![1]!);
        try {
          expect((await client.callTool({ name: 'github_diff_stats', arguments: { before: 'a', after: 'b' } })).structuredContent).toMatchObject({ added: 1, removed: 1 });
        } finally {
          await client.close();
        }
        child.child.kill('SIGTERM');
        expect(await child.exited()).toBe(0);
      } finally {
        if (child.child.exitCode === null) child.child.kill('SIGKILL');
      }
    });
  });
});
