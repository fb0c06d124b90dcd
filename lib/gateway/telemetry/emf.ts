/**
 * One CloudWatch embedded metric format (EMF) record as a JSON line. EMF is a documented JSON shape
 * (`_aws.CloudWatchMetrics` directives plus top-level dimension and metric members) that CloudWatch
 * Logs turns into metrics; writing it directly costs one `JSON.stringify` per record, where Powertools
 * Metrics costs a call per value.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html
 */

/** The units the gateway's metrics use (a subset of CloudWatch's). */
export type EmfUnit = 'Count' | 'Milliseconds';

/** EMF caps the values of one metric in one record at 100. */
export const EMF_MAX_VALUES = 100;

export interface EmfRecord {
  readonly namespace: string;
  /** Each set lists dimension names; every name must have a string value in `dimensions`. */
  readonly dimensionSets: readonly (readonly string[])[];
  /** Dimension name → value. */
  readonly dimensions: Readonly<Record<string, string>>;
  /** Metric name → unit and value(s); an array holds up to `EMF_MAX_VALUES` observations. */
  readonly metrics: Readonly<Record<string, { readonly unit: EmfUnit; readonly value: number | readonly number[] }>>;
  /** Milliseconds since the epoch. */
  readonly timestamp: number;
}

/** The record as one line of JSON (no trailing newline). Throws on a record CloudWatch would reject. */
export function emfLine(record: EmfRecord): string {
  const directive = {
    Namespace: record.namespace,
    Dimensions: record.dimensionSets,
    Metrics: Object.entries(record.metrics).map(([name, metric]) => ({ Name: name, Unit: metric.unit })),
  };
  const line: Record<string, unknown> = { _aws: { Timestamp: record.timestamp, CloudWatchMetrics: [directive] } };
  for (const set of record.dimensionSets) {
    for (const name of set) {
      if (typeof record.dimensions[name] !== 'string') throw new Error(`EMF record in ${record.namespace}: dimension "${name}" has no value`);
    }
  }
  Object.assign(line, record.dimensions);
  for (const [name, metric] of Object.entries(record.metrics)) {
    if (Array.isArray(metric.value) && (metric.value.length === 0 || metric.value.length > EMF_MAX_VALUES)) {
      throw new Error(`EMF record in ${record.namespace}: metric "${name}" has ${metric.value.length} values (1 to ${EMF_MAX_VALUES} allowed)`);
    }
    line[name] = metric.value;
  }
  return JSON.stringify(line);
}
