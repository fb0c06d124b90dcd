/**
 * The official conformance suite (`@modelcontextprotocol/conformance` 0.1.13, server scenarios, suite
 * "all") against the conformance fixture server twice: over its own Streamable HTTP transport, and
 * over stdio through the bridge. Every scenario that passes natively must pass through the bridge.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { startBridge, type BridgeHandle } from '../../lib/bridge';
import { bundleConformanceFixture, passedScenarios as passed, runConformanceSuite, startConformanceFixture } from '../support/conformance';
import { quietLogger } from './support';

let work: string;
let fixture: string;
let native: ChildProcess | undefined;
let bridge: BridgeHandle | undefined;

beforeAll(() => {
  work = mkdtempSync(path.join(tmpdir(), 'bridge-conformance-'));
  // One bundled file starts in a fraction of the time tsx needs, and the bridge starts one per session.
  fixture = bundleConformanceFixture(work);
});

afterAll(async () => {
  native?.kill();
  await bridge?.close();
  rmSync(work, { recursive: true, force: true });
});

/** Starts the fixture on its own HTTP transport; resolves with its URL. */
async function startNative(): Promise<string> {
  const started = await startConformanceFixture(fixture);
  native = started.child;
  return started.url;
}

const runSuite = (url: string) => runConformanceSuite(url, work);

test('every scenario that passes over the server’s own HTTP transport passes through the bridge', async () => {
  const direct = await runSuite(await startNative());
  bridge = await startBridge({ command: process.execPath, args: [fixture, 'stdio'], children: 2, logger: quietLogger() });
  const bridged = await runSuite(bridge.mcpUrl);

  // The fixture implements what the suite asks for, so nearly everything passes natively.
  expect(passed(direct).length).toBeGreaterThanOrEqual(30);
  expect(passed(direct).filter((name) => !bridged.get(name))).toEqual([]);
  expect(passed(bridged)).toEqual(passed(direct));
}, 60_000);
