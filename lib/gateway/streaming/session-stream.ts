/**
 * A 2025-era client's GET stream: the server-initiated streams of the session's stateful pools fanned
 * into one (list changes, `notifications/resources/updated`, log messages, server-to-client requests).
 * Event ids and request ids name their pool, so a client that reconnects with `Last-Event-ID` on any
 * gateway instance resumes that pool's stream, and its answers reach the right backend session.
 * Closing the client stream closes the pool streams; a pool stream that ends is simply left out.
 */
import type { PoolCall, PoolCaller, PoolTarget, SessionOwner } from '../backend/pool-caller';
import type { BackendStream } from '../backend/transport';
import { isRecord } from '../protocol/jsonrpc';
import { SseDecoder, writeSseEvent, type SseEvent } from '../protocol/sse';
import { outboundNotification, relabelled } from './pool-relay';
import { SseOutput } from './sse-output';
import { clientRequestId, poolEventId } from './wire-ids';

export interface SessionStreamOptions {
  readonly caller: PoolCaller;
  /** The pools whose streams to fan in (the stateful ones). */
  readonly targets: readonly PoolTarget[];
  readonly owner: SessionOwner;
  readonly call: Pick<PoolCall, 'requestId' | 'identity'>;
  /** The client's `Last-Event-ID`, if it is resuming. */
  readonly lastEventId?: string;
  readonly keepaliveMs: number;
  /** Rewrites a pool's notification for the client (e.g. wraps the task ids it names). @default - as sent */
  readonly notification?: (pool: string, message: Record<string, unknown>) => Record<string, unknown>;
  /** Told about pools whose stream could not be opened (the others still stream). */
  readonly onPoolProblem: (pool: string, error: Error) => void;
}

export async function openSessionStream(options: SessionStreamOptions): Promise<SseOutput> {
  const output = new SseOutput('listen', options.keepaliveMs);
  const resume = options.lastEventId ? poolEventId(options.lastEventId) : undefined;
  const opened = await Promise.all(
    options.targets.map(async (target) => {
      const pool = target.pool.name;
      try {
        const stream = await options.caller.listen(target, options.owner, options.call, resume?.pool === pool ? resume.id : undefined);
        return stream ? { pool, stream } : undefined;
      } catch (error) {
        options.onPoolProblem(pool, error as Error);
        return undefined;
      }
    }),
  );
  const streams = opened.filter((s): s is { pool: string; stream: BackendStream } => s !== undefined);
  output.whenCancelled(() => streams.forEach((s) => s.stream.abort()));
  const rewrite = options.notification ?? ((_pool, message) => message);
  for (const { pool, stream } of streams) void fanIn(pool, stream, output, rewrite);
  return output;
}

type Rewrite = NonNullable<SessionStreamOptions['notification']>;

async function fanIn(pool: string, stream: BackendStream, output: SseOutput, rewrite: Rewrite): Promise<void> {
  const decoder = new SseDecoder();
  const relay = (event: SseEvent) => output.push(writeSseEvent(relabelled(pool, event, forClient(pool, event.data, rewrite))));
  try {
    for await (const chunk of stream.chunks) {
      decoder.push(chunk).forEach(relay);
      await output.ready(); // a slow client holds the pool stream back (undefined: go on)
    }
    decoder.end().forEach(relay);
  } catch {
    // The pool stream broke off (or the client's closed and aborted it): the others go on.
  }
}

/** A pool's message with the ids a client must see: its requests and cancellations name the pool. */
function forClient(pool: string, data: string, rewrite: Rewrite): string {
  let message: unknown;
  try {
    message = JSON.parse(data);
  } catch {
    return data;
  }
  if (!isRecord(message)) return data;
  if (typeof message.method === 'string' && (typeof message.id === 'string' || typeof message.id === 'number')) {
    return JSON.stringify({ ...message, id: clientRequestId(pool, message.id) });
  }
  return JSON.stringify(rewrite(pool, outboundNotification(pool, message)));
}
