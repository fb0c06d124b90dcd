/**
 * Concurrency through one gateway: every answer belongs to its own request, none is lost.
 * Sized for a loaded 2-core machine: 200 calls in flight at once (50 clients × 4) is the proof; the
 * number of calls each client makes only adds volume (10,000 calls took 8 s alone and more than 60 s
 * in a loaded full run, 2,000 take a fifth of that).
 */
import { answerOf, connectV1, connectV2 } from '../support/clients';
import { startEchoPool, type EchoPool } from '../support/echo-pool';
import { JSON_HEADERS, initializeLegacy, modernRequest, postFast, startGateway, type RunningGateway } from '../support/harness';
import { startV1StatefulPool, startV1StatelessPool, startV2Pool, type TestPool } from '../support/pools';

describe('gateway concurrency', () => {
  const CLIENTS = 50;
  const CALLS_PER_CLIENT = 40;
  const IN_FLIGHT_PER_CLIENT = 4;

  describe(`${CLIENTS} clients × ${CALLS_PER_CLIENT} calls (raw HTTP clients, fast echo pools)`, () => {
    let pools: EchoPool[];
    let gw: RunningGateway;

    beforeAll(async () => {
      pools = await Promise.all([startEchoPool({ tool: 'modern_echo' }), startEchoPool({ tool: 'legacy_echo', era: '2025-11-25', sse: true })]);
      gw = await startGateway(
        {
          name: 'load',
          pools: [
            { name: 'modern', image: 'x', tools: ['modern_*'] },
            { name: 'legacy', image: 'x', tools: ['legacy_*'], sessionMode: 'stateful', protocolVersion: '2025-11-25' },
          ],
        },
        { modern: pools[0]!.url, legacy: pools[1]!.url },
      );
    });

    afterAll(async () => {
      await gw.close();
      await Promise.all(pools.map((p) => p.close()));
    });

    it(`GIVEN ${CLIENTS / 2} session clients and ${CLIENTS / 2} stateless clients WHEN each makes ${CALLS_PER_CLIENT} calls to both pools, ${IN_FLIGHT_PER_CLIENT} in flight THEN every answer has its own id and arguments`, async () => {
      const mismatches: string[] = [];
      let answered = 0;
      await Promise.all(
        Array.from({ length: CLIENTS }, async (_, c) => {
          const legacyClient = c % 2 === 1;
          const session = legacyClient ? await initializeLegacy(gw.mcpUrl) : undefined;
          let next = 0;
          const worker = async () => {
            while (next < CALLS_PER_CLIENT) {
              const i = next++;
              const tool = i % 2 ? 'legacy_echo' : 'modern_echo';
              const id = `c${c}-${i}`;
              const args = { client: c, call: i };
              const { headers, body } = session
                ? { headers: { ...JSON_HEADERS, 'mcp-session-id': session }, body: { jsonrpc: '2.0', id, method: 'tools/call', params: { name: tool, arguments: args } } }
                : modernRequest('tools/call', { name: tool, arguments: args }, id);
              const res = await postFast(gw.mcpUrl, body, headers);
              // The stateful pool answers SSE (a notification, then the response), which the gateway relays.
              const data = res.text.startsWith('{')
                ? res.text
                : res.text
                    .split('\n')
                    .filter((l) => l.startsWith('data: '))
                    .map((l) => l.slice(6))
                    .find((d) => d.includes('"result"'))!;
              const message = JSON.parse(data);
              const echoed = JSON.parse(message.result.content[0].text);
              if (message.id !== id || echoed.tool !== tool || echoed.args.client !== c || echoed.args.call !== i) mismatches.push(`${id}: ${res.text}`);
              answered++;
            }
          };
          await Promise.all(Array.from({ length: IN_FLIGHT_PER_CLIENT }, worker));
        }),
      );
      expect(mismatches).toEqual([]);
      expect(answered).toBe(CLIENTS * CALLS_PER_CLIENT);
      // Each session client got its own backend session; the stateless callers share one (one principal).
      expect(pools[1]!.sessions.size).toBe(CLIENTS / 2 + 1 + 1);
    }, 60_000);
  });

  describe('SDK clients against SDK pools', () => {
    let pools: TestPool[];
    let gw: RunningGateway;

    beforeAll(async () => {
      pools = await Promise.all([
        startV2Pool({ name: 'github', tools: ['github_echo'] }),
        startV1StatefulPool({ name: 'slack', tools: ['slack_echo'] }),
        startV1StatelessPool({ name: 'images', tools: ['images_echo'] }),
      ]);
      gw = await startGateway(
        {
          name: 'sdk-load',
          pools: [
            { name: 'github', image: 'x', tools: ['github_*'] },
            { name: 'slack', image: 'x', tools: ['slack_*'], sessionMode: 'stateful', protocolVersion: '2025-11-25' },
            { name: 'images', image: 'x', tools: ['images_*'], protocolVersion: '2025-06-18' },
          ],
        },
        { github: pools[0]!.url, slack: pools[1]!.url, images: pools[2]!.url },
      );
    });

    afterAll(async () => {
      await gw.close();
      await Promise.all(pools.map((p) => p.close()));
    });

    it('GIVEN 10 v1 and v2 SDK clients WHEN each makes 30 concurrent calls across the pools THEN every answer echoes its own call', async () => {
      const tools = ['github_echo', 'slack_echo', 'images_echo'];
      const mismatches: string[] = [];
      await Promise.all(
        Array.from({ length: 10 }, async (_, c) => {
          const client = c % 2 ? (await connectV1(gw.mcpUrl)).client : await connectV2(gw.mcpUrl);
          await Promise.all(
            Array.from({ length: 30 }, async (_, i) => {
              const tool = tools[(c + i) % 3]!;
              const answer = answerOf(await client.callTool({ name: tool, arguments: { text: `${c}-${i}`, n: i } }));
              if (answer.tool !== tool || (answer.args as { text: string }).text !== `${c}-${i}`) mismatches.push(`${c}-${i}: ${JSON.stringify(answer)}`);
            }),
          );
          await client.close();
        }),
      );
      expect(mismatches).toEqual([]);
    });
  });
});
