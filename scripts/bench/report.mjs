/** The results as a markdown report with the issue's targets, each plainly met or missed. */

export const TARGETS = {
  throughputVsNginx: 0.8,
  /** nginx's share of direct throughput measured on this kind of machine before (issue 3). */
  nginxVsDirectReference: 0.55,
  addedP50Ms: 1,
  bundleBytes: 300 * 1024,
  coldInitMs: 100,
  /** Stateless bridge throughput against the same server's own HTTP transport (issue 10). */
  bridgeVsNative: 0.8,
  /** Issue 9: gateway CPU per request against a bare Node router's, on the buffered 2026 tools/call. */
  cpuVsBareRouter: 1.25,
  /** Issue 9: what relaying a progress event adds over receiving it directly. */
  progressAddedMs: 2,
  /** Issue 9: memory per open idle subscriptions/listen stream, with 2,000 open. */
  subscriptionKiB: 64,
};

const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;
const num = (value, digits = 0) => value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const verdict = (ok) => (ok ? 'met' : '**missed**');

export function evaluate(results) {
  const direct = results.rows.find((r) => r.key === 'direct');
  const nginx = results.rows.find((r) => r.key === 'nginx');
  const memory = results.rows.find((r) => r.key === 'gateway-memory');
  const checks = [];
  for (const gateway of results.rows.filter((r) => r.key.startsWith('gateway'))) {
    if (nginx) {
      const ratio = gateway.load.requestsPerSecond / nginx.load.requestsPerSecond;
      checks.push({ target: `${gateway.label}: throughput ≥ ${TARGETS.throughputVsNginx}× nginx`, measured: `${ratio.toFixed(2)}× nginx`, ok: ratio >= TARGETS.throughputVsNginx });
    } else {
      const bar = TARGETS.throughputVsNginx * TARGETS.nginxVsDirectReference;
      const ratio = gateway.load.requestsPerSecond / direct.load.requestsPerSecond;
      checks.push({ target: `${gateway.label}: throughput ≥ ${bar.toFixed(2)}× direct (0.8 × nginx's 0.55; no nginx on PATH)`, measured: `${ratio.toFixed(2)}× direct`, ok: ratio >= bar });
    }
    const nginxCpu = nginx?.load.cpuUsPerRequest.proxy;
    const gatewayCpu = gateway.load.cpuUsPerRequest.proxy;
    if (nginxCpu !== undefined && gatewayCpu !== undefined) {
      // Throughput a proxy reaches on one core it has to itself is about 1 / (CPU per request).
      const ratio = nginxCpu / gatewayCpu;
      checks.push({
        target: `${gateway.label}: one-core capacity (1 / CPU per request) ≥ ${TARGETS.throughputVsNginx}× nginx's`,
        measured: `${ratio.toFixed(2)}× (${num(gatewayCpu, 1)} vs ${num(nginxCpu, 1)} µs)`,
        ok: ratio >= TARGETS.throughputVsNginx,
      });
    }
    const added = (gateway.latency.p50Us - direct.latency.p50Us) / 1000;
    checks.push({ target: `${gateway.label}: p50 added ≤ ${TARGETS.addedP50Ms} ms (unloaded)`, measured: `${added.toFixed(3)} ms`, ok: added <= TARGETS.addedP50Ms });
  }
  const bare = results.rows.find((r) => r.key === 'bare-router');
  for (const gateway of results.rows.filter((r) => r.key.startsWith('gateway'))) {
    const floor = bare?.load.cpuUsPerRequest.proxy;
    const own = gateway.load.cpuUsPerRequest.proxy;
    const side = results.sideBySide?.[gateway.key];
    const target = `${gateway.label}: CPU per request ≤ ${TARGETS.cpuVsBareRouter}× the bare Node router's`;
    // Judged side by side when measured so (both under the same load); else from the two rows.
    if (side) {
      checks.push({
        target,
        measured: `${side.ratio.toFixed(2)}× (median of ${side.rounds.length} side-by-side rounds: ${side.rounds.map((r) => `${r.ratio.toFixed(2)}×`).join(', ')}; ${num(side.proxyUs, 1)} vs ${num(side.floorUs, 1)} µs)`,
        ok: side.ratio <= TARGETS.cpuVsBareRouter,
      });
      continue;
    }
    if (floor === undefined || own === undefined) continue;
    const ratio = own / floor;
    checks.push({ target, measured: `${ratio.toFixed(2)}× (${num(own, 1)} vs ${num(floor, 1)} µs)`, ok: ratio <= TARGETS.cpuVsBareRouter });
  }
  if (results.streaming) {
    const { progress, idle } = results.streaming;
    checks.push({
      target: `progress events relayed: p50 added ≤ ${TARGETS.progressAddedMs} ms over direct`,
      measured: `${progress.addedMs.toFixed(2)} ms (${progress.through.p50Ms.toFixed(2)} vs ${progress.direct.p50Ms.toFixed(2)} ms)`,
      ok: progress.addedMs <= TARGETS.progressAddedMs,
    });
    checks.push({
      target: `${num(idle.count)} idle subscriptions in one gateway: ≤ ${TARGETS.subscriptionKiB} KiB each, calls still answered`,
      measured: `${idle.perSubscriptionKiB.toFixed(1)} KiB each (RSS ${num(idle.beforeKiB / 1024, 1)} → ${num(idle.afterKiB / 1024, 1)} MiB); a call ${idle.callAnswered ? `answered in ${idle.callMs.toFixed(1)} ms` : 'NOT answered'}`,
      ok: idle.perSubscriptionKiB <= TARGETS.subscriptionKiB && idle.callAnswered,
    });
  }
  const native = results.bridge?.find((r) => r.key === 'everything-http');
  for (const row of (results.bridge ?? []).filter((r) => r.key.startsWith('bridge'))) {
    const ratio = row.load.requestsPerSecond / native.load.requestsPerSecond;
    checks.push({ target: `${row.label}: throughput ≥ ${TARGETS.bridgeVsNative}× the server's own HTTP`, measured: `${ratio.toFixed(2)}×`, ok: ratio >= TARGETS.bridgeVsNative });
  }
  checks.push({ target: `gateway bundle ≤ ${kib(TARGETS.bundleBytes)} minified`, measured: kib(results.bundle.bytes), ok: results.bundle.bytes <= TARGETS.bundleBytes });
  checks.push({
    target: `cold module init ≤ ${TARGETS.coldInitMs} ms (wall: process with the bundle minus bare node)`,
    measured: `${results.cold.coldInitMs.toFixed(1)} ms`,
    ok: results.cold.coldInitMs <= TARGETS.coldInitMs,
  });
  checks.push({
    target: `cold module init ≤ ${TARGETS.coldInitMs} ms (CPU time of the require)`,
    measured: `${results.cold.requireCpuMs.toFixed(1)} ms`,
    ok: results.cold.requireCpuMs <= TARGETS.coldInitMs,
  });
  return { checks, memory };
}

