/** Child processes for the benchmark: started, awaited on a stdout line, and always stopped. */
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';

const running = new Set();

/**
 * Spawns a process that `stopAll()` will stop.
 * @returns `{ child, waitFor(pattern), stop() }`; `waitFor` resolves with the first group of the first match.
 */
export function spawnTracked(name, command, args, env = {}) {
  const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  let out = '';
  let err = '';
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
  void exited.then(() => running.delete(child));
  child.stdout.setEncoding('utf8').on('data', (chunk) => (out += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk) => (err += chunk));

  function waitFor(pattern, timeoutMs = 20_000) {
    return new Promise((resolve, reject) => {
      const check = () => {
        const match = pattern.exec(out);
        if (!match) return false;
        cleanup();
        resolve(match[1] ?? match[0]);
        return true;
      };
      const timer = setTimeout(() => fail(`no output matching ${pattern} after ${timeoutMs} ms`), timeoutMs);
      const fail = (why) => {
        cleanup();
        reject(new Error(`${name}: ${why}\nstdout:\n${out}\nstderr:\n${err}`));
      };
      const onData = () => check();
      const onExit = (code) => fail(`exited (${code}) first`);
      const cleanup = () => {
        clearTimeout(timer);
        child.stdout.off('data', onData);
        child.off('exit', onExit);
      };
      if (check()) return;
      child.stdout.on('data', onData);
      child.once('exit', onExit);
    });
  }
  return { child, waitFor, stop: () => stopProcess(child), stderr: () => err };
}

/** SIGTERM, then SIGKILL after 5 s. */
export function stopProcess(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Stops whatever is still running (after each phase, on errors and on exit). */
export async function stopAll() {
  await Promise.all([...running].map(stopProcess));
}

/** A port that was free a moment ago (for programs that cannot report the one they bound). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}
