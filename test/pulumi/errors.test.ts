import './harness';
import * as pulumi from '@pulumi/pulumi';
import { McpComponentError, McpFleet, McpToolPool } from '../../pulumi';
import { threePoolSpec } from '../fixtures/specs';

/** The error `build` throws (fails the test if it throws none). */
function thrown(build: () => unknown): Error {
  try {
    build();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}

describe('Pulumi component errors', () => {
  test('GIVEN an invalid spec WHEN McpFleet is declared THEN a RunError (printed by pulumi up without a stack trace) lists every problem once, naming the component', () => {
    const spec = {
      ...threePoolSpec,
      pools: [
        { ...threePoolSpec.pools[0]!, cpu: 300 },
        { ...threePoolSpec.pools[1]!, tools: ['github_issues'] },
      ],
    };
    const error = thrown(() => new McpFleet('agents', { spec, certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/x' }));
    expect(error).toBeInstanceOf(McpComponentError);
    expect(pulumi.RunError.isInstance(error)).toBe(true);
    expect(error.message).toMatch(
      /^McpFleet agents: invalid fleet spec \(2 problems\):\n {2}- pools\[0\] \(pool "github"\)\.cpu: must be one of 256, [^\n]*\(got 300\)\n {2}- pools\[1\] \(pool "[a-z]+"\)\.tools\[0\]: "github_issues" overlaps "github_\*"/,
    );
  });

  test('GIVEN a part given a pool the spec does not have WHEN declared THEN the same typed error names the component and the pools', () => {
    const error = thrown(() => new McpToolPool('agents-gitlab', { spec: threePoolSpec, pool: 'gitlab' } as never));
    expect(error).toBeInstanceOf(McpComponentError);
    expect(error.message).toMatch(/^McpToolPool agents-gitlab: the spec has no pool "gitlab" \(pools: /);
  });
});
