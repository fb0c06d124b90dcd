/**
 * A 2026-07-28 caller's per-request log level (`_meta` `io.modelcontextprotocol/logLevel`) reaching a
 * 2025-era stateful pool, which knows levels per session only: the gateway sets it on the caller's
 * backend session (`logging/setLevel`) when it changes, and the real v1 SDK pool logs accordingly.
 */
import type { FleetSpec } from '../../lib/spec/types';
import { modernRequest, post, startGateway, type RunningGateway } from '../support/harness';
import { startInteractivePool, type InteractivePool } from '../support/interactive-pool';

describe('per-request log level for 2025-era pools', () => {
  let desk: InteractivePool;
  let gateway: RunningGateway;

  beforeAll(async () => {
    desk = await startInteractivePool('desk');
    const spec: FleetSpec = { name: 'levels', pools: [{ name: 'desk', image: 'x', tools: ['desk_*'], sessionMode: 'stateful', protocolVersion: '2025-11-25' }] };
    gateway = await startGateway(spec, { desk: desk.url });
  });

  afterAll(async () => {
    await gateway.close();
    await desk.close();
  });

  /** The pool's `info` log messages a 2026 call at `level` gets. */
  async function logsAt(level: string, id: number): Promise<string[]> {
    const request = modernRequest('tools/call', { name: 'desk_slow', arguments: { steps: 2, stepMs: 10 } }, id);
    const body = { ...request.body, params: { ...request.body.params, _meta: { ...request.body.params._meta, 'io.modelcontextprotocol/logLevel': level } } };
    const answer = await post(gateway.mcpUrl, body, request.headers);
    const messages = answer.text
      .split('\n')
      .filter((line) => line.startsWith('data: '))
      .map((line) => JSON.parse(line.slice(6)));
    expect(messages.at(-1)).toMatchObject({ id, result: { content: [{ type: 'text' }] } });
    return messages.filter((m) => m.method === 'notifications/message').map((m) => m.params.data);
  }

  it('GIVEN a 2026 caller WHEN its calls ask for different log levels THEN the 2025 pool logs at each', async () => {
    expect(await logsAt('error', 1)).toEqual([]);
    expect(await logsAt('debug', 2)).toEqual(['step 1', 'step 2']);
    expect(await logsAt('debug', 3)).toEqual(['step 1', 'step 2']);
    expect(await logsAt('warning', 4)).toEqual([]);
  });
});
