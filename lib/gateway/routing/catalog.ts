/**
 * What each pool offers (tools, prompts, resources, resource templates, capabilities), discovered
 * through the pools' own list methods, cached for `gateway.discoveryTtlSeconds`, and merged into one
 * deterministic catalog: pools in spec order, each pool's items in the pool's order.
 *
 * A pool that cannot be listed (down, slow, circuit open) is left out of the merged lists with a log
 * line; its last known names stay reserved so that its absence never renames another pool's tools.
 */
import type { ResolvedFleetSpec } from '../../spec/defaults';
import type { PublishedTools } from '../../worker/job-store';
import { matchesAnyPattern } from '../../spec/patterns';
import type { PoolCaller, PoolTarget } from '../backend/pool-caller';
import { resultIn } from '../backend/response';
import type { JsonRpcRequest } from '../protocol/jsonrpc';
import { isRecord } from '../protocol/jsonrpc';
import { MODERN_VERSION, isModernVersion } from '../protocol/versions';
import { assignNames, type NamedItem } from './naming';

export type ListKind = 'tools' | 'prompts' | 'resources' | 'resourceTemplates';

/** The list method and the field naming each item, per kind. */
export const LIST_KINDS: Readonly<Record<ListKind, { readonly method: string; readonly key: string }>> = {
  tools: { method: 'tools/list', key: 'name' },
  prompts: { method: 'prompts/list', key: 'name' },
  resources: { method: 'resources/list', key: 'uri' },
  resourceTemplates: { method: 'resources/templates/list', key: 'uriTemplate' },
};

/** Server features whose requests the gateway routes or relays, so it may advertise them. */
const RELAYED_FEATURES = ['tools', 'prompts', 'resources', 'completions', 'logging'] as const;
const RELAYED_FLAGS = ['subscribe', 'listChanged'] as const;

/** Longest wait for pools' capabilities during a client handshake. */
const CAPABILITIES_WAIT_MS = 2000;

/** Pages followed per pool and list before the gateway stops (a pool looping on cursors). */
const MAX_PAGES = 100;

type Item = Record<string, unknown>;

interface Listing {
  items: Item[];
  fetchedAt: number;
  /** Whether the last fetch succeeded (a failed pool is left out of lists but keeps its names). */
  ok: boolean;
  /** The pool's 2026 cache hints for this list (`ttlMs`, `cacheScope`), when it gave any. */
  hints?: { readonly ttlMs?: number; readonly cacheScope?: string };
}

/** The cache hints of a merged list (2026-07-28 `ttlMs` and `cacheScope`). */
export interface CacheHints {
  readonly ttlMs: number;
  readonly cacheScope: 'public' | 'private';
}

export interface CatalogLog {
  (level: 'warn' | 'info', message: string, fields: Record<string, unknown>): void;
}

export interface CatalogOptions {
  readonly spec: ResolvedFleetSpec;
  /** Owning pools (priority pools are not listed), in spec order. */
  readonly targets: readonly PoolTarget[];
  readonly caller: PoolCaller;
  readonly log: CatalogLog;
  readonly now?: () => number;
  /**
   * A queue pool's tools as its workers published them (the job store): the pool is listed from
   * there, so its tools are listed while no worker runs; its server is asked directly only when
   * nothing is published and the gateway has its URL (locally).
   * @default - queue pools are listed from their servers like other pools
   */
  readonly publishedTools?: (pool: string) => Promise<PublishedTools | undefined>;
}

export interface NamedEntry {
  readonly target: PoolTarget;
  readonly original: string;
}

export class Catalog {
  private readonly listings = new Map<string, Listing>();
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly capabilities = new Map<string, Record<string, unknown>>();
  private readonly names = new Map<ListKind, { stamp: number; byExposed: Map<string, NamedEntry>; byPool: Map<string, NamedItem[]> }>();
  private stamp = 0;
  private readonly now: () => number;

  constructor(private readonly options: CatalogOptions) {
    this.now = options.now ?? Date.now;
  }

  /**
   * The merged list of `kind`, refreshing stale pool listings first; items carry exposed names.
   * @param keep which items the caller may see (given the pool, the item as listed and as declared).
   */
  async list(kind: ListKind, requestId: string, keep?: (pool: string, item: Item, declared: Item) => boolean): Promise<Item[]> {
    await this.refresh(kind, requestId);
    const { byPool } = this.naming(kind);
    const { key } = LIST_KINDS[kind];
    const out: Item[] = [];
    for (const target of this.options.targets) {
      const listing = this.listings.get(listingKey(target.pool.name, kind));
      if (!listing?.ok) continue;
      const named = byPool.get(target.pool.name) ?? [];
      listing.items.forEach((item, i) => {
        const exposed = named[i]?.exposed;
        const shown = exposed !== undefined && exposed !== item[key] ? { ...item, [key]: exposed } : item;
        if (!keep || keep(target.pool.name, shown, item)) out.push(shown);
      });
    }
    return out;
  }

