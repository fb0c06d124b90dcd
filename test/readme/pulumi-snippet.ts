/**
 * The README's Pulumi snippet, verbatim between the markers (snippets.test.ts checks that, type-checking
 * covers it, and the test runs this file under the mocks of mcp-fleet/testing: no Pulumi CLI, no
 * credentials). Before the markers: the mocks and the stack configuration the snippet reads.
 */
import { setFleetMocks } from 'mcp-fleet/testing';
import { spec } from './spec-snippet';

const mocks = setFleetMocks({ config: { certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/00000000-0000-4000-8000-000000000000' } });
// README:begin
import * as pulumi from '@pulumi/pulumi';
import { McpFleet } from 'mcp-fleet/pulumi';

const config = new pulumi.Config();
const fleet = new McpFleet('agents', {
  spec, // the same FleetSpec as for CDK
  certificateArn: config.require('certificateArn'),
  domainName: 'mcp.example.com', // optional; default: the load balancer's DNS name
  // vpc: { vpcId, publicSubnetIds, privateSubnetIds }, monitoring: { alarmTopicArn }, …
});
export const url = fleet.url;
// README:end

void mocks.settled().then(() => {
  fleet.url.apply((value) => process.stdout.write(`${JSON.stringify({ url: value, ...mocks.countsByType() })}\n`));
});
