/**
 * `mcp-fleet`: the fleet spec (types, validation, defaults, tool patterns) and what a pool server
 * needs to trust the gateway (`verifyFleetIdentity`). Curated and light: no MCP SDK, no Redis client.
 * IaC lives in `mcp-fleet/cdk` and `mcp-fleet/pulumi`, the gateway API in `mcp-fleet/gateway`, test
 * helpers in `mcp-fleet/testing`.
 */
export * from './spec';
export { FleetIdentityError, verifyFleetIdentity, type FleetIdentity, type VerifyFleetIdentityOptions } from './gateway/auth/identity';
