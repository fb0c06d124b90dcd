import type { FleetSpec } from '../../lib/spec';

/**
 * The example fleet: a GitHub-like pool that speaks MCP 2026-07-28 (so the load balancer routes its
 * tool calls straight to it, after verifying the caller's JWT), a stateful Slack-like pool and a heavy
 * image pool that speak 2025-11-25 (reached through the gateway).
 */
export const exampleFleetSpec: FleetSpec = {
  name: 'agents',
  pools: [
    { name: 'github', image: 'public.ecr.aws/mcp-fleet/github-pool:0.1.0', tools: ['github_*'] },
    { name: 'slack', image: 'public.ecr.aws/mcp-fleet/slack-pool:0.1.0', tools: ['slack_*'], sessionMode: 'stateful', protocolVersion: '2025-11-25' },
    {
      name: 'images',
      image: 'public.ecr.aws/mcp-fleet/images-pool:0.1.0',
      tools: ['image_*'],
      protocolVersion: '2025-11-25',
      cpu: 2048,
      memoryMiB: 4096,
      minTasks: 1,
      maxTasks: 20,
      cpuTargetPercent: 60,
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
