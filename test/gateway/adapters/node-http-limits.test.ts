/**
 * The gateway's node:http server against slow and greedy clients (real sockets on loopback): a
 * client trickling headers (slowloris) is cut off, and connections beyond the cap are refused.
 */
import { connect, type Socket } from 'node:net';
import { startGatewayServer, type GatewayServer } from '../../../lib/gateway/adapters/node-http';
import { createGateway, type Gateway } from '../../../lib/gateway/gateway';
import { createTelemetry } from '../../../lib/gateway/telemetry/telemetry';
import { resolveFleetSpec } from '../../../lib/spec/defaults';
import { quietLogger } from '../../support/harness';

function open(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Resolves with what the server sent before it closed the socket, and how long that took. */
function closedBy(socket: Socket): Promise<{ text: string; ms: number }> {
  const started = Date.now();
  let text = '';
  socket.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  return new Promise((resolve) => socket.once('close', () => resolve({ text, ms: Date.now() - started })));
}

describe('gateway server connection limits', () => {
  let gateway: Gateway;
  let server: GatewayServer;
  let port: number;

  beforeAll(async () => {
    const spec = resolveFleetSpec({ name: 'limits', pools: [{ name: 'p', image: 'x', tools: ['p_*'] }] });
    gateway = createGateway({ spec, poolUrls: { p: 'http://127.0.0.1:9/mcp' }, logger: quietLogger, telemetry: createTelemetry({ fleet: 'limits', disabled: true }) });
    server = await startGatewayServer(gateway, { port: 0, headersTimeoutMs: 400, requestTimeoutMs: 800, maxConnections: 3 });
    port = Number(new URL(server.url).port);
  });
  afterAll(async () => {
    await server.close();
    await gateway.close();
  });

  test('GIVEN a client that sends headers one byte at a time WHEN the header deadline passes THEN the server answers 408 and closes the socket', async () => {
    const socket = await open(port);
    const closed = closedBy(socket);
    const headers = 'POST /mcp HTTP/1.1\r\nHost: x\r\nX-Slow: ';
    let i = 0;
    const drip = setInterval(() => (i < headers.length ? socket.write(headers[i++]!) : socket.write('a')), 50);
    const { text, ms } = await closed;
    clearInterval(drip);
    expect(text).toMatch(/^HTTP\/1\.1 408/);
    expect(ms).toBeLessThan(3000);
  });

  test('GIVEN the connection cap WHEN more clients connect THEN the extra ones are closed at once and the others still work', async () => {
    const held = await Promise.all([open(port), open(port), open(port)]);
    const extra = await open(port);
    const { text } = await closedBy(extra);
    expect(text).toBe('');
    held.forEach((s) => s.destroy());
    await new Promise((r) => setTimeout(r, 100));
    const res = await fetch(`${server.url}/health`);
    expect([200, 503]).toContain(res.status);
  });
});
