import { parseFleetSpec, validateFleetSpec, type FleetSpec } from '../../lib/spec';

const pool = (extra: object) => ({ name: 'local', image: 'local', ...extra });
const fleet = (...pools: object[]): FleetSpec => ({ name: 'dev', pools: pools as FleetSpec['pools'] });

describe('pools[].discoveryOnly', () => {
  test('GIVEN discovery-only pools WHEN resolved THEN they keep no patterns and are not routed by the load balancer', () => {
    const resolved = parseFleetSpec(fleet(pool({ name: 'a', tools: [], discoveryOnly: true }), pool({ name: 'b', tools: [], discoveryOnly: true })));
    expect(resolved.pools.map((p) => [p.discoveryOnly, p.directRouting, p.tools])).toEqual([
      [true, false, []],
      [true, false, []],
    ]);
  });

  test('GIVEN an ordinary pool WHEN resolved THEN it is not discovery-only and 2026-07-28 pools route directly', () => {
    const resolved = parseFleetSpec(fleet(pool({ tools: ['x_*'] })));
    expect(resolved.pools[0]).toMatchObject({ discoveryOnly: false, directRouting: true });
  });

  test.each([
    ['no patterns without discoveryOnly', pool({ tools: [] }), 'pools[0].tools', /at least one tool pattern/],
    ['patterns on a discovery-only pool', pool({ tools: ['x_*'], discoveryOnly: true }), 'pools[0].tools', /leave tools empty/],
    ['direct routing of a discovery-only pool', pool({ tools: [], discoveryOnly: true, directRouting: true }), 'pools[0].directRouting', /no tool names/],
    ['a discovery-only priority pool', pool({ tools: [], discoveryOnly: true, priorityRoute: { header: 'x-tier', value: 'gold' } }), 'pools[0].priorityRoute', /needs tool patterns/],
  ])('GIVEN %s WHEN validated THEN the problem names its path', (_name, bad, path, message) => {
    const problems = validateFleetSpec(fleet(bad, pool({ name: 'owner', tools: ['y_*'] })));
    expect(problems).toEqual([{ path, pool: 'local', message: expect.stringMatching(message) }]);
  });
});
