import { parseFleetSpec, validateFleetSpec } from '../../lib/spec';
import { threePoolSpec } from '../fixtures/specs';

describe('pools[].connectionsPerTask', () => {
  test('GIVEN a pool with connectionsPerTask WHEN resolved THEN the target is kept and other pools have none', () => {
    const spec = { ...threePoolSpec, pools: [{ ...threePoolSpec.pools[0]!, connectionsPerTask: 200 }, ...threePoolSpec.pools.slice(1)] };
    const resolved = parseFleetSpec(spec);
    expect(resolved.pools[0]!.connectionsPerTask).toBe(200);
    expect(resolved.pools[1]).not.toHaveProperty('connectionsPerTask');
  });

  test.each([0, 1.5, 100_001])('GIVEN connectionsPerTask %p WHEN validated THEN the pool field is named', (value) => {
    const spec = { ...threePoolSpec, pools: [{ ...threePoolSpec.pools[0]!, connectionsPerTask: value }] };
    expect(validateFleetSpec(spec).map((p) => p.path)).toEqual(['pools[0].connectionsPerTask']);
  });
});
