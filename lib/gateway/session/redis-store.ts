/**
 * `SessionStore` on Redis/Valkey, shared by every gateway instance of a fleet and region.
 *
 * A session is one hash: field `s` holds the session record without its backends, `t` its TTL, and
 * one field `b:<pool>` per backend session, so that two instances opening backend sessions to
 * different pools for the same client session never overwrite each other. Every read and write
 * refreshes the TTL (reads in the same round trip, by a script).
 *
 * Live sessions are counted per principal in a sorted set (member: session id, score: expiry in epoch
 * ms) that `createSession` prunes and checks atomically. Each command touches one key, so the layout
 * also works on cluster-mode engines (ElastiCache Serverless).
 */
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { GatewayError } from '../errors';
import type { BackendSessionRecord, GatewaySessionRecord, SessionStore } from '../ports';

/** 503 with JSON-RPC -32603: the store is down; the client may retry. */
export const STORE_UNAVAILABLE_CODE = -32603;

export interface RedisSessionStoreOptions {
  readonly client: Redis;
  /** Fleet name: part of every key. */
  readonly fleet: string;
  /** Region: part of every key (sessions never cross regions). */
  readonly region: string;
  /**
   * Extra key prefix, e.g. for tests sharing one Redis.
   * @default ''
   */
  readonly keyPrefix?: string;
}

const SESSION_FIELD = 's';
const TTL_FIELD = 't';
/** The principal's sorted set of live sessions (to refresh and to leave on delete). */
const PRINCIPAL_FIELD = 'p';
const BACKEND_FIELD = 'b:';

/**
 * Admits a session into its principal's set unless the set already holds `max` live ones.
 * KEYS[1] the set; ARGV: session id, expiry (epoch ms), now (epoch ms), max, TTL seconds.
 */
