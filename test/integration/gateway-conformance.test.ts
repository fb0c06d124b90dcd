/**
 * The official conformance suite (`@modelcontextprotocol/conformance` 0.1.13, server scenarios, suite
 * "all") against the conformance fixture server directly, and through the gateway as a Node server
 * (the streaming hosting) with the fixture as a stateful 2025-era pool. Every scenario that passes
 * directly must pass through the gateway.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { bundleConformanceFixture, passedScenarios, runConformanceSuite, startConformanceFixture } from '../support/conformance';
import { startGateway, type RunningGateway } from '../support/harness';

let work: string;
let fixture: ChildProcess | undefined;
let gateway: RunningGateway | undefined;

beforeAll(() => {
  work = mkdtempSync(path.join(tmpdir(), 'gateway-conformance-'));
});

afterAll(async () => {
  fixture?.kill();
  await gateway?.close();
  rmSync(work, { recursive: true, force: true });
});

test('every conformance scenario that passes against the pool directly passes through the gateway', async () => {
  const started = await startConformanceFixture(bundleConformanceFixture(work));
  fixture = started.child;
  const direct = await runConformanceSuite(started.url, work);
  gateway = await startGateway(
    {
      name: 'conformance',
      pools: [{ name: 'fixture', image: 'x', tools: ['test_*', 'json_schema_*'], sessionMode: 'stateful', protocolVersion: '2025-11-25' }],
      // As `mcp-fleet gateway` on a loopback address has it: loopback names only (DNS rebinding).
      gateway: { allowedHosts: ['localhost', '127.0.0.1', '[::1]'] },
    },
    { fixture: started.url },
  );
  const through = await runConformanceSuite(gateway.mcpUrl, work);
  // Printed for the record (the README lists them).
  process.stdout.write(`conformance direct: ${passedScenarios(direct).join(' ')}\nconformance through the gateway: ${passedScenarios(through).join(' ')}\n`);
  expect(passedScenarios(direct).length).toBeGreaterThanOrEqual(30);
  expect(passedScenarios(direct).filter((name) => !through.get(name))).toEqual([]);
}, 120_000);
