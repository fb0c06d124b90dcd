/**
 * Per-tool and per-pool call metrics, aggregated in memory and written as CloudWatch EMF lines.
 * Recording a call is a map lookup, two additions and an array push; one EMF line carries up to 100
 * calls of one (pool, tool) pair (EMF's cap on values per metric), so a busy gateway writes a line per
 * 100 calls plus one per pair at each flush. Latency stays raw values, so p50/p99 statistics work.
 */
import { EMF_MAX_VALUES, emfLine } from './emf';
import { METRIC_DIMENSION_SETS, METRIC_DIMENSIONS, METRIC_NAMES, METRICS_NAMESPACE, type RejectionReason } from '../../spec/metric-names';

/** One request the gateway sent to a pool. */
export interface CallRecord {
  readonly pool: string;
  /** The tool, for `tools/call`; absent for lists, reads and pings (pool metrics only). */
  readonly tool?: string;
  /** Whether the pool answered without a transport or JSON-RPC error. */
  readonly ok: boolean;
  /** Milliseconds from sending to the whole answer. */
  readonly ms: number;
}

interface CallGroup {
  readonly pool: string;
  readonly tool: string | undefined;
  calls: number;
  errors: number;
  latencies: number[];
}

export interface CallMetricsOptions {
  readonly fleet: string;
  /**
   * Write nothing (tests, or a CLI run without CloudWatch).
   * @default false
   */
  readonly disabled?: boolean;
  /**
   * Where each EMF line goes (CloudWatch Logs reads stdout, in Lambda and in ECS).
   * @default a write of the line and a newline to process.stdout
   */
  readonly write?: (line: string) => void;
}

const PER_TOOL_AND_POOL = [METRIC_DIMENSION_SETS.perTool, METRIC_DIMENSION_SETS.perPool];
const PER_POOL = [METRIC_DIMENSION_SETS.perPool];
const PER_REASON = [METRIC_DIMENSION_SETS.perReason];

export class CallMetrics {
  private readonly groups = new Map<string, CallGroup>();
  private readonly rejections = new Map<RejectionReason, number>();
  private readonly fleet: string;
  private readonly disabled: boolean;
  private readonly write: (line: string) => void;

  constructor(options: CallMetricsOptions) {
    this.fleet = options.fleet;
    this.disabled = options.disabled ?? false;
    this.write = options.write ?? ((line) => process.stdout.write(`${line}\n`));
  }

  recordCall(call: CallRecord): void {
    if (this.disabled) return;
    const key = call.tool === undefined ? call.pool : `${call.pool}\n${call.tool}`;
    let group = this.groups.get(key);
    if (!group) {
      group = { pool: call.pool, tool: call.tool, calls: 0, errors: 0, latencies: [] };
      this.groups.set(key, group);
    }
    group.calls += 1;
    if (!call.ok) group.errors += 1;
    group.latencies.push(call.ms);
    if (group.latencies.length >= EMF_MAX_VALUES) this.publishGroup(group);
  }

  recordRejection(reason: RejectionReason): void {
    if (this.disabled) return;
    this.rejections.set(reason, (this.rejections.get(reason) ?? 0) + 1);
  }

  /** Publishes everything recorded since the last flush (one EMF line per pool/tool pair and per reason). */
  flush(): void {
    for (const group of this.groups.values()) if (group.calls > 0) this.publishGroup(group);
    this.groups.clear();
    const timestamp = Date.now();
    for (const [reason, count] of this.rejections) {
      this.write(
        emfLine({
          namespace: METRICS_NAMESPACE,
          dimensionSets: PER_REASON,
          dimensions: { [METRIC_DIMENSIONS.fleet]: this.fleet, [METRIC_DIMENSIONS.reason]: reason },
          metrics: { [METRIC_NAMES.rejected]: { unit: 'Count', value: count } },
          timestamp,
        }),
      );
    }
    this.rejections.clear();
  }

  private publishGroup(group: CallGroup): void {
    const dimensions: Record<string, string> = { [METRIC_DIMENSIONS.fleet]: this.fleet };
    if (group.tool !== undefined) dimensions[METRIC_DIMENSIONS.tool] = group.tool;
    dimensions[METRIC_DIMENSIONS.pool] = group.pool;
    const latencies = group.latencies;
    this.write(
      emfLine({
        namespace: METRICS_NAMESPACE,
        dimensionSets: group.tool === undefined ? PER_POOL : PER_TOOL_AND_POOL,
        dimensions,
        metrics: {
          [METRIC_NAMES.calls]: { unit: 'Count', value: group.calls },
          [METRIC_NAMES.errors]: { unit: 'Count', value: group.errors },
          [METRIC_NAMES.latency]: { unit: 'Milliseconds', value: latencies.length === 1 ? latencies[0]! : latencies },
        },
        timestamp: Date.now(),
      }),
    );
    group.calls = 0;
    group.errors = 0;
    group.latencies = [];
  }
}
