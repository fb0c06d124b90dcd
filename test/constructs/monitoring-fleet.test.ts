/**
 * The McpFleetMonitoring that McpFleet composes: its bindings resolve to the fleet's own resources,
 * pools that ask for it scale on the pools' connection gauge, and the stack stays cdk-nag clean.
 */
import { App, Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import { McpFleet } from '../../constructs/fleet';
import type { FleetSpec } from '../../lib/spec';
import { threePoolSpec } from '../fixtures/specs';
import { dashboardWidgets, widget } from './monitoring-fixtures';

/** The example fleet, with the github pool scaling on open connections too. */
const spec: FleetSpec = { ...threePoolSpec, pools: threePoolSpec.pools.map((p) => (p.name === 'github' ? { ...p, connectionsPerTask: 200 } : p)) };
const CERTIFICATE = 'arn:aws:acm:us-east-1:123456789012:certificate/00000000-0000-4000-8000-000000000000';

/** @param nag adds the AwsSolutions and NIST 800-53 R5 packs, which must be there before the first synthesis. */
function monitoredFleet(nag = false) {
  const app = new App({ builtinCloudFormationValidation: false });
  if (nag) Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new NIST80053R5Checks(app));
  const stack = new Stack(app, 'Fleet', { env: { account: '123456789012', region: 'us-east-1' } });
  const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
  const alarmTopic = new sns.Topic(stack, 'Alarms', { enforceSSL: true, masterKey: key });
  const fleet = new McpFleet(stack, 'Fleet', { spec, certificateArn: CERTIFICATE, encryptionKey: key, monitoring: { alarmTopic } });
  const monitoring = fleet.monitoring;
  return { app, stack, monitoring };
}

describe('McpFleetMonitoring on an McpFleet', () => {
  const { stack } = monitoredFleet();
  const template = Template.fromStack(stack);

  test('GIVEN a fleet WHEN monitored THEN alarm dimensions reference the fleet load balancer and pool target groups', () => {
    const alarm = Object.values(template.findResources('AWS::CloudWatch::Alarm', { Properties: { AlarmName: 'mcp-fleet-agents-github-p99-latency' } }))[0]!;
    const dimensions = JSON.stringify(alarm.Properties.Dimensions);
    expect(dimensions).toMatch(/"Ref":"FleetLoadBalancer[A-Za-z0-9]*"/);
    expect(dimensions).toMatch(/"Ref":"FleetPoolgithub[A-Za-z0-9]*"/);
  });

  test('GIVEN the fleet session store and firewall WHEN monitored THEN the cache nodes and web ACL metric name are the planned ones', () => {
    const widgets = dashboardWidgets(template);
    expect(JSON.stringify(widget(widgets, 'Session store memory (%)').properties.metrics)).toContain('"CacheClusterId","agents-sessions-002"');
    expect(JSON.stringify(widget(widgets, 'WAF requests').properties.metrics)).toContain('"WebACL","agents-web-acl"');
  });

  test('GIVEN connectionsPerTask on one pool WHEN wired THEN only that pool tracks connections per task', () => {
    const policies = Object.values(template.findResources('AWS::ApplicationAutoScaling::ScalingPolicy')).map((p) => p.Properties.TargetTrackingScalingPolicyConfiguration);
    const connections = policies.filter((c) => c.CustomizedMetricSpecification?.MetricName === 'OpenConnections');
    expect(connections).toEqual([
      expect.objectContaining({
        TargetValue: 200,
        CustomizedMetricSpecification: expect.objectContaining({
          Namespace: 'McpFleet',
          Statistic: 'Average',
          Dimensions: [
            { Name: 'Fleet', Value: 'agents' },
            { Name: 'Pool', Value: 'github' },
          ],
        }),
      }),
    ]);
  });

  test('GIVEN an alarm topic WHEN the fleet is built THEN every alarm notifies it on alarm and on recovery', () => {
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm'));
    expect(alarms.length).toBeGreaterThan(0);
    for (const alarm of alarms) {
      expect(alarm.Properties.AlarmActions).toEqual([{ Ref: expect.stringMatching(/^Alarms/) }]);
      expect(alarm.Properties.OKActions).toEqual([{ Ref: expect.stringMatching(/^Alarms/) }]);
    }
  });

  test('GIVEN AwsSolutions and NIST 800-53 R5 WHEN the monitored fleet is synthesized THEN there are no findings', () => {
    const { app } = monitoredFleet(true);
    expect(() => app.synth()).not.toThrow();
  });
});
