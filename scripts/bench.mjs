#!/usr/bin/env node
/**
 * `npm run bench`: one run on loopback, about a minute and a half. The same 2026-07-28 tools/call
 * workload goes direct to a canned pool, through nginx (when on PATH), and through the gateway with
 * the memory and the Redis session store, and through a bare Node router (the floor); then progress
 * events relayed live and 2,000 idle subscriptions/listen streams; then `mcp-fleet bridge` against server-everything's own
 * Streamable HTTP transport; then the gateway bundle's size and cold init are measured.
 * Prints a markdown table and rewrites BENCHMARKS.md (keeping its "Notes" section).
 *
 * Environment: REDIS_URL (default redis://127.0.0.1:6379), BENCH_SECONDS (measured seconds per path,
 * default 8), BENCH_CONNECTIONS (default 32), BENCH_SIDE_BY_SIDE_ROUNDS (rounds of the gateway's CPU
 * per request measured at the same time as the bare router's, default 5).
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, tmpdir, totalmem, type } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { benchBridge } from './bench/bridge.mjs';
import { bundleSize, coldInit } from './bench/bundle.mjs';
import { probeLatency, saturate } from './bench/load.mjs';
import { findNginx, nginxVersion, startNginx } from './bench/nginx.mjs';
import { spawnTracked, stopAll } from './bench/processes.mjs';
import { cpuSideBySide } from './bench/side-by-side.mjs';
import { benchStreaming } from './bench/streaming.mjs';
import { benchmarksFile, markdown } from './bench/report.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const settings = {
  seconds: Number(process.env.BENCH_SECONDS ?? 8),
  warmupSeconds: 2,
  connections: Number(process.env.BENCH_CONNECTIONS ?? 32),
  warmup: 300,
  samples: 3000,
  /** Rounds of the side-by-side CPU comparison with the bare router, and measured seconds of each. */
  sideBySideRounds: Number(process.env.BENCH_SIDE_BY_SIDE_ROUNDS ?? 5),
  sideBySideSeconds: 3,
};
const COMMAND = 'npm run build && npm run bench';
const NOTES_HEADING = '## Notes (kept across runs)';
const BUNDLE = join(root, 'dist/gateway-lambda/index.js');
const CLI = join(root, 'bin/mcp-fleet.js');

/** The spec every gateway run serves: one canned pool, and a token bucket that never limits. */
function benchSpec() {
  return {
    name: 'bench',
    pools: [{ name: 'canned', image: 'local', tools: ['bench_*'] }],
    rateLimits: { perAgent: { toolCalls: { perSecond: 1_000_000 } } },
  };
}

function log(message) {
  process.stderr.write(`bench: ${message}\n`);
}

/**
 * @param cpuOf name → pid of the processes on the path (the proxy and the pool).
 * @param workload the request (default: the canned pool's 2026-07-28 call).
 */
async function measure(key, label, url, cpuOf, workload) {
  log(`${label}: ${settings.warmupSeconds + settings.seconds} s under load at ${url}`);
  const load = await saturate(url, settings, cpuOf, workload);
  const latency = await probeLatency(url, settings, workload);
  return { key, label, url, load, latency };
}

async function startGateway(specFile, poolUrl, extra) {
  const gateway = spawnTracked('gateway', process.execPath, [CLI, 'gateway', '--port', '0', '--config', specFile, '--pool', `canned=${poolUrl}`, ...extra]);
  const url = await gateway.waitFor(/ at (http:\/\/\S+\/mcp) /);
  return { url, pid: gateway.child.pid, stop: gateway.stop };
}

