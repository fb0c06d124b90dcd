/** `mcp-fleet/cdk`: the CDK constructs of an MCP fleet. */
export * from './network';
export * from './load-balancer';
export * from './tool-pool';
export * from './queue-pool';
export * from './session-store';
export * from './firewall';
export * from './gateway';
export * from './fleet';
export * from './monitoring';
export * from './global-routing';
export * from './sidecar';
