/**
 * The gateway's open-connections gauge, published by the node server the gateway service runs: a real
 * 2025-era pool that asks the client mid-call keeps the call's stream open, and the gauge counts it.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { gatewayConnectionsLine } from '../../lib/cli/connection-gauge';
import { startLocalGateway, type LocalGateway } from '../../lib/cli/local-gateway';
import { GATEWAY_CONNECTIONS_METRIC } from '../../lib/plan';
import { parseFleetSpec } from '../../lib/spec';
import { startInteractivePool, type InteractivePool } from '../support/interactive-pool';

describe('the gateway connection gauge', () => {
  test('GIVEN a sample THEN it is one EMF record of GatewayOpenConnections with the fleet dimension', () => {
    const record = JSON.parse(gatewayConnectionsLine('agents', 7, 1_700_000_000_000));
    expect(record).toEqual({
      _aws: { Timestamp: 1_700_000_000_000, CloudWatchMetrics: [{ Namespace: 'McpFleet', Dimensions: [['Fleet']], Metrics: [{ Name: GATEWAY_CONNECTIONS_METRIC.metricName, Unit: 'Count' }] }] },
      Fleet: 'agents',
      [GATEWAY_CONNECTIONS_METRIC.metricName]: 7,
    });
  });

  describe('GIVEN the gateway in front of a pool that asks the client mid-call', () => {
    let desk: InteractivePool;
    let gateway: LocalGateway;
    const lines: string[] = [];
    beforeAll(async () => {
      desk = await startInteractivePool('desk');
      const spec = parseFleetSpec({ name: 'gauge', pools: [{ name: 'desk', image: 'x', tools: ['desk_*'], sessionMode: 'stateful', protocolVersion: '2025-11-25' }] });
      gateway = await startLocalGateway({
        fleet: { spec, poolUrls: { desk: desk.url } },
        port: 0,
        metricsIntervalMs: 3_600_000,
        connectionGauge: { intervalMs: 50, write: (line) => void lines.push(line) },
      });
    });
    afterAll(async () => {
      await gateway.close();
      await desk.close();
    });

    const latest = () => JSON.parse(lines.at(-1)!)[GATEWAY_CONNECTIONS_METRIC.metricName] as number;
    const until = async (condition: () => boolean) => {
      for (let i = 0; i < 100 && !condition(); i++) await new Promise((r) => setTimeout(r, 20));
    };

    test('WHEN a call waits for the client THEN the gauge counts its open stream beside the session stream, and drops it once answered', async () => {
      let answer!: () => void;
      const answered = new Promise<void>((resolve) => (answer = resolve));
      let asked!: () => void;
      const wasAsked = new Promise<void>((resolve) => (asked = resolve));
      const client = new Client({ name: 'gauge', version: '1.0.0' }, { capabilities: { elicitation: {} } });
      client.setRequestHandler(ElicitRequestSchema, async () => {
        asked();
        await answered;
        return { action: 'accept', content: { name: 'Ada' } };
      });
      await client.connect(new StreamableHTTPClientTransport(new URL(gateway.mcpUrl)));
      try {
        // The client's GET stream (the session's server-to-client channel) is one open stream.
        await until(() => lines.length > 0 && latest() === 1);
        expect(latest()).toBe(1);
        const call = client.callTool({ name: 'desk_ask_user', arguments: {} });
        await wasAsked;
        await until(() => latest() === 2);
        expect(latest()).toBe(2);
        answer();
        await call;
        await until(() => latest() === 1);
        expect(latest()).toBe(1);
      } finally {
        await client.close();
      }
    });
  });
});
