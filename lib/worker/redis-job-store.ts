/**
 * `JobStore` on Redis/Valkey. A job is one hash (`meta`, `status`, `message`, `updated`, `runs`,
 * `progress`, `outcome`) plus a lease key holding the id of the worker running it. Every state change
 * is one script (atomic across gateway instances and workers) and publishes the job id on the
 * fleet's job-event channel, which `waitFor` listens to instead of polling. Each caller's job ids are
 * in a sorted set of their own (by creation time; `jobsOf` lists it), which lives as long as the
 * caller's longest-lived job: creating or finishing a job extends it to the job's TTL.
 */
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { ClaimResult, JobMeta, JobOutcome, JobProgress, JobRecord, JobStatus, JobStore, PublishedTools } from './job-store';
import { isTerminal } from './job-store';

export interface RedisJobStoreOptions {
  readonly client: Redis;
  /** Fleet name: part of every key. */
  readonly fleet: string;
  /**
   * Extra key prefix, e.g. for tests sharing one Redis.
   * @default ''
   */
  readonly keyPrefix?: string;
}

const TERMINAL = `local function terminal(s) return s == 'completed' or s == 'failed' or s == 'cancelled' end
`;

/** Extends the caller's index (KEYS[n]) to live at least `ttl` seconds more; never shortens it. */
const INDEX = `local function extend(index, ttl)
  -- TTL is -1 for a new index (no expiry yet) and -2 for none (EXPIRE is then a no-op).
  if redis.call('TTL', index) < tonumber(ttl) then redis.call('EXPIRE', index, ttl) end
end
`;

/** KEYS: job, events, index. ARGV: meta, now, ttl, id, createdAt. */
const CREATE = `${INDEX}
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'meta', ARGV[1], 'status', 'working', 'message', 'queued', 'updated', ARGV[2], 'runs', 0)
redis.call('EXPIRE', KEYS[1], ARGV[3])
redis.call('ZADD', KEYS[3], ARGV[5], ARGV[4])
extend(KEYS[3], ARGV[3])
redis.call('PUBLISH', KEYS[2], ARGV[4])
return 1`;

/** KEYS: job, lease, events, index. ARGV: meta, now, ttl, worker, leaseMs, id, createdAt. */
const CLAIM = `${TERMINAL}${INDEX}
if redis.call('EXISTS', KEYS[1]) == 0 then
  redis.call('HSET', KEYS[1], 'meta', ARGV[1], 'status', 'working', 'message', 'queued', 'updated', ARGV[2], 'runs', 0)
  redis.call('EXPIRE', KEYS[1], ARGV[3])
  redis.call('ZADD', KEYS[4], ARGV[7], ARGV[6])
  extend(KEYS[4], ARGV[3])
end
if terminal(redis.call('HGET', KEYS[1], 'status')) then return 'done' end
local holder = redis.call('GET', KEYS[2])
if holder and holder ~= ARGV[4] then return 'busy' end
redis.call('SET', KEYS[2], ARGV[4], 'PX', ARGV[5])
redis.call('HSET', KEYS[1], 'message', 'running', 'updated', ARGV[2])
redis.call('HINCRBY', KEYS[1], 'runs', 1)
redis.call('PUBLISH', KEYS[3], ARGV[6])
return 'claimed'`;

/** KEYS: job, lease. ARGV: worker, leaseMs. */
const RENEW = `
if redis.call('GET', KEYS[2]) ~= ARGV[1] then return 'lost' end
redis.call('PEXPIRE', KEYS[2], ARGV[2])
return redis.call('HGET', KEYS[1], 'status') or 'lost'`;

/** KEYS: job, events. ARGV: progress, now, id. */
const PROGRESS = `${TERMINAL}
local status = redis.call('HGET', KEYS[1], 'status')
if not status or terminal(status) then return 0 end
redis.call('HSET', KEYS[1], 'progress', ARGV[1], 'updated', ARGV[2])
redis.call('PUBLISH', KEYS[2], ARGV[3])
return 1`;

/** KEYS: job, lease, events, index. ARGV: status, outcome, message, now, ttl, worker, id. */
const FINISH = `${TERMINAL}${INDEX}
if redis.call('GET', KEYS[2]) == ARGV[6] then redis.call('DEL', KEYS[2]) end
local status = redis.call('HGET', KEYS[1], 'status')
if status and terminal(status) then return status end
redis.call('HSET', KEYS[1], 'status', ARGV[1], 'outcome', ARGV[2], 'message', ARGV[3], 'updated', ARGV[4])
redis.call('EXPIRE', KEYS[1], ARGV[5])
extend(KEYS[4], ARGV[5])
redis.call('PUBLISH', KEYS[3], ARGV[7])
return ARGV[1]`;

/** KEYS: job, lease, events. ARGV: worker, message, now, id. */
const RELEASE = `${TERMINAL}
if redis.call('GET', KEYS[2]) == ARGV[1] then redis.call('DEL', KEYS[2]) end
local status = redis.call('HGET', KEYS[1], 'status')
if not status or terminal(status) then return 0 end
redis.call('HSET', KEYS[1], 'message', ARGV[2], 'updated', ARGV[3])
redis.call('PUBLISH', KEYS[3], ARGV[4])
return 1`;

