/**
 * A 2025-era client that goes away mid-call: the gateway stops reading the pool's answer and tells
 * the pool's backend session (`notifications/cancelled` with the pool's own request id), so a real
 * v1 SDK pool's tool sees its abort signal fire instead of working on for nobody.
 */
import type { FleetSpec } from '../../lib/spec/types';
import { JSON_HEADERS, initializeLegacy, modernRequest, startGateway, type RunningGateway } from '../support/harness';
import { startInteractivePool, type InteractivePool } from '../support/interactive-pool';

async function until<T>(what: string, probe: () => T | undefined, timeoutMs = 5000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('a client that disconnects mid-call', () => {
  let desk: InteractivePool;
  let gateway: RunningGateway;

  beforeAll(async () => {
    desk = await startInteractivePool('desk');
    const spec: FleetSpec = { name: 'cancel', pools: [{ name: 'desk', image: 'x', tools: ['desk_*'], sessionMode: 'stateful', protocolVersion: '2025-11-25' }] };
    gateway = await startGateway(spec, { desk: desk.url });
  });

  afterAll(async () => {
    await gateway.close();
    await desk.close();
  });

  it('GIVEN a tool call relayed live WHEN the client drops the connection THEN the pool gets notifications/cancelled for its request and the tool is aborted', async () => {
    const sessionId = await initializeLegacy(gateway.mcpUrl);
    const controller = new AbortController();
    const response = await fetch(gateway.mcpUrl, {
      method: 'POST',
      headers: { ...JSON_HEADERS, 'mcp-session-id': sessionId, 'mcp-protocol-version': '2025-11-25' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 'call-7', method: 'tools/call', params: { name: 'desk_wait', arguments: {} } }),
      signal: controller.signal,
    });
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    await new Promise((r) => setTimeout(r, 200));
    expect(desk.aborted).toEqual([]);
    controller.abort();
    const aborted = await until('the tool to be aborted', () => desk.aborted[0]);
    // The pool saw the client's own id (the session is the client's), and the reason is the gateway's.
    expect(aborted.requestId).toBe('call-7');
    expect(aborted.reason).toContain('mcp-fleet gateway: the client went away');
  });

  it("GIVEN a 2026 caller of a 2025-era stateful pool WHEN it drops the connection THEN its principal's backend session gets the cancellation with the gateway's id", async () => {
    desk.aborted.length = 0;
    const controller = new AbortController();
    const request = modernRequest('tools/call', { name: 'desk_wait', arguments: {} }, 'modern-1');
    const response = await fetch(gateway.mcpUrl, { method: 'POST', headers: request.headers, body: JSON.stringify(request.body), signal: controller.signal });
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    await new Promise((r) => setTimeout(r, 200));
    controller.abort();
    const aborted = await until('the tool to be aborted', () => desk.aborted[0]);
    // The principal's backend session is shared by its calls: the pool knows the call by the gateway's id.
    expect(String(aborted.requestId)).toMatch(/^mcp-fleet-/);
    expect(aborted.reason).toContain('mcp-fleet gateway: the client went away');
  });
});
