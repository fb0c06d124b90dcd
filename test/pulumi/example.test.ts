/**
 * The example Pulumi program (`examples/pulumi/index.ts`), run under mocks with its stack config:
 * it declares the example fleet (three pools built from source, a priority pool, a stdio pool) and
 * exports where to reach it.
 */
import * as pulumi from '@pulumi/pulumi';
import { countsByType, oneResource, PROJECT, quiesce, resourcesOfType, valueOf } from './harness';
import type * as ExampleProgram from '../../examples/pulumi/index';

const CERTIFICATE_ARN = 'arn:aws:acm:us-east-1:123456789012:certificate/example';

describe('examples/pulumi', () => {
  let program: typeof ExampleProgram;

  beforeAll(async () => {
    // GIVEN the stack config a user sets with `pulumi config set`
    pulumi.runtime.setAllConfig({ 'aws:region': 'us-east-1', [`${PROJECT}:certificateArn`]: CERTIFICATE_ARN, [`${PROJECT}:domainName`]: 'mcp.example.com' });
    // WHEN Pulumi loads the program
    // (required, not imported: the config must be in place before the program runs)
    program = require('../../examples/pulumi/index') as typeof ExampleProgram;
    await valueOf(program.url);
    await quiesce();
  });

  test('THEN it exports the fleet URL and the load balancer name', async () => {
    expect(await valueOf(program.url)).toBe('https://mcp.example.com/mcp');
    expect(await valueOf(program.loadBalancerDnsName)).toBe('agents-lb-alb.us-east-1.elb.amazonaws.com');
  });

  test('THEN it declares the pools of the CDK example behind the TLS 1.3 listener with the example’s per-tool WAF limit', () => {
    expect(
      resourcesOfType('aws:ecs/service:Service')
        .map((s) => s.inputs.name)
        .sort(),
    ).toEqual(['files', 'github', 'github-fast', 'images', 'slack']);
    expect(oneResource('aws:lb/listener:Listener', (r) => r.inputs.protocol === 'HTTPS').inputs.certificateArn).toBe(CERTIFICATE_ARN);
    const rules = oneResource('aws:wafv2/webAcl:WebAcl').inputs.rules as Array<{ name: string }>;
    expect(rules.map((r) => r.name)).toContain('rate-per-tool');
    // Every pool image is built (the example pools from source, the stdio pool and the queue pool's worker generated) and pushed to its ECR repository.
    expect(
      resourcesOfType('docker-build:index:Image')
        .map((i) => i.inputs.context.location)
        .sort(),
    ).toEqual([
      expect.stringMatching(/^\.mcp-fleet\/images\/context-[0-9a-f]{32}$/),
      expect.stringMatching(/^\.mcp-fleet\/images\/context-[0-9a-f]{32}$/),
      'examples/pools/build/github',
      'examples/pools/build/github',
      'examples/pools/build/images',
      'examples/pools/build/slack',
    ]);
    expect(countsByType()).toMatchObject({ 'aws:lb/loadBalancer:LoadBalancer': 1, 'aws:lambda/function:Function': 1, 'aws:elasticache/replicationGroup:ReplicationGroup': 1 });
  });
});