  /**
   * How long a client may cache the merged list of `kind`, and for whom: the shortest non-zero TTL
   * any pool gave (0 when none did), and `public` only when every listed pool said `public`.
   */
  cacheHints(kind: ListKind): CacheHints {
    let ttlMs = 0;
    let everyPublic = true;
    for (const target of this.options.targets) {
      const listing = this.listings.get(listingKey(target.pool.name, kind));
      if (!listing?.ok) continue;
      const hints = listing.hints ?? {};
      if (typeof hints.ttlMs === 'number' && hints.ttlMs > 0 && (ttlMs === 0 || hints.ttlMs < ttlMs)) ttlMs = hints.ttlMs;
      if (hints.cacheScope !== 'public') everyPublic = false;
    }
    return { ttlMs, cacheScope: everyPublic ? 'public' : 'private' };
  }

  /** The pool and declared name behind an exposed tool or prompt name, from what is known now. */
  lookup(kind: ListKind, exposed: string): NamedEntry | undefined {
    return this.naming(kind).byExposed.get(exposed);
  }

  /** What a pool declared for one of its items (e.g. a tool's `inputSchema`), after refreshing stale listings. */
  async declaration(kind: ListKind, pool: string, original: string, requestId: string): Promise<Item | undefined> {
    await this.refresh(kind, requestId);
    const { key } = LIST_KINDS[kind];
    return this.listings.get(listingKey(pool, kind))?.items.find((item) => item[key] === original);
  }

  /** Like `lookup`, after refreshing stale listings. */
  async resolve(kind: ListKind, exposed: string, requestId: string): Promise<NamedEntry | undefined> {
    await this.refresh(kind, requestId);
    return this.lookup(kind, exposed);
  }

  /** The pool serving a resource URI: a listed resource, else the longest matching template prefix. */
  async resourceOwner(uri: string, requestId: string): Promise<PoolTarget | undefined> {
    const direct = await this.resolve('resources', uri, requestId);
    if (direct) return direct.target;
    await this.refresh('resourceTemplates', requestId);
    let best: { target: PoolTarget; length: number } | undefined;
    for (const target of this.options.targets) {
      for (const item of this.listings.get(listingKey(target.pool.name, 'resourceTemplates'))?.items ?? []) {
        const template = String(item.uriTemplate ?? '');
        const fixed = template.split('{')[0]!;
        if (fixed.length > 0 && uri.startsWith(fixed) && (!best || fixed.length > best.length)) best = { target, length: fixed.length };
      }
    }
    return best?.target;
  }

  /**
   * The union of the reachable pools' capabilities (what `initialize` and `server/discover` advertise).
   * Waits at most `CAPABILITIES_WAIT_MS` for pools not yet described: a hanging pool must not hold up
   * every client's handshake; its description lands in the cache when it comes.
   */
  async serverCapabilities(requestId: string): Promise<Record<string, unknown>> {
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise<void>((resolve) => (timer = setTimeout(resolve, Math.min(CAPABILITIES_WAIT_MS, this.options.spec.gateway.backendTimeoutMs))));
    await Promise.race([Promise.all(this.options.targets.map((t) => this.describe(t, requestId))), waited]);
    clearTimeout(timer);
    const merged: Record<string, Record<string, unknown>> = {};
    for (const caps of this.capabilities.values()) {
      for (const feature of RELAYED_FEATURES) {
        const offered = caps[feature];
        if (!isRecord(offered)) continue;
        const into = (merged[feature] ??= {});
        // Flags the gateway relays (resources.subscribe, listChanged) hold if any pool offers them.
        for (const flag of RELAYED_FLAGS) if (offered[flag] === true) into[flag] = true;
      }
    }
    if (Object.keys(merged).length === 0) merged.tools = {};
    return merged;
  }

