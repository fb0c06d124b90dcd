/**
 * Runs the project's pinned CDK CLI (the `aws-cdk` devDependency, not a global one) in a child
 * process and keeps its whole output for the test's failure message.
 */
import { spawn } from 'node:child_process';

/** What one CLI run printed and how it ended. */
export interface CdkRun {
  /** The command line, for messages. */
  readonly command: string;
  /** Exit code; `null` when it was killed (see `timedOut`). */
  readonly exitCode: number | null;
  /** True when the run exceeded its time limit and was killed. */
  readonly timedOut: boolean;
  /** stdout and stderr interleaved as they arrived. */
  readonly output: string;
  /** Wall-clock duration. */
  readonly durationMs: number;
}

/** Options for {@link runCdk}. */
export interface CdkRunOptions {
  /** Working directory: where `cdk.json` is read (and `cdk.context.json` would be written). */
  readonly cwd: string;
  /** The whole environment of the child process. */
  readonly env: NodeJS.ProcessEnv;
  /**
   * Kill the run after this long.
   * @default 300_000 ms
   */
  readonly timeoutMs?: number;
}

/** Flags on every run: no notices fetched from the internet, no colours in the captured output. */
const QUIET_FLAGS = ['--no-notices', '--no-color'];

/**
 * Runs `cdk <args>` to completion. Never rejects for a failed run: the caller decides, with the
 * output in hand.
 */
export async function runCdk(args: readonly string[], options: CdkRunOptions): Promise<CdkRun> {
  const cli = require.resolve('aws-cdk/bin/cdk');
  const fullArgs = [...args, ...QUIET_FLAGS];
  const command = `cdk ${fullArgs.join(' ')}`;
  const started = Date.now();
  const child = spawn(process.execPath, [cli, ...fullArgs], {
    cwd: options.cwd,
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, so a timeout also ends the app process the CLI spawned.
    detached: true,
  });
  const chunks: string[] = [];
  child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => chunks.push(chunk.toString('utf8')));

  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    if (child.pid !== undefined) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
  }, options.timeoutMs ?? 300_000);

  const exitCode = await new Promise<number | null>((resolve) => {
    child.once('error', (error) => {
      chunks.push(`\n[could not run ${command}: ${error.message}]\n`);
      resolve(null);
    });
    child.once('close', (code) => resolve(code));
  });
  clearTimeout(timer);
  return { command, exitCode, timedOut, output: chunks.join(''), durationMs: Date.now() - started };
}
