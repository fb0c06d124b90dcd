/** The example MCP pool servers: `mcp-fleet dev` runs them, the CDK and Pulumi examples deploy them. */
import type { PoolHandle, PoolListenOptions } from './shared';
import { startGithubPool } from './github/server';
import { startImagesPool } from './images/server';
import { startSlackPool } from './slack/server';

export { startGithubPool, GITHUB_TOOLS } from './github/server';
export { startSlackPool, type SlackPoolOptions } from './slack/server';
export { SLACK_TOOLS } from './slack/tools';
export { startImagesPool, IMAGE_TOOLS } from './images/server';
export type { PoolHandle, PoolListenOptions } from './shared';
/** The fleet of the example pools (`mcp-fleet dev`'s default). */
export { default as EXAMPLE_FLEET } from '../fleet.json';

/** Every example pool by the pool name `examples/fleet.json` gives it. */
export const EXAMPLE_POOLS: Readonly<Record<string, (options: PoolListenOptions) => Promise<PoolHandle>>> = {
  github: startGithubPool,
  slack: startSlackPool,
  images: startImagesPool,
};