/** KEYS: job, events. ARGV: message, now, id. */
const CANCEL = `${TERMINAL}
local status = redis.call('HGET', KEYS[1], 'status')
if not status then return false end
if terminal(status) then return status end
redis.call('HSET', KEYS[1], 'status', 'cancelled', 'message', ARGV[1], 'updated', ARGV[2])
redis.call('PUBLISH', KEYS[2], ARGV[3])
return 'cancelled'`;

interface JobCommands {
  mcpFleetJobCreate(job: string, events: string, index: string, meta: string, now: number, ttl: number, id: string, createdAt: number): Promise<number>;
  mcpFleetJobClaim(
    job: string,
    lease: string,
    events: string,
    index: string,
    meta: string,
    now: number,
    ttl: number,
    worker: string,
    leaseMs: number,
    id: string,
    createdAt: number,
  ): Promise<ClaimResult>;
  mcpFleetJobRenew(job: string, lease: string, worker: string, leaseMs: number): Promise<JobStatus | 'lost'>;
  mcpFleetJobProgress(job: string, events: string, progress: string, now: number, id: string): Promise<number>;
  mcpFleetJobFinish(
    job: string,
    lease: string,
    events: string,
    index: string,
    status: string,
    outcome: string,
    message: string,
    now: number,
    ttl: number,
    worker: string,
    id: string,
  ): Promise<JobStatus>;
  mcpFleetJobRelease(job: string, lease: string, events: string, worker: string, message: string, now: number, id: string): Promise<number>;
  mcpFleetJobCancel(job: string, events: string, message: string, now: number, id: string): Promise<JobStatus | null>;
}

const SCRIPTS: ReadonlyArray<[keyof JobCommands, number, string]> = [
  ['mcpFleetJobCreate', 3, CREATE],
  ['mcpFleetJobClaim', 4, CLAIM],
  ['mcpFleetJobRenew', 2, RENEW],
  ['mcpFleetJobProgress', 2, PROGRESS],
  ['mcpFleetJobFinish', 4, FINISH],
  ['mcpFleetJobRelease', 3, RELEASE],
  ['mcpFleetJobCancel', 2, CANCEL],
];

export class RedisJobStore implements JobStore {
  private readonly client: Redis;
  private readonly scripts: JobCommands;
  private readonly prefix: string;
  private readonly events: string;
  private readonly toolsPrefix: string;
  private readonly indexPrefix: string;
  private subscriber?: Redis;
  private subscribing?: Promise<unknown>;
  private readonly listeners = new Map<string, Set<() => void>>();

  constructor(options: RedisJobStoreOptions) {
    this.client = options.client;
    for (const [name, numberOfKeys, lua] of SCRIPTS) this.client.defineCommand(name, { numberOfKeys, lua });
    this.scripts = this.client as unknown as JobCommands;
    this.prefix = `${options.keyPrefix ?? ''}mcp-fleet:${options.fleet}:job:`;
    this.events = `${options.keyPrefix ?? ''}mcp-fleet:${options.fleet}:job-events`;
    this.toolsPrefix = `${options.keyPrefix ?? ''}mcp-fleet:${options.fleet}:queue-tools:`;
    this.indexPrefix = `${options.keyPrefix ?? ''}mcp-fleet:${options.fleet}:jobs-of:`;
  }

  /** The caller's index: principal ids are free text, so the key holds a digest of it. */
  private index(principal: string): string {
    return this.indexPrefix + createHash('sha256').update(principal).digest('base64url');
  }

  private key(id: string): string {
    return this.prefix + id;
  }

  private lease(id: string): string {
    return `${this.prefix}${id}:lease`;
  }

  async create(meta: JobMeta, ttlSeconds: number): Promise<boolean> {
    const created = await this.scripts.mcpFleetJobCreate(this.key(meta.id), this.events, this.index(meta.principal), JSON.stringify(meta), Date.now(), ttlSeconds, meta.id, meta.createdAt);
    return created === 1;
  }

  async remove(id: string): Promise<void> {
    await this.client.del(this.key(id), this.lease(id));
  }

  async get(id: string): Promise<JobRecord | undefined> {
    return parseRecord(await this.client.hgetall(this.key(id)));
  }

  async claim(meta: JobMeta, worker: string, leaseMs: number, ttlSeconds: number): Promise<ClaimResult> {
    const { id } = meta;
    return this.scripts.mcpFleetJobClaim(this.key(id), this.lease(id), this.events, this.index(meta.principal), JSON.stringify(meta), Date.now(), ttlSeconds, worker, leaseMs, id, meta.createdAt);
  }

  async renew(id: string, worker: string, leaseMs: number): Promise<JobStatus | 'lost'> {
    return this.scripts.mcpFleetJobRenew(this.key(id), this.lease(id), worker, leaseMs);
  }

