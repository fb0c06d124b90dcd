/**
 * Pool name → endpoint, checked against the spec: every pool needs a valid URL, no extra names —
 * except queue pools when `queued` (the gateway sends their jobs to their queues; on AWS nothing
 * listens for it).
 */
import type { ResolvedFleetSpec } from '../spec/defaults';
import type { PoolTarget } from './backend/pool-caller';

export function poolTargets(spec: ResolvedFleetSpec, urls: Readonly<Record<string, string>>, queued = false): Map<string, PoolTarget> {
  const problems: string[] = [];
  const targets = new Map<string, PoolTarget>();
  for (const pool of spec.pools) {
    const raw = urls[pool.name];
    if (raw === undefined && queued && pool.kind === 'queue') {
      targets.set(pool.name, { pool });
      continue;
    }
    if (raw === undefined) {
      problems.push(`poolUrls.${pool.name}: missing (pool "${pool.name}" of the spec has no URL)`);
      continue;
    }
    try {
      const url = new URL(raw);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`protocol ${url.protocol} is not http: or https:`);
      targets.set(pool.name, { pool, url });
    } catch (e) {
      problems.push(`poolUrls.${pool.name}: "${raw}" is not a valid http(s) URL (${(e as Error).message})`);
    }
  }
  for (const name of Object.keys(urls)) if (!spec.pools.some((p) => p.name === name)) problems.push(`poolUrls.${name}: no pool of that name in the spec`);
  if (problems.length > 0) throw new Error(`Invalid gateway pool URLs:\n  ${problems.join('\n  ')}`);
  return targets;
}
