/**
 * Which tasks the gateway advertises, in the caller's era's form, only where it serves them: queue
 * pools' calls always become tasks when asked (the gateway runs them), and a pool's own tasks are
 * relayed when the gateway wraps their ids (`DispatcherOptions.tasks`) — a 2025-11-25 pool's
 * task-augmented calls also as the 2026 extension (`tasks/legacy-pool-tasks.ts`). 2025-era callers see the
 * 2025-11-25 `tasks` capability; 2026 callers the `io.modelcontextprotocol/tasks` extension and never
 * the legacy capability (the extension forbids advertising both in one era).
 */
import { isRecord } from '../protocol/jsonrpc';
import { isModernVersion } from '../protocol/versions';
import { TASKS_EXTENSION } from '../tasks/pool-tasks';
import type { DispatcherOptions } from './context';

/** The `tasks` (2025) or `extensions` (2026) entry of the gateway's capabilities; empty when none applies. */
export function taskCapabilities(options: DispatcherOptions, modern: boolean): Record<string, unknown> {
  const pools = options.tasks ? options.spec.pools.filter((p) => !p.priorityRoute && p.kind !== 'queue') : [];
  const offered = (wanted: boolean) => pools.filter((p) => isModernVersion(p.protocolVersion) === wanted).map((p) => options.catalog.capabilitiesOf(p.name));
  const legacy = offered(false)
    .map((caps) => caps?.tasks)
    .filter(isRecord);
  const legacyCalls = legacy.some((t) => isRecord(t.requests) && isRecord(t.requests.tools) && isRecord(t.requests.tools.call));
  // Each era's pools' tasks are translated for the other era's callers (legacy-pool-tasks.ts).
  const extension = offered(true).some((caps) => isRecord(caps?.extensions) && isRecord(caps.extensions[TASKS_EXTENSION]));
  if (modern) return options.queued || legacyCalls || extension ? { extensions: { [TASKS_EXTENSION]: {} } } : {};
  if (!options.queued && legacy.length === 0 && !extension) return {};
  const calls = options.queued !== undefined || legacyCalls || extension;
  return {
    tasks: {
      // Queue jobs are listed from the job store's per-caller index.
      ...(options.queued !== undefined || legacy.some((t) => isRecord(t.list)) ? { list: {} } : {}),
      cancel: {},
      ...(calls ? { requests: { tools: { call: {} } } } : {}),
    },
  };
}