export function markdown(results) {
  const direct = results.rows.find((r) => r.key === 'direct');
  const { checks } = evaluate(results);
  const lines = [];
  const cpu = (value) => (value === undefined ? 'n/a' : num(value, 1));
  lines.push('| path | req/s | ratio to direct | p50 ms (loaded) | p99 ms (loaded) | p50 µs (unloaded) | p99 µs (unloaded) | proxy CPU µs/req | pool CPU µs/req | failed answers |');
  lines.push('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const row of results.rows) {
    const ratio = row.load.requestsPerSecond / direct.load.requestsPerSecond;
    const proxyCpu = row.key === 'direct' ? '–' : cpu(row.load.cpuUsPerRequest.proxy);
    lines.push(
      `| ${row.label} | ${num(row.load.requestsPerSecond)} | ${ratio.toFixed(2)}× | ${row.load.p50Ms} | ${row.load.p99Ms} | ${num(row.latency.p50Us)} | ${num(row.latency.p99Us)} | ${proxyCpu} | ${cpu(row.load.cpuUsPerRequest.pool)} | ${row.load.failures} of ${num(row.load.total)} |`,
    );
  }
  if (results.bridge?.length) {
    const native = results.bridge.find((r) => r.key === 'everything-http');
    lines.push('');
    lines.push('| bridge path | req/s | ratio to native | p50 ms (loaded) | p99 ms (loaded) | p50 µs (unloaded) | p99 µs (unloaded) | bridge CPU µs/req | server CPU µs/req | failed answers |');
    lines.push('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const row of results.bridge) {
      const ratio = row.load.requestsPerSecond / native.load.requestsPerSecond;
      const proxyCpu = row.key === 'everything-http' ? '–' : cpu(row.load.cpuUsPerRequest.proxy);
      lines.push(
        `| ${row.label} | ${num(row.load.requestsPerSecond)} | ${ratio.toFixed(2)}× | ${row.load.p50Ms} | ${row.load.p99Ms} | ${num(row.latency.p50Us)} | ${num(row.latency.p99Us)} | ${proxyCpu} | ${cpu(row.load.cpuUsPerRequest.server)} | ${row.load.failures} of ${num(row.load.total)} |`,
      );
    }
  }
  lines.push('');
  lines.push('| target | measured | |');
  lines.push('| --- | ---: | --- |');
  for (const c of checks) lines.push(`| ${c.target} | ${c.measured} | ${verdict(c.ok)} |`);
  return lines.join('\n');
}

