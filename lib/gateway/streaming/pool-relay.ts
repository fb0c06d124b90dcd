/**
 * Relays one pool's SSE answer to the caller event by event as it arrives: the pool's notifications
 * pass on as they are, server-to-client requests get ids that name the pool (or, where the caller
 * cannot take them, end the call at once with an error that says why), event ids name the pool, and
 * the JSON-RPC response is put in the caller's form. A pool that goes quiet for too long, breaks off
 * or ends without a response ends the stream with a JSON-RPC error, never a hang.
 */
import type { BackendStream } from '../backend/transport';
import { POOL_ERROR } from '../backend/response';
import { GatewayError } from '../errors';
import { errorMessage, isRecord, type JsonRpcId, type JsonRpcResponse } from '../protocol/jsonrpc';
import { SseDecoder, writeSseEvent, type SseEvent } from '../protocol/sse';
import { SseOutput } from './sse-output';
import { clientRequestId, gatewayEventId } from './wire-ids';

export interface PoolRelayOptions {
  readonly pool: string;
  readonly stream: BackendStream;
  /** The id the pool answers (the gateway may have replaced the caller's). */
  readonly wireId: JsonRpcId;
  /** The caller's own id, for errors. */
  readonly callerId: JsonRpcId;
  /**
   * The pool's response in the caller's form; or a continuation that takes the still open output
   * over (a 2026 pool's `input_required` answer to a 2025 client: the gateway asks the client and
   * calls the pool again on the same stream).
   */
  readonly answer: (response: JsonRpcResponse) => JsonRpcResponse | ((output: SseOutput) => void);
  /**
   * What happens to a server-to-client request: relayed with a pool-naming id, refused with the
   * error a function makes (the caller's host or era cannot answer it mid-call), or held: the caller
   * gets the holder's answer now and the rest of the pool's stream goes to the holder.
   */
  readonly serverRequests: 'relay' | ((method: string) => GatewayError) | ServerRequestHolder;
  /** Where the caller's events go. @default a new stream */
  readonly output?: SseOutput;
  readonly keepaliveMs: number;
  /**
   * `idle`: the pool may take any time as long as it sends something every `timeoutMs` (and none
   * once it asked the client something: people answer slowly); `total`: the whole answer within it.
   */
  readonly deadline: { readonly kind: 'idle' | 'total'; readonly timeoutMs: number };
  /**
   * Runs once when the gateway gives up on the pool's answer (the client went away, the deadline
   * passed, the gateway stops): where the pool can be told, it gets a `notifications/cancelled`.
   * @default - the pool request is only aborted
   */
  readonly onAbandon?: (reason: string) => void;
  /**
   * Rewrites a pool's notification or request for the caller before ids are relabelled (e.g. wraps the
   * task ids it names). @default - as sent
   */
  readonly rewrite?: (message: Record<string, unknown>) => Record<string, unknown>;
}

/** Takes a pool's stream over at its first server-to-client request (see `cross-era/pending-calls.ts`). */
export interface ServerRequestHolder {
  /**
   * The caller's answer for now and where the pool's further events go; why the request cannot be
   * held; or undefined when the holder answered the pool itself (a `ping`) and the relay goes on.
   */
  hold(request: Record<string, unknown>): { readonly answer: JsonRpcResponse; readonly rest: HeldStream } | GatewayError | undefined;
}

/** The rest of a pool's stream after it was held. */
export interface HeldStream {
  event(event: SseEvent): void;
  /** The stream ended (`error`: it broke off, or ended without the response). */
  end(error?: Error): void;
}

