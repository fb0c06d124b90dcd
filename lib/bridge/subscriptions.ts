/**
 * `subscriptions/listen` (2026-07-28) over the pool: the caller's POST stays open as an SSE stream
 * that starts with `notifications/subscriptions/acknowledged` (the notification kinds granted) and
 * carries the pool processes' list-change notifications, each tagged with the subscription id (the
 * listen request's id). Closing the stream ends the subscription; shutdown ends it with the result.
 */
import type { ServerResponse } from 'node:http';
import { isRecord, type JsonRpcId, type JsonRpcRequest } from '../gateway/protocol/jsonrpc';
import type { ChildMessage } from './child';
import { SseWriter } from './reply';

const SUBSCRIPTION_ID = 'io.modelcontextprotocol/subscriptionId';

/** Notification kind → the `notifications` flag that asks for it and the capability that offers it. */
const KINDS = [
  { method: 'notifications/tools/list_changed', flag: 'toolsListChanged', capability: 'tools' },
  { method: 'notifications/prompts/list_changed', flag: 'promptsListChanged', capability: 'prompts' },
  { method: 'notifications/resources/list_changed', flag: 'resourcesListChanged', capability: 'resources' },
] as const;

interface Listener {
  readonly id: JsonRpcId;
  readonly methods: ReadonlySet<string>;
  readonly stream: SseWriter;
}

export class Subscriptions {
  private readonly listeners = new Set<Listener>();

  /**
   * Opens a subscription for `request` on `res`, granting the asked-for list changes the server
   * declares (`listChanged` in its capabilities). Resource subscriptions are not granted: a pool
   * process's `resources/subscribe` state belongs to no single caller.
   */
  listen(request: JsonRpcRequest, res: ServerResponse, capabilities: Record<string, unknown>): void {
    const asked = isRecord(request.params?.notifications) ? request.params.notifications : {};
    const granted: Record<string, boolean> = {};
    const methods = new Set<string>();
    for (const kind of KINDS) {
      const offered = isRecord(capabilities[kind.capability]) && (capabilities[kind.capability] as Record<string, unknown>).listChanged === true;
      if (asked[kind.flag] === true && offered) {
        granted[kind.flag] = true;
        methods.add(kind.method);
      }
    }
    const listener: Listener = { id: request.id, methods, stream: new SseWriter(res) };
    this.listeners.add(listener);
    res.on('close', () => this.listeners.delete(listener));
    listener.stream.write({ jsonrpc: '2.0', method: 'notifications/subscriptions/acknowledged', params: { notifications: granted, _meta: { [SUBSCRIPTION_ID]: request.id } } });
  }

  /** Relays a pool process's notification to every subscription that asked for its kind. */
  publish(message: ChildMessage): void {
    for (const listener of this.listeners) {
      if (!listener.methods.has(message.method)) continue;
      const meta = isRecord(message.params?._meta) ? message.params._meta : {};
      listener.stream.write({ ...message, params: { ...message.params, _meta: { ...meta, [SUBSCRIPTION_ID]: listener.id } } } as ChildMessage);
    }
  }

  /** Ends every subscription with its result (shutdown). */
  closeAll(): void {
    for (const listener of this.listeners) {
      listener.stream.write({ jsonrpc: '2.0', id: listener.id, result: { _meta: { [SUBSCRIPTION_ID]: listener.id } } });
      listener.stream.end();
    }
    this.listeners.clear();
  }
}
