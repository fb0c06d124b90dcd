/** Test support for the example pools and the CLI: SDK clients of both generations, child processes. */
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { Client as LegacyClient } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as LegacyTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { Client as ModernClient, StreamableHTTPClientTransport as ModernTransport } from '@modelcontextprotocol/client';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');

/** A 2025-era client (SDK v1), connected. */
export async function connectLegacy(url: string, name = 'legacy-test'): Promise<{ client: LegacyClient; transport: LegacyTransport }> {
  const client = new LegacyClient({ name, version: '1.0.0' });
  const transport = new LegacyTransport(new URL(url));
  await client.connect(transport);
  return { client, transport };
}

/** A 2026-07-28 client (SDK v2, pinned), connected. */
export async function connectModern(url: string, name = 'modern-test'): Promise<ModernClient> {
  const client = new ModernClient({ name, version: '1.0.0' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
  await client.connect(new ModernTransport(new URL(url)));
  return client;
}

/** The JSON of a tool result's first text block. */
export function firstText(result: unknown): unknown {
  const content = (result as { content: Array<{ type: string; text?: string }> }).content;
  const block = content.find((c) => c.type === 'text');
  if (!block?.text) throw new Error(`no text content in ${JSON.stringify(result).slice(0, 300)}`);
  return JSON.parse(block.text);
}

/** Every text block of a tool result, joined by newlines (for error messages). */
export function allText(result: unknown): string {
  return (result as { content: Array<{ type: string; text?: string }> }).content
    .filter((c) => c.type === 'text')
    .map((c) => c.text)
    .join('\n');
}

/** A child process whose output is collected and whose lines can be awaited. */
export interface Spawned {
  readonly child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the first stdout line matching `pattern`. */
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Resolves with the exit code (or the signal name). */
  exited(timeoutMs?: number): Promise<number | string>;
}

/** Runs a TypeScript entry point of the repo with tsx, from the repo root. */
export function spawnTs(entry: string, args: readonly string[] = [], env: NodeJS.ProcessEnv = {}): Spawned {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, entry), ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const waiters: Array<{ pattern: RegExp; resolve: (line: string) => void }> = [];
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
    for (const w of [...waiters]) {
      const line = out.split('\n').find((l) => w.pattern.test(l));
      if (line !== undefined) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(line);
      }
    }
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const exit = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));

  const withTimeout = <T>(promise: Promise<T>, ms: number, what: string) =>
    Promise.race([promise, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}; stdout:\n${out}\nstderr:\n${err}`)), ms).unref())]);

  return {
    child,
    stdout: () => out,
    stderr: () => err,
    waitForLine: (pattern, timeoutMs = 20_000) => {
      const line = out.split('\n').find((l) => pattern.test(l));
      if (line !== undefined) return Promise.resolve(line);
      const seen = new Promise<string>((resolve) => waiters.push({ pattern, resolve }));
      const died = exit.then((code) => Promise.reject(new Error(`the process exited (${code}) before printing a line matching ${pattern}; stdout:\n${out}\nstderr:\n${err}`)));
      return withTimeout(Promise.race([seen, died]), timeoutMs, `a line matching ${pattern}`);
    },
    exited: (timeoutMs = 20_000) => withTimeout(exit, timeoutMs, 'the process to exit'),
  };
}
