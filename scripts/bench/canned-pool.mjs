#!/usr/bin/env node
/**
 * The benchmark's pool: raw node:http answering every MCP call with a fixed result that echoes the
 * request id. Deliberately trivial, so the pool's own cost does not hide the gateway's.
 * Prints `listening <url>` once it accepts connections; PORT (default 0) and HOST (127.0.0.1) apply.
 */
import { createServer } from 'node:http';

const RESULTS = {
  'tools/call': { content: [{ type: 'text', text: 'ok' }], resultType: 'complete' },
  'tools/list': { tools: [{ name: 'bench_echo', description: 'Answers ok', inputSchema: { type: 'object' } }], resultType: 'complete' },
  'server/discover': { supportedVersions: ['2026-07-28'], capabilities: { tools: {} }, serverInfo: { name: 'canned-pool', version: '1.0.0' }, resultType: 'complete' },
  ping: {},
};
const JSON_HEADERS = { 'content-type': 'application/json' };

const server = createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/health') {
    res.writeHead(200, JSON_HEADERS).end('{"status":"ok"}');
    return;
  }
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    let message;
    try {
      message = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      res.writeHead(400, JSON_HEADERS).end('{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"Parse error"}}');
      return;
    }
    if (message.id === undefined) {
      res.writeHead(202).end();
      return;
    }
    const result = RESULTS[message.method];
    const body = result
      ? `{"jsonrpc":"2.0","id":${JSON.stringify(message.id)},"result":${JSON.stringify(result)}}`
      : `{"jsonrpc":"2.0","id":${JSON.stringify(message.id)},"error":{"code":-32601,"message":"Method not found"}}`;
    res.writeHead(200, { ...JSON_HEADERS, 'content-length': Buffer.byteLength(body) }).end(body);
  });
});
server.keepAliveTimeout = 65_000;
server.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? '127.0.0.1', () => {
  const { address, port } = server.address();
  process.stdout.write(`listening http://${address}:${port}/mcp\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)).closeAllConnections());
