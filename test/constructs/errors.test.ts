import { Annotations, App, Errors, Stack } from 'aws-cdk-lib';
import { Annotations as Found, Match } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { McpFleet, McpLoadBalancer } from '../../constructs';
import { threePoolSpec } from '../fixtures/specs';
import { CERTIFICATE_ARN, testStack } from './support';

/** The error `build` throws (fails the test if it throws none). */
function thrown(build: () => unknown): Error {
  try {
    build();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}

describe('construct errors', () => {
  test('GIVEN a stack without a region WHEN McpFleet is built THEN a ValidationError names the construct path and how to give one', () => {
    const stack = new Stack(new App(), 'Agents');
    const error = thrown(() => new McpFleet(stack, 'Fleet', { spec: threePoolSpec, certificateArn: CERTIFICATE_ARN }));
    expect(Errors.isValidationError(error)).toBe(true);
    expect(error.message).toBe(
      "Agents/Fleet: McpFleet needs a stack with a concrete region. Give the stack an environment, e.g. new Stack(app, 'Agents', { env: { region: 'us-east-1' } }) (an account too is optional: with one, CDK looks up availability zones, which needs credentials or cdk.context.json)",
    );
    expect((error as unknown as { constructPath: string }).constructPath).toBe('Agents/Fleet');
  });

  test('GIVEN an invalid spec WHEN McpFleet is built THEN a ValidationError lists every problem once, and its stack shows the caller, not mcp-fleet internals', () => {
    const spec = { ...threePoolSpec, pools: [{ ...threePoolSpec.pools[0]!, stopTimeoutSeconds: 200 }] };
    const error = thrown(() => new McpFleet(testStack(), 'Fleet', { spec, certificateArn: CERTIFICATE_ARN }));
    expect(Errors.isValidationError(error)).toBe(true);
    expect(error.message).toMatch(/^Test\/Fleet: invalid fleet spec \(1 problem\):\n {2}- pools\[0\] \(pool "github"\)\.stopTimeoutSeconds: /);
    expect(error.stack).toMatch(/^«McpFleetSpecInvalid» Test\/Fleet: invalid fleet spec/);
    expect(error.stack!.split('stopTimeoutSeconds')).toHaveLength(2);
    expect(error.stack).toContain('errors.test.ts');
    expect(error.stack).not.toMatch(/\/(constructs|lib)\/[\w/-]+\.ts/);
  });

  test('GIVEN a bad construct prop WHEN built THEN the error is a ValidationError of that construct', () => {
    const error = thrown(() => new McpFleet(testStack(), 'Fleet', { spec: threePoolSpec, certificateArn: CERTIFICATE_ARN, pools: { gitlab: {} } }));
    expect(Errors.isValidationError(error)).toBe(true);
    expect(error.message).toBe('Test/Fleet: pools overrides name pools that are not in the spec: gitlab');
  });

  test('GIVEN a part used alone with contradictory props WHEN built THEN its error is a ValidationError of that part', () => {
    const stack = testStack();
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
    const error = thrown(() => new McpLoadBalancer(stack, 'Lb', { spec: threePoolSpec, vpc, certificateArn: CERTIFICATE_ARN, certificate: {} as never }));
    expect(Errors.isValidationError(error)).toBe(true);
    expect(error.message).toBe('Test/Lb: give certificate or certificateArn, not both');
  });

  test('GIVEN a fleet without authentication on purpose WHEN the mcp-fleet:no-auth warning is acknowledged THEN it is gone', () => {
    const stack = testStack();
    const { auth: _auth, ...openSpec } = threePoolSpec;
    const fleet = new McpFleet(stack, 'Fleet', { spec: openSpec, certificateArn: CERTIFICATE_ARN });
    Annotations.of(fleet).acknowledgeWarning('mcp-fleet:no-auth', 'reachable only through the corporate VPN');
    Found.fromStack(stack).hasNoWarning('/Test/Fleet', Match.stringLikeRegexp('anyone who reaches the load balancer'));
  });
});
