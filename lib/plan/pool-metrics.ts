/**
 * The metric each pool server publishes about itself (CloudWatch embedded metric format on stdout),
 * and which the IaC scales a pool on when `pools[].connectionsPerTask` is set: the contract between
 * the example pool servers (`lib/gateway/telemetry/connection-gauge.ts`, used by the example pools and `mcp-fleet bridge`) and the scaling policy.
 * Pure constants, so CDK and Pulumi code can import them without pulling in a server.
 */
import { METRIC_DIMENSIONS, METRICS_NAMESPACE } from '../spec/metric-names';

/**
 * `OpenConnections` (Count): the open TCP connections of one task's HTTP server, sampled once a
 * minute, with dimensions {Fleet, Pool}. Each task publishes its own value, so the statistic
 * `Average` across the pool's tasks is the per-task load a target-tracking policy compares with
 * `connectionsPerTask`.
 */
export const POOL_CONNECTIONS_METRIC = {
  namespace: METRICS_NAMESPACE,
  metricName: 'OpenConnections',
  unit: 'Count',
  fleetDimension: METRIC_DIMENSIONS.fleet,
  poolDimension: METRIC_DIMENSIONS.pool,
  statistic: 'Average',
  /** How often a pool task publishes the gauge, in seconds (the metric's period). */
  periodSeconds: 60,
} as const;
