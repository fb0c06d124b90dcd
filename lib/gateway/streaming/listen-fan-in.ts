/**
 * `subscriptions/listen` (2026-07-28) fanned in across pools: the caller's filter is split per pool
 * (list-change flags to every 2026 pool, each resource URI to the pool that owns it), each pool's
 * listen is opened with the caller's own request id — so the pools already tag their notifications
 * with the subscription id the caller knows — and once every pool acknowledged (or failed), the
 * caller gets one acknowledgement with the union of what the pools honour, then the pools'
 * notifications as they come. Closing the caller's stream closes the pools'; a stopping gateway
 * ends the subscription gracefully (the empty `subscriptions/listen` result).
 */
import type { PoolCall, PoolCaller, PoolTarget } from '../backend/pool-caller';
import type { BackendStream } from '../backend/transport';
import { GatewayError } from '../errors';
import { RPC, isRecord, type JsonRpcId, type JsonRpcRequest } from '../protocol/jsonrpc';
import { SseDecoder, writeSseEvent } from '../protocol/sse';
import { SseOutput } from './sse-output';

const SUBSCRIPTION_ID = 'io.modelcontextprotocol/subscriptionId';
const ACKNOWLEDGED = 'notifications/subscriptions/acknowledged';
const FLAGS = ['toolsListChanged', 'promptsListChanged', 'resourcesListChanged'] as const;

export interface SubscriptionFilter {
  toolsListChanged?: boolean;
  promptsListChanged?: boolean;
  resourcesListChanged?: boolean;
  resourceSubscriptions?: string[];
}

export interface ListenOptions {
  readonly caller: PoolCaller;
  /** The 2026 pools that may take part. */
  readonly targets: readonly PoolTarget[];
  readonly message: JsonRpcRequest;
  readonly call: PoolCall;
  /** The pool owning a resource URI. */
  readonly resourceOwner: (uri: string) => Promise<PoolTarget | undefined>;
  readonly keepaliveMs: number;
  /** How long pools get to acknowledge. */
  readonly ackTimeoutMs: number;
  readonly onPoolProblem: (pool: string, error: Error) => void;
}

export async function openListen(options: ListenOptions): Promise<SseOutput> {
  const { message } = options;
  const filter = filterOf(message);
  const perPool = await splitFilter(filter, options);
  const output = new SseOutput('listen', options.keepaliveMs);
  const streams: BackendStream[] = [];
  output.whenCancelled(() => streams.forEach((s) => s.abort()));
  output.onShutdown = () => {
    output.push(writeSseEvent({ data: JSON.stringify(graceful(message.id)) }));
    output.end();
    streams.forEach((s) => s.abort());
  };
  const opened = await Promise.all(
    perPool.map(async ({ target, filter: poolFilter }) => {
      try {
        const reply = await options.caller.send(target, { ...message, params: { ...message.params, notifications: poolFilter } }, { ...options.call, streamSse: true });
        if (!reply.stream) throw new Error(`answered HTTP ${reply.status} without a stream: ${reply.body.slice(0, 200)}`);
        streams.push(reply.stream);
        return { pool: target.pool.name, stream: reply.stream };
      } catch (error) {
        options.onPoolProblem(target.pool.name, error as Error);
        return undefined;
      }
    }),
  );
  const live = opened.filter((o): o is { pool: string; stream: BackendStream } => o !== undefined);
  const honored: SubscriptionFilter = {};
  let waiting = live.length;
  let running = live.length;
  const held: string[] = [];
  const acknowledged = () => {
    if (waiting === -1) return;
    waiting = -1;
    clearTimeout(timer);
    output.push(writeSseEvent({ data: JSON.stringify({ jsonrpc: '2.0', method: ACKNOWLEDGED, params: { notifications: honored, _meta: { [SUBSCRIPTION_ID]: message.id } } }) }));
    held.splice(0).forEach((text) => output.push(text));
    if (running === 0) output.onShutdown('no pool listens');
  };
  const timer = setTimeout(acknowledged, options.ackTimeoutMs);
  const poolAcked = () => {
    if (waiting > 0 && --waiting === 0) acknowledged();
  };
  for (const { stream } of live) {
    void (async () => {
      const decoder = new SseDecoder();
      let acked = false;
      try {
        for await (const chunk of stream.chunks) {
          for (const event of decoder.push(chunk)) {
            const parsed = parse(event.data);
            if (!acked && parsed?.method === ACKNOWLEDGED) {
              acked = true;
              merge(honored, isRecord(parsed.params) && isRecord(parsed.params.notifications) ? (parsed.params.notifications as SubscriptionFilter) : {});
              poolAcked();
              continue;
            }
            if (parsed && parsed.id === message.id) break; // the pool ended its part gracefully
            const text = writeSseEvent({ data: event.data });
            if (waiting === -1) output.push(text);
            else held.push(text);
          }
          await output.ready(); // a slow client holds the pool stream back (undefined: go on)
        }
      } catch {
        // The pool's stream broke off, or the caller's closed and aborted it.
      }
      // A pool that never acknowledged counts as answered (it honours nothing).
      if (!acked) poolAcked();
      running--;
      if (running === 0 && waiting === -1) output.onShutdown('every pool ended its subscription');
    })();
  }
  if (live.length === 0) acknowledged();
  return output;
}

