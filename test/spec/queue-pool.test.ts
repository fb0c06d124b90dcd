import { planFleet } from '../../lib/plan';
import { parseFleetSpec, validateFleetSpec, type FleetSpec } from '../../lib/spec';

const fleet = (...pools: unknown[]) => ({ name: 'queued', pools });
const owner = { name: 'owner', image: 'registry.example.com/owner:1', tools: ['owner_*'] };

describe('queue pools in the spec', () => {
  test('GIVEN a queue pool with an image WHEN resolved THEN it gets every queue default, a visibility timeout covering a run, and no direct routing', () => {
    const spec = parseFleetSpec(fleet(owner, { name: 'images', kind: 'queue', image: 'registry.example.com/images:1', tools: ['image_*'], minTasks: 0 }));
    expect(spec.pools[1]).toMatchObject({
      kind: 'queue',
      source: { kind: 'registry', image: 'registry.example.com/images:1' },
      minTasks: 0,
      directRouting: false,
      queue: {
        maxRunSeconds: 300,
        visibilityTimeoutSeconds: 360,
        maxReceives: 3,
        retentionSeconds: 345_600,
        backlogPerTask: 10,
        maxJobAgeSeconds: 300,
        syncDeadlineSeconds: 25,
        resultTtlSeconds: 3600,
        workerConcurrency: 1,
      },
    });
  });

  test('GIVEN a queue pool with a stdio command or a build WHEN resolved THEN the server source says so', () => {
    const spec = parseFleetSpec(
      fleet(owner, { name: 'fs', kind: 'queue', command: ['npx', 'srv'], tools: ['fs_*'] }, { name: 'built', kind: 'queue', build: 'servers/b', tools: ['b_*'], queue: { maxRunSeconds: 900 } }),
    );
    expect(spec.pools[1]).toMatchObject({ source: { kind: 'stdio', command: ['npx', 'srv'], baseImage: 'node:22-bookworm-slim' } });
    expect(spec.pools[2]).toMatchObject({ source: { kind: 'build', build: { directory: 'servers/b', dockerfile: 'Dockerfile' } }, queue: { maxRunSeconds: 900, visibilityTimeoutSeconds: 960 } });
  });

  test.each([
    ['no server', { name: 'q', kind: 'queue', tools: ['q_*'] }, 'pools[1].image', /exactly one of image, build and command/],
    ['two servers', { name: 'q', kind: 'queue', image: 'x', command: ['y'], tools: ['q_*'] }, 'pools[1].command', /exactly one of image, build and command/],
    ['a base image without a command', { name: 'q', kind: 'queue', image: 'x', baseImage: 'node:22', tools: ['q_*'] }, 'pools[1].baseImage', /give command too/],
    [
      'a visibility timeout shorter than a run',
      { name: 'q', kind: 'queue', image: 'x', tools: ['q_*'], queue: { maxRunSeconds: 600, visibilityTimeoutSeconds: 300 } },
      'pools[1].queue.visibilityTimeoutSeconds',
      /at least queue.maxRunSeconds \(600\)/,
    ],
    ['direct routing', { name: 'q', kind: 'queue', image: 'x', tools: ['q_*'], directRouting: true }, 'pools[1].directRouting', /through the gateway only/],
    ['a priority route', { name: 'q', kind: 'queue', image: 'x', tools: ['owner_*'], priorityRoute: { header: 'x-p', value: 'h' } }, 'pools[1].priorityRoute', /cannot be a priority pool/],
    ['discovery only', { name: 'q', kind: 'queue', image: 'x', tools: [], discoveryOnly: true }, 'pools[1].discoveryOnly', /needs tool patterns/],
    ['sessions', { name: 'q', kind: 'queue', image: 'x', tools: ['q_*'], sessionMode: 'stateful' }, 'pools[1].sessionMode', /stateless/],
    ['zero receives', { name: 'q', kind: 'queue', image: 'x', tools: ['q_*'], queue: { maxReceives: 0 } }, 'pools[1].queue.maxReceives', /./],
    ['an unknown queue setting', { name: 'q', kind: 'queue', image: 'x', tools: ['q_*'], queue: { fifo: true } }, 'pools[1].queue', /Unrecognized key: "fifo"/],
  ])('GIVEN %s WHEN validated THEN the problem names the path and the pool', (_case, bad, path, message) => {
    expect(validateFleetSpec(fleet(owner, bad))).toEqual([{ path, pool: 'q', message: expect.stringMatching(message) }]);
  });

  test('GIVEN a queue pool WHEN the IaC plans the fleet THEN it is planned as a queue pool (queues and workers), not as a plain pool', () => {
    const plan = planFleet(fleet(owner, { name: 'images', kind: 'queue', image: 'x', tools: ['image_*'] }) as FleetSpec, 'Stack/Fleet');
    expect(plan.queuePools.map((p) => p.name)).toEqual(['images']);
    expect(plan.pools.map((p) => p.name)).toEqual(['owner']);
  });
});
