/** `SessionStore` in process memory: the default for `mcp-fleet gateway`/`dev` and tests. */
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
}

export class MemorySessionStore implements SessionStore {
  private readonly sessions = new Map<string, Entry<GatewaySessionRecord>>();
  private readonly principalBackends = new Map<string, Entry<BackendSessionRecord>>();
  private readonly now: () => number;

  constructor(options: MemorySessionStoreOptions = {}) {
    this.now = options.now ?? Date.now;
  }

  async getSession(id: string): Promise<GatewaySessionRecord | undefined> {
    return this.live(this.sessions, id)?.value;
  }

  async putSession(id: string, session: GatewaySessionRecord, ttlSeconds: number): Promise<void> {
    this.sweep();
    this.sessions.set(id, { value: session, expiresAt: this.now() + ttlSeconds * 1000, ttlMs: ttlSeconds * 1000 });
  }

  async putBackendSession(id: string, pool: string, backend: BackendSessionRecord | undefined, ttlSeconds: number): Promise<void> {
    const entry = this.live(this.sessions, id);
    if (!entry) return; // the session ended meanwhile: never resurrect it
    const backends = { ...entry.value.backends };
    if (backend) backends[pool] = backend;
    else delete backends[pool];
    this.sessions.set(id, { value: { ...entry.value, backends }, expiresAt: this.now() + ttlSeconds * 1000, ttlMs: ttlSeconds * 1000 });
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
    this.sessions.delete(id);
  }

  async getPrincipalBackend(principal: string, pool: string): Promise<BackendSessionRecord | undefined> {
    return this.live(this.principalBackends, principalKey(principal, pool))?.value;
  }

  async putPrincipalBackend(principal: string, pool: string, backend: BackendSessionRecord | undefined, ttlSeconds: number): Promise<void> {
    const key = principalKey(principal, pool);
    if (backend) this.principalBackends.set(key, { value: backend, expiresAt: this.now() + ttlSeconds * 1000, ttlMs: ttlSeconds * 1000 });
    else this.principalBackends.delete(key);
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {
    this.sessions.clear();
    this.principalBackends.clear();
  }

  /** The entry if not expired, with its TTL refreshed (the TTL is an idle timeout). */
  private live<T>(map: Map<string, Entry<T>>, key: string): Entry<T> | undefined {
    const entry = map.get(key);
    if (!entry) return undefined;
    const now = this.now();
    if (entry.expiresAt <= now) {
      map.delete(key);
      return undefined;
    }
    entry.expiresAt = now + entry.ttlMs;
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
  }
}

function principalKey(principal: string, pool: string): string {
  return `${principal}\0${pool}`;
}
