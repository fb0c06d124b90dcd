/** `mcp-fleet/pulumi`: the fleet as Pulumi components, translated from the same plan as the CDK constructs. */
export * from './fleet';
export * from './network';
export * from './load-balancer';
export * from './tool-pool';
export * from './queue-pool';
export type { McpQueueRef } from './queue-access';
export * from './sidecar';
export * from './connection-scaling';
export * from './session-store';
export * from './gateway';
export * from './gateway-service';
export * from './firewall';
export * from './monitoring';
export * from './global-routing';
export { allowTcp, type SecurityGroupEnd } from './security';
export * from './errors';