  async progress(id: string, progress: JobProgress): Promise<void> {
    await this.scripts.mcpFleetJobProgress(this.key(id), this.events, JSON.stringify(progress), Date.now(), id);
  }

  async finish(job: JobMeta, worker: string, outcome: JobOutcome, ttlSeconds: number): Promise<JobStatus> {
    const message = outcome.status === 'completed' ? 'completed' : outcome.error.message;
    const { id } = job;
    return this.scripts.mcpFleetJobFinish(this.key(id), this.lease(id), this.events, this.index(job.principal), outcome.status, JSON.stringify(outcome), message, Date.now(), ttlSeconds, worker, id);
  }

  async jobsOf(principal: string): Promise<JobRecord[]> {
    const index = this.index(principal);
    const ids = await this.client.zrevrange(index, 0, -1);
    if (ids.length === 0) return [];
    const pipeline = this.client.pipeline();
    for (const id of ids) pipeline.hgetall(this.key(id));
    const hashes = (await pipeline.exec()) ?? [];
    const records: JobRecord[] = [];
    const gone: string[] = [];
    ids.forEach((id, i) => {
      const [error, hash] = hashes[i] ?? [];
      if (error) throw error;
      const record = parseRecord(hash as Record<string, string>);
      // Expired jobs leave their id behind (an index entry has no TTL of its own): drop it now.
      if (!record) gone.push(id);
      else if (record.principal === principal) records.push(record);
    });
    if (gone.length > 0) await this.client.zrem(index, ...gone);
    return records;
  }

  async release(id: string, worker: string, statusMessage: string): Promise<void> {
    await this.scripts.mcpFleetJobRelease(this.key(id), this.lease(id), this.events, worker, statusMessage, Date.now(), id);
  }

  async cancel(id: string, statusMessage: string): Promise<JobStatus | undefined> {
    return (await this.scripts.mcpFleetJobCancel(this.key(id), this.events, statusMessage, Date.now(), id)) ?? undefined;
  }

  async waitFor(id: string, timeoutMs: number, onChange?: (record: JobRecord) => void): Promise<JobRecord | undefined> {
    await this.subscribe();
    return new Promise((resolve, reject) => {
      let last: JobRecord | undefined;
      let reading = false;
      let again = false;
      const done = (record: JobRecord | undefined) => {
        clearTimeout(timer);
        this.removeListener(id, check);
        resolve(record);
      };
      // Reads the record after every event (and once at the start, for changes before the subscription).
      const check = () => {
        if (reading) return void (again = true);
        reading = true;
        this.get(id).then(
          (record) => {
            reading = false;
            last = record;
            if (record) onChange?.(record);
            if (!record || isTerminal(record.status)) return done(record);
            if (again) {
              again = false;
              check();
            }
          },
          (error: unknown) => {
            clearTimeout(timer);
            this.removeListener(id, check);
            reject(error);
          },
        );
      };
      const timer = setTimeout(() => done(last), timeoutMs);
      this.addListener(id, check);
      check();
    });
  }

  async publishTools(pool: string, tools: PublishedTools): Promise<void> {
    await this.client.set(this.toolsPrefix + pool, JSON.stringify(tools));
  }

  async publishedTools(pool: string): Promise<PublishedTools | undefined> {
    const text = await this.client.get(this.toolsPrefix + pool);
    if (text === null) return undefined;
    const parsed = JSON.parse(text) as Partial<PublishedTools>;
    // Anything else under the key (another version's format) counts as nothing published.
    return Array.isArray(parsed.tools) ? (parsed as PublishedTools) : undefined;
  }

  private addListener(id: string, listener: () => void): void {
    let set = this.listeners.get(id);
    if (!set) this.listeners.set(id, (set = new Set()));
    set.add(listener);
  }

  private removeListener(id: string, listener: () => void): void {
    const set = this.listeners.get(id);
    set?.delete(listener);
    if (set?.size === 0) this.listeners.delete(id);
  }

  /** One subscriber connection per store, shared by every wait. */
  private subscribe(): Promise<unknown> {
    if (!this.subscribing) {
      const subscriber = this.client.duplicate();
      subscriber.on('error', () => undefined);
      subscriber.on('message', (_channel: string, id: string) => {
        for (const listener of this.listeners.get(id) ?? []) listener();
      });
      this.subscriber = subscriber;
      this.subscribing = subscriber.subscribe(this.events);
    }
    return this.subscribing;
  }

  async close(): Promise<void> {
    this.subscriber?.disconnect();
  }
}

function parseRecord(hash: Record<string, string>): JobRecord | undefined {
  if (!hash.meta) return undefined;
  return {
    ...(JSON.parse(hash.meta) as JobMeta),
    status: hash.status as JobStatus,
    statusMessage: hash.message ?? '',
    updatedAt: Number(hash.updated),
    runs: Number(hash.runs ?? 0),
    ...(hash.progress ? { progress: JSON.parse(hash.progress) as JobProgress } : {}),
    ...(hash.outcome ? { outcome: JSON.parse(hash.outcome) as JobOutcome } : {}),
  };
}
