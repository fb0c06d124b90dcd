/**
 * A 2025-era pool's server-to-client request during a 2026-07-28 caller's call (streaming hosts):
 * the instance reading the pool's stream holds the call open and answers the caller with an
 * `input_required` result — the request as an input request, and a `requestState` naming the pool
 * and this instance's mailbox for the call. The caller's retry may reach any instance
 * (`resume-pending.ts`); it sends the `inputResponses` here, where they go to the pool as the
 * JSON-RPC responses over the caller's backend session, and the call's further events, its result or
 * its next input request go back to that instance. Bounded: the caller has `inputTimeoutMs` to come
 * back, the pool the usual deadline while a caller waits; an abandoned call is cancelled at the pool.
 */
import type { BackendOwner, PoolCall, PoolCaller, PoolTarget } from '../backend/pool-caller';
import { POOL_ERROR } from '../backend/response';
import { GatewayError } from '../errors';
import { errorMessage, isRecord, type JsonRpcId } from '../protocol/jsonrpc';
import type { RequestStates } from '../protocol/request-state';
import type { SseEvent } from '../protocol/sse';
import { outboundNotification, relabelled, type HeldStream, type ServerRequestHolder } from '../streaming/pool-relay';
import { cannotAsk, type InputRequest } from './input-requests';
import { isAddress, type Mailbox, type MailboxAddress, type Rendezvous } from './rendezvous';

/** Pool events kept for a caller that has not come back yet (more are dropped: progress is not worth unbounded memory). */
const MAX_BUFFERED_EVENTS = 256;

export interface PendingCallsOptions {
  readonly rendezvous: Rendezvous;
  readonly caller: PoolCaller;
  readonly states: RequestStates;
  /** The pool's deadline (silence) while a caller waits. */
  readonly backendTimeoutMs: number;
  /** How long a caller has to come back with its answers. */
  readonly inputTimeoutMs: number;
}

/** A 2026 caller's call to a 2025-era pool, as the holder needs it. */
export interface HeldCall {
  readonly target: PoolTarget;
  readonly owner: Extract<BackendOwner, { kind: 'principal' }>;
  readonly call: Pick<PoolCall, 'requestId' | 'identity'>;
  /** The id the pool answers. */
  readonly wireId: JsonRpcId;
  readonly callerId: JsonRpcId;
  /** Stops reading the pool's stream. */
  readonly abort: () => void;
  /** Tells the pool the call is abandoned. @default - the stream is only aborted */
  readonly cancel?: (reason: string) => void;
}

export class PendingCalls {
  private readonly live = new Set<PendingCall>();

  constructor(private readonly options: PendingCallsOptions) {}

  /** What the relay of `held`'s pool stream does with a server-to-client request. Await `rendezvous.ready()` first. */
  holder(held: HeldCall): ServerRequestHolder {
    return {
      hold: (request) => {
        // A pool checking on its caller is answered here: nothing to ask the caller, the relay goes on.
        if (request.method === 'ping') return void answerPing(this.options.caller, held, request.id as JsonRpcId);
        const refused = this.refusal(held, request);
        if (refused) return refused;
        const pending = new PendingCall(held, this.options, () => this.live.delete(pending));
        this.live.add(pending);
        pending.take(request);
        return { answer: { jsonrpc: '2.0', id: held.callerId, result: pending.inputRequired() }, rest: pending };
      },
    };
  }

  /** Ends every held call (the gateway stops): callers that come back are told the call is gone. */
  close(reason: string): void {
    for (const pending of [...this.live]) pending.stop(`the gateway stopped (${reason})`);
  }

  private refusal(held: HeldCall, request: Record<string, unknown>): GatewayError | undefined {
    return cannotAsk(held.target.pool.name, String(request.method), held.owner.envelope.clientCapabilities, 'the caller (MCP 2026-07-28, in its clientCapabilities)');
  }
}

type Letter = Record<string, unknown>;

class PendingCall implements HeldStream {
  private readonly mailbox: Mailbox;
  private readonly pool: string;
  /** Requests the caller has not answered yet, by input key. */
  private readonly outstanding = new Map<string, { id: JsonRpcId; request: InputRequest }>();
  private nextKey = 0;
  private waiter: MailboxAddress | undefined;
  private buffered: SseEvent[] = [];
  private outcome: Letter | undefined;
  private timer: NodeJS.Timeout | undefined;
  private over = false;

  constructor(
    private readonly held: HeldCall,
    private readonly options: PendingCallsOptions,
    private readonly forget: () => void,
  ) {
    this.pool = held.target.pool.name;
    this.mailbox = options.rendezvous.open((letter) => void this.receive(letter));
    this.waitForCaller();
  }

  /** The `input_required` result for what is outstanding now. */
  inputRequired(): Record<string, unknown> {
    const inputRequests = Object.fromEntries([...this.outstanding].map(([key, { request }]) => [key, request]));
    return { resultType: 'input_required', inputRequests, requestState: this.options.states.sealPending(this.pool, this.mailbox.address) };
  }

  /** A server-to-client request of the pool becomes an outstanding input request. */
  take(request: Record<string, unknown>): void {
    const key = `r${++this.nextKey}`;
    const params = isRecord(request.params) ? request.params : undefined;
    this.outstanding.set(key, { id: request.id as JsonRpcId, request: { method: String(request.method), ...(params ? { params } : {}) } });
  }

  event(event: SseEvent): void {
    if (this.over) return;
    let message: unknown;
    try {
      message = JSON.parse(event.data);
    } catch {
      message = undefined;
    }
    if (this.waiter) this.armIdle();
    if (!isRecord(message)) return this.forward(relabelled(this.pool, event, event.data));
    if (message.id === this.held.wireId && ('result' in message || 'error' in message)) return this.finish({ k: 'final', response: message });
    if (typeof message.method === 'string' && (typeof message.id === 'string' || typeof message.id === 'number')) return this.request(message);
    this.forward(relabelled(this.pool, event, JSON.stringify(outboundNotification(this.pool, message))));
  }

