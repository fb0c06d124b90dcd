/**
 * The `github` example pool on MCP SDK v2: stateless, speaking 2026-07-28 and, through the SDK's
 * stateless legacy leg, 2025-era clients too. Every request gets a fresh server from one factory.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { McpServer, createMcpHandler } from '@modelcontextprotocol/server';
import { toNodeHandler } from '@modelcontextprotocol/node';
import * as z from 'zod';
import { jsonResult, legacyPing, modernDiscover, servePool, toolError, type PoolHandle, type PoolListenOptions } from '../shared';
import { diffLines, parseReference, searchRepos } from './logic';

export const GITHUB_TOOLS = ['github_search_repos', 'github_parse_reference', 'github_diff_stats'] as const;

/** Longest text `github_diff_stats` accepts per side, in lines (the diff trace grows with D²). */
const MAX_DIFF_LINES = 1000;

const repoShape = z.object({ fullName: z.string(), description: z.string(), language: z.string(), stars: z.number(), topics: z.array(z.string()) });

/** One server instance with the github tools (the handler builds one per request). */
export function createGithubServer(): McpServer {
  const server = new McpServer({ name: 'github-pool', version: '1.0.0' });

  server.registerTool(
    'github_search_repos',
    {
      title: 'Search repositories',
      description: 'Search the repository catalog; every word of the query must appear in the name, description, language or topics.',
      inputSchema: z.object({
        query: z.string().min(1).max(200).describe('Words to look for'),
        language: z.string().max(40).optional().describe('Only repositories in this language'),
        sort: z.enum(['stars', 'name']).default('stars'),
        limit: z.number().int().min(1).max(50).default(10),
      }),
      outputSchema: z.object({ total: z.number(), items: z.array(repoShape) }),
      annotations: { readOnlyHint: true },
    },
    async (args) => {
      return jsonResult(searchRepos({ query: args.query, sort: args.sort, limit: args.limit, ...(args.language ? { language: args.language } : {}) }));
    },
  );

  server.registerTool(
    'github_parse_reference',
    {
      title: 'Parse a GitHub reference',
      description: 'Parse owner/repo, owner/repo#123, owner/repo@ref or a github.com URL into its parts.',
      inputSchema: z.object({ reference: z.string().min(1).max(2048) }),
      annotations: { readOnlyHint: true },
    },
    async ({ reference }) => {
      try {
        return jsonResult({ ...parseReference(reference) });
      } catch (error) {
        return toolError(error);
      }
    },
  );

  server.registerTool(
    'github_diff_stats',
    {
      title: 'Line diff statistics',
      description: `Shortest line diff between two texts of up to ${MAX_DIFF_LINES} lines each: counts and the changed lines.`,
      inputSchema: z.object({ before: z.string().max(200_000), after: z.string().max(200_000) }),
      annotations: { readOnlyHint: true },
    },
    async ({ before, after }) => {
      for (const [side, value] of [
        ['before', before],
        ['after', after],
      ] as const) {
        const lines = value.split('\n').length;
        if (lines > MAX_DIFF_LINES + 1) return toolError(`${side} has ${lines} lines; github_diff_stats accepts at most ${MAX_DIFF_LINES}`);
      }
      return jsonResult({ ...diffLines(before, after) });
    },
  );
  return server;
}

/** Starts the github pool on `host:port` (port 0 picks one). */
export async function startGithubPool(options: PoolListenOptions = {}): Promise<PoolHandle> {
  const handler = createMcpHandler(() => createGithubServer(), { legacy: 'stateless' });
  const serve = toNodeHandler(handler);
  return servePool(
    {
      name: 'github',
      handle: (req: IncomingMessage, res: ServerResponse) => serve(req, res),
      // Both legs answer on one endpoint, so health covers both: 2026-07-28 discover and a 2025 ping.
      probe: async (url, signal, headers) => {
        await modernDiscover(url, signal, headers);
        await legacyPing(url, signal, headers);
      },
      close: () => handler.close(),
    },
    options,
  );
}
