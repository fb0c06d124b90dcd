import { Template } from 'aws-cdk-lib/assertions';
import { buildExampleApp, EXAMPLE_DEFAULTS } from '../../examples/cdk/app';
import { CDK_CONTEXT } from '../constructs/support';

describe('example app context', () => {
  test('GIVEN no context WHEN built THEN the stack uses the harmless defaults', () => {
    const { stacks } = buildExampleApp(CDK_CONTEXT);
    const [stack] = stacks;
    expect([stack!.stackName, stack!.account, stack!.region]).toEqual(['McpFleetExample', EXAMPLE_DEFAULTS.account, EXAMPLE_DEFAULTS.region]);
    Template.fromStack(stack!).hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', { Certificates: [{ CertificateArn: EXAMPLE_DEFAULTS.certificateArn }] });
  });

  test('GIVEN a certificate and a hosted zone in the context WHEN built THEN the fleet uses them and publishes mcp.<zone>', () => {
    const certificateArn = 'arn:aws:acm:us-east-1:123456789012:certificate/11111111-1111-4111-8111-111111111111';
    const { stacks } = buildExampleApp({ ...CDK_CONTEXT, certificateArn, hostedZoneId: 'Z0123456789ABCDEFGHIJ', zoneName: 'example.org' });
    const template = Template.fromStack(stacks[0]!);
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', { Certificates: [{ CertificateArn: certificateArn }] });
    template.hasResourceProperties('AWS::Route53::RecordSet', { Name: 'mcp.example.org.', HostedZoneId: 'Z0123456789ABCDEFGHIJ' });
    template.hasOutput('McpEndpoint', { Value: 'https://mcp.example.org/mcp' });
  });

  test('GIVEN a hosted zone id without its name WHEN built THEN the error names both keys', () => {
    expect(() => buildExampleApp({ ...CDK_CONTEXT, hostedZoneId: 'Z0123456789ABCDEFGHIJ' })).toThrow('context: hostedZoneId and zoneName go together');
  });
});
