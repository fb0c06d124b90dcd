/**
 * The official conformance suite (`@modelcontextprotocol/conformance` 0.1.13, server scenarios, suite
 * "all") against the conformance fixture server twice: over its own Streamable HTTP transport, and
 * over stdio through the bridge. Every scenario that passes natively must pass through the bridge.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import { buildSync } from 'esbuild';
import { startBridge, type BridgeHandle } from '../../lib/bridge';
import { quietLogger } from './support';

const ROOT = path.join(__dirname, '..', '..');
const CONFORMANCE = path.join(ROOT, 'node_modules/@modelcontextprotocol/conformance/dist/index.js');

let work: string;
let fixture: string;
let native: ChildProcess | undefined;
let bridge: BridgeHandle | undefined;

beforeAll(() => {
  work = mkdtempSync(path.join(tmpdir(), 'bridge-conformance-'));
  // One bundled file starts in a fraction of the time tsx needs, and the bridge starts one per session.
  fixture = path.join(work, 'conformance-server.cjs');
  buildSync({ entryPoints: [path.join(ROOT, 'test/fixtures/conformance-server.ts')], bundle: true, platform: 'node', format: 'cjs', outfile: fixture, logLevel: 'warning' });
});

afterAll(async () => {
  native?.kill();
  await bridge?.close();
  rmSync(work, { recursive: true, force: true });
});

/** Starts the fixture on its own HTTP transport; resolves with its URL. */
function startNative(): Promise<string> {
  native = spawn(process.execPath, [fixture, 'http'], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    native!.once('exit', (code) => reject(new Error(`the fixture exited with ${code}`)));
    createInterface({ input: native!.stdout! }).on('line', (line) => {
      if (line.startsWith('LISTENING ')) resolve(line.slice('LISTENING '.length));
    });
  });
}

/** Runs every server scenario against `url`; resolves with scenario → passed. */
function runSuite(url: string): Promise<Map<string, boolean>> {
  return new Promise((resolve, reject) => {
    // The suite writes results/ into its working directory.
    const run = spawn(process.execPath, [CONFORMANCE, 'server', '--url', url, '--suite', 'all'], { cwd: work, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    run.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
    run.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString()));
    run.on('error', reject);
    run.on('exit', () => {
      const results = new Map<string, boolean>();
      const summary = out.slice(out.indexOf('=== SUMMARY ==='));
      for (const match of summary.matchAll(/^([✓✗]) (\S+): (\d+) passed, (\d+) failed/gmu)) results.set(match[2]!, match[1] === '✓');
      if (results.size === 0) reject(new Error(`no conformance summary in:\n${out.slice(-2000)}`));
      else resolve(results);
    });
  });
}

const passed = (results: Map<string, boolean>) => [...results].filter(([, ok]) => ok).map(([name]) => name).sort();

test('every scenario that passes over the server’s own HTTP transport passes through the bridge', async () => {
  const direct = await runSuite(await startNative());
  bridge = await startBridge({ command: process.execPath, args: [fixture, 'stdio'], children: 2, logger: quietLogger() });
  const bridged = await runSuite(bridge.mcpUrl);

  // The fixture implements what the suite asks for, so nearly everything passes natively.
  expect(passed(direct).length).toBeGreaterThanOrEqual(30);
  expect(passed(direct).filter((name) => !bridged.get(name))).toEqual([]);
  expect(passed(bridged)).toEqual(passed(direct));
}, 60_000);
