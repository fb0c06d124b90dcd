/**
 * The gateway service image the plan generates (`GatewayServicePlan.image`): its build context as the
 * renderings write it (a Dockerfile and the package's CLI files), and that the CLI it contains serves
 * the fleet from the planned container environment. No Docker engine here: the context's entry point
 * runs under this Node instead of the image's.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { startGithubPool, type PoolHandle } from '../examples/pools';
import { writeImageContext } from '../lib/images';
import { GATEWAY_BASE_IMAGE, GATEWAY_PACKAGE_FILES, GATEWAY_SERVICE_USER, planFleet, renderGatewayEnvironment } from '../lib/plan';
import { GATEWAY_ENV, type FleetSpec } from '../lib/spec';
import { connectModern, spawnTs } from './examples/support';

const spec: FleetSpec = { name: 'image-test', pools: [{ name: 'github', image: 'x', tools: ['github_*'] }], gateway: { hosting: 'service' } };
const service = planFleet(spec).gateway.service!;

describe('the generated gateway service image', () => {
  let out: string;
  let context: string;
  beforeAll(() => {
    out = mkdtempSync(path.join(tmpdir(), 'mcp-fleet-gateway-image-'));
    context = writeImageContext(service.image, out);
  });
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  test('GIVEN the plan THEN the Dockerfile runs the package CLI as the planned non-root user with the planned command by default', () => {
    const dockerfile = readFileSync(path.join(context, 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(new RegExp(`^FROM ${GATEWAY_BASE_IMAGE}$`, 'm'));
    expect(dockerfile).toContain(`\nUSER ${GATEWAY_SERVICE_USER}\n`);
    expect(dockerfile).toContain(`\nENTRYPOINT ${JSON.stringify(service.image.entrypoint)}\n`);
    expect(dockerfile).toContain(`\nCMD ${JSON.stringify(service.container.command)}\n`);
    expect(readdirSync(path.join(context, 'mcp-fleet', 'dist', 'cli')).sort()).toEqual(['mcp-fleet.js', 'mcp-fleet.js.LEGAL.txt']);
    expect(GATEWAY_PACKAGE_FILES).toContain('bin/mcp-fleet.js');
  });

  test('GIVEN the same plan twice THEN the context is the same directory (content-addressed: deterministic asset hashes)', () => {
    expect(writeImageContext(service.image, out)).toBe(context);
  });

  describe('GIVEN the CLI in the context and the planned container environment', () => {
    let github: PoolHandle;
    beforeAll(async () => {
      github = await startGithubPool({ port: 0 });
    });
    afterAll(async () => {
      await github.close();
    });

    test('WHEN started as the container starts it THEN it serves the fleet and stops on SIGTERM', async () => {
      const env = renderGatewayEnvironment(service.container, { region: 'local', sessionStoreHost: 'unused', publicUrl: 'https://mcp.example.com' });
      // No session store here: without a store URL the gateway keeps sessions in memory.
      const { [GATEWAY_ENV.redisUrl]: _store, ...withoutStore } = env;
      const entry = path.relative(path.resolve(__dirname, '..'), path.join(context, 'mcp-fleet', 'bin', 'mcp-fleet.js'));
      const child = spawnTs(entry, ['gateway', '--from-env', '--host', '127.0.0.1', '--port', '0'], { ...withoutStore, [GATEWAY_ENV.poolUrls]: JSON.stringify({ github: github.url }) });
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