export function benchmarksFile(results, command) {
  const { checks } = evaluate(results);
  const missed = checks.filter((c) => !c.ok);
  const b = results.bundle;
  const c = results.cold;
  const m = results.machine;
  return `# Benchmarks

Measured by \`${command}\` on ${results.date} (one run, loopback only). The script rewrites this file.

## Machine
- ${m.cpus} × ${m.cpuModel}, ${m.memoryGiB} GiB, ${m.os}; Node ${m.node}; ${m.nginx ?? 'no nginx on PATH'}; Redis at ${m.redis}
- load average when the run started: ${m.loadAverage}
- Everything shares these ${m.cpus} cores: the load generator (autocannon, in the script's process), the pool, the
  gateway, nginx and Redis. Figures are for comparing paths within one run, not absolute capacity.

## Workload
- 2026-07-28 \`tools/call\` of one tool (\`Mcp-Method\`/\`Mcp-Name\` headers, \`_meta\` envelope), POSTed to
  \`/mcp\`; every answer must be a JSON-RPC result.
- Pool: \`scripts/bench/canned-pool.mjs\`, raw \`node:http\` answering a fixed result that echoes the id.
- Loaded: autocannon, ${results.settings.connections} connections, ${results.settings.warmupSeconds} s warm-up + ${results.settings.seconds} s measured per path.
- Unloaded: one connection, one request at a time, ${results.settings.samples} samples after ${results.settings.warmup} warm-up; the
  gateway's added latency is its unloaded p50 minus the direct unloaded p50.
- Gateway: the built CLI, \`node bin/mcp-fleet.js gateway\`, with a one-pool spec (pattern \`bench_*\`) and a
  per-agent \`tools/call\` token bucket (1,000,000/s, never limiting), so each call also takes a token
  from the store: in memory, or a Redis Lua script with \`--redis\`.
- nginx (reference): one worker, \`proxy_pass\` with upstream keep-alive, no access log.
- Bare Node router (the floor, \`scripts/bench/bare-router.mjs\`): \`node:http\` server, keep-alive \`node:http\`
  client, read the body, \`JSON.parse\`, relay; nothing else. The gateway's CPU per request is compared with it
  side by side: the bare router and one gateway loaded at the same time (${Math.max(1, Math.floor(results.settings.connections / 2))} connections each, 1 s warm-up +
  ${results.settings.sideBySideSeconds ?? 3} s measured) in ${results.settings.sideBySideRounds ?? 5} rounds; the target is judged on the median of the rounds' ratios (the rows
  below are measured one after the other, and other work on a shared machine moves their CPU per request apart).
- Streaming (\`scripts/bench/streaming.mjs\`, a raw 2026-07-28 pool in the script's process): a tool that
  sends 20 progress events 20 ms apart, each stamped with its send time, called 10 times directly and
  through the gateway (the memory store); then 2,000 \`subscriptions/listen\` streams opened through one
  gateway process and left idle, its RSS read before and after, and one \`tools/call\` sent while they are open.
- Bridge: \`@modelcontextprotocol/server-everything\`'s \`echo\` tool, once over its own Streamable HTTP
  transport (\`streamableHttp\` mode, bound to 127.0.0.1 by \`scripts/bench/loopback-only.cjs\`; it has sessions
  only, so the calls run in one 2025-11-25 session) and once over stdio behind \`node bin/mcp-fleet.js bridge
  --children 1\`: in a 2025 session (the same one-process path) and stateless 2026-07-28 (the bridge's pool
  of one process). The native transport answers each call as an SSE stream; the bridge answers JSON
  unless the server sends something before its answer.
- CPU per request: user + system CPU time of the proxy process (the gateway, or nginx's worker) and of the
  pool over the measured window, divided by the requests answered in it (/proc, 10 ms ticks). It barely
  depends on how busy the machine is, unlike req/s. Redis's own CPU is not counted.

## Results
${markdown(results)}

## Gateway bundle
- \`dist/gateway-lambda/index.js\`: ${kib(b.bytes)} minified (${kib(b.gzipBytes)} gzip). Largest parts: ${b.largest.map(([name, bytes]) => `${name} ${kib(bytes)}`).join(', ')}.
- Cold module init: ${c.coldInitMs.toFixed(1)} ms (median of ${c.runs} fresh \`node -e "require(bundle)"\`, ${c.processWithBundleMs.toFixed(1)} ms, minus bare
  \`node -e 0\`, ${c.bareNodeMs.toFixed(1)} ms). Inside the process: require ${c.requireMs.toFixed(1)} ms wall (${c.requireCpuMs.toFixed(1)} ms CPU); then building the gateway
  from its environment on the first invocation (no secrets, so the AWS SDK is not loaded) ${c.firstBuildMs.toFixed(1)} ms.

## Targets missed
${missed.length === 0 ? 'None in this run.' : missed.map((x) => `- ${x.target}: ${x.measured}.`).join('\n')}
`;
}
