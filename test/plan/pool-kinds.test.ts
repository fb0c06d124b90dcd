import { planFleet, stdioDockerfile, STDIO_HOME, BRIDGE_PATHS } from '../../lib/plan';
import type { FleetSpec } from '../../lib/spec';

const spec: FleetSpec = {
  name: 'kinds',
  pools: [
    { name: 'registry', image: 'registry.example.com/team/server:1.2.3', tools: ['reg_*'], connectionsPerTask: 50 },
    { name: 'built', build: { directory: 'servers/built', args: { MODE: 'prod' } }, tools: ['built_*'] },
    { name: 'fs', kind: 'stdio', command: ['npx', '-y', '@modelcontextprotocol/server-filesystem', '/home/mcp'], tools: ['fs_*'], port: 9000 },
  ],
};

describe('one planner per pool kind', () => {
  const plan = planFleet(spec);
  const [registry, built, fs] = plan.pools;

  test('GIVEN a registry image WHEN planned THEN the container runs it as is, with no container health check', () => {
    expect(registry!.kind).toBe('container');
    expect(registry!.container.image).toEqual({ kind: 'registry', image: 'registry.example.com/team/server:1.2.3' });
    expect(registry!.container.healthCheck).toBeUndefined();
    expect(registry!.container.scratchVolumes).toEqual([{ name: 'tmp', containerPath: '/tmp' }]);
  });

  test('GIVEN a build directory WHEN planned THEN the image is a deploy-time build of it', () => {
    expect(built!.container.image).toEqual({ kind: 'build', directory: 'servers/built', dockerfile: 'Dockerfile', args: { MODE: 'prod' } });
  });

  test('GIVEN a stdio pool WHEN planned THEN the image is generated: base + the package CLI + the command under the bridge, non-root, with writable HOME and /tmp', () => {
    const image = fs!.container.image;
    expect(fs!.kind).toBe('stdio');
    if (image.kind !== 'generated') throw new Error(`expected a generated image, got ${image.kind}`);
    expect(image.entrypoint).toEqual([
      'node',
      '/opt/mcp-fleet/bin/mcp-fleet.js',
      'bridge',
      '--host',
      '0.0.0.0',
      '--port',
      '9000',
      '--',
      'npx',
      '-y',
      '@modelcontextprotocol/server-filesystem',
      '/home/mcp',
    ]);
    expect(image.packageFiles).toEqual(['package.json', 'bin/mcp-fleet.js', 'dist/cli/mcp-fleet.js']);
    expect(image.dockerfile.split('\n')).toEqual(
      expect.arrayContaining(['FROM node:22-bookworm-slim', 'USER 1000:1000', `VOLUME ["${STDIO_HOME}","/tmp"]`, `ENTRYPOINT ${JSON.stringify(image.entrypoint)}`]),
    );
    expect(fs!.container).toMatchObject({ user: '1000:1000', readonlyRootFilesystem: true, port: 9000 });
    expect(fs!.container.scratchVolumes).toEqual([
      { name: 'tmp', containerPath: '/tmp' },
      { name: 'home', containerPath: STDIO_HOME },
    ]);
    expect(fs!.container.environment).toMatchObject({ HOME: STDIO_HOME, PORT: '9000', MCP_FLEET_MCP_PATH: BRIDGE_PATHS.mcp, MCP_FLEET_HEALTH_PATH: BRIDGE_PATHS.health });
    expect(fs!.container.healthCheck).toEqual({
      command: ['CMD', 'node', '-e', expect.stringContaining("fetch('http://127.0.0.1:9000/health')")],
      intervalSeconds: 15,
      timeoutSeconds: 5,
      retries: 3,
      startPeriodSeconds: 60,
    });
    expect(fs!.targetGroup.healthCheck.path).toBe('/health');
    expect(fs!.url).toBe('http://fs.kinds.mcp.internal:9000/mcp');
  });

  test('GIVEN the same stdio pool twice WHEN its Dockerfile is generated THEN it is the same text (no clock, no randomness)', () => {
    const pool = { name: 'fs', baseImage: 'node:22-bookworm-slim', command: ['a b', '"quoted"', '$HOME'], port: 8080 };
    expect(stdioDockerfile(pool)).toBe(stdioDockerfile(pool));
    expect(stdioDockerfile(pool)).toContain('"--","a b","\\"quoted\\"","$HOME"]');
  });

  test('GIVEN connectionsPerTask WHEN planned THEN the scaling plan carries it (renderings never read the raw spec)', () => {
    expect(registry!.scaling.connectionsPerTask).toBe(50);
    expect(built!.scaling.connectionsPerTask).toBeUndefined();
  });

  test('GIVEN a fleet WHEN planned THEN the plan keeps the resolved spec it was made from and the ingress of every kind', () => {
    expect(plan.spec.pools.map((p) => p.kind)).toEqual(['container', 'container', 'stdio']);
    expect(plan.ingress.filter((r) => r.to.kind === 'pool' && r.to.pool === 'fs').map((r) => [r.from.kind, r.port])).toEqual([
      ['loadBalancer', 9000],
      ['gateway', 9000],
    ]);
  });
});
