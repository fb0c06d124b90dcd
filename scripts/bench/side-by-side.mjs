/**
 * CPU per request of a proxy against the bare Node router's, measured side by side: both are loaded at
 * the same time (each with half the connections) for several rounds, so both pay for whatever else
 * runs on the machine in that moment. The paths' own rows are measured one after the other, and on a
 * shared machine their CPU per request can drift by more than the difference being looked for.
 */
import { saturate } from './load.mjs';

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/**
 * @param floor `{ url, pid }` of the bare router; `proxy` the same of the path compared with it.
 * @returns per-round CPU µs per request of each and their ratio, and the medians.
 */
export async function cpuSideBySide(floor, proxy, { rounds, seconds, connections }) {
  const load = { connections: Math.max(1, Math.floor(connections / 2)), seconds, warmupSeconds: 1 };
  const perRound = [];
  for (let i = 0; i < rounds; i++) {
    const [f, p] = await Promise.all([saturate(floor.url, load, { proxy: floor.pid }), saturate(proxy.url, load, { proxy: proxy.pid })]);
    const failures = f.failures + p.failures;
    if (failures > 0) throw new Error(`side-by-side CPU round ${i + 1}: ${failures} failed answers`);
    const floorUs = f.cpuUsPerRequest.proxy;
    const proxyUs = p.cpuUsPerRequest.proxy;
    if (floorUs === undefined || proxyUs === undefined) return undefined; // no /proc here
    perRound.push({ floorUs, proxyUs, ratio: proxyUs / floorUs });
  }
  return {
    rounds: perRound,
    seconds,
    connectionsEach: load.connections,
    ratio: median(perRound.map((r) => r.ratio)),
    floorUs: median(perRound.map((r) => r.floorUs)),
    proxyUs: median(perRound.map((r) => r.proxyUs)),
  };
}
