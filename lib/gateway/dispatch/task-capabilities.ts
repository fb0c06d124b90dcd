/**
 * Which tasks the gateway advertises, in the caller's era's form, only where it serves them: queue
 * pools' calls always become tasks when asked (the gateway runs them), and a pool's own tasks are
 * relayed when the gateway wraps their ids (`DispatcherOptions.tasks`). 2025-era callers see the
 * 2025-11-25 `tasks` capability; 2026 callers the `io.modelcontextprotocol/tasks` extension and never
 * the legacy capability (the extension forbids advertising both in one era).
 */
import { isRecord } from '../protocol/jsonrpc';
import { isModernVersion } from '../protocol/versions';
import { TASKS_EXTENSION } from '../tasks/pool-tasks';
import type { DispatcherOptions } from './context';

/** The `tasks` (2025) or `extensions` (2026) entry of the gateway's capabilities; empty when none applies. */
export function taskCapabilities(options: DispatcherOptions, modern: boolean): Record<string, unknown> {
  const pools = options.spec.pools.filter((p) => !p.priorityRoute && p.kind !== 'queue' && isModernVersion(p.protocolVersion) === modern);
  const offered = options.tasks ? pools.map((p) => options.catalog.capabilitiesOf(p.name)) : [];
  if (modern) {
    const relayed = offered.some((caps) => isRecord(caps?.extensions) && isRecord(caps.extensions[TASKS_EXTENSION]));
    return options.queued || relayed ? { extensions: { [TASKS_EXTENSION]: {} } } : {};
  }
  const legacy = offered.map((caps) => caps?.tasks).filter(isRecord);
  if (!options.queued && legacy.length === 0) return {};
  const calls = options.queued !== undefined || legacy.some((t) => isRecord(t.requests) && isRecord(t.requests.tools) && isRecord(t.requests.tools.call));
  return {
    tasks: {
      ...(legacy.some((t) => isRecord(t.list)) ? { list: {} } : {}),
      cancel: {},
      ...(calls ? { requests: { tools: { call: {} } } } : {}),
    },
  };
}
