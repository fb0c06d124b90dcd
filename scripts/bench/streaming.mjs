/**
 * The streaming benchmarks: how much later a pool's progress event reaches the client through the
 * gateway than directly (the pool stamps each event with its send time; both processes read the same
 * clock), and what 2,000 open idle `subscriptions/listen` streams cost one gateway process in memory
 * (its RSS before and after), and whether it still answers calls while holding them.
 */
import { readFileSync } from 'node:fs';
import { Agent, createServer, request } from 'node:http';

const now = () => performance.timeOrigin + performance.now();
const META = {
  'io.modelcontextprotocol/protocolVersion': '2026-07-28',
  'io.modelcontextprotocol/clientInfo': { name: 'mcp-fleet-bench', version: '1.0.0' },
  'io.modelcontextprotocol/clientCapabilities': {},
};

/** A 2026-07-28 pool (raw node:http) whose `bench_progress` streams timed progress and that holds listens open. */
export function startStreamingPool({ events = 20, everyMs = 20 } = {}) {
  const sockets = new Set();
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const message = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      const json = (result) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ jsonrpc: '2.0', id: message.id, result: { ...result, resultType: 'complete' } }));
      if (message.method === 'server/discover')
        return json({ supportedVersions: ['2026-07-28'], capabilities: { tools: { listChanged: true } }, serverInfo: { name: 'streaming-pool', version: '1' } });
      if (message.method === 'tools/list')
        return json({
          tools: [
            { name: 'bench_progress', inputSchema: { type: 'object' } },
            { name: 'bench_echo', inputSchema: { type: 'object' } },
          ],
          ttlMs: 0,
          cacheScope: 'public',
        });
      if (message.method === 'subscriptions/listen') {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        const ack = {
          jsonrpc: '2.0',
          method: 'notifications/subscriptions/acknowledged',
          params: { notifications: message.params.notifications, _meta: { 'io.modelcontextprotocol/subscriptionId': message.id } },
        };
        res.write(`data: ${JSON.stringify(ack)}\n\n`);
        return;
      }
      if (message.method === 'tools/call' && message.params.name === 'bench_progress') {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        let sent = 0;
        const timer = setInterval(() => {
          sent++;
          const progress = {
            jsonrpc: '2.0',
            method: 'notifications/progress',
            params: { progressToken: message.params._meta?.progressToken ?? 'p', progress: sent, total: events, message: String(now()) },
          };
          res.write(`data: ${JSON.stringify(progress)}\n\n`);
          if (sent === events) {
            clearInterval(timer);
            res.end(`data: ${JSON.stringify({ jsonrpc: '2.0', id: message.id, result: { content: [{ type: 'text', text: 'done' }], resultType: 'complete' } })}\n\n`);
          }
        }, everyMs);
        return;
      }
      return json({ content: [{ type: 'text', text: 'ok' }] });
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        url: `http://127.0.0.1:${server.address().port}/mcp`,
        close: () => new Promise((r) => (sockets.forEach((s) => s.destroy()), server.close(() => r()))),
      }),
    ),
  );
}

function headers(method, name) {
  return { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2026-07-28', 'mcp-method': method, ...(name ? { 'mcp-name': name } : {}) };
}

/** POSTs one request; calls `onData(text)` per chunk and `onEnd()` at its end; resolves with the request when the answer starts. */
function open(url, id, method, params, name, agent, onData, onEnd = () => undefined) {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify({ jsonrpc: '2.0', id, method, params: { ...params, _meta: { ...META, progressToken: `p${id}` } } });
    const req = request(url, { method: 'POST', headers: { ...headers(method, name), 'content-length': Buffer.byteLength(body) }, agent }, (res) => {
      res.setEncoding('utf8');
      res.on('data', onData);
      res.on('end', onEnd);
      res.on('error', () => undefined);
      resolve({ req, res });
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Milliseconds from each progress event's send to its arrival, over `calls` calls. */
async function progressDelays(url, calls) {
  const agent = new Agent({ keepAlive: true });
  const delays = [];
  for (let i = 0; i < calls; i++) {
    await new Promise((done, fail) => {
      let buffer = '';
      open(url, i + 1, 'tools/call', { name: 'bench_progress', arguments: {} }, 'bench_progress', agent, (text) => {
        const at = now();
        buffer += text;
        let end;
        while ((end = buffer.indexOf('\n\n')) !== -1) {
          const event = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = event.split('\n').find((l) => l.startsWith('data: '));
          if (!data) continue;
          const message = JSON.parse(data.slice(6));
          if (message.method === 'notifications/progress') delays.push(at - Number(message.params.message));
          if (message.id !== undefined) done();
        }
      }).catch(fail);
    });
  }
  agent.destroy();
  delays.sort((a, b) => a - b);
  return { p50Ms: delays[Math.floor(delays.length / 2)], p99Ms: delays[Math.floor(delays.length * 0.99)], events: delays.length };
}

function rssKiB(pid) {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'));
  return Number(line.split(/\s+/)[1]);
}

/** Opens `count` idle listens through the gateway; its memory per listen; whether a call still answers. */
async function idleSubscriptions(url, gatewayPid, count) {
  const settle = () => new Promise((r) => setTimeout(r, 1500));
  await settle();
  const before = rssKiB(gatewayPid);
  const agent = new Agent({ keepAlive: false, maxSockets: Infinity });
  const streams = [];
  for (let i = 0; i < count; i += 100) {
    const batch = [];
    for (let j = i; j < Math.min(count, i + 100); j++) {
      batch.push(
        new Promise((acked, fail) =>
          open(url, `listen-${j}`, 'subscriptions/listen', { notifications: { toolsListChanged: true } }, undefined, agent, (text) => {
            if (text.includes('subscriptions/acknowledged')) acked();
          })
            .then((s) => streams.push(s))
            .catch(fail),
        ),
      );
    }
    await Promise.all(batch);
  }
  await settle();
  const after = rssKiB(gatewayPid);
  const started = now();
  const answer = await new Promise((resolve) => {
    let text = '';
    void open(
      url,
      'call',
      'tools/call',
      { name: 'bench_echo', arguments: {} },
      'bench_echo',
      new Agent(),
      (t) => (text += t),
      () => resolve(text),
    );
  });
  const callMs = now() - started;
  for (const { req } of streams) req.destroy();
  agent.destroy();
  return { count, beforeKiB: before, afterKiB: after, perSubscriptionKiB: (after - before) / count, callAnswered: answer.includes('"result"'), callMs };
}

/**
 * @param startGateway (poolUrl) → { url, pid, stop }
 */
export async function benchStreaming(startGateway, log, { calls = 10, subscriptions = 2000 } = {}) {
  const pool = await startStreamingPool();
  try {
    log(`progress relay: ${calls} calls × 20 events, direct and through the gateway`);
    const direct = await progressDelays(pool.url, calls);
    const gateway = await startGateway(pool.url);
    try {
      const through = await progressDelays(gateway.url, calls);
      log(`${subscriptions} idle subscriptions/listen streams through one gateway process`);
      const idle = await idleSubscriptions(gateway.url, gateway.pid, subscriptions);
      return { progress: { direct, through, addedMs: through.p50Ms - direct.p50Ms }, idle };
    } finally {
      await gateway.stop();
    }
  } finally {
    await pool.close();
  }
}