/** Headers of every live SSE answer: no caching, and no buffering by proxies such as nginx. */
export const SSE_HEADERS: Readonly<Record<string, string>> = { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', 'x-accel-buffering': 'no' };

export function relayPoolStream(options: PoolRelayOptions): SseOutput {
  const output = options.output ?? new SseOutput('call', options.keepaliveMs);
  let abandoned = false;
  const abandon = (reason: string) => {
    if (abandoned) return;
    abandoned = true;
    options.stream.abort();
    options.onAbandon?.(reason);
  };
  output.whenCancelled((reason) => abandon(`the client went away (${reason})`));
  void pump(options, output, abandon);
  return output;
}

/** Reads the pool's events into `output`; `abandon` stops reading and tells the pool (once). */
async function pump(options: PoolRelayOptions, output: SseOutput, abandon: (reason: string) => void): Promise<void> {
  const { pool, stream } = options;
  const decoder = new SseDecoder();
  let finished = false;
  let asked = false;
  let held: HeldStream | undefined;
  const finish = (response: JsonRpcResponse | ((output: SseOutput) => void), error?: GatewayError) => {
    if (finished) return;
    finished = true;
    clearTimeout(timer);
    if (typeof response === 'function') return response(output);
    output.push(writeSseEvent({ data: JSON.stringify(response) }));
    output.end();
    if (error) abandon(error.message);
  };
  const fail = (error: GatewayError) => finish(errorMessage(options.callerId, error), error);
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    clearTimeout(timer);
    if (asked) return;
    timer = setTimeout(
      () =>
        fail(
          new GatewayError(
            504,
            POOL_ERROR.timeout,
            `Pool "${pool}" timed out: ${options.deadline.kind === 'idle' ? 'nothing received' : 'no answer'} within ${options.deadline.timeoutMs} ms`,
            {},
            { data: { pool } },
          ),
        ),
      options.deadline.timeoutMs,
    );
  };
  arm();
  // While a slow client holds the pool's stream back, the pool's silence is the gateway's doing.
  const slowClient = async (behind: Promise<void>) => {
    clearTimeout(timer);
    await behind;
    if (!finished && options.deadline.kind === 'idle') arm();
  };
  output.onShutdown = (reason) =>
    fail(new GatewayError(503, POOL_ERROR.unavailable, `Gateway stopping (${reason}): the call to pool "${pool}" was cut off before it answered; its outcome is unknown`, {}, { data: { pool } }));
  const handle = (event: SseEvent) => {
    if (held) return held.event(event);
    if (finished) return;
    if (options.deadline.kind === 'idle') arm();
    let parsed: unknown;
    try {
      parsed = JSON.parse(event.data);
    } catch {
      return output.push(writeSseEvent(relabelled(pool, event, event.data)));
    }
    if (!isRecord(parsed)) return output.push(writeSseEvent(relabelled(pool, event, event.data)));
    const message = options.rewrite && !('result' in parsed || 'error' in parsed) ? options.rewrite(parsed) : parsed;
    if (message.id === options.wireId && ('result' in message || 'error' in message)) return finish(options.answer(message as unknown as JsonRpcResponse));
    if (typeof message.method === 'string' && (typeof message.id === 'string' || typeof message.id === 'number')) {
      if (typeof options.serverRequests === 'object') {
        const holding = options.serverRequests.hold(message);
        if (holding === undefined) return;
        if (holding instanceof GatewayError) return fail(holding);
        held = holding.rest;
        return finish(holding.answer);
      }
      if (options.serverRequests !== 'relay') return fail(options.serverRequests(message.method));
      asked = true;
      clearTimeout(timer);
      return output.push(writeSseEvent(relabelled(pool, event, JSON.stringify({ ...message, id: clientRequestId(pool, message.id) }))));
    }
    output.push(writeSseEvent(relabelled(pool, event, JSON.stringify(outboundNotification(pool, message)))));
  };
  try {
    for await (const chunk of stream.chunks) {
      for (const event of decoder.push(chunk)) handle(event);
      const behind = output.ready();
      if (behind) await slowClient(behind);
    }
    for (const event of decoder.end()) handle(event);
    if (held) return held.end();
    fail(new GatewayError(502, POOL_ERROR.unavailable, `Pool "${pool}" ended its stream without a JSON-RPC response for request ${JSON.stringify(options.wireId)}`, {}, { data: { pool } }));
  } catch (error) {
    if (held) return held.end(error as Error);
    if (!output.open) return; // the client went away and the relay aborted the pool stream
    fail(new GatewayError(502, POOL_ERROR.unavailable, `Pool "${pool}" broke off its stream: ${(error as Error).message}`, {}, { data: { pool } }));
  } finally {
    clearTimeout(timer);
  }
}

/** A pool notification as the client must see it: a cancellation names the request by its client-facing id. */
export function outboundNotification(pool: string, message: Record<string, unknown>): Record<string, unknown> {
  if (message.method !== 'notifications/cancelled' || !isRecord(message.params)) return message;
  const { requestId } = message.params;
  if (typeof requestId !== 'string' && typeof requestId !== 'number') return message;
  return { ...message, params: { ...message.params, requestId: clientRequestId(pool, requestId) } };
}

/** The event with new data and a pool-naming event id (so `Last-Event-ID` finds the pool again). */
export function relabelled(pool: string, event: SseEvent, data: string): SseEvent {
  return { data, ...(event.event !== undefined ? { event: event.event } : {}), ...(event.id ? { id: gatewayEventId(pool, event.id) } : {}) };
}
