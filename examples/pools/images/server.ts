/**
 * The `images` example pool on MCP SDK v1, stateless (2025-11-25): CPU-heavy tools that generate,
 * shrink and measure real PNG images. Each request gets its own server and transport.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import * as z from 'zod';
import { jsonResult, legacyPing, sendJsonRpcError, servePool, toolError, type PoolHandle, type PoolListenOptions } from '../shared';
import { decodePng, encodePng, type RgbaImage } from './png';
import { generateImage, histogram, thumbnail } from './render';

export const IMAGE_TOOLS = ['image_generate', 'image_thumbnail', 'image_histogram'] as const;

/** Base64 of a PNG up to ~1 MB (the gateway's body limit on Lambda). */
const pngInput = z.base64().max(1_400_000).describe('PNG file, base64-encoded (8-bit gray, gray+alpha, RGB or RGBA; not interlaced)');

function pngContent(image: RgbaImage, extra: Record<string, unknown>) {
  const png = encodePng(image);
  const facts = { width: image.width, height: image.height, bytes: png.length, sha256: createHash('sha256').update(png).digest('hex'), ...extra };
  return {
    content: [
      { type: 'image' as const, data: png.toString('base64'), mimeType: 'image/png' },
      { type: 'text' as const, text: JSON.stringify(facts) },
    ],
    structuredContent: facts,
  };
}

/** Decodes the caller's PNG, or answers a tool error that says why it could not. */
function withPng<T>(base64: string, work: (image: RgbaImage) => T): T | ReturnType<typeof toolError> {
  let image: RgbaImage;
  try {
    image = decodePng(Buffer.from(base64, 'base64'));
  } catch (error) {
    return toolError(error);
  }
  return work(image);
}

export function createImagesServer(): McpServer {
  const server = new McpServer({ name: 'images-pool', version: '1.0.0' });

  server.registerTool(
    'image_generate',
    {
      title: 'Generate a test image',
      description: 'Render a gradient, checkerboard or seeded-noise PNG and return it with its size and SHA-256.',
      inputSchema: {
        width: z.number().int().min(1).max(1024),
        height: z.number().int().min(1).max(1024),
        pattern: z.enum(['gradient', 'checkerboard', 'noise']).default('gradient'),
        seed: z.number().int().min(0).max(0xffffffff).default(1),
      },
      annotations: { readOnlyHint: true, idempotentHint: true },
    },
    async ({ width, height, pattern, seed }) => pngContent(generateImage(width, height, pattern, seed), { pattern, seed }),
  );

  server.registerTool(
    'image_thumbnail',
    {
      title: 'Make a thumbnail',
      description: 'Shrink a PNG so its longer side is at most max_side pixels (area averaging) and return the new PNG.',
      inputSchema: { png_base64: pngInput, max_side: z.number().int().min(1).max(512).default(64) },
      annotations: { readOnlyHint: true, idempotentHint: true },
    },
    async (args) => withPng(args.png_base64, (image) => pngContent(thumbnail(image, args.max_side), { sourceWidth: image.width, sourceHeight: image.height })),
  );

  server.registerTool(
    'image_histogram',
    {
      title: 'Colour histogram',
      description: 'Per-channel histograms of a PNG with equal-width bins, and its mean luminance.',
      inputSchema: { png_base64: pngInput, bins: z.number().int().min(2).max(256).default(16) },
      annotations: { readOnlyHint: true, idempotentHint: true },
    },
    async (args) =>
      withPng(args.png_base64, (image) => {
        return jsonResult({ width: image.width, height: image.height, ...histogram(image, args.bins) });
      }),
  );
  return server;
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== 'POST') return sendJsonRpcError(res, 405, -32000, 'Method not allowed: this pool is stateless (POST only)', { allow: 'POST' });
  const server = createImagesServer();
  const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
  res.once('close', () => {
    void transport.close();
    void server.close();
  });
  await server.connect(transport);
  await transport.handleRequest(req, res);
}

/** Starts the images pool on `host:port` (port 0 picks one). */
export async function startImagesPool(options: PoolListenOptions = {}): Promise<PoolHandle> {
  return servePool({ name: 'images', handle, probe: legacyPing, close: async () => undefined }, options);
}
