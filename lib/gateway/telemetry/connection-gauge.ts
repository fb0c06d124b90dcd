/**
 * The connection gauge a pool publishes for connection-based scaling: every interval, one CloudWatch
 * EMF line with the open TCP connections of the pool's HTTP server (`POOL_CONNECTIONS_METRIC`). On ECS
 * the awslogs driver ships stdout to CloudWatch Logs, which turns the line into the metric.
 */
import type { Server } from 'node:net';
import { emfLine } from './emf';
import { POOL_CONNECTIONS_METRIC } from '../../plan/pool-metrics';

/** Where the gauge is published. */
export interface ConnectionGaugeOptions {
  /** Fleet name: the `Fleet` dimension (`MCP_FLEET_NAME`). */
  readonly fleet: string;
  /** Pool name: the `Pool` dimension (`MCP_FLEET_POOL`). */
  readonly pool: string;
  /**
   * Milliseconds between two records.
   * @default 60000 (the metric's period)
   */
  readonly intervalMs?: number;
  /**
   * Receives each EMF record as one line (with its newline).
   * @default writes to process.stdout
   */
  readonly write?: (line: string) => void;
  /**
   * Clock for the records' timestamps, in epoch milliseconds.
   * @default Date.now
   */
  readonly now?: () => number;
}

/** A running gauge. */
export interface ConnectionGauge {
  /** Stops publishing; idempotent. */
  stop(): void;
}

/** The EMF line for one sample (no trailing newline). */
export function connectionGaugeLine(fleet: string, pool: string, openConnections: number, timestamp: number): string {
  const metric = POOL_CONNECTIONS_METRIC;
  return emfLine({
    namespace: metric.namespace,
    dimensionSets: [[metric.fleetDimension, metric.poolDimension]],
    dimensions: { [metric.fleetDimension]: fleet, [metric.poolDimension]: pool },
    metrics: { [metric.metricName]: { unit: metric.unit, value: openConnections } },
    timestamp,
  });
}

/** Throws unless `options` can run a gauge (checked before the pool listens). */
export function assertConnectionGaugeOptions(options: ConnectionGaugeOptions): void {
  const intervalMs = options.intervalMs ?? POOL_CONNECTIONS_METRIC.periodSeconds * 1000;
  if (!Number.isInteger(intervalMs) || intervalMs < 1) throw new RangeError(`connection gauge: intervalMs must be a positive integer (got ${intervalMs})`);
  if (options.fleet === '' || options.pool === '') throw new RangeError('connection gauge: fleet and pool must be non-empty (they are the metric dimensions)');
}

/** Samples `server.getConnections()` every interval and writes one record per sample. */
export function startConnectionGauge(server: Server, options: ConnectionGaugeOptions): ConnectionGauge {
  assertConnectionGaugeOptions(options);
  const intervalMs = options.intervalMs ?? POOL_CONNECTIONS_METRIC.periodSeconds * 1000;
  const write = options.write ?? ((line: string) => void process.stdout.write(line));
  const now = options.now ?? Date.now;
  let stopped = false;

  const timer = setInterval(() => {
    server.getConnections((error, count) => {
      // The server may close between the tick and the answer; a stopped gauge publishes nothing more.
      if (stopped || error) return;
      write(`${connectionGaugeLine(options.fleet, options.pool, count, now())}\n`);
    });
  }, intervalMs);
  // The gauge must never keep a process alive on its own.
  timer.unref();

  return {
    stop() {
      stopped = true;
      clearInterval(timer);
    },
  };
}
