/**
 * Translates the monitoring plan's queries and widgets into CloudWatch objects. Everything that says
 * *which* metric lives in `lib/plan/monitoring*`; this file only knows how CDK spells it.
 */
import { Duration, Fn } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { AlarmQuery, DashboardQuery, MetricQuery } from '../../lib/plan/monitoring-metrics';
import { metricDimensions, type MetricDimensionValues } from '../../lib/plan/monitoring-dimensions';
import type { AlarmComparison, MissingDataTreatment, WidgetPlan } from '../../lib/plan/monitoring';

/** `app/<name>/<id>` from `arn:…:loadbalancer/app/<name>/<id>`, valid for tokens too. */
export function loadBalancerFullNameFromArn(arn: string): string {
  const parts = Fn.split('/', arn);
  return Fn.join('/', [Fn.select(1, parts), Fn.select(2, parts), Fn.select(3, parts)]);
}

/** `targetgroup/<name>/<id>` from `arn:…:targetgroup/<name>/<id>`, valid for tokens too. */
export function targetGroupFullNameFromArn(arn: string): string {
  return Fn.select(5, Fn.split(':', arn));
}

export class QueryRenderer {
  private readonly period: Duration;

  constructor(
    private readonly values: MetricDimensionValues,
    periodSeconds: number,
  ) {
    this.period = Duration.seconds(periodSeconds);
  }

  metric(q: MetricQuery): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: q.namespace,
      metricName: q.metricName,
      dimensionsMap: metricDimensions(q.source, this.values),
      statistic: q.statistic,
      period: this.period,
      label: q.label,
    });
  }

  /** An alarm's metric: a single metric without a label, so CloudFormation gets the plain (non-`Metrics`) form. */
  alarmQuery(q: AlarmQuery): cloudwatch.IMetric {
    if (q.kind === 'math') return this.query(q);
    return new cloudwatch.Metric({ namespace: q.namespace, metricName: q.metricName, dimensionsMap: metricDimensions(q.source, this.values), statistic: q.statistic, period: this.period });
  }

  query(q: DashboardQuery): cloudwatch.IMetric {
    switch (q.kind) {
      case 'metric':
        return this.metric(q);
      case 'math':
        return new cloudwatch.MathExpression({
          expression: q.expression,
          usingMetrics: Object.fromEntries(Object.entries(q.using).map(([id, m]) => [id, this.metric(m)])),
          label: q.label,
          period: this.period,
        });
      case 'search':
        return new cloudwatch.MathExpression({ expression: q.expression, usingMetrics: {}, period: this.period, ...(q.label ? { label: q.label } : {}) });
    }
  }

  widget(w: WidgetPlan, alarms: readonly cloudwatch.IAlarm[]): cloudwatch.IWidget {
    switch (w.kind) {
      case 'text':
        return new cloudwatch.TextWidget({ markdown: w.markdown, width: w.width, height: w.height });
      case 'alarmStatus':
        return new cloudwatch.AlarmStatusWidget({ title: w.title, alarms: [...alarms], width: w.width, height: w.height });
      case 'graph':
        return new cloudwatch.GraphWidget({
          title: w.title,
          width: w.width,
          height: w.height,
          left: w.left.map((q) => this.query(q)),
          right: (w.right ?? []).map((q) => this.query(q)),
          ...(w.leftLabel ? { leftYAxis: { label: w.leftLabel, showUnits: false } } : {}),
          ...(w.rightLabel ? { rightYAxis: { label: w.rightLabel, showUnits: false } } : {}),
          leftAnnotations: (w.leftLines ?? []).map((line) => ({ value: line.value, label: line.label, color: cloudwatch.Color.RED })),
        });
    }
  }
}

export const COMPARISON: Readonly<Record<AlarmComparison, cloudwatch.ComparisonOperator>> = {
  GreaterThanOrEqualToThreshold: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
  GreaterThanThreshold: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
  LessThanThreshold: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
};

export const MISSING_DATA: Readonly<Record<MissingDataTreatment, cloudwatch.TreatMissingData>> = {
  breaching: cloudwatch.TreatMissingData.BREACHING,
  notBreaching: cloudwatch.TreatMissingData.NOT_BREACHING,
  ignore: cloudwatch.TreatMissingData.IGNORE,
  missing: cloudwatch.TreatMissingData.MISSING,
};
