import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as route53 from 'aws-cdk-lib/aws-route53';
import type { Construct } from 'constructs';
import { McpFleet } from '../../constructs';
import type { FleetSpec } from '../../lib/spec';

export interface McpFleetExampleStackProps extends StackProps {
  readonly spec: FleetSpec;
  /** ACM certificate of the public name. */
  readonly certificateArn: string;
  /** Hosted zone for an alias record `mcp.<zoneName>`. @default - no DNS record */
  readonly hostedZone?: { readonly hostedZoneId: string; readonly zoneName: string };
  /**
   * Registry image of the gateway service (`gateway.hosting: 'service'` only).
   * @default - built from this package at deploy time
   */
  readonly gatewayImage?: string;
  /**
   * Registry image of this package's CLI for the queue pools' workers.
   * @default - built from this package at deploy time (the gateway service's image)
   */
  readonly workerImage?: string;
}

/** One region's fleet. */
export class McpFleetExampleStack extends Stack {
  public readonly fleet: McpFleet;

  constructor(scope: Construct, id: string, props: McpFleetExampleStackProps) {
    super(scope, id, props);
    const zone = props.hostedZone && route53.HostedZone.fromHostedZoneAttributes(this, 'Zone', props.hostedZone);
    this.fleet = new McpFleet(this, 'Fleet', {
      spec: props.spec,
      certificateArn: props.certificateArn,
      ...(zone ? { domain: { hostedZone: zone, domainName: `mcp.${zone.zoneName}` } } : {}),
      ...(props.gatewayImage ? { gatewayService: { image: ecs.ContainerImage.fromRegistry(props.gatewayImage) } } : {}),
      ...(props.workerImage ? { queuePools: workerImageOverrides(props.spec, ecs.ContainerImage.fromRegistry(props.workerImage)) } : {}),
    });
    new CfnOutput(this, 'McpEndpoint', { value: `${this.fleet.loadBalancer.publicUrl}${this.fleet.plan.mcpPath}`, description: 'MCP endpoint for agents' });
    new CfnOutput(this, 'LoadBalancerDnsName', { value: this.fleet.loadBalancer.loadBalancer.loadBalancerDnsName });
  }
}

/** The same worker image for every queue pool of `spec`. */
function workerImageOverrides(spec: FleetSpec, workerImage: ecs.ContainerImage): Record<string, { workerImage: ecs.ContainerImage }> {
  return Object.fromEntries(spec.pools.filter((pool) => pool.kind === 'queue').map((pool) => [pool.name, { workerImage }]));
}