const ADMIT_SESSION = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[3])
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[4]) then return 0 end
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
redis.call('EXPIRE', KEYS[1], ARGV[5])
return 1`;

/** Reads a session and refreshes its TTL in one round trip. */
const GET_SESSION = `
local fields = redis.call('HGETALL', KEYS[1])
local ttl = redis.call('HGET', KEYS[1], '${TTL_FIELD}')
if ttl then redis.call('EXPIRE', KEYS[1], ttl) end
return fields`;

/** Sets a backend field only when the session still exists (never resurrects an ended session). */
const PUT_BACKEND = `
if redis.call('HEXISTS', KEYS[1], '${SESSION_FIELD}') == 0 then return 0 end
if ARGV[2] == '' then redis.call('HDEL', KEYS[1], ARGV[1]) else redis.call('HSET', KEYS[1], ARGV[1], ARGV[2]) end
redis.call('HSET', KEYS[1], '${TTL_FIELD}', ARGV[3])
redis.call('EXPIRE', KEYS[1], ARGV[3])
return 1`;

/** Sets a backend field unless one is there (or the session is gone); returns the field's value now. */
const CLAIM_BACKEND = `
if redis.call('HEXISTS', KEYS[1], '${SESSION_FIELD}') == 0 then return false end
local holding = redis.call('HGET', KEYS[1], ARGV[1])
if holding then return holding end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2], '${TTL_FIELD}', ARGV[3])
redis.call('EXPIRE', KEYS[1], ARGV[3])
return ARGV[2]`;

/** The scripts, registered on the client (EVALSHA, so the script text is not sent every time). */
interface SessionCommands {
  mcpFleetGetSession(key: string): Promise<string[]>;
  mcpFleetAdmitSession(key: string, id: string, expiresAt: number, now: number, max: number, ttlSeconds: number): Promise<number>;
  mcpFleetPutBackend(key: string, field: string, value: string, ttlSeconds: number): Promise<number>;
  mcpFleetClaimBackend(key: string, field: string, value: string, ttlSeconds: number): Promise<string | null>;
}

export class RedisSessionStore implements SessionStore {
  private readonly client: Redis;
  private readonly scripts: SessionCommands;
  private readonly prefix: string;

  constructor(options: RedisSessionStoreOptions) {
    this.client = options.client;
    this.client.defineCommand('mcpFleetGetSession', { numberOfKeys: 1, lua: GET_SESSION });
    this.client.defineCommand('mcpFleetPutBackend', { numberOfKeys: 1, lua: PUT_BACKEND });
    this.client.defineCommand('mcpFleetClaimBackend', { numberOfKeys: 1, lua: CLAIM_BACKEND });
    this.client.defineCommand('mcpFleetAdmitSession', { numberOfKeys: 1, lua: ADMIT_SESSION });
    this.scripts = this.client as unknown as SessionCommands;
    this.prefix = `${options.keyPrefix ?? ''}mcp-fleet:${options.fleet}:${options.region}:`;
  }

  async getSession(id: string): Promise<GatewaySessionRecord | undefined> {
    const flat = await this.run('read a session', () => this.scripts.mcpFleetGetSession(this.sessionKey(id)));
    let record: Omit<GatewaySessionRecord, 'backends'> | undefined;
    let principalSet: string | undefined;
    let ttl = 0;
    const backends: Record<string, BackendSessionRecord> = {};
    for (let i = 0; i < flat.length; i += 2) {
      const field = flat[i]!;
      if (field === SESSION_FIELD) record = JSON.parse(flat[i + 1]!) as Omit<GatewaySessionRecord, 'backends'>;
      else if (field === PRINCIPAL_FIELD) principalSet = flat[i + 1];
      else if (field === TTL_FIELD) ttl = Number(flat[i + 1]);
      else if (field.startsWith(BACKEND_FIELD)) backends[field.slice(BACKEND_FIELD.length)] = JSON.parse(flat[i + 1]!) as BackendSessionRecord;
    }
    // The session lives on: so does its place in the principal's count (only if still a member).
    if (record && principalSet) this.client.zadd(principalSet, 'XX', 'GT', Date.now() + ttl * 1000, id).catch(() => undefined);
    return record && { ...record, backends };
  }

  async putSession(id: string, session: GatewaySessionRecord, ttlSeconds: number): Promise<void> {
    const key = this.sessionKey(id);
    const { backends, ...rest } = session;
    const fields: Record<string, string> = { [SESSION_FIELD]: JSON.stringify(rest), [TTL_FIELD]: String(ttlSeconds) };
    for (const [pool, backend] of Object.entries(backends)) fields[BACKEND_FIELD + pool] = JSON.stringify(backend);
    await this.run('write a session', () => this.client.multi().del(key).hset(key, fields).expire(key, ttlSeconds).exec());
  }

  async createSession(id: string, session: GatewaySessionRecord, ttlSeconds: number, maxPerPrincipal: number): Promise<boolean> {
    const set = this.principalSessionsKey(session.principal);
    const now = Date.now();
    const admitted = await this.run("count the principal's sessions", () => this.scripts.mcpFleetAdmitSession(set, id, now + ttlSeconds * 1000, now, maxPerPrincipal, ttlSeconds));
    if (admitted === 0) return false;
    const key = this.sessionKey(id);
    const { backends, ...rest } = session;
    const fields: Record<string, string> = { [SESSION_FIELD]: JSON.stringify(rest), [TTL_FIELD]: String(ttlSeconds), [PRINCIPAL_FIELD]: set };
    for (const [pool, backend] of Object.entries(backends)) fields[BACKEND_FIELD + pool] = JSON.stringify(backend);
    await this.run('write a session', () => this.client.multi().del(key).hset(key, fields).expire(key, ttlSeconds).exec());
    return true;
  }

  async putBackendSession(id: string, pool: string, backend: BackendSessionRecord | undefined, ttlSeconds: number): Promise<void> {
    await this.run('write a backend session', () => this.scripts.mcpFleetPutBackend(this.sessionKey(id), BACKEND_FIELD + pool, backend ? JSON.stringify(backend) : '', ttlSeconds));
  }

  async claimBackendSession(id: string, pool: string, backend: BackendSessionRecord, ttlSeconds: number): Promise<BackendSessionRecord | undefined> {
    const holding = await this.run('claim a backend session', () => this.scripts.mcpFleetClaimBackend(this.sessionKey(id), BACKEND_FIELD + pool, JSON.stringify(backend), ttlSeconds));
    return holding === null ? undefined : (JSON.parse(holding) as BackendSessionRecord);
  }

  async deleteSession(id: string): Promise<void> {
    const key = this.sessionKey(id);
    const set = await this.run('delete a session', () => this.client.hget(key, PRINCIPAL_FIELD));
    await this.run('delete a session', () => this.client.del(key));
    if (set) await this.run('delete a session', () => this.client.zrem(set, id));
  }

  async getPrincipalBackend(principal: string, pool: string): Promise<BackendSessionRecord | undefined> {
    const key = this.principalKey(principal, pool);
    const value = await this.run('read a backend session', () => this.client.get(key));
    if (value === null) return undefined;
    const { ttl, ...record } = JSON.parse(value) as BackendSessionRecord & { ttl: number };
    await this.run('refresh a backend session', () => this.client.expire(key, ttl));
    return record;
  }

  async putPrincipalBackend(principal: string, pool: string, backend: BackendSessionRecord | undefined, ttlSeconds: number): Promise<void> {
    const key = this.principalKey(principal, pool);
    await this.run<unknown>('write a backend session', () => (backend ? this.client.set(key, JSON.stringify({ ...backend, ttl: ttlSeconds }), 'EX', ttlSeconds) : this.client.del(key)));
  }

  /** The first instance to ask sets it (`SET NX`, no expiry); every other one reads that one. */
  async sharedSecret(name: string): Promise<string> {
    const key = `${this.prefix}secret:${name}`;
    const secret = randomBytes(32).toString('base64url');
    await this.run('create a shared secret', () => this.client.set(key, secret, 'NX'));
    const held = await this.run('read a shared secret', () => this.client.get(key));
    if (held === null) throw new Error(`shared secret ${name} vanished from the store`);
    return held;
  }

  async ping(): Promise<void> {
    await this.run('ping', () => this.client.ping());
  }

  async close(): Promise<void> {
    await this.client.quit().catch(() => this.client.disconnect());
  }

  private sessionKey(id: string): string {
    return `${this.prefix}session:${id}`;
  }

  private principalSessionsKey(principal: string): string {
    return `${this.prefix}sessions-of:${encodeURIComponent(principal)}`;
  }

  private principalKey(principal: string, pool: string): string {
    return `${this.prefix}principal:${encodeURIComponent(principal)}:${pool}`;
  }

  /** Runs a store command; a connection failure becomes a clear 503 instead of a crash or a hang. */
  private async run<T>(what: string, command: () => Promise<T>): Promise<T> {
    try {
      return await command();
    } catch (cause) {
      throw new GatewayError(503, STORE_UNAVAILABLE_CODE, `Session store unavailable: could not ${what} (${(cause as Error).message})`, { 'retry-after': '1' }, { cause });
    }
  }
}