  /** The pools that announced `feature` (e.g. `logging`; with `flag`, e.g. resources `subscribe: true`), once their capabilities are known. */
  async poolsWith(feature: string, requestId: string, flag?: string): Promise<PoolTarget[]> {
    await this.serverCapabilities(requestId);
    return this.options.targets.filter((t) => {
      const offered = this.capabilities.get(t.pool.name)?.[feature];
      // Flags are `true` (resources.subscribe) or an object (2025-11-25 tasks.list).
      return isRecord(offered) && (flag === undefined || offered[flag] === true || isRecord(offered[flag]));
    });
  }

  /** The capabilities a pool announced, once known (`serverCapabilities` asks for them). */
  capabilitiesOf(pool: string): Readonly<Record<string, unknown>> | undefined {
    return this.capabilities.get(pool);
  }

  /** Forgets what is cached for a pool (e.g. after it announced a list change). */
  invalidate(pool: string): void {
    for (const kind of Object.keys(LIST_KINDS) as ListKind[]) {
      const listing = this.listings.get(listingKey(pool, kind));
      if (listing) listing.fetchedAt = 0;
    }
  }

  private ttlMs(): number {
    return this.options.spec.gateway.discoveryTtlSeconds * 1000;
  }

  private async refresh(kind: ListKind, requestId: string): Promise<void> {
    const now = this.now();
    const stale = this.options.targets.filter((t) => {
      const listing = this.listings.get(listingKey(t.pool.name, kind));
      return !listing || now - listing.fetchedAt >= this.ttlMs();
    });
    if (stale.length > 0) await Promise.all(stale.map((t) => this.fetch(t, kind, requestId)));
  }

