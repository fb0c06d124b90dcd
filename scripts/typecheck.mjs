#!/usr/bin/env node
/**
 * `npm run typecheck`: the project type-checked as four programs instead of one. aws-cdk-lib's and
 * @pulumi/aws's declarations together need about 1.8 GB in one tsc process; split, no process needs
 * more than about 1.2 GB (the parity tests, which import both renderings), and two run at a time.
 * tsconfig/core.json includes everything but what the other three include, so every file that
 * tsconfig.json covers is checked (`tsc -p tsconfig.json` still checks it all in one go, for editors).
 */
import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const PROJECTS = ['parity', 'cdk', 'pulumi', 'core'];
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');

function check(project) {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(process.execPath, [tsc, '--noEmit', '-p', join('tsconfig', `${project}.json`)], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('close', (code) => resolve({ project, code, output, seconds: (Date.now() - started) / 1000 }));
  });
}

const queue = [...PROJECTS];
const results = [];
async function worker() {
  for (let project = queue.shift(); project; project = queue.shift()) {
    const result = await check(project);
    process.stdout.write(`typecheck ${result.project}: ${result.code === 0 ? 'ok' : 'FAILED'} (${result.seconds.toFixed(1)} s)\n${result.output}`);
    results.push(result);
  }
}
await Promise.all(Array.from({ length: Math.min(2, availableParallelism()) }, worker));
process.exitCode = results.every((r) => r.code === 0) ? 0 : 1;
