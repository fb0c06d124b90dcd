/**
 * Translates the monitoring plan's queries into CloudWatch alarm arguments and dashboard JSON. Which
 * metric to watch lives in `lib/plan/monitoring*`; this file only knows how CloudWatch spells it.
 */
import type * as aws from '@pulumi/aws';
import type * as pulumi from '@pulumi/pulumi';
import { metricDimensions as dimensionsOf, type AlarmPlan, type DashboardPlan, type DashboardQuery, type MetricDimensionValues, type MetricQuery, type WidgetPlan } from '../lib/plan';

/** CloudWatch's colour for alarm thresholds on charts. */
const THRESHOLD_COLOR = '#d62728';
const PERCENTILE = /^p\d+(\.\d+)?$/;

/** `statistic` or `extendedStatistic` (percentiles), as alarms want them. */
function statistic(q: MetricQuery): { statistic: string } | { extendedStatistic: string } {
  return PERCENTILE.test(q.statistic) ? { extendedStatistic: q.statistic } : { statistic: q.statistic };
}

/** The metric part of an alarm: one metric, or a math expression over named metrics. */
export function alarmMetric(alarm: Pick<AlarmPlan, 'query' | 'periodSeconds'>, values: pulumi.Output<MetricDimensionValues>): Partial<aws.cloudwatch.MetricAlarmArgs> {
  const q = alarm.query;
  const period = alarm.periodSeconds;
  if (q.kind === 'metric') return { namespace: q.namespace, metricName: q.metricName, dimensions: values.apply((v) => dimensionsOf(q.source, v)), period, ...statistic(q) };
  return {
    metricQueries: values.apply((v) => [
      { id: 'expr_1', expression: q.expression, label: q.label, returnData: true },
      ...Object.entries(q.using).map(([id, m]) => ({
        id,
        returnData: false,
        label: m.label,
        metric: { namespace: m.namespace, metricName: m.metricName, dimensions: dimensionsOf(m.source, v), period, stat: m.statistic },
      })),
    ]),
  };
}

type MetricLine = Array<string | Record<string, unknown>>;

function metricLine(q: MetricQuery, v: MetricDimensionValues, options: Record<string, unknown>): MetricLine {
  return [q.namespace, q.metricName, ...Object.entries(dimensionsOf(q.source, v)).flat(), options];
}

/** The `metrics` array of a graph widget: the expressions and the metrics they use (hidden). */
function graphMetrics(queries: readonly DashboardQuery[], axis: 'left' | 'right', v: MetricDimensionValues, period: number, firstId: number): MetricLine[] {
  const yAxis = axis === 'right' ? { yAxis: 'right' } : {};
  return queries.flatMap((q, i): MetricLine[] => {
    switch (q.kind) {
      case 'metric':
        return [metricLine(q, v, { label: q.label, stat: q.statistic, period, ...yAxis })];
      case 'search':
        return [[{ expression: q.expression, id: `search_${firstId + i}`, period, ...(q.label ? { label: q.label } : {}), ...yAxis }]];
      case 'math':
        return [
          [{ expression: q.expression, label: q.label, id: `expr_${firstId + i}`, period, ...yAxis }],
          ...Object.entries(q.using).map(([id, m]) => metricLine(m, v, { id, stat: m.statistic, period, visible: false, ...yAxis })),
        ];
    }
  });
}

function widgetProperties(w: WidgetPlan, v: MetricDimensionValues, alarmArns: readonly string[], period: number): { type: string; properties: Record<string, unknown> } {
  switch (w.kind) {
    case 'text':
      return { type: 'text', properties: { markdown: w.markdown } };
    case 'alarmStatus':
      return { type: 'alarm', properties: { title: w.title, alarms: [...alarmArns] } };
    case 'graph': {
      const axis = (label: string | undefined) => (label ? { label, showUnits: false } : {});
      return {
        type: 'metric',
        properties: {
          view: 'timeSeries',
          title: w.title,
          region: v.region,
          period,
          metrics: [...graphMetrics(w.left, 'left', v, period, 0), ...graphMetrics(w.right ?? [], 'right', v, period, w.left.length)],
          yAxis: { left: axis(w.leftLabel), right: axis(w.rightLabel) },
          ...(w.leftLines?.length ? { annotations: { horizontal: w.leftLines.map((l) => ({ value: l.value, label: l.label, color: THRESHOLD_COLOR })) } } : {}),
        },
      };
    }
  }
}

/** The dashboard body: rows top to bottom, widgets left to right, each row as tall as its tallest widget. */
export function dashboardBody(plan: DashboardPlan, v: MetricDimensionValues, alarmArns: readonly string[], period: number): string {
  const widgets: Array<Record<string, unknown>> = [];
  let y = 0;
  for (const row of plan.rows) {
    let x = 0;
    for (const w of row) {
      widgets.push({ ...widgetProperties(w, v, alarmArns, period), x, y, width: w.width, height: w.height });
      x += w.width;
    }
    y += Math.max(...row.map((w) => w.height));
  }
  return JSON.stringify({ widgets });
}
