/** nginx as the reference proxy: one worker, upstream keep-alive, no access log. */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, spawnTracked } from './processes.mjs';

/** The nginx binary on PATH, or undefined. */
export function findNginx() {
  try {
    return execFileSync('sh', ['-c', 'command -v nginx'], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** `nginx/1.22.1` (nginx prints its version on stderr). */
export function nginxVersion(binary) {
  const run = spawnSync(binary, ['-v'], { encoding: 'utf8' });
  return /nginx\/\S+/.exec(`${run.stderr}${run.stdout}`)?.[0] ?? 'nginx';
}

/** The one worker of an nginx master (the process that does the proxying), by /proc's children list. */
function workerPid(masterPid) {
  try {
    const children = readFileSync(`/proc/${masterPid}/task/${masterPid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
    return children.length === 1 ? Number(children[0]) : undefined;
  } catch {
    return undefined;
  }
}

/** Starts nginx proxying `poolUrl`; resolves with `{ url, stop }`. */
export async function startNginx(binary, poolUrl, dir) {
  const pool = new URL(poolUrl);
  const port = await freePort();
  mkdirSync(join(dir, 'logs'), { recursive: true });
  const conf = join(dir, 'nginx.conf');
  writeFileSync(
    conf,
    `worker_processes 1;
daemon off;
pid ${join(dir, 'nginx.pid')};
error_log stderr warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${join(dir, 'body')};
  proxy_temp_path ${join(dir, 'proxy')};
  fastcgi_temp_path ${join(dir, 'fastcgi')};
  uwsgi_temp_path ${join(dir, 'uwsgi')};
  scgi_temp_path ${join(dir, 'scgi')};
  upstream pool { server ${pool.host}; keepalive 64; }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://pool;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
  }
}
`,
  );
  const url = `http://127.0.0.1:${port}${pool.pathname}`;
  const proc = spawnTracked('nginx', binary, ['-p', dir, '-c', conf, '-e', 'stderr']);
  // nginx prints nothing when it is ready: poll its port.
  for (let i = 0; i < 100; i++) {
    if (proc.child.exitCode !== null) throw new Error(`nginx exited (${proc.child.exitCode}): ${proc.stderr()}`);
    try {
      await fetch(`http://127.0.0.1:${port}/health`);
      return { url, pid: workerPid(proc.child.pid), stop: proc.stop };
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  await proc.stop();
  throw new Error(`nginx did not listen on ${url}: ${proc.stderr()}`);
}
