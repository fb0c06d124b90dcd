/**
 * A client that goes away while the gateway is still opening its stream (the 2025 GET stream opens
 * the pools' streams first) must not leave that stream open on the server: it is cancelled at once,
 * as if the client had left after the headers.
 */
import { request } from 'node:http';
import type { FleetSpec } from '../../lib/spec/types';
import { initializeLegacy, startGateway, type RunningGateway } from '../support/harness';
import { startInteractivePool, type InteractivePool } from '../support/interactive-pool';

describe('a client gone before its stream opened', () => {
  let desk: InteractivePool;
  let gw: RunningGateway;

  beforeAll(async () => {
    desk = await startInteractivePool('desk');
    const spec: FleetSpec = { name: 'early', pools: [{ name: 'desk', image: 'x', tools: ['desk_*'], sessionMode: 'stateful', protocolVersion: '2025-11-25' }] };
    gw = await startGateway(spec, { desk: desk.url }, {}, { drainTimeoutMs: 200 });
  });

  afterAll(async () => {
    await gw.close();
    await desk.close();
  });

  it('GIVEN a 2025 session WHEN its client closes a GET before the answer starts THEN the server holds no stream for it', async () => {
    const sessionId = await initializeLegacy(gw.mcpUrl, {}, '2025-11-25');
    await new Promise<void>((resolve) => {
      const req = request(gw.mcpUrl, { method: 'GET', headers: { accept: 'text/event-stream', 'mcp-session-id': sessionId, 'mcp-protocol-version': '2025-11-25' } });
      req.on('error', () => resolve());
      req.on('close', () => resolve());
      // Gone right after sending: the gateway is still opening the pool's stream (a backend session first).
      req.end(() => req.destroy());
    });
    // Long enough for the gateway to have answered: a stream it handed to the server shows here.
    await new Promise((r) => setTimeout(r, 500));
    expect(gw.server.openStreams).toBe(0);
  });
});
