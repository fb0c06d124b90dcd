/** A user's Pulumi program, as the README's testing snippet imports it (pulumi-testing.test.ts). */
import * as pulumi from '@pulumi/pulumi';
import { McpFleet } from 'mcp-fleet/pulumi';
import { spec } from './spec-snippet';

const config = new pulumi.Config();
export const fleet = new McpFleet('agents', { spec, certificateArn: config.require('certificateArn') });
