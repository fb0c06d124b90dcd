/**
 * Builders for the queries the monitoring plan uses (internal to `lib/plan`: not in the barrel).
 */
import { AWS_METRICS, GATEWAY_METRICS, type AlarmQuery, type MathQuery, type MetricQuery, type MetricSource, type MetricStatistic, type SearchQuery } from './monitoring-metrics';

/** Requests (or tool calls) per period below which an error rate counts as 0 (see `percentOf`). */
export const MINIMUM_RATE_SAMPLES = 20;

const ALB = AWS_METRICS.alb;
const ECS = AWS_METRICS.containerInsights;
const CACHE = AWS_METRICS.elasticache;
const GW = GATEWAY_METRICS;

export function metric(namespace: string, metricName: string, source: MetricSource, statistic: MetricStatistic, label: string): MetricQuery {
  return { kind: 'metric', namespace, metricName, source, statistic, label };
}

/**
 * `100 * part / total` in percent, 0 while `total` is below `minimumSamples` per period: a rate over
 * two requests says nothing, and an alarm on it would page on a single failure at night.
 */
export function percentOf(part: readonly MetricQuery[], total: MetricQuery, minimumSamples: number, label: string): MathQuery {
  const using: Record<string, MetricQuery> = { total };
  part.forEach((q, i) => {
    using[`part${i}`] = q;
  });
  const numerator = part.map((_, i) => `FILL(part${i}, 0)`).join(' + ');
  return {
    kind: 'math',
    expression: `IF(FILL(total, 0) >= ${minimumSamples}, 100 * (${numerator}) / total, 0)`,
    using,
    label,
  };
}

/** `SEARCH` over one gateway EMF metric: one series per value of `dimension` (tool, pool or reason). */
export function gatewaySearch(fleet: string, dimension: string, metricName: string, statistic: MetricStatistic, periodSeconds: number): SearchQuery {
  const g = GATEWAY_METRICS;
  return {
    kind: 'search',
    expression: `SEARCH('{${g.namespace},${g.fleetDimension},${dimension}} ${g.fleetDimension}="${fleet}" MetricName="${metricName}"', '${statistic}', ${periodSeconds})`,
    label: '',
  };
}

export function lb(metricName: string, statistic: MetricQuery['statistic'], label: string): MetricQuery {
  return metric(ALB.namespace, metricName, { resource: 'loadBalancer' }, statistic, label);
}

export function poolTg(pool: string, metricName: string, statistic: MetricQuery['statistic'], label: string): MetricQuery {
  return metric(ALB.namespace, metricName, { resource: 'poolTargetGroup', pool }, statistic, label);
}

export function service(pool: string, metricName: string, label: string): MetricQuery {
  return metric(ECS.namespace, metricName, { resource: 'poolService', pool }, 'Sum', label);
}

export function gatewayPool(pool: string, metricName: string, label: string): MetricQuery {
  return metric(GW.namespace, metricName, { resource: 'gatewayPool', pool }, 'Sum', label);
}

export function gatewayTool(tool: string, metricName: string, label: string): MetricQuery {
  return metric(GW.namespace, metricName, { resource: 'gatewayTool', tool }, 'Sum', label);
}

/** ALB 5xx (its own and its targets') as a percentage of its requests. */
export function loadBalancer5xxRate(): AlarmQuery {
  return percentOf([lb(ALB.elb5xx, 'Sum', 'ELB 5xx'), lb(ALB.target5xx, 'Sum', 'target 5xx')], lb(ALB.requestCount, 'Sum', 'requests'), MINIMUM_RATE_SAMPLES, '5xx %');
}

export function pool5xxRate(pool: string): AlarmQuery {
  return percentOf([poolTg(pool, ALB.target5xx, 'Sum', '5xx')], poolTg(pool, ALB.requestCount, 'Sum', 'requests'), MINIMUM_RATE_SAMPLES, `${pool} 5xx %`);
}

export function poolToolErrorRate(pool: string): AlarmQuery {
  return percentOf([gatewayPool(pool, GW.errors, 'errors')], gatewayPool(pool, GW.calls, 'calls'), MINIMUM_RATE_SAMPLES, `${pool} tool error %`);
}

export function toolErrorRate(tool: string): AlarmQuery {
  return percentOf([gatewayTool(tool, GW.errors, 'errors')], gatewayTool(tool, GW.calls, 'calls'), MINIMUM_RATE_SAMPLES, `${tool} error %`);
}

export function cacheNodes(count: number, metricName: string, statistic: MetricQuery['statistic']): MetricQuery[] {
  return Array.from({ length: count }, (_, node) => metric(CACHE.namespace, metricName, { resource: 'cacheNode', node }, statistic, `node ${node + 1}`));
}
