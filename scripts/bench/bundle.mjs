/** The gateway bundle: size, what it is made of, and how long a fresh process takes to load it. */
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

export function bundleSize(bundlePath, metafilePath) {
  const code = readFileSync(bundlePath);
  const meta = JSON.parse(readFileSync(metafilePath, 'utf8'));
  const output = Object.entries(meta.outputs).find(([file]) => file.endsWith('index.js'))[1];
  const byPackage = new Map();
  for (const [file, input] of Object.entries(output.inputs)) {
    const at = file.lastIndexOf('node_modules/');
    let name = 'mcp-fleet (lib/)';
    if (at >= 0) {
      const parts = file.slice(at + 'node_modules/'.length).split('/');
      name = parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
    }
    byPackage.set(name, (byPackage.get(name) ?? 0) + input.bytesInOutput);
  }
  const largest = [...byPackage].sort((a, b) => b[1] - a[1]).slice(0, 6);
  return { bytes: statSync(bundlePath).size, gzipBytes: gzipSync(code, { level: 9 }).length, largest };
}

function wallMs(args, env) {
  const started = process.hrtime.bigint();
  const run = spawnSync(process.execPath, args, { env: { ...process.env, ...env }, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`node ${args.join(' ')} failed: ${run.stderr}`);
  return { ms: Number(process.hrtime.bigint() - started) / 1e6, stdout: run.stdout };
}

/**
 * Cold module init, as the issue defines it: fresh `node -e "require(bundle)"` processes minus a bare
 * `node -e 0`, medians of `runs`. Also measured inside the process: the require alone, and building the
 * gateway from its environment as the first invocation does (no secrets, no Redis: no network).
 */
export function coldInit(bundlePath, env, runs) {
  const bare = [];
  const loaded = [];
  const inside = [];
  // CPU time (user + system) of the require is measured too: unlike wall time, it hardly grows when
  // other work shares the cores.
  const script = `const c0 = process.cpuUsage();
const t0 = process.hrtime.bigint();
const m = require(${JSON.stringify(bundlePath)});
const t1 = process.hrtime.bigint();
const c1 = process.cpuUsage(c0);
m.createGatewayFromEnvironment(process.env).then(async (g) => {
  const t2 = process.hrtime.bigint();
  await g.close();
  console.log(JSON.stringify({ requireMs: Number(t1 - t0) / 1e6, requireCpuMs: (c1.user + c1.system) / 1000, buildMs: Number(t2 - t1) / 1e6 }));
});`;
  for (let i = 0; i < runs; i++) {
    bare.push(wallMs(['-e', '0'], env).ms);
    loaded.push(wallMs(['-e', `require(${JSON.stringify(bundlePath)})`], env).ms);
    inside.push(JSON.parse(wallMs(['-e', script], env).stdout));
  }
  return {
    runs,
    bareNodeMs: median(bare),
    processWithBundleMs: median(loaded),
    coldInitMs: median(loaded) - median(bare),
    requireMs: median(inside.map((r) => r.requireMs)),
    requireCpuMs: median(inside.map((r) => r.requireCpuMs)),
    firstBuildMs: median(inside.map((r) => r.buildMs)),
  };
}
