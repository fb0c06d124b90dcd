/**
 * The gateway's open-connections gauge (`GATEWAY_CONNECTIONS_METRIC`): once a minute, one CloudWatch
 * EMF line on stdout with the client streams this process holds open. On ECS the awslogs driver ships
 * stdout to CloudWatch Logs, which turns the line into the metric the gateway service scales on.
 */
import { emfLine } from '../gateway/telemetry/emf';
import { GATEWAY_CONNECTIONS_METRIC } from '../plan/gateway-service';

export interface ConnectionGaugeOptions {
  /** Fleet name: the `Fleet` dimension. */
  readonly fleet: string;
  /** The current count (open SSE answers of the node server). */
  readonly count: () => number;
  /** @default 60000 (the metric's period) */
  readonly intervalMs?: number;
  /** Receives each record as one line with its newline. @default writes to process.stdout */
  readonly write?: (line: string) => void;
}

/** The EMF line for one sample (no trailing newline). */
export function gatewayConnectionsLine(fleet: string, openConnections: number, timestamp: number): string {
  const m = GATEWAY_CONNECTIONS_METRIC;
  return emfLine({
    namespace: m.namespace,
    dimensionSets: [[m.fleetDimension]],
    dimensions: { [m.fleetDimension]: fleet },
    metrics: { [m.metricName]: { unit: m.unit, value: openConnections } },
    timestamp,
  });
}

/** Starts sampling; the returned function stops it. The timer never keeps the process alive. */
export function startConnectionGauge(options: ConnectionGaugeOptions): () => void {
  const write = options.write ?? ((line: string) => process.stdout.write(line));
  const timer = setInterval(() => write(`${gatewayConnectionsLine(options.fleet, options.count(), Date.now())}\n`), options.intervalMs ?? GATEWAY_CONNECTIONS_METRIC.periodSeconds * 1000);
  timer.unref();
  return () => clearInterval(timer);
}
