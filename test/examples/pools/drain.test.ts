import { request } from 'node:http';
import { spawnTs, type Spawned } from '../support';

/** Starts a POST and sends only part of its body, so the request is in flight until `finish` is called. */
function startSlowCall(url: string, body: string): { finish(): void; response: Promise<{ status: number; body: string }> } {
  const split = Math.floor(body.length / 2);
  let finish = () => {};
  const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-11-25', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode!, body: text }));
      },
    );
    req.on('error', reject);
    req.write(body.slice(0, split));
    finish = () => req.end(body.slice(split));
  });
  return { finish: () => finish(), response };
}

describe('example pool process: SIGTERM drain', () => {
  let pool: Spawned | undefined;
  afterEach(() => {
    if (pool?.child.exitCode === null) pool.child.kill('SIGKILL');
  });

  test('GIVEN a call in flight WHEN the pool gets SIGTERM THEN it refuses new connections, finishes the call and exits 0', async () => {
    pool = spawnTs('examples/pools/images/main.ts', [], { PORT: '0' });
    const listening = JSON.parse(await pool.waitForLine(/"msg":"listening"/)) as { url: string };

    const call = startSlowCall(
      listening.url,
      JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'image_generate', arguments: { width: 64, height: 64, pattern: 'noise', seed: 3 } } }),
    );
    // Let the pool see the request's headers before the signal.
    await new Promise((resolve) => setTimeout(resolve, 300));
    pool.child.kill('SIGTERM');
    await pool.waitForLine(/"msg":"SIGTERM: draining"/);

    await expect(fetch(listening.url.replace('/mcp', '/health'))).rejects.toThrow();
    call.finish();
    const { status, body } = await call.response;
    expect(status).toBe(200);
    expect(body).toContain('"id":7');
    expect(body).toContain('image/png');
    expect(await pool.exited()).toBe(0);
    expect(pool.stdout()).toContain('"msg":"stopped"');
  });

  test('GIVEN a bad PORT WHEN the pool starts THEN it says so and exits 2', async () => {
    pool = spawnTs('examples/pools/slack/main.ts', [], { PORT: 'eighty' });
    expect(await pool.exited()).toBe(2);
    expect(pool.stdout()).toContain('PORT must be an integer from 0 to 65535, got \\"eighty\\"');
  });
});
