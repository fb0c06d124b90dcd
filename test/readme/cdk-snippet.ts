/**
 * The README's CDK snippet, verbatim between the markers (snippets.test.ts checks that, type-checking
 * covers it, and the test runs this file without AWS credentials). Before the markers: what the
 * snippet leaves to the reader; after them: synthesis and a summary for the test.
 */
import { spec } from './spec-snippet';
// README:begin
import { App, Stack } from 'aws-cdk-lib';
import { McpFleet } from 'mcp-fleet/cdk';

const app = new App();
// A region is required; an account is optional (with one, CDK looks up availability zones, which
// needs credentials or their entries in cdk.context.json).
const stack = new Stack(app, 'Agents', { env: { region: 'us-east-1' } });
const fleet = new McpFleet(stack, 'Fleet', {
  spec,
  certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/…',
  // vpc, domain: { hostedZone, domainName }, encryptionKey, monitoring: { alarmTopic, toolNames },
  // connectionsPerTaskMetric, and per-part overrides (network, loadBalancer, pools, gateway, sessionStore)
});
fleet.pools[0].service; // every underlying L2 is public: ecs.FargateService,
fleet.loadBalancer.httpsListener; // elbv2.ApplicationListener, the WebACL, the Lambda, the cache…
// README:end

const assembly = app.synth();
const template = assembly.getStackByName(stack.stackName).template as { Resources: Record<string, { Type: string }> };
const types = Object.values(template.Resources).map((r) => r.Type);
process.stdout.write(`${JSON.stringify({ stack: stack.stackName, region: stack.region, resources: types.length, services: types.filter((t) => t === 'AWS::ECS::Service').length })}\n`);
