/**
 * The bridge's overhead: the official server-everything answering `tools/call` of its `echo` tool
 * over its own Streamable HTTP transport (2025-11-25 session; it has no stateless mode) against the
 * same server run over stdio behind `mcp-fleet bridge` — in a 2025 session (the same one-process
 * path), and stateless 2026-07-28 through the bridge's pool. One server process on every path
 * (`--children 1`), so the rows differ only in the transport.
 */
import { join } from 'node:path';
import { Client } from 'undici';
import { freePort, spawnTracked } from './processes.mjs';

const LEGACY = '2025-11-25';

function echoCall(id, meta) {
  return JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'echo', arguments: { message: 'hello' }, ...(meta ? { _meta: meta } : {}) } });
}

/** 2025-era calls in `sessionId`. */
function sessionWorkload(sessionId) {
  return {
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-session-id': sessionId, 'mcp-protocol-version': LEGACY },
    body: (id) => echoCall(id),
  };
}

/** Stateless 2026-07-28 calls (headers and `_meta` envelope as SDK v2 sends them). */
const STATELESS_WORKLOAD = {
  headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/call', 'mcp-name': 'echo' },
  body: (id) =>
    echoCall(id, {
      'io.modelcontextprotocol/protocolVersion': '2026-07-28',
      'io.modelcontextprotocol/clientInfo': { name: 'mcp-fleet-bench', version: '1.0.0' },
      'io.modelcontextprotocol/clientCapabilities': {},
    }),
};

/** `initialize` + `initialized`; resolves with the session id. Retries while the server starts. */
async function openSession(url) {
  const target = new URL(url);
  const client = new Client(target.origin);
  const headers = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
  const body = JSON.stringify({ jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: LEGACY, capabilities: {}, clientInfo: { name: 'mcp-fleet-bench', version: '1.0.0' } } });
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        const res = await client.request({ path: target.pathname, method: 'POST', headers, body });
        const text = await res.body.text();
        const sessionId = res.headers['mcp-session-id'];
        if (res.statusCode !== 200 || typeof sessionId !== 'string') throw new Error(`initialize got ${res.statusCode}: ${text.slice(0, 200)}`);
        const note = await client.request({
          path: target.pathname,
          method: 'POST',
          headers: { ...headers, 'mcp-session-id': sessionId, 'mcp-protocol-version': LEGACY },
          body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }),
        });
        await note.body.text();
        return sessionId;
      } catch (error) {
        if (attempt >= 100) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  } finally {
    await client.close();
  }
}

/**
 * @param measure `(key, label, url, cpuOf, workload) => row`, the caller's measurement of one path.
 * @returns the rows: native, bridge session, bridge stateless.
 */
export async function benchBridge(root, cli, measure) {
  const everything = join(root, 'node_modules/@modelcontextprotocol/server-everything/dist/index.js');
  const rows = [];

  const port = await freePort();
  const native = spawnTracked('server-everything (HTTP)', process.execPath, ['--require', join(root, 'scripts/bench/loopback-only.cjs'), everything, 'streamableHttp'], { PORT: String(port) });
  const nativeUrl = `http://127.0.0.1:${port}/mcp`;
  const nativeSession = await openSession(nativeUrl);
  rows.push(await measure('everything-http', 'server-everything, its own Streamable HTTP (session)', nativeUrl, { server: native.child.pid }, sessionWorkload(nativeSession)));
  await native.stop();

  const bridge = spawnTracked('bridge', process.execPath, [cli, 'bridge', '--port', '0', '--children', '1', '--', process.execPath, everything, 'stdio']);
  const pidOf = async (pattern) => Number(await bridge.waitFor(pattern));
  const bridgeUrl = await new Promise((resolve, reject) => {
    // The bridge prints its URL on stderr; its JSON logs go to stdout.
    const started = Date.now();
    const poll = setInterval(() => {
      const match = / at (http:\/\/\S+) \(health/.exec(bridge.stderr());
      if (match) {
        clearInterval(poll);
        resolve(match[1]);
      } else if (Date.now() - started > 20_000) {
        clearInterval(poll);
        reject(new Error(`bridge did not start:\n${bridge.stderr()}`));
      }
    }, 50);
  });
  const poolPid = await pidOf(/"message":"server process ready"[^\n]*"pid":(\d+)/);
  const bridgeSession = await openSession(bridgeUrl);
  const sessionPid = await pidOf(/"message":"session started"[^\n]*"pid":(\d+)/);
  rows.push(await measure('bridge-session', 'server-everything over stdio, bridge (session)', bridgeUrl, { proxy: bridge.child.pid, server: sessionPid }, sessionWorkload(bridgeSession)));
  rows.push(await measure('bridge-stateless', 'server-everything over stdio, bridge (stateless 2026-07-28, pool of 1)', bridgeUrl, { proxy: bridge.child.pid, server: poolPid }, STATELESS_WORKLOAD));
  await bridge.stop();
  return rows;
}
