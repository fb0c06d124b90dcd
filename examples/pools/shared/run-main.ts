/**
 * Runs a pool as a process: settings from the environment (`POOL_ENV`, plus `HOST`), one JSON log line
 * when ready, and graceful shutdown on SIGTERM/SIGINT (ECS sends SIGTERM, then SIGKILL after the stop
 * timeout). A bad setting exits 2 with a line naming the variable.
 */
import type { PoolHandle, PoolListenOptions } from './pool-server';
import { poolSettingsFromEnv, type PoolEnvSettings } from './pool-env';

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

  let settings: PoolEnvSettings;
  try {
    settings = poolSettingsFromEnv(process.env);
  } catch (error) {
    log({ level: 'error', pool, msg: (error as Error).message });
    process.exit(2);
  }
  for (const warning of settings.warnings) log({ level: 'warn', pool, msg: warning });
  start(settings.options).then(
    (started) => {
      handle = started;
      log({ level: 'info', pool, msg: 'listening', url: started.url, health: started.healthUrl, verifiesIdentity: settings.options.identity !== undefined });
    },
    (error: unknown) => {
      log({ level: 'error', pool, msg: 'failed to start', error: String(error) });
      process.exit(1);
    },
  );
}
