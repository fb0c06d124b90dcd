/** nginx as the reference proxy: one worker, upstream keep-alive, no access log. */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
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

export function nginxVersion(binary) {
  return execFileSync(binary, ['-v'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim() || 'nginx';
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
      return { url, stop: proc.stop };
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  await proc.stop();
  throw new Error(`nginx did not listen on ${url}: ${proc.stderr()}`);
}
