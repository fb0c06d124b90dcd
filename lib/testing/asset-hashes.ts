/**
 * A jest snapshot serializer for synthesized CloudFormation templates. Asset hashes change with every
 * build of the bundled gateway or of CDK's own handlers; the serializer replaces them so that
 * snapshots only change when the infrastructure does.
 *
 *   import { assetHashSerializer } from 'mcp-fleet/testing';
 *   expect.addSnapshotSerializer(assetHashSerializer);
 *   expect(Template.fromStack(stack).toJSON()).toMatchSnapshot();
 */

/** A SHA-256 hex digest, as CDK uses for asset hashes, object keys and asset folder names. */
const ASSET_HASH = /[0-9a-f]{64}/g;

/** What a hash is replaced with. */
export const ASSET_HASH_PLACEHOLDER = '[ASSET HASH]';

/** `value` with every asset hash replaced by `ASSET_HASH_PLACEHOLDER`. */
export function normalizeAssetHashes(value: string): string {
  return value.replace(ASSET_HASH, ASSET_HASH_PLACEHOLDER);
}

/**
 * Jest's snapshot plugin interface (`NewPlugin` of pretty-format), declared here so that the package
 * needs no jest types; `config` and `refs` are jest's own and only passed through.
 */
export interface SnapshotSerializer {
  test(value: unknown): boolean;
  serialize(value: unknown, config: any, indentation: string, depth: number, refs: any, printer: (value: unknown, config: any, indentation: string, depth: number, refs: any) => string): string;
}

/** Serializes strings that contain asset hashes with the hashes replaced. */
export const assetHashSerializer: SnapshotSerializer = {
  test: (value) => typeof value === 'string' && new RegExp(ASSET_HASH.source).test(value),
  serialize: (value, config, indentation, depth, refs, printer) => printer(normalizeAssetHashes(value as string), config, indentation, depth, refs),
};
