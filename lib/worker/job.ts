/**
 * A job: one `tools/call` of a queue pool, carried by a queue message. Its id is derived from the
 * request, so a retried call (same caller, tool, arguments and request key) is the same job: the
 * store runs it once and keeps one result.
 */
import { createHash } from 'node:crypto';
// The mini build, as the spec uses: the full zod would add 0.4 MiB to the CLI bundle.
import * as z from 'zod/mini';

/** Message format version: a worker refuses bodies of a format it does not know. */
export const JOB_FORMAT = 1;

export interface Job {
  /** Format version of the message body. */
  readonly v: typeof JOB_FORMAT;
  /** Job id (also the MCP task id): see `jobIdFor`. */
  readonly id: string;
  /** Queue pool that owns the tool. */
  readonly pool: string;
  /** Tool name as the pool knows it. */
  readonly tool: string;
  /** Tool arguments. */
  readonly arguments: Readonly<Record<string, unknown>>;
  /** Who asked (principal id), so results are only handed to the same caller. */
  readonly principal: string;
  /** When the job was enqueued (ms since the epoch). */
  readonly createdAt: number;
}

export interface JobKey {
  readonly principal: string;
  readonly pool: string;
  readonly tool: string;
  readonly arguments: Readonly<Record<string, unknown>>;
  /**
   * What makes two identical calls distinct: the client's idempotency key, or its JSON-RPC request
   * id within its session. A retry that sends the same key is the same job.
   */
  readonly requestKey: string;
}

/** Stable JSON: object keys sorted at every level, so equal arguments hash equally. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/**
 * The job id of a request: SHA-256 over principal, pool, tool, canonical arguments and request key,
 * base64url (43 characters). It does not reveal the arguments, and the store binds it to its principal.
 */
export function jobIdFor(key: JobKey): string {
  return createHash('sha256')
    .update(canonicalJson([key.principal, key.pool, key.tool, key.arguments, key.requestKey]))
    .digest('base64url');
}

const JOB_SCHEMA = z.object({
  v: z.literal(JOB_FORMAT),
  id: z.string().check(z.regex(/^[A-Za-z0-9_-]{1,128}$/)),
  pool: z.string().check(z.minLength(1)),
  tool: z.string().check(z.minLength(1)),
  arguments: z.record(z.string(), z.unknown()),
  principal: z.string(),
  createdAt: z.number().check(z.int(), z.gte(0)),
});

/** A message body that is not a job: the worker cannot run it and it ends up dead-lettered. */
export class JobFormatError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'JobFormatError';
  }
}

export function encodeJob(job: Job): string {
  return JSON.stringify(job);
}

/** @throws JobFormatError naming what is wrong with the body. */
export function decodeJob(body: string): Job {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (error) {
    throw new JobFormatError(`message body is not JSON: ${(error as Error).message}`, { cause: error });
  }
  const result = JOB_SCHEMA.safeParse(parsed);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new JobFormatError(`message body is not a job (format ${JOB_FORMAT}): ${issue.path.join('.') || '(body)'}: ${issue.message}`);
  }
  return result.data as Job;
}
