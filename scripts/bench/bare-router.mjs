#!/usr/bin/env node
/**
 * The reference floor for the gateway's cost: a bare Node router. `node:http` server in, keep-alive
 * `node:http` client out; it reads the body, `JSON.parse`s it, relays it to POOL_URL and relays the
 * answer back. Nothing else: no auth, no routing table, no sessions, no metrics.
 * Prints `listening <url>` once it accepts connections; PORT (default 0) and HOST (127.0.0.1) apply.
 */
import { Agent, createServer, request } from 'node:http';

const pool = new URL(process.env.POOL_URL ?? 'http://127.0.0.1:9/mcp');
const agent = new Agent({ keepAlive: true });

const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    try {
      JSON.parse(body.toString('utf8'));
    } catch {
      res.writeHead(400, { 'content-type': 'application/json' }).end('{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"Parse error"}}');
      return;
    }
    const headers = { ...req.headers, host: pool.host, 'content-length': body.length };
    const out = request({ host: pool.hostname, port: pool.port, path: pool.pathname, method: 'POST', headers, agent }, (answer) => {
      const parts = [];
      answer.on('data', (chunk) => parts.push(chunk));
      answer.on('end', () => {
        const text = Buffer.concat(parts);
        res.writeHead(answer.statusCode ?? 502, { 'content-type': answer.headers['content-type'] ?? 'application/json', 'content-length': text.length }).end(text);
      });
    });
    out.on('error', () => res.writeHead(502).end());
    out.end(body);
  });
});

server.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? '127.0.0.1', () => {
  const { address, port } = server.address();
  process.stdout.write(`listening http://${address}:${port}/mcp\n`);
});
