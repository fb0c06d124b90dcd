/**
 * Client-visible names of tools and prompts across pools. Names pass through unchanged; only a name
 * that two pools both expose is prefixed, and it is always the later claimant that gets the prefix:
 * first the pool whose spec patterns own the name, then pools in spec order. Adding a pool therefore
 * never renames a tool clients already use (the newcomer's colliding tools are the prefixed ones).
 */
import type { ResolvedFleetSpec } from '../../spec/defaults';
import { ownerOfTool } from '../../spec/ownership';

export interface NamedItem {
  readonly pool: string;
  /** The name the pool declares. */
  readonly original: string;
  /** The name clients see. */
  readonly exposed: string;
}

/**
 * Assigns exposed names. `byPool` lists each pool's declared names, in spec order of pools;
 * `usePatterns` lets spec ownership claim names first (tools; prompts have no patterns).
 */
export function assignNames(spec: ResolvedFleetSpec, byPool: ReadonlyArray<{ readonly pool: string; readonly names: readonly string[] }>, usePatterns: boolean): NamedItem[] {
  const prefix = spec.gateway.collisionPrefix;
  const taken = new Set<string>();
  const exposedOf = new Map<string, string>(); // `${pool}\0${name}` → exposed
  if (usePatterns) {
    for (const { pool, names } of byPool) {
      for (const name of names) {
        if (!taken.has(name) && ownerOfTool(spec, name)?.name === pool) {
          taken.add(name);
          exposedOf.set(`${pool}\0${name}`, name);
        }
      }
    }
  }
  for (const { pool, names } of byPool) {
    for (const name of names) {
      const key = `${pool}\0${name}`;
      if (exposedOf.has(key)) continue;
      let exposed = taken.has(name) ? prefix.replace(/\{pool\}/g, pool) + name : name;
      // A prefixed name may itself be taken (a pool could declare `github__x`): keep prefixing.
      while (taken.has(exposed)) exposed = prefix.replace(/\{pool\}/g, pool) + exposed;
      taken.add(exposed);
      exposedOf.set(key, exposed);
    }
  }
  const out: NamedItem[] = [];
  for (const { pool, names } of byPool) {
    for (const name of names) out.push({ pool, original: name, exposed: exposedOf.get(`${pool}\0${name}`)! });
  }
  return out;
}
