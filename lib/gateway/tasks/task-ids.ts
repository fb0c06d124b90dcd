/**
 * Task ids the gateway hands out for tasks that pools create (2025-11-25 task-augmented calls and the
 * 2026-07-28 `io.modelcontextprotocol/tasks` extension): the pool's own id wrapped with the pool's
 * name, so `tasks/get`, `tasks/update`, `tasks/cancel` and `tasks/result` reach the owning pool from
 * any gateway instance with no store lookup, and bound to the caller's principal by an HMAC under a
 * secret all instances share: another caller's id (or an id pointed at another pool) is refused.
 *
 * Wire form: `mcpf-task1.<base64url JSON [pool, poolTaskId]>.<base64url HMAC-SHA-256, 128 bits>`.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { GatewayError } from '../errors';
import { RPC } from '../protocol/jsonrpc';

const VERSION = 'mcpf-task1';
/** Bytes of the HMAC kept in an id (128 bits: unforgeable, and ids stay short). */
const TAG_BYTES = 16;

/** What a gateway task id stands for. */
export interface PoolTaskRef {
  readonly pool: string;
  /** The id the pool gave the task. */
  readonly taskId: string;
}

/** Whether `id` is a task id of this form (whoever it was issued to). */
export function isPoolTaskId(id: string): boolean {
  return id.startsWith(`${VERSION}.`);
}

export class TaskIds {
  private key: Buffer | undefined;
  private loading: Promise<void> | undefined;

  /** @param secret the shared secret (every instance of the fleet must get the same one), asked for once. */
  constructor(private readonly secret: () => Promise<string | Uint8Array>) {}

  /** Loads the secret (once; again after a failure). `wrap` and `open` need it loaded. */
  ready(): Promise<void> {
    if (this.key) return Promise.resolve();
    this.loading ??= this.secret().then(
      (s) => {
        this.key = Buffer.from(s);
      },
      (error: unknown) => {
        this.loading = undefined; // the store may be back next time
        throw new GatewayError(503, RPC.internalError, `Task ids cannot be signed: the shared secret is unavailable (${(error as Error).message})`, {}, { cause: error });
      },
    );
    return this.loading;
  }

  /** The id a caller sees for task `taskId` of `pool`, bound to `principal` (a `principalKey`). */
  wrap(pool: string, taskId: string, principal: string): string {
    const payload = Buffer.from(JSON.stringify([pool, taskId])).toString('base64url');
    return `${VERSION}.${payload}.${this.tag(principal, payload)}`;
  }

  /**
   * The pool and its task id behind a caller's id; "Task not found" (invalid params, the answer the
   * specs give for unknown tasks) when the id is not one this fleet issued to this principal.
   */
  open(id: string, principal: string): PoolTaskRef {
    const [version, payload, tag, extra] = id.split('.');
    if (version !== VERSION || !payload || !tag || extra !== undefined) throw notFound(id, 'it is not a task id this gateway issued');
    const expected = Buffer.from(this.tag(principal, payload));
    const given = Buffer.from(tag);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw notFound(id, 'it was issued to another caller, or altered');
    let decoded: unknown;
    try {
      decoded = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    } catch {
      throw notFound(id, 'it is not a task id this gateway issued');
    }
    if (!Array.isArray(decoded) || decoded.length !== 2 || typeof decoded[0] !== 'string' || typeof decoded[1] !== 'string') throw notFound(id, 'it is not a task id this gateway issued');
    return { pool: decoded[0], taskId: decoded[1] };
  }

  private tag(principal: string, payload: string): string {
    if (!this.key) throw new GatewayError(503, RPC.internalError, 'Task ids cannot be signed yet: the shared secret is still loading; retry');
    // The principal is part of what is signed, not of the id: an id names no one.
    return createHmac('sha256', this.key).update(`${VERSION}\n${principal}\n${payload}`).digest().subarray(0, TAG_BYTES).toString('base64url');
  }
}

function notFound(id: string, why: string): GatewayError {
  return new GatewayError(200, RPC.invalidParams, `Task not found: ${id} (${why})`, {}, { data: { taskId: id } });
}
