/**
 * The example pools `mcp-fleet dev` runs for pools without a `--pool` URL, and its default fleet.
 * They live in examples/ (not shipped code): `npm run build` bundles examples/pools into
 * dist/example-pools/index.js, which is loaded here at run time, by path, when dev needs it.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../package-root';
import { CliError } from './errors';

/** A running example pool (the examples' `PoolHandle`). */
export interface ExamplePoolHandle {
  readonly url: string;
  close(): Promise<void>;
}

/** How dev starts an example pool (a subset of the examples' `PoolListenOptions`). */
export interface ExamplePoolOptions {
  readonly port: number;
  readonly host: string;
  /** Verify the gateway-signed caller identity with this pool's key. */
  readonly identity: { readonly key: string; readonly fleet: string; readonly pool: string };
}

/** What the example pools bundle exports. */
export interface ExamplePools {
  /** examples/fleet.json: the fleet of the example pools. */
  readonly EXAMPLE_FLEET: unknown;
  /** Starts an example pool by its pool name. */
  readonly EXAMPLE_POOLS: Readonly<Record<string, (options: ExamplePoolOptions) => Promise<ExamplePoolHandle>>>;
}

/** Where `npm run build` writes the example pools bundle, relative to the package root. */
export const EXAMPLE_POOLS_BUNDLE = 'dist/example-pools/index.js';

/** Loads the example pools bundle. @throws CliError when it was not built. */
export function loadExamplePools(root: string = packageRoot()): ExamplePools {
  const file = join(root, EXAMPLE_POOLS_BUNDLE);
  if (!existsSync(file)) throw new CliError(`the example pools are not built (${file} is missing): run \`npm run build\` in ${root}, or pass --pool NAME=URL for every pool`);
  return require(file) as ExamplePools;
}
