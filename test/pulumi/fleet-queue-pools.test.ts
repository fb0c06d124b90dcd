import type { FleetSpec } from '../../lib/spec';
import { McpFleet as PulumiFleet } from '../../pulumi';
import { McpQueuePoolNotRenderedError } from '../../pulumi/errors';

const owner = { name: 'owner', image: 'registry.example.com/owner:1', tools: ['owner_*'] };
const fleet = (...pools: unknown[]) => ({ name: 'queued', pools }) as FleetSpec;

describe('McpFleet (Pulumi) with queue pools', () => {
  test('GIVEN a queue pool WHEN the Pulumi fleet is declared THEN it refuses it by name until the Pulumi components render queue pools', () => {
    const spec = fleet(owner, { name: 'images', kind: 'queue', image: 'x', tools: ['image_*'] }) as FleetSpec;
    expect(() => new PulumiFleet('q', { spec, certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc' })).toThrow(McpQueuePoolNotRenderedError);
    expect(() => new PulumiFleet('q', { spec, certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc' })).toThrow(
      'McpFleet q: pools images: kind "queue" is not rendered by the Pulumi components yet',
    );
  });
});
