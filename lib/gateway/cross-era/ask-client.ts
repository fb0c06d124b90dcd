/**
 * A 2026-07-28 pool's `input_required` answer to a 2025-era client (streaming hosts): each input
 * request becomes a server-to-client request on the client's open call stream, its id naming the
 * pool and the mailbox of this instance, so the client's answer — a new POST that may reach any
 * instance — comes back here through the `Rendezvous`. With every answer in, the call goes to the
 * pool again with `inputResponses` and the pool's `requestState`, on the same stream, for as many
 * rounds as the pool needs. Bounded: the client has `inputTimeoutMs` to answer, the pool the usual
 * deadlines; the client going away or the gateway stopping ends it, never a hang.
 */
import type { PoolCall, PoolCaller, PoolTarget, SessionOwner } from '../backend/pool-caller';
import { POOL_ERROR, responseIn } from '../backend/response';
import { GatewayError } from '../errors';
import { toLegacyResult } from '../protocol/envelope';
import { errorMessage, isRecord, resultMessage, toGatewayError, type JsonRpcId, type JsonRpcRequest, type JsonRpcResponse } from '../protocol/jsonrpc';
import { writeSseEvent } from '../protocol/sse';
import { relayPoolStream } from '../streaming/pool-relay';
import type { SseOutput } from '../streaming/sse-output';
import { clientRequestId } from '../streaming/wire-ids';
import { cannotAsk, inputRequestId, inputRequestsOf } from './input-requests';
import type { Rendezvous } from './rendezvous';

/** Rounds one call may take: a pool that never stops asking is cut off. */
const MAX_ROUNDS = 16;

export interface ClientInputOptions {
  readonly rendezvous: Rendezvous;
  readonly caller: PoolCaller;
  readonly keepaliveMs: number;
  /** The pool's deadline (silence) per round. */
  readonly backendTimeoutMs: number;
  /** How long the client has to answer one round. */
  readonly inputTimeoutMs: number;
}

/** One call of a 2025 client to a 2026 pool. */
export interface ClientCall {
  readonly target: PoolTarget;
  readonly owner: SessionOwner;
  /** The request as the pool got it (its id is what the pool answers). */
  readonly outbound: JsonRpcRequest;
  readonly call: PoolCall;
  /** The client's id for the call. */
  readonly callerId: JsonRpcId;
  /** What the call's final result goes through before the client's era is applied (task ids wrapped). */
  readonly transform: (result: Record<string, unknown>) => Record<string, unknown>;
}

export class ClientInputRounds {
  constructor(private readonly options: ClientInputOptions) {}

  /** The answer of `call`'s pool in the client's form, or the continuation that asks the client (an `input_required` result). */
  answerFor(call: ClientCall, round = 1): (response: JsonRpcResponse) => JsonRpcResponse | ((output: SseOutput) => void) {
    return (response) => {
      if (response.error) return { jsonrpc: '2.0', id: call.callerId, error: response.error };
      const result = response.result ?? {};
      if (result.resultType !== 'input_required') return resultMessage(call.callerId, toLegacyResult(call.transform(result)));
      return (output) => void this.continue(output, call, result, round);
    };
  }

