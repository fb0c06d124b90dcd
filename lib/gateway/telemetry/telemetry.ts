/**
 * What the gateway core sees of observability: request-scoped logs and call/rejection metrics, with
 * flushing that suits the runtime — per invocation in Lambda (the adapter calls `flush()` before
 * returning), on a timer and on `close()` in the long-running server.
 */
import { CallMetrics, type CallRecord } from './call-metrics';
import { createStructuredLogger, type StructuredLogger, type LogLevel } from './logger';
import type { RejectionReason } from '../../spec/metric-names';
import { requestIdOf } from './request-id';
import type { HeaderMap } from '../http';

export interface Telemetry {
  /** Process-wide logger (start-up, pool health). */
  readonly log: StructuredLogger;
  /** The request id of a request (see `requestIdOf`) and a logger that puts it on every line. */
  forRequest(headers: Readonly<HeaderMap>): { readonly requestId: string; readonly log: StructuredLogger };
  /**
   * Counts one request sent to a pool. `tool` must be a routed tool name (one a pool owns), never raw
   * client input: each distinct value becomes a CloudWatch metric.
   */
  recordCall(call: CallRecord): void;
  /** Counts one request the gateway refused itself. */
  recordRejection(reason: RejectionReason): void;
  /** Writes the metrics recorded so far. */
  flush(): void;
  /** Stops the flush timer and flushes. */
  close(): void;
}

export interface TelemetryOptions {
  /** Fleet name: a metric dimension and a field of every log line. */
  readonly fleet: string;
  /**
   * Lowest log level written.
   * @default - `POWERTOOLS_LOG_LEVEL` or `LOG_LEVEL` from the environment, else 'INFO'
   */
  readonly logLevel?: LogLevel;
  /**
   * Publish metrics every this many milliseconds; 0 leaves flushing to the caller (Lambda flushes per
   * invocation). The timer does not keep the process alive.
   * @default 0
   */
  readonly flushIntervalMs?: number;
  /**
   * Write EMF metric lines. The CLI turns them off on a terminal, where a person reads the output.
   * @default true
   */
  readonly metrics?: boolean;
  /**
   * Emit no metrics and no logs (tests that do not look at them).
   * @default false
   */
  readonly disabled?: boolean;
}

export function createTelemetry(options: TelemetryOptions): Telemetry {
  const disabled = options.disabled ?? false;
  const level = disabled ? 'SILENT' : options.logLevel;
  const log = createStructuredLogger({ fleet: options.fleet, ...(level ? { level } : {}) });
  const metrics = new CallMetrics({ fleet: options.fleet, disabled: disabled || options.metrics === false });
  const interval = options.flushIntervalMs ?? 0;
  const timer = interval > 0 ? setInterval(() => metrics.flush(), interval) : undefined;
  timer?.unref();
  return {
    log,
    forRequest(headers) {
      const requestId = requestIdOf(headers);
      return { requestId, log: log.child({ requestId }) };
    },
    recordCall: (call) => metrics.recordCall(call),
    recordRejection: (reason) => metrics.recordRejection(reason),
    flush: () => metrics.flush(),
    close() {
      if (timer) clearInterval(timer);
      metrics.flush();
    },
  };
}
