/**
 * The workload: 2026-07-28 `tools/call` requests (headers and `_meta` envelope as the SDK v2 client
 * sends them). `saturate` measures throughput under load with autocannon; `probeLatency` measures
 * unloaded latency one request at a time with microsecond resolution (autocannon's histogram counts
 * whole milliseconds, too coarse for a 1 ms budget).
 */
import autocannon from 'autocannon';
import { Client } from 'undici';
import { cpuMs } from './cpu.mjs';

export const TOOL = 'bench_echo';
export const CALL_HEADERS = {
  'content-type': 'application/json',
  accept: 'application/json, text/event-stream',
  'mcp-protocol-version': '2026-07-28',
  'mcp-method': 'tools/call',
  'mcp-name': TOOL,
};

/** A tools/call body; `id` is a number, or autocannon's `[<id>]` placeholder. */
export function callBody(id) {
  return JSON.stringify({
    jsonrpc: '2.0',
    id,
    method: 'tools/call',
    params: {
      name: TOOL,
      arguments: { text: 'hello' },
      _meta: {
        'io.modelcontextprotocol/protocolVersion': '2026-07-28',
        'io.modelcontextprotocol/clientInfo': { name: 'mcp-fleet-bench', version: '1.0.0' },
        'io.modelcontextprotocol/clientCapabilities': {},
      },
    },
  });
}

/**
 * What one request is: headers and a body builder (`id` a number or autocannon's placeholder).
 * The default is the 2026-07-28 call of the canned pool's tool.
 */
export const CANNED_WORKLOAD = { headers: CALL_HEADERS, body: callBody };

function run(url, connections, seconds, workload) {
  return autocannon({
    url,
    method: 'POST',
    headers: workload.headers,
    body: workload.body('[<id>]'),
    idReplacement: true,
    connections,
    duration: seconds,
    verifyBody: (body) => body.includes('"result"'),
  });
}

/**
 * Throughput and loaded latency after a warm-up; every answer must be a JSON-RPC result.
 * @param cpuOf processes whose CPU milliseconds to count over the measured window (name → pid).
 */
export async function saturate(url, { connections, seconds, warmupSeconds }, cpuOf = {}, workload = CANNED_WORKLOAD) {
  await run(url, connections, warmupSeconds, workload);
  const before = Object.fromEntries(Object.entries(cpuOf).map(([name, pid]) => [name, cpuMs(pid)]));
  const result = await run(url, connections, seconds, workload);
  const cpuUsPerRequest = Object.fromEntries(
    Object.entries(cpuOf).map(([name, pid]) => {
      const after = cpuMs(pid);
      return [name, after === undefined || before[name] === undefined ? undefined : ((after - before[name]) * 1000) / result.requests.total];
    }),
  );
  return {
    cpuUsPerRequest,
    requestsPerSecond: result.requests.average,
    total: result.requests.total,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    failures: result.errors + result.timeouts + result.non2xx + (result.mismatches ?? 0),
  };
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** One connection, one request at a time; checks that each answer (JSON or SSE) carries its own id. */
export async function probeLatency(url, { warmup, samples }, workload = CANNED_WORKLOAD) {
  const target = new URL(url);
  const client = new Client(target.origin, { pipelining: 1 });
  const times = new Float64Array(samples);
  try {
    for (let i = 0; i < warmup + samples; i++) {
      const started = process.hrtime.bigint();
      const { statusCode, body } = await client.request({ path: target.pathname, method: 'POST', headers: workload.headers, body: workload.body(i) });
      const text = await body.text();
      const micros = Number(process.hrtime.bigint() - started) / 1000;
      if (statusCode !== 200 || !new RegExp(`"id":${i}[,}]`).test(text) || !text.includes('"result"')) {
        throw new Error(`request ${i} to ${url} got ${statusCode}: ${text.slice(0, 300)}`);
      }
      if (i >= warmup) times[i - warmup] = micros;
    }
  } finally {
    await client.close();
  }
  times.sort();
  return { p50Us: percentile(times, 50), p99Us: percentile(times, 99) };
}
