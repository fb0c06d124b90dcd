/** Closing the gateway's node:http server twice (a second SIGTERM, a test's afterAll after a test closed it) is harmless. */
import { startGatewayServer } from '../../../lib/gateway/adapters/node-http';
import { createGateway } from '../../../lib/gateway/gateway';
import { createTelemetry } from '../../../lib/gateway/telemetry/telemetry';
import { resolveFleetSpec } from '../../../lib/spec/defaults';
import { quietLogger } from '../../support/harness';

test('GIVEN a running gateway server WHEN it is closed twice, at once and again later THEN every close resolves and the port stops answering', async () => {
  const spec = resolveFleetSpec({ name: 'close', pools: [{ name: 'p', image: 'x', tools: ['p_*'] }] });
  const gateway = createGateway({ spec, poolUrls: { p: 'http://127.0.0.1:9/mcp' }, logger: quietLogger, telemetry: createTelemetry({ fleet: 'close', disabled: true }) });
  const server = await startGatewayServer(gateway, { port: 0, drainTimeoutMs: 100 });
  expect((await fetch(`${server.url}/mcp`, { method: 'GET' })).status).toBe(405);

  await expect(Promise.all([server.close(), server.close()])).resolves.toEqual([undefined, undefined]);
  await expect(server.close()).resolves.toBeUndefined();
  await expect(fetch(`${server.url}/mcp`, { method: 'GET' })).rejects.toThrow();
  await gateway.close();
});
