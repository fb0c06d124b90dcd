import { connect, type Socket } from 'node:net';
import { startGithubPool, startImagesPool, type PoolHandle } from '../../../examples/pools';
import { POOL_CONNECTIONS_METRIC } from '../../../lib/plan/pool-metrics';

interface GaugeRecord {
  _aws: { Timestamp: number; CloudWatchMetrics: Array<{ Namespace: string; Dimensions: string[][]; Metrics: Array<{ Name: string; Unit: string }> }> };
  Fleet: string;
  Pool: string;
  OpenConnections: number;
}

const INTERVAL_MS = 40;

/** Opens a TCP connection to the pool's port and resolves once it is established. */
function openSocket(url: string): Promise<Socket> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Collects the gauge's lines and waits for a record that satisfies `accept`. */
function recorder() {
  const lines: string[] = [];
  const waiters: Array<{ accept: (r: GaugeRecord) => boolean; resolve: (r: GaugeRecord) => void }> = [];
  return {
    lines,
    write(line: string) {
      lines.push(line);
      const record = JSON.parse(line) as GaugeRecord;
      for (const waiter of [...waiters]) {
        if (waiter.accept(record)) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(record);
        }
      }
    },
    next(accept: (r: GaugeRecord) => boolean): Promise<GaugeRecord> {
      return new Promise((resolve) => waiters.push({ accept, resolve }));
    },
  };
}

describe('example pools: the OpenConnections gauge', () => {
  let pool: PoolHandle | undefined;
  const sockets: Socket[] = [];
  afterEach(async () => {
    for (const socket of sockets.splice(0)) socket.destroy();
    await pool?.close();
    pool = undefined;
  });

  test('GIVEN a pool with a gauge WHEN clients hold connections THEN each record is one EMF line counting them under McpFleet {Fleet, Pool}', async () => {
    const gauge = recorder();
    pool = await startImagesPool({ port: 0, connectionGauge: { fleet: 'agents', pool: 'images', intervalMs: INTERVAL_MS, write: (line) => gauge.write(line), now: () => 1_800_000_000_000 } });

    expect((await gauge.next(() => true)).OpenConnections).toBe(0);
    sockets.push(...(await Promise.all([openSocket(pool.url), openSocket(pool.url), openSocket(pool.url)])));
    const busy = await gauge.next((r) => r.OpenConnections === 3);

    expect(busy).toEqual({
      _aws: { Timestamp: 1_800_000_000_000, CloudWatchMetrics: [{ Namespace: 'McpFleet', Dimensions: [['Fleet', 'Pool']], Metrics: [{ Name: 'OpenConnections', Unit: 'Count' }] }] },
      Fleet: 'agents',
      Pool: 'images',
      OpenConnections: 3,
    });
    expect(gauge.lines.every((line) => line.endsWith('}\n') && line.indexOf('\n') === line.length - 1)).toBe(true);

    sockets.splice(0).forEach((socket) => socket.destroy());
    expect((await gauge.next((r) => r.OpenConnections === 0)).OpenConnections).toBe(0);
  });

  test('GIVEN a client that made a real MCP request WHEN its keep-alive connection stays open THEN the gauge counts it', async () => {
    const gauge = recorder();
    pool = await startGithubPool({ port: 0, connectionGauge: { fleet: 'agents', pool: 'github', intervalMs: INTERVAL_MS, write: (line) => gauge.write(line) } });
    // fetch keeps the connection of an answered request open for reuse.
    const response = await fetch(pool.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-11-25' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'gauge', version: '1' } } }),
    });
    expect(response.status).toBe(200);
    await response.text();
    expect((await gauge.next((r) => r.OpenConnections >= 1)).Pool).toBe('github');
  });

  test('GIVEN a gauge WHEN the pool closes THEN no record follows', async () => {
    const gauge = recorder();
    pool = await startImagesPool({ port: 0, connectionGauge: { fleet: 'agents', pool: 'images', intervalMs: INTERVAL_MS, write: (line) => gauge.write(line) } });
    await gauge.next(() => true);
    await pool.close();
    pool = undefined;
    const written = gauge.lines.length;
    await new Promise((resolve) => setTimeout(resolve, INTERVAL_MS * 4));
    expect(gauge.lines).toHaveLength(written);
  });

  test('GIVEN the IaC contract WHEN read THEN it names the metric the pools publish, averaged per task', () => {
    expect(POOL_CONNECTIONS_METRIC).toEqual({
      namespace: 'McpFleet',
      metricName: 'OpenConnections',
      unit: 'Count',
      fleetDimension: 'Fleet',
      poolDimension: 'Pool',
      statistic: 'Average',
      periodSeconds: 60,
    });
  });

  test('GIVEN a bad interval WHEN a pool starts THEN it says so', async () => {
    await expect(startImagesPool({ port: 0, connectionGauge: { fleet: 'a', pool: 'b', intervalMs: 0 } })).rejects.toThrow('connection gauge: intervalMs must be a positive integer (got 0)');
  });
});
