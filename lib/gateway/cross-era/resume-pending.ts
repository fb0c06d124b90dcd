/**
 * A 2026-07-28 caller's retry of a call that a gateway instance holds open (see `pending-calls.ts`),
 * on whichever instance it lands: the `inputResponses` go to the holder's mailbox (named by the
 * `requestState`), and the holder's letters — the pool's events, then the call's result or its next
 * input request — become this request's answer, streamed as they come. A holder that is gone is
 * known at once (the bus reaches no one) and answered with `callLost`; one that goes silent is
 * bounded by the pool deadline.
 */
import { POOL_ERROR } from '../backend/response';
import { GatewayError } from '../errors';
import type { GatewayResponse } from '../http';
import { toModernResult } from '../protocol/envelope';
import { errorMessage, isRecord, type JsonRpcRequest, type JsonRpcResponse } from '../protocol/jsonrpc';
import { writeSseEvent, type SseEvent } from '../protocol/sse';
import { SSE_HEADERS } from '../streaming/pool-relay';
import { SseOutput } from '../streaming/sse-output';
import type { MailboxAddress, Rendezvous } from './rendezvous';

export interface ResumeOptions {
  readonly rendezvous: Rendezvous;
  readonly keepaliveMs: number;
  /** How long the holder may stay silent. */
  readonly backendTimeoutMs: number;
}

export async function resumePending(options: ResumeOptions, pool: string, holder: MailboxAddress, message: JsonRpcRequest, principal: string): Promise<GatewayResponse> {
  const { rendezvous } = options;
  await rendezvous.ready();
  const output = new SseOutput('call', options.keepaliveMs);
  let timer: NodeJS.Timeout | undefined;
  const close = (answer: JsonRpcResponse) => {
    clearTimeout(timer);
    mailbox.close();
    output.push(writeSseEvent({ data: JSON.stringify(answer) }));
    output.end();
  };
  const fail = (error: GatewayError) => close(errorMessage(message.id, error));
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(
      () =>
        fail(new GatewayError(504, POOL_ERROR.timeout, `Pool "${pool}" timed out: the gateway instance holding the call sent nothing within ${options.backendTimeoutMs} ms`, {}, { data: { pool } })),
      options.backendTimeoutMs,
    );
  };
  const mailbox = rendezvous.open((letter) => {
    if (!output.open) return;
    arm();
    if (letter.k === 'event' && isRecord(letter.event)) return output.push(writeSseEvent(letter.event as unknown as SseEvent));
    if (letter.k === 'input' && isRecord(letter.result)) return close({ jsonrpc: '2.0', id: message.id, result: letter.result });
    if (letter.k === 'final' && isRecord(letter.response)) {
      const response = letter.response as unknown as JsonRpcResponse;
      return close(response.error ? { jsonrpc: '2.0', id: message.id, error: response.error } : { jsonrpc: '2.0', id: message.id, result: toModernResult(message.method, response.result ?? {}) });
    }
    if (letter.k === 'gone') fail(callLost(pool, 'it finished or was abandoned there'));
  });
  output.whenCancelled(() => {
    clearTimeout(timer);
    mailbox.close();
    void rendezvous.post(holder, { k: 'cancel' }).catch(() => false);
  });
  output.onShutdown = (reason) => fail(new GatewayError(503, POOL_ERROR.unavailable, `Gateway stopping (${reason}) while waiting for the call to pool "${pool}"`, {}, { data: { pool } }));
  arm();
  const responses = isRecord(message.params?.inputResponses) ? message.params.inputResponses : {};
  const reached = await rendezvous.post(holder, { k: 'resume', principal, responses, replyTo: mailbox.address }).catch((error: unknown) => {
    fail(error instanceof GatewayError ? error : callLost(pool, (error as Error).message));
    return true;
  });
  if (!reached) fail(callLost(pool, 'the gateway instance holding it is gone (stopped or failed)'));
  return { status: 200, headers: { ...SSE_HEADERS }, body: output };
}

function callLost(pool: string, why: string): GatewayError {
  return new GatewayError(
    200,
    POOL_ERROR.callLost,
    `The call to pool "${pool}" that params.requestState resumes is lost: ${why}; its outcome is unknown. Call the tool again.`,
    {},
    { data: { pool } },
  );
}
