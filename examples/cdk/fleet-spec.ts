import type { ContainerBuildSpec, FleetSpec } from '../../lib/spec';

/**
 * Build context of an example pool's image: `npm run build` writes examples/pools/build/<pool>/
 * (the bundled server and examples/pools/Dockerfile). Relative to the working directory of the CDK
 * app (the repository root, where cdk.json is); the Pulumi example rebases it onto its own directory.
 */
export const examplePoolBuild = (pool: 'github' | 'slack' | 'images'): ContainerBuildSpec => ({ directory: `examples/pools/build/${pool}` });

/**
 * The example fleet, built from this repository's example pools (image assets, built at deploy time):
 * a GitHub-like pool that speaks MCP 2026-07-28 (so the load balancer routes its tool calls straight
 * to it, after verifying the caller's JWT), a stateful Slack-like pool that speaks 2025-11-25 (reached
 * through the gateway), a heavy image pool as a queue pool (its calls become jobs on an SQS queue that
 * workers beside the server pull, scaled on the backlog and down to zero tasks), the seed's priority pool (the GitHub tools on their
 * own tasks for callers sending `x-mcp-priority: high`), and a stdio pool: the published filesystem
 * MCP server from npm, run under `mcp-fleet bridge` in a generated image, its tools found by discovery.
 */
export const exampleFleetSpec: FleetSpec = {
  name: 'agents',
  pools: [
    { name: 'github', build: examplePoolBuild('github'), tools: ['github_*'] },
    { name: 'slack', build: examplePoolBuild('slack'), tools: ['slack_*'], sessionMode: 'stateful', protocolVersion: '2025-11-25' },
    {
      // Heavy tools as jobs: a queue, workers beside the server, scaled on the backlog and down to zero.
      name: 'images',
      kind: 'queue',
      build: examplePoolBuild('images'),
      tools: ['image_*'],
      protocolVersion: '2025-11-25',
      cpu: 2048,
      memoryMiB: 4096,
      minTasks: 0,
      maxTasks: 20,
      queue: { maxRunSeconds: 600, backlogPerTask: 5, maxJobAgeSeconds: 120 },
    },
    { name: 'github-fast', build: examplePoolBuild('github'), tools: ['github_*'], priorityRoute: { header: 'x-mcp-priority', value: 'high' }, minTasks: 1 },
    {
      name: 'files',
      kind: 'stdio',
      // A scratch directory for agents (the task's /tmp volume); the version is pinned, as an image should be.
      command: ['npx', '-y', '@modelcontextprotocol/server-filesystem@2026.8.31', '/tmp'],
      tools: [],
      discoveryOnly: true,
      protocolVersion: '2025-11-25',
      minTasks: 1,
    },
  ],
  auth: {
    jwt: { issuer: 'https://auth.example.com', audience: ['mcp-fleet'] },
    toolScopes: [
      { tools: 'github_*', scopes: ['github:read'] },
      { tools: 'image_*', scopes: ['images:generate'] },
    ],
  },
  rateLimits: {
    perIp: { requests: 3000, windowSeconds: 300 },
    // The seed's "10 tool calls per second per agent", enforced by the gateway across all instances.
    perAgent: { toolCalls: { perSecond: 10 }, waf: { requests: 6000, windowSeconds: 300 } },
    perTool: { waf: { requests: 20000, windowSeconds: 300 } },
  },
};