  end(error?: Error): void {
    if (this.over) return;
    const why = error ? `broke off its stream: ${error.message}` : `ended its stream without a JSON-RPC response for request ${JSON.stringify(this.held.wireId)}`;
    this.fail(new GatewayError(502, POOL_ERROR.unavailable, `Pool "${this.pool}" ${why}`, {}, { data: { pool: this.pool } }), false);
  }

  abandon(reason: string): void {
    this.fail(new GatewayError(503, POOL_ERROR.callLost, `The call to pool "${this.pool}" was abandoned: ${reason}; its outcome is unknown`, {}, { data: { pool: this.pool } }), true);
  }

  /** Abandons the call and forgets it at once. */
  stop(reason: string): void {
    this.abandon(reason);
    this.dispose();
  }

  private request(message: Record<string, unknown>): void {
    if (message.method === 'ping') return answerPing(this.options.caller, this.held, message.id as JsonRpcId);
    const refused = cannotAsk(this.pool, String(message.method), this.held.owner.envelope.clientCapabilities, 'the caller (MCP 2026-07-28, in its clientCapabilities)');
    if (refused) return this.fail(refused, true);
    this.take(message);
    if (this.waiter) this.askWaiter();
  }

  /** The waiting caller gets the outstanding requests; the call waits for it to come back. */
  private askWaiter(): void {
    const waiter = this.waiter!;
    this.waiter = undefined;
    void this.options.rendezvous.post(waiter, { k: 'input', result: this.inputRequired() }).catch(() => false);
    this.waitForCaller();
  }

  private async receive(letter: Letter): Promise<void> {
    if (letter.k === 'cancel') return this.abandon('the caller went away');
    if (letter.k !== 'resume' || !isAddress(letter.replyTo)) return;
    const replyTo = letter.replyTo;
    const refuse = (error: GatewayError) => void this.options.rendezvous.post(replyTo, { k: 'final', response: errorMessage(null, error) }).catch(() => false);
    if (letter.principal !== this.held.owner.principal) return refuse(new GatewayError(200, -32602, 'Invalid params: params.requestState belongs to another caller'));
    if (this.outcome) return this.settle(replyTo);
    if (this.waiter) return refuse(new GatewayError(200, -32602, 'Invalid params: this call is already being resumed (by another retry)'));
    const responses = isRecord(letter.responses) ? letter.responses : {};
    const answered = [...this.outstanding].filter(([key]) => isRecord(responses[key]));
    if (answered.length === 0 && this.outstanding.size > 0) {
      return refuse(new GatewayError(200, -32602, `Invalid params: params.inputResponses must answer ${[...this.outstanding.keys()].join(', ')}`, {}, { data: { field: 'params.inputResponses' } }));
    }
    this.waiter = replyTo;
    this.armIdle();
    for (const event of this.buffered.splice(0)) this.forward(event);
    for (const [key, { id }] of answered) {
      this.outstanding.delete(key);
      const delivered = await this.options.caller.deliver(this.held.target, this.held.owner, { jsonrpc: '2.0', id, result: responses[key] }, this.held.call).catch(() => false);
      if (!delivered)
        return this.fail(
          new GatewayError(502, POOL_ERROR.unavailable, `Pool "${this.pool}" did not take the answer to its ${String(answered[0]![1].request.method)}`, {}, { data: { pool: this.pool } }),
          true,
        );
    }
    if (this.outstanding.size > 0 && this.waiter) this.askWaiter();
  }

  private forward(event: SseEvent): void {
    if (this.waiter) void this.options.rendezvous.post(this.waiter, { k: 'event', event }).catch(() => false);
    else if (this.buffered.length < MAX_BUFFERED_EVENTS) this.buffered.push(event);
  }

  /** The call is over: the waiting caller gets `outcome`, or the next one to come back does. */
  private finish(outcome: Letter): void {
    this.over = true;
    this.outcome = outcome;
    if (this.waiter) this.settle(this.waiter);
    else this.waitForCaller(); // kept for the caller's retry, as long as it may come
  }

  private settle(to: MailboxAddress): void {
    void this.options.rendezvous.post(to, this.outcome!).catch(() => false);
    this.dispose();
  }

  private fail(error: GatewayError, cancel: boolean): void {
    if (this.over && !this.waiter) return this.dispose();
    if (cancel) {
      this.held.abort();
      this.held.cancel?.(error.message);
    }
    this.finish({ k: 'final', response: errorMessage(null, error) });
  }

  private waitForCaller(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      if (this.over) return this.dispose();
      this.abandon(`the caller did not come back with its answers within ${this.options.inputTimeoutMs} ms`);
    }, this.options.inputTimeoutMs);
  }

  private armIdle(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(
      () => this.fail(new GatewayError(504, POOL_ERROR.timeout, `Pool "${this.pool}" timed out: nothing received within ${this.options.backendTimeoutMs} ms`, {}, { data: { pool: this.pool } }), true),
      this.options.backendTimeoutMs,
    );
  }

  private dispose(): void {
    this.over = true;
    clearTimeout(this.timer);
    this.mailbox.close();
    this.forget();
  }
}

/** Answers a pool's `ping` over the caller's backend session (best effort: a pool that misses it asks again). */
function answerPing(caller: PoolCaller, held: HeldCall, id: JsonRpcId): void {
  void caller.deliver(held.target, held.owner, { jsonrpc: '2.0', id, result: {} }, held.call).catch(() => false);
}