  private fetch(target: PoolTarget, kind: ListKind, requestId: string): Promise<void> {
    const key = listingKey(target.pool.name, kind);
    let pending = this.inFlight.get(key);
    if (!pending) {
      pending = this.fetchNow(target, kind, requestId).finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, pending);
    }
    return pending;
  }

  private async fetchNow(target: PoolTarget, kind: ListKind, requestId: string): Promise<void> {
    const key = listingKey(target.pool.name, kind);
    const previous = this.listings.get(key);
    const pool = target.pool.name;
    try {
      const published = await this.fromWorkers(target, kind);
      if (published) return this.store(key, published);
      const items: Item[] = [];
      let hints: Listing['hints'];
      let cursor: string | undefined;
      for (let page = 0; page < MAX_PAGES; page++) {
        const request: JsonRpcRequest = {
          jsonrpc: '2.0',
          id: `mcp-fleet-${kind}-${page}`, // distinct per list: lists of one pool may run at once on one backend session
          method: LIST_KINDS[kind].method,
          ...(cursor !== undefined ? { params: { cursor } } : {}),
        };
        const reply = await this.options.caller.send(target, request, { owner: { kind: 'gateway' }, idempotent: true, requestId });
        const result = resultIn(reply, request.id, pool);
        if (page === 0) hints = { ...(typeof result.ttlMs === 'number' ? { ttlMs: result.ttlMs } : {}), ...(typeof result.cacheScope === 'string' ? { cacheScope: result.cacheScope } : {}) };
        const found = result[kind];
        if (Array.isArray(found)) items.push(...found.filter(isRecord));
        cursor = typeof result.nextCursor === 'string' && result.nextCursor !== '' ? result.nextCursor : undefined;
        if (cursor === undefined) break;
      }
      this.store(key, { items: kind === 'tools' ? this.declaredOnly(target, items) : items, fetchedAt: this.now(), ok: true, ...(hints ? { hints } : {}) });
    } catch (error) {
      // A pool without this feature answers method-not-found: an empty list, not an outage.
      if ((error as { code?: number }).code === -32601) {
        this.store(key, { items: [], fetchedAt: this.now(), ok: true });
        return;
      }
      this.options.log('warn', 'pool left out of list', { pool, list: LIST_KINDS[kind].method, error: (error as Error).message });
      this.store(key, { items: previous?.items ?? [], fetchedAt: this.now(), ok: false });
    }
  }

  /**
   * A queue pool's listing from what its workers published: its tools; no other items unless its
   * server can be asked. Undefined: ask the server.
   * @throws Error when nothing is published and the server cannot be asked.
   */
  private async fromWorkers(target: PoolTarget, kind: ListKind): Promise<Listing | undefined> {
    const { publishedTools } = this.options;
    if (target.pool.kind !== 'queue' || !publishedTools) return undefined;
    if (kind !== 'tools') return target.url ? undefined : { items: [], fetchedAt: this.now(), ok: true };
    const published = await publishedTools(target.pool.name);
    if (published) return { items: this.declaredOnly(target, published.tools.filter(isRecord)), fetchedAt: this.now(), ok: true };
    if (target.url) return undefined;
    throw new Error(`no worker of queue pool "${target.pool.name}" has published its tools yet (a worker publishes them when it starts)`);
  }

  /**
   * The tools a pool may serve under `gateway.allowUndeclaredTools`: those its spec patterns cover
   * (all, for a discovery-only pool or when allowed). The rest never enter the catalog, so they are
   * neither listed nor routed; each listing that drops some says so in the log.
   */
  private declaredOnly(target: PoolTarget, items: Item[]): Item[] {
    const { pool } = target;
    if (pool.discoveryOnly || this.options.spec.gateway.allowUndeclaredTools) return items;
    const kept = items.filter((item) => typeof item.name === 'string' && matchesAnyPattern(item.name, pool.tools));
    if (kept.length < items.length) {
      const dropped = items.filter((item) => !kept.includes(item)).map((item) => String(item.name));
      this.options.log('warn', 'pool lists tools outside its patterns; not served (gateway.allowUndeclaredTools is off)', { pool: pool.name, patterns: pool.tools, tools: dropped });
    }
    return kept;
  }

  /** Learns a pool's capabilities: `server/discover` for 2026 pools, `initialize` for 2025 ones. */
  private async describe(target: PoolTarget, requestId: string): Promise<void> {
    const pool = target.pool.name;
    const key = listingKey(pool, 'capabilities');
    const known = this.listings.get(key);
    if (known && this.now() - known.fetchedAt < this.ttlMs()) return;
    if (!target.url) {
      // A queue pool the gateway cannot reach: tools are all it offers (through its queue).
      this.capabilities.set(pool, { tools: {} });
      this.listings.set(key, { items: [], fetchedAt: this.now(), ok: true });
      return;
    }
    let pending = this.inFlight.get(key);
    if (!pending) {
      pending = (async () => {
        try {
          const modern = isModernVersion(target.pool.protocolVersion);
          const request: JsonRpcRequest = modern
            ? { jsonrpc: '2.0', id: 'mcp-fleet-discover', method: 'server/discover' }
            : {
                jsonrpc: '2.0',
                id: 'mcp-fleet-describe',
                method: 'initialize',
                params: { protocolVersion: target.pool.protocolVersion, capabilities: {}, clientInfo: { name: 'mcp-fleet-gateway', version: MODERN_VERSION } },
              };
          const caps = await this.options.caller.describe(target, request, requestId);
          this.capabilities.set(pool, caps);
          this.listings.set(key, { items: [], fetchedAt: this.now(), ok: true });
        } catch (error) {
          this.options.log('warn', 'pool capabilities unknown', { pool, error: (error as Error).message });
          this.listings.set(key, { items: [], fetchedAt: this.now(), ok: false });
        }
      })().finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, pending);
    }
    await pending;
  }

  private store(key: string, listing: Listing): void {
    this.listings.set(key, listing);
    this.stamp++;
  }

  private naming(kind: ListKind): { byExposed: Map<string, NamedEntry>; byPool: Map<string, NamedItem[]> } {
    const cached = this.names.get(kind);
    if (cached && cached.stamp === this.stamp) return cached;
    const { key } = LIST_KINDS[kind];
    const byPoolNames = this.options.targets.map((t) => ({
      pool: t.pool.name,
      names: (this.listings.get(listingKey(t.pool.name, kind))?.items ?? []).map((item) => String(item[key])),
    }));
    const renames = kind === 'tools' || kind === 'prompts';
    const named = renames ? assignNames(this.options.spec, byPoolNames, kind === 'tools') : byPoolNames.flatMap(({ pool, names }) => names.map((n) => ({ pool, original: n, exposed: n })));
    const targets = new Map(this.options.targets.map((t) => [t.pool.name, t]));
    const byExposed = new Map<string, NamedEntry>();
    const byPool = new Map<string, NamedItem[]>();
    for (const item of named) {
      // A down pool's names stay routable: its callers get a clear "pool unavailable", not "unknown tool".
      if (!byExposed.has(item.exposed)) byExposed.set(item.exposed, { target: targets.get(item.pool)!, original: item.original });
      const list = byPool.get(item.pool) ?? [];
      list.push(item);
      byPool.set(item.pool, list);
    }
    const entry = { stamp: this.stamp, byExposed, byPool };
    this.names.set(kind, entry);
    return entry;
  }
}

function listingKey(pool: string, kind: ListKind | 'capabilities'): string {
  return `${pool}\0${kind}`;
}