async function deleteKeys(pattern) {
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

async function main() {
  for (const file of [BUNDLE, join(root, 'dist/cli/mcp-fleet.js')]) {
    if (!existsSync(file)) throw new Error(`${file} is missing: run \`npm run build\` first`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'mcp-fleet-bench-'));
  const specFile = join(dir, 'fleet.json');
  writeFileSync(specFile, JSON.stringify(benchSpec()));
  const region = `bench-${randomBytes(4).toString('hex')}`;
  const nginx = findNginx();
  const machine = {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown CPU',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    os: `${type()} ${release()}`,
    node: process.versions.node,
    nginx: nginx ? nginxVersion(nginx) : undefined,
    redis: REDIS_URL,
    loadAverage: loadavg()
      .map((l) => l.toFixed(2))
      .join(', '),
  };
  const rows = [];
  /** Gateway row key → its CPU per request side by side with the bare router's. */
  const sideBySide = {};
  const sideBySideLoad = { rounds: settings.sideBySideRounds, seconds: settings.sideBySideSeconds, connections: settings.connections };
  const bridgeRows = [];
  let streaming;
  try {
    const pool = spawnTracked('canned pool', process.execPath, [join(root, 'scripts/bench/canned-pool.mjs')]);
    const poolUrl = await pool.waitFor(/listening (\S+)/);
    const poolPid = pool.child.pid;
    rows.push(await measure('direct', 'direct to the pool', poolUrl, { pool: poolPid }));

    if (nginx) {
      const proxy = await startNginx(nginx, poolUrl, join(dir, 'nginx'));
      rows.push(await measure('nginx', 'nginx proxy_pass (reference)', proxy.url, { proxy: proxy.pid, pool: poolPid }));
      await proxy.stop();
    } else {
      log('nginx is not on PATH: no reference proxy run');
    }

    const bare = spawnTracked('bare router', process.execPath, [join(root, 'scripts/bench/bare-router.mjs')], { POOL_URL: poolUrl });
    const bareUrl = await bare.waitFor(/listening (\S+)/);
    rows.push(await measure('bare-router', 'bare Node router (floor)', bareUrl, { proxy: bare.child.pid, pool: poolPid }));
    const floor = { url: bareUrl, pid: bare.child.pid };

    const memory = await startGateway(specFile, poolUrl, []);
    rows.push(await measure('gateway-memory', 'gateway, memory store', memory.url, { proxy: memory.pid, pool: poolPid }));
    log(`gateway, memory store and the bare router side by side: ${settings.sideBySideRounds} rounds`);
    sideBySide['gateway-memory'] = await cpuSideBySide(floor, memory, sideBySideLoad);
    await memory.stop();

    const redis = await startGateway(specFile, poolUrl, ['--redis', REDIS_URL, '--region', region]);
    rows.push(await measure('gateway-redis', 'gateway, Redis store', redis.url, { proxy: redis.pid, pool: poolPid }));
    log(`gateway, Redis store and the bare router side by side: ${settings.sideBySideRounds} rounds`);
    sideBySide['gateway-redis'] = await cpuSideBySide(floor, redis, sideBySideLoad);
    await redis.stop();
    await bare.stop();
    await pool.stop();

    const streamSpec = join(dir, 'stream.json');
    writeFileSync(streamSpec, JSON.stringify({ name: 'bench', pools: [{ name: 'stream', image: 'local', tools: ['bench_*'] }] }));
    streaming = await benchStreaming(async (streamPoolUrl) => {
      const gateway = spawnTracked('gateway', process.execPath, [CLI, 'gateway', '--port', '0', '--config', streamSpec, '--pool', `stream=${streamPoolUrl}`]);
      const url = await gateway.waitFor(/ at (http:\/\/\S+\/mcp) /);
      return { url, pid: gateway.child.pid, stop: gateway.stop };
    }, log);

    bridgeRows.push(...(await benchBridge(root, CLI, measure)));
  } finally {
    await stopAll();
    await deleteKeys(`mcp-fleet:bench:${region}:*`).catch((error) => log(`could not clean up Redis keys: ${error.message}`));
    rmSync(dir, { recursive: true, force: true });
  }

  log('gateway bundle: size and cold init');
  const bundle = bundleSize(BUNDLE, join(root, 'dist/meta/gateway-lambda.json'));
  const cold = coldInit(BUNDLE, { MCP_FLEET_SPEC: JSON.stringify(benchSpec()), MCP_FLEET_POOL_URLS: JSON.stringify({ canned: 'http://127.0.0.1:9/mcp' }) }, 9);

  const results = { date: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC', machine, settings, rows, sideBySide, bridge: bridgeRows, streaming, bundle, cold };
  process.stdout.write(`${markdown(results)}\n`);
  const target = join(root, 'BENCHMARKS.md');
  const previous = existsSync(target) ? readFileSync(target, 'utf8') : '';
  const notes = previous.includes(NOTES_HEADING) ? previous.slice(previous.indexOf(NOTES_HEADING)) : `${NOTES_HEADING}\n`;
  writeFileSync(target, `${benchmarksFile(results, COMMAND)}\n${notes}`);
  log(`wrote ${target}`);
}

main().catch(async (error) => {
  await stopAll();
  process.stderr.write(`bench: ${error.stack ?? error}\n`);
  process.exit(1);
});
