/**
 * `mcp-fleet/testing`: helpers for testing infrastructure built with mcp-fleet — a jest snapshot
 * serializer for CDK templates (asset hashes hidden) and Pulumi mocks with realistic outputs.
 */
export * from './asset-hashes';
export * from './pulumi-mocks';
