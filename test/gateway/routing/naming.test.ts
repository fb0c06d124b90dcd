import { assignNames } from '../../../lib/gateway/routing/naming';
import { resolveFleetSpec } from '../../../lib/spec/defaults';

const spec = (collisionPrefix?: string) =>
  resolveFleetSpec({
    name: 'n',
    pools: [
      { name: 'a', image: 'x', tools: ['a_*'] },
      { name: 'b', image: 'x', tools: ['b_*'] },
    ],
    ...(collisionPrefix ? { gateway: { collisionPrefix } } : {}),
  });

describe('assignNames', () => {
  it('GIVEN names that collide WHEN assigned THEN the pattern owner keeps the bare name even when it comes later', () => {
    const named = assignNames(
      spec(),
      [
        { pool: 'a', names: ['b_x', 'same'] },
        { pool: 'b', names: ['b_x', 'same'] },
      ],
      true,
    );
    expect(named.map((n) => `${n.pool}:${n.original}→${n.exposed}`)).toEqual(['a:b_x→a__b_x', 'a:same→same', 'b:b_x→b_x', 'b:same→b__same']);
  });

  it('GIVEN a custom prefix and a prefixed name that is itself taken WHEN assigned THEN prefixes stack until the name is free', () => {
    const named = assignNames(
      spec('{pool}.'),
      [
        { pool: 'a', names: ['t', 'b.t'] },
        { pool: 'b', names: ['t'] },
      ],
      false,
    );
    expect(named.map((n) => n.exposed)).toEqual(['t', 'b.t', 'b.b.t']);
  });
});
