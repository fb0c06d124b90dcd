/**
 * Per-tool and per-pool call metrics, aggregated in memory and published as CloudWatch EMF lines with
 * Powertools Metrics. Recording a call is a map lookup and an array push; one EMF line carries up to
 * 100 calls of one (pool, tool) pair, so a busy gateway writes a line per 100 calls, not per call.
 */
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { METRIC_DIMENSIONS, METRIC_NAMES, METRICS_NAMESPACE, type RejectionReason } from './metric-names';

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

/** EMF caps the values of one metric in one record at 100. */
const MAX_VALUES_PER_RECORD = 100;

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
}

export class CallMetrics {
  private readonly metrics: Metrics;
  private readonly groups = new Map<string, CallGroup>();
  private readonly rejections = new Map<RejectionReason, number>();
  private readonly disabled: boolean;

  constructor(options: CallMetricsOptions) {
    this.disabled = options.disabled ?? false;
    this.metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: 'mcp-fleet-gateway' });
    // Powertools adds a `service` dimension by default; the dashboard contract is exactly METRIC_DIMENSION_SETS.
    this.metrics.clearDefaultDimensions();
    this.metrics.setDefaultDimensions({ [METRIC_DIMENSIONS.fleet]: options.fleet });
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
    if (group.latencies.length >= MAX_VALUES_PER_RECORD) this.publishGroup(group);
  }

  recordRejection(reason: RejectionReason): void {
    if (this.disabled) return;
    this.rejections.set(reason, (this.rejections.get(reason) ?? 0) + 1);
  }

  /** Publishes everything recorded since the last flush (one EMF line per pool/tool pair and per reason). */
  flush(): void {
    for (const group of this.groups.values()) if (group.calls > 0) this.publishGroup(group);
    this.groups.clear();
    for (const [reason, count] of this.rejections) {
      this.metrics.addDimensions({ [METRIC_DIMENSIONS.reason]: reason });
      this.metrics.addMetric(METRIC_NAMES.rejected, MetricUnit.Count, count);
      this.metrics.publishStoredMetrics();
    }
    this.rejections.clear();
  }

  private publishGroup(group: CallGroup): void {
    if (group.tool !== undefined) this.metrics.addDimensions({ [METRIC_DIMENSIONS.tool]: group.tool });
    this.metrics.addDimensions({ [METRIC_DIMENSIONS.pool]: group.pool });
    this.metrics.addMetric(METRIC_NAMES.calls, MetricUnit.Count, group.calls);
    this.metrics.addMetric(METRIC_NAMES.errors, MetricUnit.Count, group.errors);
    // Latency last: Powertools publishes by itself when a metric reaches 100 values.
    for (const ms of group.latencies) this.metrics.addMetric(METRIC_NAMES.latency, MetricUnit.Milliseconds, ms);
    if (this.metrics.hasStoredMetrics()) this.metrics.publishStoredMetrics();
    group.calls = 0;
    group.errors = 0;
    group.latencies = [];
  }
}
