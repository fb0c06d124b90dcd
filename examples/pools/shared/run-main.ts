/**
 * Runs a pool as a process: `PORT` and `HOST` from the environment, one JSON log line when ready, and
 * graceful shutdown on SIGTERM/SIGINT (ECS sends SIGTERM, then SIGKILL after the stop timeout).
 */
import type { PoolHandle, PoolListenOptions } from './pool-server';

/** Reads a port from the environment, or says what is wrong with it. */
export function portFromEnv(value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be an integer from 0 to 65535, got "${value}"`);
  return port;
}

function log(fields: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), ...fields })}\n`);
}

/**
 * Starts the pool and wires the signals. A second signal during the drain exits at once.
 * @param start the pool's `start*Pool` function.
 */
export function runPoolMain(pool: string, start: (options: PoolListenOptions) => Promise<PoolHandle>): void {
  let handle: PoolHandle | undefined;
  let stopping = false;

  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      log({ level: 'warn', pool, msg: `second ${signal}: exiting without waiting for in-flight calls` });
      process.exit(1);
    }
    stopping = true;
    log({ level: 'info', pool, msg: `${signal}: draining` });
    (handle ? handle.close() : Promise.resolve()).then(
      () => {
        log({ level: 'info', pool, msg: 'stopped' });
        process.exit(0);
      },
      (error: unknown) => {
        log({ level: 'error', pool, msg: 'drain failed', error: String(error) });
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);

  let port: number;
  try {
    port = portFromEnv(process.env.PORT, 8080);
  } catch (error) {
    log({ level: 'error', pool, msg: (error as Error).message });
    process.exit(2);
  }
  start({ port, host: process.env.HOST || '127.0.0.1' }).then(
    (started) => {
      handle = started;
      log({ level: 'info', pool, msg: 'listening', url: started.url, health: started.healthUrl });
    },
    (error: unknown) => {
      log({ level: 'error', pool, msg: 'failed to start', error: String(error) });
      process.exit(1);
    },
  );
}
