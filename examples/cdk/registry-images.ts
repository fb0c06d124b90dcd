import type { FleetSpec, PoolSpec } from '../../lib/spec';

/**
 * Context key: when set to an image reference, the example app runs every pool from that registry
 * image instead of building one. Only for deployments that cannot build images — the emulator deploy
 * test (test/deploy: no Docker engine there, and moto runs no containers) — never for a real fleet.
 */
export const REGISTRY_IMAGE_CONTEXT = 'mcp-fleet-example:registryImage';

/** `pool` as a container pool running `image` (build and stdio pools lose what builds their image). */
function fromRegistry(pool: PoolSpec, image: string): PoolSpec {
  if (pool.kind === 'stdio') {
    const { kind: _kind, command: _command, baseImage: _baseImage, ...rest } = pool;
    return { ...rest, image };
  }
  const { build: _build, image: _image, ...rest } = pool;
  return { ...rest, image };
}

/** The spec with every pool running `image` from a registry. */
export function withRegistryImages(spec: FleetSpec, image: string): FleetSpec {
  return { ...spec, pools: spec.pools.map((pool) => fromRegistry(pool, image)) };
}
