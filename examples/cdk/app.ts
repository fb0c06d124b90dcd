/**
 * The example CDK app (root `cdk.json`): the single-region fleet `McpFleetExample`, the
 * multi-region fleet (`McpFleetMultiRegion-<region>` stacks plus `McpFleetMultiRegionGlobal`), and
 * `McpFleetStreaming`, whose gateway runs as a Fargate service.
 * Context keys, all optional:
 *   account, region, certificateArn, hostedZoneId + zoneName (single region; the zone is also the
 *   multi-region example's), certificateArn-<region> (one certificate per region of the multi-region example),
 *   gatewayImage (a registry image of the gateway service for `McpFleetStreaming`, instead of building it),
 *   workerImage (a registry image of this package's CLI for the queue pools' workers, instead of
 *   building it; default: gatewayImage),
 *   mcp-fleet-example:registryImage (run every pool, workers included, from this registry image instead
 *   of building the example pools' images: only for the emulator deploy test, which cannot build images).
 * Pool images are image assets: synth only fingerprints them; `cdk deploy` builds them with Docker.
 * The defaults synthesize without credentials or Docker (the zones of the default account and regions
 * are in the committed cdk.context.json); pass real values to deploy.
 */
import { App, Validations, type Stack } from 'aws-cdk-lib';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import { exampleFleetSpec } from './fleet-spec';
import { addMultiRegionExample } from './multi-region';
import { REGISTRY_IMAGE_CONTEXT, withRegistryImages } from './registry-images';
import { McpFleetExampleStack } from './stack';

/** The stack whose gateway is a Fargate service. */
export const STREAMING_STACK_NAME = 'McpFleetStreaming';

export const EXAMPLE_DEFAULTS = {
  account: '123456789012',
  region: 'us-east-1',
  certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/00000000-0000-4000-8000-000000000000',
  hostedZone: { hostedZoneId: 'Z0123456789ABCDEFGHIJ', zoneName: 'example.com' },
} as const;

/** A harmless certificate ARN in `region` of `account`, for synthesis without an account. */
const placeholderCertificateArn = (account: string, region: string): string => `arn:aws:acm:${region}:${account}:certificate/00000000-0000-4000-8000-000000000000`;

/**
 * Builds the example app; `context` adds to (and wins over) the CLI context.
 * @param outdir where `synth` writes the cloud assembly (default: the CLI's, or a temporary directory).
 */
export function buildExampleApp(context: Record<string, unknown> = {}, outdir?: string): { app: App; stacks: Stack[] } {
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
  const registryImage = get(REGISTRY_IMAGE_CONTEXT);
  const spec = registryImage ? withRegistryImages(exampleFleetSpec, registryImage) : exampleFleetSpec;
  // The gateway image is this package's CLI, which is what a worker runs.
  const workerImage = get('workerImage') ?? get('gatewayImage') ?? registryImage;
  const workers = workerImage ? { workerImage } : {};
  const stack = new McpFleetExampleStack(app, 'McpFleetExample', {
    env: { account, region },
    spec,
    certificateArn: get('certificateArn') ?? placeholderCertificateArn(account, region),
    ...(hostedZoneId && zoneName ? { hostedZone: { hostedZoneId, zoneName } } : {}),
    ...workers,
    description:
      'mcp-fleet example: five MCP pools (two built from source, a queue pool with SQS workers, a priority pool, a stdio server) behind a TLS 1.3 ALB with WAF, a gateway Lambda and a Valkey session store',
  });
  const multiRegion = addMultiRegionExample(app, {
    account,
    // Its own fleet name: both examples can live in one account without their named resources clashing.
    spec: { ...spec, name: `${spec.name}-global` },
    certificateArn: (r) => get(`certificateArn-${r}`) ?? placeholderCertificateArn(account, r),
    hostedZone: hostedZoneId && zoneName ? { hostedZoneId, zoneName } : EXAMPLE_DEFAULTS.hostedZone,
    ...workers,
  });
  // The same fleet with its gateway as a Fargate service (live streams); its image is built from this
  // package at deploy time unless the context names one already in a registry.
  const gatewayImage = get('gatewayImage');
  const streaming = new McpFleetExampleStack(app, STREAMING_STACK_NAME, {
    env: { account, region },
    spec: { ...spec, name: `${spec.name}-streams`, gateway: { ...spec.gateway, hosting: 'service' } },
    certificateArn: get('certificateArn') ?? placeholderCertificateArn(account, region),
    ...(gatewayImage ? { gatewayImage } : {}),
    ...workers,
    description: 'mcp-fleet example: the example fleet with its gateway as an autoscaled Fargate service (streaming)',
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new NIST80053R5Checks(app));
  return { app, stacks: [stack, ...multiRegion.regional, multiRegion.global, streaming] };
}

if (require.main === module) {
  buildExampleApp().app.synth();
}
