import { ASSET_HASH_PLACEHOLDER, assetHashSerializer, normalizeAssetHashes } from '../../lib/testing';

const hash = 'a'.repeat(40) + '0123456789abcdef01234567';

describe('assetHashSerializer', () => {
  test('GIVEN strings with and without an asset hash THEN only the ones with a hash are handled', () => {
    expect(assetHashSerializer.test(`${hash}.zip`)).toBe(true);
    expect(assetHashSerializer.test('cdk-hnb659fds-assets-123456789012-us-east-1')).toBe(false);
    expect(assetHashSerializer.test(42)).toBe(false);
  });

  test('GIVEN a template value with asset hashes WHEN snapshotted THEN the hashes are replaced and the rest kept', () => {
    expect(normalizeAssetHashes(`s3://bucket/${hash}.zip and ${hash}`)).toBe(`s3://bucket/${ASSET_HASH_PLACEHOLDER}.zip and ${ASSET_HASH_PLACEHOLDER}`);
  });

  test('GIVEN the serializer registered WHEN an object is snapshotted THEN its hashes are normalized', () => {
    expect.addSnapshotSerializer(assetHashSerializer);
    expect({ Code: { S3Key: `${hash}.zip` } }).toMatchInlineSnapshot(`
{
  "Code": {
    "S3Key": "[ASSET HASH].zip",
  },
}
`);
  });
});
