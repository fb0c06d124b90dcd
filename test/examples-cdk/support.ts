import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import { McpFleet } from '../../constructs';
import { buildExampleApp } from '../../examples/cdk/app';
import { exampleFleetSpec } from '../../examples/cdk/fleet-spec';
import type { FleetSpec } from '../../lib/spec';
import { CDK_CONTEXT, CERTIFICATE_ARN, ENV } from '../constructs/support';
import { oncePerRun } from '../support/once-per-run';

/**
 * Context the CDK CLI adds on `cdk synth`: `aws:cdk:path` metadata and the `CDKMetadata` resource, by
 * which cfn-lint recognizes CDK templates (it then accepts, e.g., zones pinned by cdk.context.json).
 */
export const CLI_CONTEXT = { 'aws:cdk:enable-path-metadata': true, 'aws:cdk:version-reporting': true } as const;

/**
 * Synthesizes the example app as `cdk synth` does (context from the committed cdk.context.json).
 * @param cliContext also add the context the CLI adds (see `CLI_CONTEXT`).
 */
export function synthExampleApp(outdir?: string, cliContext = false): CloudAssembly {
  return buildExampleApp({ ...CDK_CONTEXT, ...(cliContext ? CLI_CONTEXT : {}) }, outdir).app.synth();
}

/**
 * The branches the example does not take: serverless session store, API keys next to JWT, a hosted
 * zone with a DNS-validated certificate, a pool from a private ECR image, reserved gateway concurrency
 * (the example's queue pool, which scales to zero, is in both). cdk-nag and
 * cfn-lint check it like the example.
 */
export const variantSpec: FleetSpec = {
  ...exampleFleetSpec,
  name: 'variant',
  pools: [...exampleFleetSpec.pools, { name: 'registry', image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/mcp/registry-pool:1.0.0', tools: ['registry_*'] }],
  auth: { ...exampleFleetSpec.auth, apiKeys: { secretName: 'variant/api-keys' } },
  sessionStore: { deployment: 'serverless' },
};

/**
 * The variant with the gateway as a Fargate service and a second queue pool whose server is a stdio
 * command, run under `mcp-fleet bridge` in a generated image. Only here: with the Lambda gateway its
 * environment (which carries every queue URL) would pass Lambda's 4 KB.
 */
export const variantServiceSpec: FleetSpec = {
  ...variantSpec,
  name: 'variant-svc',
  gateway: { hosting: 'service' },
  pools: [
    ...variantSpec.pools,
    {
      name: 'exports',
      kind: 'queue',
      command: ['npx', '-y', '@modelcontextprotocol/server-filesystem@2026.8.31', '/tmp'],
      tools: ['export_*'],
      protocolVersion: '2025-11-25',
      minTasks: 0,
      maxTasks: 4,
      queue: { maxRunSeconds: 300, maxReceives: 3 },
    },
  ],
};

/** An app with the variant stacks (gateway Lambda, gateway service) and both cdk-nag packs, as the example app has. */
export function synthVariantApp(outdir?: string, cliContext = false): CloudAssembly {
  const app = new App({ context: { ...CDK_CONTEXT, ...(cliContext ? CLI_CONTEXT : {}) }, builtinCloudFormationValidation: false, ...(outdir ? { outdir } : {}) });
  const stack = new Stack(app, 'McpFleetVariant', { env: ENV });
  const hostedZone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: 'Z0123456789ABCDEFGHIJ', zoneName: 'example.com' });
  new McpFleet(stack, 'Fleet', { spec: variantSpec, domain: { hostedZone, domainName: 'mcp.example.com' }, gateway: { reservedConcurrentExecutions: 100 } });
  // The same branches with the gateway as a Fargate service (its API key secret is injected by name), and a
  // queue pool whose server is a stdio command (its worker waits for the bridged server to be HEALTHY).
  const service = new Stack(app, 'McpFleetVariantService', { env: ENV });
  new McpFleet(service, 'Fleet', { spec: variantServiceSpec, certificateArn: CERTIFICATE_ARN });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new NIST80053R5Checks(app));
  return app.synth();
}

/** The validation report CDK writes next to the templates (cdk-nag findings that were not acknowledged). */
export function validationReport(assembly: CloudAssembly): { pluginReports: Array<{ violations?: unknown[] }> } {
  return JSON.parse(readFileSync(path.join(assembly.directory, 'validation-report.json'), 'utf8'));
}

/**
 * The example app's cloud assembly, synthesized once per jest run and shared by every suite that only
 * reads it (snapshot, cdk-nag report, cfn-lint, determinism's first synthesis): a synthesis of the
 * example app with both cdk-nag packs costs about 2.5 CPU s.
 * @param cliContext as `cdk synth` writes it (see `CLI_CONTEXT`).
 */
export function exampleAssembly(cliContext = false): CloudAssembly {
  return oncePerRun(
    cliContext ? 'example-app-cli' : 'example-app',
    (dir) => synthExampleApp(dir, cliContext),
    (dir) => new CloudAssembly(dir),
  );
}

/** The variant app's cloud assembly (see `synthVariantApp`), synthesized once per jest run like `exampleAssembly`. */
export function variantAssembly(cliContext = false): CloudAssembly {
  return oncePerRun(
    cliContext ? 'variant-app-cli' : 'variant-app',
    (dir) => synthVariantApp(dir, cliContext),
    (dir) => new CloudAssembly(dir),
  );
}
