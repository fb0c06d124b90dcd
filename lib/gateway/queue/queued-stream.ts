/**
 * A synchronous queued call answered as a live SSE stream, for a caller that asked for progress
 * (`_meta.progressToken`) on a host that streams: the job's progress, as workers store it, reaches
 * the caller as `notifications/progress`, then the answer (or the error with the task id) ends it.
 * A caller that goes away leaves the job running: it is a task, and `tasks/result` still answers.
 */
import type { JobRecord } from '../../worker/job-store';
import type { ResponseStream } from '../http';
import { errorMessage, toGatewayError, type JsonRpcId, type JsonRpcResponse } from '../protocol/jsonrpc';
import { writeSseEvent } from '../protocol/sse';
import { SseOutput } from '../streaming/sse-output';

export interface QueuedStreamOptions {
  readonly progressToken: string | number;
  readonly callerId: JsonRpcId;
  readonly keepaliveMs: number;
  /** Runs the call, reporting each stored change of the job. */
  readonly run: (onProgress: (record: JobRecord) => void) => Promise<Record<string, unknown>>;
  /** The caller's answer for a result (its era's shape, its id). */
  readonly answer: (result: Record<string, unknown>) => JsonRpcResponse;
}

const event = (message: unknown) => writeSseEvent({ event: 'message', data: JSON.stringify(message) });

export function streamQueuedCall(options: QueuedStreamOptions): ResponseStream {
  const output = new SseOutput('call', options.keepaliveMs);
  let last: number | undefined;
  const onProgress = (record: JobRecord) => {
    const progress = record.progress;
    // Progress must increase; the store may report the same value again with another change.
    if (!progress || (last !== undefined && progress.progress <= last)) return;
    last = progress.progress;
    output.push(event({ jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: options.progressToken, ...progress } }));
  };
  const finish = (message: JsonRpcResponse) => {
    output.push(event(message));
    output.end();
  };
  output.onShutdown = (reason) => finish(errorMessage(options.callerId, toGatewayError(new Error(`gateway stopping (${reason}) while waiting for the job; it goes on as a task`))));
  options.run(onProgress).then(
    (result) => finish(options.answer(result)),
    (error: unknown) => finish(errorMessage(options.callerId, toGatewayError(error))),
  );
  return output;
}
