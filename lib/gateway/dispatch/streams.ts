/**
 * Answers that are streams the gateway makes itself: a 2026 caller's `subscriptions/listen` fanned in
 * across the 2026 pools, and a queue pool's call with live progress.
 */
import { POOL_ERROR } from '../backend/response';
import { GatewayError } from '../errors';
import { isRecord, resultMessage, type JsonRpcRequest } from '../protocol/jsonrpc';
import { isModernVersion } from '../protocol/versions';
import type { QueuedCall, QueuedToolCalls } from '../queue/queued-calls';
import { streamQueuedCall } from '../queue/queued-stream';
import { openListen } from '../streaming/listen-fan-in';
import { SSE_HEADERS } from '../streaming/pool-relay';
import { declaresTasksExtension } from '../tasks/pool-tasks';
import { forCaller, replyWith, type DispatcherOptions, type Reply, type RequestContext } from './context';

/** `subscriptions/listen` across the 2026 pools (see `streaming/listen-fan-in.ts`); it needs a streaming host. */
export async function listen(options: DispatcherOptions, message: JsonRpcRequest, ctx: RequestContext): Promise<Reply> {
  if (!ctx.streaming) {
    throw new GatewayError(
      200,
      POOL_ERROR.cannotRelay,
      'subscriptions/listen needs a gateway that holds streams open: this one answers buffered (ALB→Lambda); run it as a service (gateway.hosting "service" or mcp-fleet gateway), or poll the lists',
    );
  }
  const { spec, catalog, caller } = options;
  const output = await openListen({
    caller,
    targets: spec.pools.filter((p) => !p.priorityRoute && isModernVersion(p.protocolVersion)).map((p) => options.targets.get(p.name)!),
    message,
    call: { owner: ctx.owner, idempotent: false, requestId: ctx.requestId, ...(ctx.identity ? { identity: ctx.identity } : {}) },
    resourceOwner: (uri) => catalog.resourceOwner(uri, ctx.requestId),
    keepaliveMs: spec.gateway.sseKeepaliveSeconds * 1000,
    ackTimeoutMs: spec.gateway.backendTimeoutMs,
    onPoolProblem: () => undefined,
  });
  return { kind: 'relay', response: { status: 200, headers: { ...SSE_HEADERS }, body: output } };
}

/** A queue pool's call: streamed with progress when the caller asked for it and the host streams, else one answer. */
export async function queuedCall(options: DispatcherOptions, message: JsonRpcRequest, ctx: RequestContext, call: QueuedCall, queued: QueuedToolCalls): Promise<Reply> {
  const meta = message.params?._meta;
  const progressToken = isRecord(meta) ? meta.progressToken : undefined;
  const asksForTask = ctx.modern ? declaresTasksExtension(message.params) : isRecord(message.params?.task);
  if (!ctx.streaming || asksForTask || (typeof progressToken !== 'string' && typeof progressToken !== 'number')) {
    return replyWith(message.id, await queued.call(call), ctx, message.method);
  }
  const body = streamQueuedCall({
    progressToken,
    callerId: message.id,
    keepaliveMs: options.spec.gateway.sseKeepaliveSeconds * 1000,
    run: (onProgress) => queued.call({ ...call, onProgress }),
    answer: (result) => resultMessage(message.id, forCaller(result, ctx, message.method)),
  });
  return { kind: 'relay', response: { status: 200, headers: { ...SSE_HEADERS }, body } };
}
