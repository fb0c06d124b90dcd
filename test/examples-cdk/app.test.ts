import { Template } from 'aws-cdk-lib/assertions';
import { buildExampleApp, EXAMPLE_DEFAULTS } from '../../examples/cdk/app';
import { GLOBAL_STACK_NAME, MULTI_REGION_REGIONS, regionalStackName } from '../../examples/cdk/multi-region';
import { CDK_CONTEXT } from '../constructs/support';
import { exampleAssembly } from './support';

describe('example app context', () => {
  test('GIVEN no context WHEN built THEN the stack uses the harmless defaults', () => {
    const { stacks } = buildExampleApp(CDK_CONTEXT);
    const [stack] = stacks;
    expect([stack!.stackName, stack!.account, stack!.region]).toEqual(['McpFleetExample', EXAMPLE_DEFAULTS.account, EXAMPLE_DEFAULTS.region]);
    // The same app (the committed context only) is synthesized once per run: read its template there.
    const template = Template.fromJSON(exampleAssembly().getStackByName(stack!.stackName).template);
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', { Certificates: [{ CertificateArn: EXAMPLE_DEFAULTS.certificateArn }] });
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

describe('multi-region example', () => {
  const regionalCertificate = (region: string) => `arn:aws:acm:${region}:123456789012:certificate/22222222-2222-4222-8222-222222222222`;

  test('GIVEN per-region certificates WHEN built THEN each region has its own fleet and the global stack routes by latency to both', () => {
    const { stacks } = buildExampleApp({
      ...CDK_CONTEXT,
      'certificateArn-us-east-1': regionalCertificate('us-east-1'),
      'certificateArn-eu-west-1': regionalCertificate('eu-west-1'),
      hostedZoneId: 'Z0123456789ABCDEFGHIJ',
      zoneName: 'example.org',
    });
    const byName = new Map(stacks.map((s) => [s.stackName, s]));
    for (const region of MULTI_REGION_REGIONS) {
      const stack = byName.get(regionalStackName(region))!;
      expect(stack.region).toBe(region);
      const template = Template.fromStack(stack);
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', { Certificates: [{ CertificateArn: regionalCertificate(region) }] });
      template.resourceCountIs('AWS::Route53::RecordSet', 0); // the global stack owns the public name
      template.hasResourceProperties('AWS::SSM::Parameter', { Name: `/mcp-fleet/agents-global/${region}/load-balancer/dns-name` });
    }
    const global = byName.get(GLOBAL_STACK_NAME)!;
    expect(global.dependencies.map((d) => d.stackName).sort()).toEqual(MULTI_REGION_REGIONS.map(regionalStackName).sort());
    const template = Template.fromStack(global);
    const records = template.findResources('AWS::Route53::RecordSet', { Properties: { Name: 'mcp.example.org.', Type: 'A' } });
    expect(
      Object.values(records)
        .map((r) => (r as { Properties: { Region: string } }).Properties.Region)
        .sort(),
    ).toEqual([...MULTI_REGION_REGIONS].sort());
    template.resourceCountIs('AWS::Route53::HealthCheck', MULTI_REGION_REGIONS.length);
  });
});
