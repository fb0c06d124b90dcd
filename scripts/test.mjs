#!/usr/bin/env node
/**
 * `npm test`: lint, then the type-check and jest side by side. Jest's suites spend much of their time
 * waiting on sockets, child processes and brokers, so the two type-check programs fit in the idle
 * CPU instead of running before jest starts (issue 13: `npm test` ≤ 2 min on 2 cores). A failed
 * type-check stops jest at once and exits 1 with the compiler's output, as the serial run did.
 * Arguments go to jest (`npm test -- test/gateway`).
 */
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (pkg, file) => join(root, 'node_modules', pkg, 'bin', file);

/** Runs a node script; resolves with its exit code (a signal counts as failure). */
function run(args, options) {
  const child = spawn(process.execPath, args, { cwd: root, ...options });
  const exited = new Promise((resolve) => child.on('close', (code) => resolve(code ?? 1)));
  return { child, exited };
}

// Lint first: it takes a second, and its house rules fail fast (same commands as `npm run lint`).
for (const command of ['lint', 'format']) {
  if ((await run([bin('@biomejs/biome', 'biome'), command, '.'], { stdio: 'inherit' }).exited) !== 0) process.exit(1);
}

// Jest in its own process group, so a failed type-check can stop it together with its workers.
const jest = run([bin('jest', 'jest.js'), ...process.argv.slice(2)], { stdio: 'inherit', detached: true });
const stopJest = (signal) => {
  try {
    process.kill(-jest.child.pid, signal);
  } catch {
    // already gone
  }
};
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => stopJest(signal));

const typecheck = run([join(root, 'scripts', 'typecheck.mjs')], { stdio: ['ignore', 'pipe', 'pipe'] });
let typecheckOutput = '';
typecheck.child.stdout.on('data', (d) => (typecheckOutput += d));
typecheck.child.stderr.on('data', (d) => (typecheckOutput += d));
const typecheckCode = await typecheck.exited;
process.stdout.write(typecheckOutput);
if (typecheckCode !== 0) {
  process.stderr.write('npm test: the type-check failed (above); jest stopped\n');
  stopJest('SIGTERM');
  await jest.exited;
  process.exit(1);
}
process.exit(await jest.exited);
