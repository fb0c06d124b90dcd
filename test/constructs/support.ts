import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type { Template } from 'aws-cdk-lib/assertions';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

/** The committed context: availability zones of the example account and region. */
export const CDK_CONTEXT: Record<string, unknown> = JSON.parse(readFileSync(path.join(__dirname, '../../cdk.context.json'), 'utf8'));

export const ENV = { account: '123456789012', region: 'us-east-1' } as const;
export const CERTIFICATE_ARN = 'arn:aws:acm:us-east-1:123456789012:certificate/00000000-0000-4000-8000-000000000000';

/** A stack in the example account and region whose zones come from the committed cdk.context.json. */
export function testStack(id = 'Test'): Stack {
  const app = new App({ context: { ...CDK_CONTEXT }, builtinCloudFormationValidation: false });
  return new Stack(app, id, { env: ENV });
}

/** A VPC with public and private (egress) subnets in two zones. */
export function testVpc(stack: Stack): ec2.Vpc {
  return new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
}

/** Every resource of `type` in the template, as `[logicalId, properties]`. */
export function resourcesOf(template: Template, type: string): Array<[string, Record<string, any>]> {
  return Object.entries(template.findResources(type)).map(([id, r]) => [id, (r as { Properties: Record<string, any> }).Properties]);
}
