/**
 * `SessionStore` in process memory: the default for `mcp-fleet gateway`/`dev` and tests.
 *
 * Bounded: at most `maxEntries` sessions and as many principal backends are kept; beyond that the
 * least recently used entry goes (maps keep insertion order, and every use re-inserts), so no caller
 * can grow the process without limit. Live sessions are also counted per principal for
 * `createSession`.
 */
import { randomBytes } from 'node:crypto';
import type { BackendSessionRecord, GatewaySessionRecord, SessionStore } from '../ports';

interface Entry<T> {
  value: T;
  expiresAt: number;
  readonly ttlMs: number;
}

export interface MemorySessionStoreOptions {
  /**
   * Clock, for deterministic tests.
   * @default Date.now
   */
  readonly now?: () => number;
  /**
   * Most sessions (and, separately, most principal backends) kept; the least recently used goes first.
   * @default 100000
   */
  readonly maxEntries?: number;
}

export class MemorySessionStore implements SessionStore {
  private readonly sessions = new Map<string, Entry<GatewaySessionRecord>>();
  private readonly principalBackends = new Map<string, Entry<BackendSessionRecord>>();
  /** Session ids per principal (may hold expired or evicted ids until the next count). */
  private readonly byPrincipal = new Map<string, Set<string>>();
  private readonly secrets = new Map<string, string>();
  private readonly now: () => number;
  private readonly maxEntries: number;

  constructor(options: MemorySessionStoreOptions = {}) {
    this.now = options.now ?? Date.now;
    this.maxEntries = options.maxEntries ?? 100_000;
    if (!Number.isInteger(this.maxEntries) || this.maxEntries < 1) throw new RangeError(`MemorySessionStore: maxEntries must be a positive integer (got ${options.maxEntries})`);
  }

  /** One process shares nothing: a secret of its own. */
  async sharedSecret(name: string): Promise<string> {
    let secret = this.secrets.get(name);
    if (secret === undefined) this.secrets.set(name, (secret = randomBytes(32).toString('base64url')));
    return secret;
  }

  async getSession(id: string): Promise<GatewaySessionRecord | undefined> {
    return this.live(this.sessions, id)?.value;
  }

  async putSession(id: string, session: GatewaySessionRecord, ttlSeconds: number): Promise<void> {
    this.sweep();
    this.set(this.sessions, id, { value: session, expiresAt: this.now() + ttlSeconds * 1000, ttlMs: ttlSeconds * 1000 });
    let ids = this.byPrincipal.get(session.principal);
    if (!ids) this.byPrincipal.set(session.principal, (ids = new Set()));
    ids.add(id);
  }

  async createSession(id: string, session: GatewaySessionRecord, ttlSeconds: number, maxPerPrincipal: number): Promise<boolean> {
    if (this.liveCount(session.principal) >= maxPerPrincipal) return false;
    await this.putSession(id, session, ttlSeconds);
    return true;
  }

  async putBackendSession(id: string, pool: string, backend: BackendSessionRecord | undefined, ttlSeconds: number): Promise<void> {
    const entry = this.live(this.sessions, id);
    if (!entry) return; // the session ended meanwhile: never resurrect it
    const backends = { ...entry.value.backends };
    if (backend) backends[pool] = backend;
    else delete backends[pool];
    this.set(this.sessions, id, { value: { ...entry.value, backends }, expiresAt: this.now() + ttlSeconds * 1000, ttlMs: ttlSeconds * 1000 });
  }

  async claimBackendSession(id: string, pool: string, backend: BackendSessionRecord, ttlSeconds: number): Promise<BackendSessionRecord | undefined> {
    const entry = this.live(this.sessions, id);
    if (!entry) return undefined;
    const holding = entry.value.backends[pool];
    if (holding) return holding;
    await this.putBackendSession(id, pool, backend, ttlSeconds);
    return backend;
  }

  async deleteSession(id: string): Promise<void> {
    const entry = this.sessions.get(id);
    this.sessions.delete(id);
    if (entry) this.byPrincipal.get(entry.value.principal)?.delete(id);
  }

  async getPrincipalBackend(principal: string, pool: string): Promise<BackendSessionRecord | undefined> {
    return this.live(this.principalBackends, principalPoolKey(principal, pool))?.value;
  }

  async putPrincipalBackend(principal: string, pool: string, backend: BackendSessionRecord | undefined, ttlSeconds: number): Promise<void> {
    const key = principalPoolKey(principal, pool);
    if (backend) this.set(this.principalBackends, key, { value: backend, expiresAt: this.now() + ttlSeconds * 1000, ttlMs: ttlSeconds * 1000 });
    else this.principalBackends.delete(key);
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {
    this.sessions.clear();
    this.principalBackends.clear();
    this.byPrincipal.clear();
  }

  /** Live sessions of a principal; forgets ids that expired or were evicted. */
  private liveCount(principal: string): number {
    const ids = this.byPrincipal.get(principal);
    if (!ids) return 0;
    const now = this.now();
    for (const id of ids) {
      const entry = this.sessions.get(id);
      if (!entry || entry.expiresAt <= now || entry.value.principal !== principal) ids.delete(id);
    }
    if (ids.size === 0) this.byPrincipal.delete(principal);
    return ids.size;
  }

  /** Inserts as most recently used, evicting the least recently used entries beyond the bound. */
  private set<T>(map: Map<string, Entry<T>>, key: string, entry: Entry<T>): void {
    map.delete(key);
    map.set(key, entry);
    while (map.size > this.maxEntries) map.delete(map.keys().next().value!);
  }

  /** The entry if not expired, with its TTL refreshed (the TTL is an idle timeout) and made most recent. */
  private live<T>(map: Map<string, Entry<T>>, key: string): Entry<T> | undefined {
    const entry = map.get(key);
    if (!entry) return undefined;
    const now = this.now();
    if (entry.expiresAt <= now) {
      map.delete(key);
      return undefined;
    }
    entry.expiresAt = now + entry.ttlMs;
    map.delete(key);
    map.set(key, entry);
    return entry;
  }

  private lastSweep = 0;

  /** Drops expired entries at most once a minute, so that abandoned sessions do not pile up. */
  private sweep(): void {
    const now = this.now();
    if (now - this.lastSweep < 60_000) return;
    this.lastSweep = now;
    for (const map of [this.sessions, this.principalBackends] as Map<string, Entry<unknown>>[]) {
      for (const [key, entry] of map) if (entry.expiresAt <= now) map.delete(key);
    }
    for (const principal of [...this.byPrincipal.keys()]) this.liveCount(principal);
  }
}

function principalPoolKey(principal: string, pool: string): string {
  return `${principal}\0${pool}`;
}
