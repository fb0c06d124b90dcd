/**
 * The multi-region shape the example app uses: one McpFleet stack per region, each writing its load
 * balancer to SSM, and a global stack that reads them and routes by latency. Values cross regions
 * only through SSM: no exports, no cross-region reference machinery.
 */
import { App, Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import { McpFleet } from '../../constructs/fleet';
import { McpGlobalRouting, McpRegionalEndpointParameters, McpRegionalEndpointReader } from '../../constructs/global-routing';
import { GATEWAY_ENV } from '../../lib/spec';
import { threePoolSpec } from '../fixtures/specs';

const ACCOUNT = '123456789012';
const REGIONS = ['us-east-1', 'eu-west-1'] as const;

function multiRegionApp(nag = false) {
  const app = new App({ builtinCloudFormationValidation: false });
  if (nag) Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new NIST80053R5Checks(app));
  const regional = REGIONS.map((region) => {
    const stack = new Stack(app, `McpFleet-${region}`, { env: { account: ACCOUNT, region } });
    const fleet = new McpFleet(stack, 'Fleet', { spec: threePoolSpec, certificateArn: `arn:aws:acm:${region}:${ACCOUNT}:certificate/00000000-0000-4000-8000-000000000000` });
    new McpRegionalEndpointParameters(stack, 'Endpoint', { fleetName: threePoolSpec.name, loadBalancer: fleet.loadBalancer.loadBalancer });
    return stack;
  });
  const global = new Stack(app, 'McpFleetGlobal', { env: { account: ACCOUNT, region: 'us-east-1' } });
  const hostedZone = route53.HostedZone.fromHostedZoneAttributes(global, 'Zone', { hostedZoneId: 'Z0123456789ABCDEFGHIJ', zoneName: 'example.com' });
  new McpGlobalRouting(global, 'Routing', {
    spec: threePoolSpec,
    hostedZone,
    recordName: 'mcp.example.com',
    regions: REGIONS.map((region) => new McpRegionalEndpointReader(global, `Endpoint-${region}`, { fleetName: threePoolSpec.name, region }).endpoint),
    regionAlarmTopic: sns.Topic.fromTopicArn(global, 'Alarms', `arn:aws:sns:us-east-1:${ACCOUNT}:mcp-alarms`),
  });
  // Deploy order only (the parameters must exist before they are read); no values flow through it.
  regional.forEach((stack) => global.addStackDependency(stack));
  return { app, regional, global };
}

describe('multi-region fleet with global routing', () => {
  const { regional, global } = multiRegionApp();
  const globalTemplate = Template.fromStack(global);

  test('GIVEN two regional fleets WHEN synthesized THEN the global stack has a latency record per region and no cross-stack imports', () => {
    expect(Object.values(globalTemplate.findResources('AWS::Route53::RecordSet')).map((r) => r.Properties.Region)).toEqual(['us-east-1', 'eu-west-1']);
    expect(JSON.stringify(globalTemplate.toJSON())).not.toContain('Fn::ImportValue');
    globalTemplate.resourceCountIs('Custom::CrossRegionExportReader', 0);
    for (const stack of regional) expect(JSON.stringify(Template.fromStack(stack).toJSON().Outputs ?? {})).not.toContain('Export');
  });

  test('GIVEN each region WHEN synthesized THEN it writes its endpoint parameters and its gateway knows its region (sessions never cross)', () => {
    for (const [i, region] of REGIONS.entries()) {
      const template = Template.fromStack(regional[i]!);
      template.hasResourceProperties('AWS::SSM::Parameter', { Name: `/mcp-fleet/agents/${region}/load-balancer/dns-name` });
      const gateways = Object.values(template.findResources('AWS::Lambda::Function')).filter((f) => f.Properties.Environment?.Variables?.[GATEWAY_ENV.region] !== undefined);
      expect(gateways.map((f) => f.Properties.Environment.Variables[GATEWAY_ENV.region])).toEqual([region]);
    }
  });

  test('GIVEN AwsSolutions and NIST 800-53 R5 WHEN the three stacks are synthesized THEN there are no findings', () => {
    const { app } = multiRegionApp(true);
    expect(() => app.synth()).not.toThrow();
  });
});
