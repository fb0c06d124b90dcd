/**
 * Makes an expensive fixture directory once per `jest` run and shares it between suites and workers.
 * The first suite that asks for `key` claims it (an atomic mkdir) and builds it; a suite asking while
 * it is being built waits for it; later suites only read it. Nothing is kept between runs, so nothing
 * can be stale. Without the run's shared directory (a jest config without the global setup) every
 * caller builds its own.
 */
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { SHARED_DIR_ENV } from './shared-dir';

const DONE = '.done';
const FAILED = '.failed';
/** Longer than any synthesis on a loaded machine; a waiter then builds its own instead. */
const WAIT_MS = 180_000;

/** Blocks this worker (the builders are synchronous too) for `ms`. */
function pause(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * The directory of fixture `key`, built by `build(dir)` (into the empty directory it is given) the first
 * time it is asked for in this run; `open(dir)` reads it.
 */
export function oncePerRun<T>(key: string, build: (dir: string) => T, open: (dir: string) => T): T {
  const shared = process.env[SHARED_DIR_ENV];
  if (!shared) return build(mkdtempSync(path.join(tmpdir(), `mcp-fleet-${key}-`)));
  const dir = path.join(shared, key);
  try {
    mkdirSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return waitFor(dir, key, build, open);
  }
  try {
    const result = build(dir);
    writeFileSync(path.join(dir, DONE), '');
    return result;
  } catch (error) {
    writeFileSync(path.join(dir, FAILED), String(error));
    throw error;
  }
}

function waitFor<T>(dir: string, key: string, build: (dir: string) => T, open: (dir: string) => T): T {
  const deadline = Date.now() + WAIT_MS;
  while (Date.now() < deadline) {
    if (existsSync(path.join(dir, DONE))) return open(dir);
    // The builder failed: build here too, so this suite reports the failure itself.
    if (existsSync(path.join(dir, FAILED))) break;
    pause(100);
  }
  return build(mkdtempSync(path.join(tmpdir(), `mcp-fleet-${key}-`)));
}
