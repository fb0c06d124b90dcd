/**
 * The job store port: the state of every job (the MCP task behind it), shared by the gateway
 * instances that create, poll and cancel jobs and the workers that run them. Adapter: Redis/Valkey
 * (`redis-job-store.ts`). Records expire after their TTL.
 */
import type { Job } from './job';

/** Task statuses as MCP names them; a job waiting in the queue is `working` too (its message says "queued"). */
export type JobStatus = 'working' | 'completed' | 'failed' | 'cancelled';

export const TERMINAL_STATUSES: readonly JobStatus[] = ['completed', 'failed', 'cancelled'];

export function isTerminal(status: JobStatus): boolean {
  return TERMINAL_STATUSES.includes(status);
}

/** What a job ended with: a tool result (possibly `isError`), or a JSON-RPC error. */
export type JobOutcome =
  | { readonly status: 'completed'; readonly result: Readonly<Record<string, unknown>> }
  | { readonly status: 'failed'; readonly error: { readonly code: number; readonly message: string; readonly data?: unknown } };

export interface JobProgress {
  readonly progress: number;
  readonly total?: number;
  readonly message?: string;
}

export type JobMeta = Pick<Job, 'id' | 'pool' | 'tool' | 'principal' | 'createdAt'>;

export interface JobRecord extends JobMeta {
  readonly status: JobStatus;
  /** Human-readable state: "queued", "running", "cancelled by the caller", the failure. */
  readonly statusMessage: string;
  /** Last change (ms since the epoch). */
  readonly updatedAt: number;
  /** Runs started (a run interrupted by a dying worker counts). */
  readonly runs: number;
  readonly progress?: JobProgress;
  /** Present once the job is completed or failed. */
  readonly outcome?: JobOutcome;
}

/**
 * A queue pool's tools as its workers last listed them from the server (`tools/list`, every page):
 * the gateway lists the pool from it, so the pool's tools are listed while no worker runs.
 */
export interface PublishedTools {
  readonly tools: ReadonlyArray<Readonly<Record<string, unknown>>>;
  /** When a worker listed them (ms since the epoch). */
  readonly publishedAt: number;
  /** The worker that listed them. */
  readonly worker: string;
}

/** Result of `claim`: run it, someone else is running it, or it is already over. */
export type ClaimResult = 'claimed' | 'busy' | 'done';

export interface JobStore {
  /** Records a new job as queued. `false` when the id exists already (a retried call): do not enqueue again. */
  create(meta: JobMeta, ttlSeconds: number): Promise<boolean>;
  /** Removes a record (a job whose message could not be enqueued, so a retry can try again). */
  remove(id: string): Promise<void>;
  get(id: string): Promise<JobRecord | undefined>;
  /**
   * Takes the run lease of a job for `leaseMs` (creating the record from `meta` if it has expired).
   * `busy` while another worker's lease is alive; `done` once the job is terminal.
   */
  claim(meta: JobMeta, worker: string, leaseMs: number, ttlSeconds: number): Promise<ClaimResult>;
  /** Extends the lease; returns the job's status, or `lost` if the lease is no longer this worker's. */
  renew(id: string, worker: string, leaseMs: number): Promise<JobStatus | 'lost'>;
  /** Records progress of a working job. */
  progress(id: string, progress: JobProgress): Promise<void>;
  /**
   * Stores the outcome and ends the lease. Returns the status the job has afterwards: the outcome's,
   * or an earlier terminal status (a cancellation wins over a late result).
   */
  finish(job: JobMeta, worker: string, outcome: JobOutcome, ttlSeconds: number): Promise<JobStatus>;
  /** Gives up the lease without an outcome (the message goes back to the queue). */
  release(id: string, worker: string, statusMessage: string): Promise<void>;
  /**
   * The principal's jobs that have not expired, newest first: the store keeps an index of each
   * caller's job ids that lives as long as their longest-lived job. Nobody else's jobs, ever.
   */
  jobsOf(principal: string): Promise<JobRecord[]>;
  /** Marks a job cancelled unless it is over; returns its status afterwards (undefined: unknown job). */
  cancel(id: string, statusMessage: string): Promise<JobStatus | undefined>;
  /**
   * Waits until the job is terminal or `timeoutMs` passes; resolves with the record as it is then
   * (undefined if it does not exist). `onChange` sees every record read on the way, the last one included.
   */
  waitFor(id: string, timeoutMs: number, onChange?: (record: JobRecord) => void): Promise<JobRecord | undefined>;
  /** Replaces the pool's published tool list (kept without expiry: a pool may run no worker for days). */
  publishTools(pool: string, tools: PublishedTools): Promise<void>;
  /** The pool's published tool list, or undefined when no worker has published one. */
  publishedTools(pool: string): Promise<PublishedTools | undefined>;
  close(): Promise<void>;
}
