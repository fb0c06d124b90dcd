/**
 * The multi-region example: the same fleet in two regions, each stack writing its load balancer
 * endpoint to SSM, and a global stack (in the first region) that reads them — natively in its own
 * region, through a scoped custom resource in the other — and routes agents by latency to the nearest
 * healthy region. No `crossRegionReferences`: only SSM parameters with deterministic names cross.
 *
 * 2026-07-28 traffic is active-active. A 2025-era session is bound to the region that minted it: when
 * latency routing moves a client to the other region, that gateway answers 404 and the client
 * re-initializes there (see McpGlobalRouting's `sessionGlobalDatastore` for the alternative).
 */
import { Stack, type App } from 'aws-cdk-lib';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { McpGlobalRouting, McpRegionalEndpointParameters, McpRegionalEndpointReader } from '../../constructs';
import type { FleetSpec } from '../../lib/spec';
import { McpFleetExampleStack } from './stack';

/** Regions of the multi-region example; the first also holds the global routing stack. */
export const MULTI_REGION_REGIONS = ['us-east-1', 'eu-west-1'] as const;
export const regionalStackName = (region: string): string => `McpFleetMultiRegion-${region}`;
export const GLOBAL_STACK_NAME = 'McpFleetMultiRegionGlobal';
/** The name agents connect to, under the hosted zone. */
export const recordNameIn = (zoneName: string): string => `mcp.${zoneName}`;

export interface MultiRegionExampleProps {
  readonly account: string;
  readonly spec: FleetSpec;
  /** Certificate ARN per region (ACM certificates are regional). */
  readonly certificateArn: (region: string) => string;
  readonly hostedZone: { readonly hostedZoneId: string; readonly zoneName: string };
  /** Registry image of the queue pools' workers. @default - built from this package at deploy time */
  readonly workerImage?: string;
}

export function addMultiRegionExample(app: App, props: MultiRegionExampleProps): { regional: McpFleetExampleStack[]; global: Stack } {
  const { account, spec } = props;
  const regional = MULTI_REGION_REGIONS.map((region) => {
    // No hosted zone here: each region's own `mcp.<zone>` alias would clash with the global record.
    const stack = new McpFleetExampleStack(app, regionalStackName(region), {
      env: { account, region },
      spec,
      certificateArn: props.certificateArn(region),
      ...(props.workerImage ? { workerImage: props.workerImage } : {}),
      description: `mcp-fleet multi-region example: the ${region} fleet`,
    });
    new McpRegionalEndpointParameters(stack, 'Endpoint', { fleetName: spec.name, loadBalancer: stack.fleet.loadBalancer.loadBalancer });
    return stack;
  });
  const global = new Stack(app, GLOBAL_STACK_NAME, {
    env: { account, region: MULTI_REGION_REGIONS[0] },
    description: 'mcp-fleet multi-region example: latency routing with health-checked failover',
  });
  new McpGlobalRouting(global, 'Routing', {
    spec,
    hostedZone: route53.HostedZone.fromHostedZoneAttributes(global, 'Zone', props.hostedZone),
    recordName: recordNameIn(props.hostedZone.zoneName),
    regions: MULTI_REGION_REGIONS.map((region) => new McpRegionalEndpointReader(global, `Endpoint-${region}`, { fleetName: spec.name, region }).endpoint),
  });
  // Deploy order only: the parameters must exist before the global stack reads them.
  regional.forEach((stack) => global.addStackDependency(stack));
  return { regional, global };
}
