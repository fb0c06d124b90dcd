import { FleetSpecError, parseFleetSpec, validateFleetSpec, type PoolSpec } from '../../lib/spec';

const fleet = (...pools: unknown[]) => ({ name: 'kinds', pools });
const owner = { name: 'owner', image: 'registry.example.com/owner:1', tools: ['owner_*'] };

describe('pool kinds in the spec', () => {
  test('GIVEN a pool without kind WHEN resolved THEN it is a container pool from its registry image (specs written before kinds keep working)', () => {
    const spec = parseFleetSpec(fleet(owner));
    expect(spec.pools[0]).toMatchObject({ kind: 'container', source: { kind: 'registry', image: 'registry.example.com/owner:1' } });
  });

  test('GIVEN a container pool with a build directory string WHEN resolved THEN it is built from that directory with its Dockerfile', () => {
    const spec = parseFleetSpec(
      fleet(
        { name: 'built', build: 'servers/built', tools: ['b_*'] },
        { name: 'args', kind: 'container', build: { directory: '.', dockerfile: 'servers/a/Dockerfile', args: { POOL: 'a' } }, tools: ['a_*'] },
      ),
    );
    expect(spec.pools[0]).toMatchObject({ kind: 'container', source: { kind: 'build', build: { directory: 'servers/built', dockerfile: 'Dockerfile', args: {} } } });
    expect(spec.pools[1]).toMatchObject({ source: { kind: 'build', build: { directory: '.', dockerfile: 'servers/a/Dockerfile', args: { POOL: 'a' } } } });
  });

  test('GIVEN a stdio pool WHEN resolved THEN it keeps its argv and gets the pinned Node LTS base image and the bridge paths', () => {
    const pool: PoolSpec = { name: 'fs', kind: 'stdio', command: ['npx', '-y', '@modelcontextprotocol/server-filesystem', '/tmp'], tools: ['fs_*'] };
    const spec = parseFleetSpec(fleet(owner, pool));
    expect(spec.pools[1]).toMatchObject({ kind: 'stdio', command: pool.command, baseImage: 'node:22-bookworm-slim', mcpPath: '/mcp', healthPath: '/health', port: 8080 });
  });

  test.each([
    ['neither image nor build', { name: 'none', tools: ['n_*'] }, 'pools[1].image', /exactly one of image .* and build/],
    ['both image and build', { name: 'both', image: 'x', build: 'dir', tools: ['n_*'] }, 'pools[1].build', /exactly one of image .* and build/],
    ['an empty command', { name: 'fs', kind: 'stdio', command: [], tools: ['n_*'] }, 'pools[1].command', /must be a non-empty array of strings/],
    ['a command string', { name: 'fs', kind: 'stdio', command: 'npx server', tools: ['n_*'] }, 'pools[1].command', /must be a non-empty array of strings/],
    ['an empty argument', { name: 'fs', kind: 'stdio', command: ['npx', ''], tools: ['n_*'] }, 'pools[1].command[1]', /non-empty string/],
    ['an unknown kind', { name: 'q', kind: 'lambda', tools: ['n_*'] }, 'pools[1].kind', /must be one of "container", "stdio"/],
    ['an image on a stdio pool', { name: 'fs', kind: 'stdio', command: ['x'], image: 'x', tools: ['n_*'] }, 'pools[1]', /Unrecognized key: "image"/],
    ['an mcpPath on a stdio pool', { name: 'fs', kind: 'stdio', command: ['x'], mcpPath: '/x', tools: ['n_*'] }, 'pools[1]', /Unrecognized key: "mcpPath"/],
    ['a Dockerfile outside the build directory', { name: 'up', build: { directory: 'a', dockerfile: '../Dockerfile' }, tools: ['n_*'] }, 'pools[1].build.dockerfile', /inside the build directory/],
    ['a base image with spaces', { name: 'fs', kind: 'stdio', command: ['x'], baseImage: 'node 22', tools: ['n_*'] }, 'pools[1].baseImage', /without spaces/],
  ])('GIVEN %s WHEN validated THEN the problem names the path and the pool', (_case, bad, path, message) => {
    const problems = validateFleetSpec(fleet(owner, bad));
    expect(problems).toEqual([{ path, pool: (bad as { name: string }).name, message: expect.stringMatching(message) }]);
  });

  test('GIVEN a bad stdio pool WHEN parsed THEN the error line names the pool by index and name', () => {
    expect(() => parseFleetSpec(fleet(owner, { name: 'fs', kind: 'stdio', command: [], tools: ['fs_*'] }), 'spec.json')).toThrow(FleetSpecError);
    expect(() => parseFleetSpec(fleet(owner, { name: 'fs', kind: 'stdio', command: [], tools: ['fs_*'] }), 'spec.json')).toThrow('pools[1] (pool "fs").command: must be a non-empty array of strings');
  });

  test('GIVEN routing roles WHEN combined with any kind THEN they are pool properties, not kinds', () => {
    const spec = parseFleetSpec(
      fleet(
        owner,
        { name: 'fast', kind: 'stdio', command: ['srv'], tools: ['owner_*'], priorityRoute: { header: 'x-mcp-priority', value: 'high' } },
        { name: 'disc', kind: 'stdio', command: ['srv'], tools: [], discoveryOnly: true },
      ),
    );
    expect(spec.pools.map((p) => [p.kind, p.priorityRoute?.value, p.discoveryOnly])).toEqual([
      ['container', undefined, false],
      ['stdio', 'high', false],
      ['stdio', undefined, true],
    ]);
  });
});