function filterOf(message: JsonRpcRequest): SubscriptionFilter {
  const notifications = message.params?.notifications;
  const invalid = () =>
    new GatewayError(
      200,
      RPC.invalidParams,
      'Invalid params: subscriptions/listen needs params.notifications, a SubscriptionFilter (booleans toolsListChanged, promptsListChanged, resourcesListChanged; resourceSubscriptions: string[])',
    );
  if (!isRecord(notifications)) throw invalid();
  for (const flag of FLAGS) if (notifications[flag] !== undefined && typeof notifications[flag] !== 'boolean') throw invalid();
  const uris = notifications.resourceSubscriptions;
  if (uris !== undefined && (!Array.isArray(uris) || !uris.every((u) => typeof u === 'string'))) throw invalid();
  return notifications as SubscriptionFilter;
}

/** Each pool's part: the list-change flags for all, each resource URI for its owner; pools with nothing to do are left out. */
async function splitFilter(filter: SubscriptionFilter, options: ListenOptions): Promise<Array<{ target: PoolTarget; filter: SubscriptionFilter }>> {
  const uris = new Map<string, string[]>();
  for (const uri of filter.resourceSubscriptions ?? []) {
    const owner = await options.resourceOwner(uri);
    if (owner) uris.set(owner.pool.name, [...(uris.get(owner.pool.name) ?? []), uri]);
  }
  const parts: Array<{ target: PoolTarget; filter: SubscriptionFilter }> = [];
  for (const target of options.targets) {
    const part: SubscriptionFilter = {};
    for (const flag of FLAGS) if (filter[flag]) part[flag] = true;
    const owned = uris.get(target.pool.name);
    if (owned) part.resourceSubscriptions = owned;
    if (Object.keys(part).length > 0) parts.push({ target, filter: part });
  }
  return parts;
}

function merge(into: SubscriptionFilter, from: SubscriptionFilter): void {
  for (const flag of FLAGS) if (from[flag] === true) into[flag] = true;
  if (Array.isArray(from.resourceSubscriptions) && from.resourceSubscriptions.length > 0) {
    into.resourceSubscriptions = [...(into.resourceSubscriptions ?? []), ...from.resourceSubscriptions];
  }
}

function graceful(id: JsonRpcId): Record<string, unknown> {
  return { jsonrpc: '2.0', id, result: { resultType: 'complete', _meta: { [SUBSCRIPTION_ID]: id } } };
}

function parse(data: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(data);
    return isRecord(value) ? value : undefined;
  } catch {
    return undefined;
  }
}
