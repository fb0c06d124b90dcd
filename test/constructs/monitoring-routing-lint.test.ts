/**
 * cfn-lint over templates of McpFleetMonitoring and McpGlobalRouting (both front doors, cross-region
 * readers, Global Datastore), and byte-identical templates from two synthesis runs.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as sns from 'aws-cdk-lib/aws-sns';
import { McpGlobalRouting, McpRegionalEndpointParameters, McpRegionalEndpointReader, type McpGlobalRoutingProps } from '../../constructs/global-routing';
import { McpFleetMonitoring } from '../../constructs/monitoring';
import { threePoolSpec } from '../fixtures/specs';
import { ACCOUNT, REGION, importedGateway, importedLoadBalancer, importedPools, testStack } from './monitoring-fixtures';

function monitoringTemplate(): Record<string, unknown> {
  const { stack } = testStack();
  const gateway = importedGateway(stack);
  const loadBalancer = importedLoadBalancer(stack);
  new McpFleetMonitoring(stack, 'Monitoring', {
    spec: threePoolSpec,
    loadBalancer,
    pools: importedPools(stack, ['github', 'slack', 'images']),
    gatewayFunction: gateway.fn,
    gatewayTargetGroup: gateway.tg,
    sessionStore: { replicationGroupId: 'agents-sessions' },
    webAclMetricName: 'agents-web-acl',
    alarmTopic: sns.Topic.fromTopicArn(stack, 'Topic', `arn:aws:sns:${REGION}:${ACCOUNT}:mcp-alarms`),
    toolNames: ['github_create_issue'],
  });
  new McpRegionalEndpointParameters(stack, 'Endpoint', { fleetName: 'agents', loadBalancer });
  return Template.fromStack(stack).toJSON();
}

function routingTemplate(frontDoor: NonNullable<McpGlobalRoutingProps['frontDoor']>): Record<string, unknown> {
  const { stack } = testStack('Global', 'us-east-1');
  new McpGlobalRouting(stack, 'Routing', {
    spec: { ...threePoolSpec, sessionStore: { nodeType: 'cache.r7g.large' } },
    hostedZone: route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: 'Z0123456789ABCDEFGHIJ', zoneName: 'example.com' }),
    recordName: 'mcp.example.com',
    frontDoor,
    regions: ['us-east-1', 'eu-west-1'].map((region) => new McpRegionalEndpointReader(stack, `Endpoint-${region}`, { fleetName: 'agents', region }).endpoint),
    sessionGlobalDatastore: { primaryReplicationGroupId: 'agents-sessions', primaryRegion: 'us-east-1' },
    ...(frontDoor === 'latency-records' ? { regionAlarmTopic: sns.Topic.fromTopicArn(stack, 'Topic', `arn:aws:sns:us-east-1:${ACCOUNT}:mcp-alarms`) } : {}),
  });
  return Template.fromStack(stack).toJSON();
}

const templates = {
  monitoring: monitoringTemplate,
  'routing-latency': () => routingTemplate('latency-records'),
  'routing-accelerator': () => routingTemplate('global-accelerator'),
};

describe('templates of the monitoring and global routing constructs', () => {
  test.each(Object.entries(templates))('GIVEN the %s stack WHEN synthesized twice THEN both templates are byte-identical', (_, build) => {
    expect(JSON.stringify(build())).toBe(JSON.stringify(build()));
  });

  test('GIVEN every stack WHEN cfn-lint reads the templates THEN it finds nothing', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-fleet-lint-'));
    try {
      const files = Object.entries(templates).map(([name, build]) => {
        const file = path.join(dir, `${name}.json`);
        fs.writeFileSync(file, JSON.stringify(build(), null, 1));
        return file;
      });
      // W3005 (DependsOn already implied by GetAtt) is in aws-cdk-lib's own AwsCustomResource provider
      // function, which the cross-region readers use; nothing of ours can remove it.
      const lint = spawnSync('cfn-lint', ['--ignore-checks', 'W3005', '--', ...files], { encoding: 'utf8' });
      expect({ status: lint.status, findings: lint.stdout + lint.stderr }).toEqual({ status: 0, findings: '' });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
