/**
 * Running the official conformance suite (`@modelcontextprotocol/conformance` 0.1.13, server
 * scenarios) against a URL, and the conformance fixture server it is compared on.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import { buildSync } from 'esbuild';

const ROOT = path.join(__dirname, '..', '..');
const CONFORMANCE = path.join(ROOT, 'node_modules/@modelcontextprotocol/conformance/dist/index.js');

/** Bundles `test/fixtures/conformance-server.ts` into one file in `dir` (starts far faster than tsx); returns its path. */
export function bundleConformanceFixture(dir: string): string {
  const fixture = path.join(dir, 'conformance-server.cjs');
  buildSync({ entryPoints: [path.join(ROOT, 'test/fixtures/conformance-server.ts')], bundle: true, platform: 'node', format: 'cjs', outfile: fixture, logLevel: 'warning' });
  return fixture;
}

/** Starts the bundled fixture on its own HTTP transport; resolves with the process and its MCP URL. */
export function startConformanceFixture(fixture: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [fixture, 'http'], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the fixture exited with ${code}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line.startsWith('LISTENING ')) resolve({ child, url: line.slice('LISTENING '.length) });
    });
  });
}

/** Runs every server scenario (suite "all") against `url` from `cwd` (it writes results/ there); scenario → passed. */
export function runConformanceSuite(url: string, cwd: string): Promise<Map<string, boolean>> {
  return new Promise((resolve, reject) => {
    const run = spawn(process.execPath, [CONFORMANCE, 'server', '--url', url, '--suite', 'all'], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
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

/** The scenarios that passed, sorted. */
export const passedScenarios = (results: Map<string, boolean>): string[] =>
  [...results]
    .filter(([, ok]) => ok)
    .map(([name]) => name)
    .sort();
