/**
 * A slow client does not make the gateway hold a pool's whole answer in memory: while the client's
 * socket is full the gateway stops reading the pool's stream (it waits in TCP), and once the client
 * reads again every event arrives, then the result. A real v1 SDK pool floods 30 MB of log
 * messages at a 2025-era client that does not read; the gateway's reads from the pool are counted
 * at its real backend transport.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { createNodeBackendTransport } from '../../lib/gateway/adapters/node-backend';
import { startGatewayServer } from '../../lib/gateway/adapters/node-http';
import type { BackendTransport } from '../../lib/gateway/backend/transport';
import type { FleetSpec } from '../../lib/spec/types';
import { JSON_HEADERS, initializeLegacy, startGateway, type RunningGateway } from '../support/harness';
import { startInteractivePool, type InteractivePool } from '../support/interactive-pool';

const COUNT = 600;
const SIZE = 50_000;

/** The node transport, counting the characters the gateway reads from pools' live streams. */
function countingTransport(): { transport: BackendTransport; pulled: () => number } {
  const node = createNodeBackendTransport();
  let pulled = 0;
  const transport: BackendTransport = {
    resolve: (host) => node.resolve(host),
    close: () => node.close(),
    async send(request) {
      const reply = await node.send(request);
      const inner = reply.stream;
      if (!inner) return reply;
      async function* counted() {
        for await (const chunk of inner!.chunks) {
          pulled += chunk.length;
          yield chunk;
        }
      }
      return { ...reply, stream: { chunks: counted(), abort: () => inner.abort() } };
    },
  };
  return { transport, pulled: () => pulled };
}

describe('SSE backpressure: a slow client', () => {
  let desk: InteractivePool;
  let gateway: RunningGateway;
  let counting: ReturnType<typeof countingTransport>;

  beforeAll(async () => {
    desk = await startInteractivePool('desk');
    counting = countingTransport();
    const spec: FleetSpec = { name: 'slow', pools: [{ name: 'desk', image: 'x', tools: ['desk_*'], sessionMode: 'stateful', protocolVersion: '2025-11-25' }] };
    gateway = await startGateway(spec, { desk: desk.url }, { transport: counting.transport });
  });

  afterAll(async () => {
    await gateway.close();
    await desk.close();
  });

  /** A flooding call whose answer nobody reads (the response stays paused). */
  async function stalledCall(mcpUrl: string): Promise<IncomingMessage> {
    const sessionId = await initializeLegacy(mcpUrl);
    const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'desk_flood', arguments: { count: COUNT, size: SIZE } } });
    return new Promise<IncomingMessage>((resolve, reject) => {
      const req = httpRequest(mcpUrl, { method: 'POST', headers: { ...JSON_HEADERS, 'mcp-session-id': sessionId, 'mcp-protocol-version': '2025-11-25' } }, resolve);
      req.on('error', reject);
      req.end(body);
    });
  }

  it('GIVEN a pool flooding 30 MB WHEN the client does not read THEN the gateway stops reading the pool, and when it reads again everything arrives', async () => {
    const response = await stalledCall(gateway.mcpUrl);
    expect(response.headers['content-type']).toContain('text/event-stream');
    // The client reads nothing for a while (an IncomingMessage without a reader stays paused).
    await new Promise((r) => setTimeout(r, 2000));
    const whileStalled = counting.pulled();
    // Kernel socket buffers on loopback take a few MB; the gateway itself holds at most about 64 KiB more.
    expect(whileStalled).toBeLessThan((COUNT * SIZE) / 3);
    response.setEncoding('utf8');
    let text = '';
    for await (const chunk of response) text += chunk;
    const messages = text
      .split('\n')
      .filter((line) => line.startsWith('data: '))
      .map((line) => JSON.parse(line.slice(6)));
    expect(messages.filter((m) => m.method === 'notifications/message')).toHaveLength(COUNT);
    expect(messages.at(-1)).toEqual({ jsonrpc: '2.0', id: 1, result: { content: [{ type: 'text', text: `sent ${COUNT}` }] } });
    expect(counting.pulled()).toBeGreaterThan(COUNT * SIZE);
  }, 30_000);

  it('GIVEN a client that stopped reading WHEN the server stops THEN it closes that connection after the drain deadline instead of waiting forever', async () => {
    const server = await startGatewayServer(gateway.gateway, { port: 0, drainTimeoutMs: 300 });
    const response = await stalledCall(`${server.url}/mcp`);
    await new Promise((r) => setTimeout(r, 500));
    const started = Date.now();
    await server.close();
    // The drain deadline (300 ms) and the grace for stalled clients (1 s), not the client, bound it.
    expect(Date.now() - started).toBeLessThan(5000);
    response.destroy();
  }, 30_000);
});
