/** The README's fleet spec, verbatim between the markers (checked by snippets.test.ts). */
// README:begin
import type { FleetSpec } from 'mcp-fleet';

export const spec: FleetSpec = {
  name: 'agents',
  pools: [
    // Speaks 2026-07-28: the ALB routes its tools/call straight to it by the Mcp-Name header.
    { name: 'github', image: 'ghcr.io/acme/github-mcp:1.4.0', tools: ['github_*'] },
    // A 2025-era pool that keeps sessions in memory: ALB stickiness + gateway session pinning.
    { name: 'slack', image: 'ghcr.io/acme/slack-mcp:2.0.1', tools: ['slack_*'], sessionMode: 'stateful', protocolVersion: '2025-11-25' },
    // Heavy tools scale on their own; this image is built from a directory at deploy time.
    { name: 'images', build: { directory: 'servers/images' }, tools: ['image_*'], cpu: 2048, memoryMiB: 4096, maxTasks: 20 },
    // A stdio server from npm, served over Streamable HTTP by `mcp-fleet bridge` in a generated image.
    { name: 'files', kind: 'stdio', command: ['npx', '-y', '@modelcontextprotocol/server-filesystem@2026.8.31', '/tmp'], tools: [], discoveryOnly: true },
  ],
  auth: {
    jwt: { issuer: 'https://auth.example.com', audience: ['mcp-fleet'] },
    toolScopes: [{ tools: 'github_*', scopes: ['github:read'] }],
  },
  rateLimits: { perAgent: { toolCalls: { perSecond: 10 } } }, // "10 tool calls per second per agent"
};
// README:end
