/**
 * The abort signal the node:http adapter gives each request (how a pool request is cut off when its
 * client goes away): it fires for a request whose answer was not finished when the connection
 * closed, never for one whose answer went out, and requests on one keep-alive connection each see
 * their own fate. The gateway here is the adapter's other side, recording what its requests saw.
 */
import { Agent, request as httpRequest } from 'node:http';
import { startGatewayServer, type GatewayServer } from '../../../lib/gateway/adapters/node-http';
import type { Gateway } from '../../../lib/gateway/gateway';
import type { GatewayRequest, GatewayResponse } from '../../../lib/gateway/http';

/** Answers `/fast` at once, `/slow` never (until aborted); remembers every request's signal. */
function recordingGateway(): Gateway & { readonly seen: Map<string, { signal: AbortSignal; aborted: boolean }> } {
  const seen = new Map<string, { signal: AbortSignal; aborted: boolean }>();
  return {
    seen,
    maxBodyBytes: 1000,
    async handle(request: GatewayRequest): Promise<GatewayResponse> {
      const entry = { signal: request.signal!, aborted: false };
      seen.set(request.path, entry);
      // Listening on, as work that outlives its answer would.
      entry.signal.addEventListener('abort', () => (entry.aborted = true));
      if (request.path === '/slow') await new Promise<void>((resolve) => entry.signal.addEventListener('abort', () => resolve()));
      return { status: 200, headers: { 'content-type': 'application/json' }, body: '{}' };
    },
    async close() {},
  };
}

function post(server: GatewayServer, path: string, agent: Agent): { done: Promise<number>; destroy(): void } {
  const req = httpRequest(`${server.url}${path}`, { method: 'POST', agent, headers: { 'content-type': 'application/json' } });
  const done = new Promise<number>((resolve, reject) => {
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
  });
  req.end('{}');
  return { done, destroy: () => req.destroy() };
}

test('GIVEN requests on one keep-alive connection WHEN the client then closes it mid-request THEN only the unfinished request is aborted', async () => {
  const gateway = recordingGateway();
  const server = await startGatewayServer(gateway, { port: 0 });
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  try {
    expect(await post(server, '/fast', agent).done).toBe(200);
    const slow = post(server, '/slow', agent);
    slow.done.catch(() => undefined);
    await waitFor(() => gateway.seen.has('/slow'));
    expect(gateway.seen.get('/slow')!.aborted).toBe(false);
    slow.destroy();
    await waitFor(() => gateway.seen.get('/slow')!.aborted);
    // The first request's answer went out: its work is not cut off by the connection closing later.
    expect(gateway.seen.get('/fast')!.aborted).toBe(false);
    expect(gateway.seen.get('/fast')!.signal.aborted).toBe(false);
  } finally {
    agent.destroy();
    await server.close();
  }
});

test('GIVEN a finished request WHEN its keep-alive connection idles and closes THEN its signal never fires', async () => {
  const gateway = recordingGateway();
  const server = await startGatewayServer(gateway, { port: 0, keepAliveTimeoutMs: 100 });
  const agent = new Agent({ keepAlive: true });
  try {
    expect(await post(server, '/fast', agent).done).toBe(200);
    agent.destroy();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(gateway.seen.get('/fast')!.aborted).toBe(false);
  } finally {
    await server.close();
  }
});

async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
