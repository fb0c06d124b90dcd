/**
 * The official conformance suite (`@modelcontextprotocol/conformance` 0.1.13, server scenarios, suite
 * "all") against the conformance fixture server directly, and through the gateway as a Node server
 * (the streaming hosting) with the fixture as a stateful 2025-era pool. Every scenario that passes
 * directly must pass through the gateway.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import { buildSync } from 'esbuild';
import { startGateway, type RunningGateway } from '../support/harness';

const ROOT = path.join(__dirname, '..', '..');
const CONFORMANCE = path.join(ROOT, 'node_modules/@modelcontextprotocol/conformance/dist/index.js');

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

function startFixture(): Promise<string> {
  const bundle = path.join(work, 'conformance-server.cjs');
  buildSync({ entryPoints: [path.join(ROOT, 'test/fixtures/conformance-server.ts')], bundle: true, platform: 'node', format: 'cjs', outfile: bundle, logLevel: 'warning' });
  fixture = spawn(process.execPath, [bundle, 'http'], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    fixture!.once('exit', (code) => reject(new Error(`the fixture exited with ${code}`)));
    createInterface({ input: fixture!.stdout! }).on('line', (line) => {
      if (line.startsWith('LISTENING ')) resolve(line.slice('LISTENING '.length));
    });
  });
}

/** Runs every server scenario against `url`; resolves with scenario → passed. */
function runSuite(url: string): Promise<Map<string, boolean>> {
  return new Promise((resolve, reject) => {
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

test('every conformance scenario that passes against the pool directly passes through the gateway', async () => {
  const poolUrl = await startFixture();
  const direct = await runSuite(poolUrl);
  gateway = await startGateway(
    {
      name: 'conformance',
      pools: [{ name: 'fixture', image: 'x', tools: ['test_*', 'json_schema_*'], sessionMode: 'stateful', protocolVersion: '2025-11-25' }],
      // As `mcp-fleet gateway` on a loopback address has it: loopback names only (DNS rebinding).
      gateway: { allowedHosts: ['localhost', '127.0.0.1', '[::1]'] },
    },
    { fixture: poolUrl },
  );
  const through = await runSuite(gateway.mcpUrl);
  // Printed for the record (BENCHMARKS/README list them).
  process.stdout.write(`conformance direct: ${passed(direct).join(' ')}\nconformance through the gateway: ${passed(through).join(' ')}\n`);
  expect(passed(direct).length).toBeGreaterThanOrEqual(30);
  expect(passed(direct).filter((name) => !through.get(name))).toEqual([]);
}, 120_000);