  /** Asks the client, calls the pool again, and carries on on `output` until the call ends. */
  async continue(output: SseOutput, call: ClientCall, result: Record<string, unknown>, round: number): Promise<void> {
    const pool = call.target.pool.name;
    let stopped: ((error: GatewayError) => void) | undefined;
    output.onShutdown = (reason) => stopped?.(new GatewayError(503, POOL_ERROR.unavailable, `Gateway stopping (${reason}): the call to pool "${pool}" was cut off while waiting for the client`));
    try {
      if (round > MAX_ROUNDS) throw new GatewayError(502, POOL_ERROR.unavailable, `Pool "${pool}" asked for input ${MAX_ROUNDS} times in one call; the call was abandoned`, {}, { data: { pool } });
      const responses = await this.ask(output, call, result, (stop) => (stopped = stop));
      const retry: JsonRpcRequest = {
        ...call.outbound,
        params: { ...call.outbound.params, inputResponses: responses, ...(typeof result.requestState === 'string' ? { requestState: result.requestState } : {}) },
      };
      const reply = await this.options.caller.send(call.target, retry, { ...call.call, streamSse: true });
      if (reply.stream) {
        relayPoolStream({
          output,
          pool,
          stream: reply.stream,
          wireId: retry.id,
          callerId: call.callerId,
          answer: this.answerFor(call, round + 1),
          serverRequests: 'relay',
          keepaliveMs: this.options.keepaliveMs,
          deadline: { kind: 'idle', timeoutMs: this.options.backendTimeoutMs },
        });
        return;
      }
      const answered = this.answerFor(call, round + 1)(responseIn(reply, retry.id, pool));
      if (typeof answered === 'function') return answered(output);
      end(output, answered);
    } catch (error) {
      end(output, errorMessage(call.callerId, toGatewayError(error)));
    }
  }

  /** Sends the round's requests to the client and waits for every answer: the `inputResponses`. */
  private async ask(output: SseOutput, call: ClientCall, result: Record<string, unknown>, onStop: (stop: (error: GatewayError) => void) => void): Promise<Record<string, unknown>> {
    const pool = call.target.pool.name;
    const requests = inputRequestsOf(pool, result);
    for (const [, request] of requests) {
      const refused = cannotAsk(pool, request.method, call.owner.session.clientCapabilities, 'the client (at initialize)');
      if (refused) throw refused;
    }
    if (requests.length === 0) return {};
    await this.options.rendezvous.ready();
    const responses: Record<string, unknown> = {};
    const methods = new Map(requests.map(([key, request]) => [key, request.method]));
    return new Promise((resolve, reject) => {
      const done = (error?: GatewayError) => {
        clearTimeout(timer);
        mailbox.close();
        if (error) reject(error);
        else resolve(responses);
      };
      const mailbox = this.options.rendezvous.open((letter) => {
        // Only the session the question went to may answer it.
        if (letter.k !== 'answer' || letter.session !== call.owner.sessionId || typeof letter.key !== 'string' || !methods.has(letter.key)) return;
        const method = methods.get(letter.key)!;
        methods.delete(letter.key);
        const answer = letter.message as Partial<JsonRpcResponse>;
        if (isRecord(answer.error)) {
          const { code, message } = answer.error as { code?: unknown; message?: unknown };
          return done(
            new GatewayError(
              200,
              typeof code === 'number' ? code : POOL_ERROR.cannotRelay,
              `The client refused ${method} that pool "${pool}" needs: ${String(message)}`,
              {},
              { data: { pool, method } },
            ),
          );
        }
        responses[letter.key] = answer.result ?? {};
        if (methods.size === 0) done();
      });
      const timer = setTimeout(
        () =>
          done(
            new GatewayError(
              504,
              POOL_ERROR.timeout,
              `The client did not answer ${[...methods.values()].join(', ')} for pool "${pool}" within ${this.options.inputTimeoutMs} ms; the call was abandoned`,
              {},
              { data: { pool } },
            ),
          ),
        this.options.inputTimeoutMs,
      );
      output.whenCancelled(() => done(new GatewayError(499, POOL_ERROR.cannotRelay, 'the client went away')));
      onStop(done);
      for (const [key, request] of requests) {
        const id = clientRequestId(pool, inputRequestId(mailbox.address, key));
        output.push(writeSseEvent({ data: JSON.stringify({ jsonrpc: '2.0', id, method: request.method, ...(request.params ? { params: request.params } : {}) }) }));
      }
    });
  }
}

function end(output: SseOutput, message: JsonRpcResponse): void {
  output.push(writeSseEvent({ data: JSON.stringify(message) }));
  output.end();
}
