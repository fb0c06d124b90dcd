/** `mcp-fleet`: the fleet spec and the gateway API. IaC lives in `mcp-fleet/cdk` and `mcp-fleet/pulumi`. */
export * from './spec';
export * from './gateway';
