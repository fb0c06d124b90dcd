/**
 * The example CDK app (root `cdk.json`). Context keys, all optional:
 *   account, region, certificateArn, hostedZoneId + zoneName.
 * The defaults synthesize without credentials or Docker (the zones of the default account and region
 * are in the committed cdk.context.json); pass real values to deploy.
 */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import { exampleFleetSpec } from './fleet-spec';
import { McpFleetExampleStack } from './stack';

export const EXAMPLE_DEFAULTS = {
  account: '123456789012',
  region: 'us-east-1',
  certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/00000000-0000-4000-8000-000000000000',
} as const;

/**
 * Builds the example app; `context` adds to (and wins over) the CLI context.
 * @param outdir where `synth` writes the cloud assembly (default: the CLI's, or a temporary directory).
 */
export function buildExampleApp(context: Record<string, unknown> = {}, outdir?: string): { app: App; stacks: McpFleetExampleStack[] } {
  // CDK's built-in template validation costs seconds per synth; the tests run cfn-lint over every
  // template instead, and cdk-nag (below) checks security on every synth.
  const app = new App({ context, builtinCloudFormationValidation: false, ...(outdir ? { outdir } : {}) });
  const get = (key: string): string | undefined => {
    const value = app.node.tryGetContext(key) as unknown;
    return typeof value === 'string' && value !== '' ? value : undefined;
  };
  const account = get('account') ?? EXAMPLE_DEFAULTS.account;
  const region = get('region') ?? EXAMPLE_DEFAULTS.region;
  const hostedZoneId = get('hostedZoneId');
  const zoneName = get('zoneName');
  if ((hostedZoneId === undefined) !== (zoneName === undefined)) throw new Error('context: hostedZoneId and zoneName go together');
  const stack = new McpFleetExampleStack(app, 'McpFleetExample', {
    env: { account, region },
    spec: exampleFleetSpec,
    certificateArn: get('certificateArn') ?? EXAMPLE_DEFAULTS.certificateArn,
    ...(hostedZoneId && zoneName ? { hostedZone: { hostedZoneId, zoneName } } : {}),
    description: 'mcp-fleet example: three MCP pools behind a TLS 1.3 ALB with WAF, a gateway Lambda and a Valkey session store',
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new NIST80053R5Checks(app));
  return { app, stacks: [stack] };
}

if (require.main === module) {
  buildExampleApp().app.synth();
}
