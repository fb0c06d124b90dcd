/**
 * Monitoring of queue pools: a dashboard row per pool (jobs waiting, running and dead, and the age of
 * the oldest waiting job against its limit) and two alarms each: any job in the dead-letter queue (a
 * job failed `maxReceives` times: someone has to look at it) and waiting jobs older than
 * `maxJobAgeSeconds` for 3 of 5 minutes (the workers do not keep up, even after scaling out).
 */
import type { ResolvedFleetSpec, ResolvedQueuePoolSpec } from '../spec';
import type { AlarmPlan } from './monitoring';
import type { HorizontalLine } from './monitoring-dashboard';
import { AWS_METRICS, type DashboardQuery, type MetricQuery, type MetricStatistic } from './monitoring-metrics';
import { metric } from './monitoring-queries';

const SQS = AWS_METRICS.sqs;
/** Seconds per alarm evaluation period (the dashboard's period). */
const PERIOD_SECONDS = 60;

/** A graph of a queue pool's row, before the dashboard lays it out. */
export interface QueuePoolGraph {
  readonly title: string;
  readonly left: readonly DashboardQuery[];
  readonly width: number;
  readonly extra: { readonly right?: readonly DashboardQuery[]; readonly leftLabel?: string; readonly rightLabel?: string; readonly leftLines?: readonly HorizontalLine[] };
}

const jobs = (pool: string, metricName: string, statistic: MetricStatistic, label: string): MetricQuery => metric(SQS.namespace, metricName, { resource: 'poolQueue', pool }, statistic, label);
const deadJobs = (pool: string, label: string): MetricQuery => metric(SQS.namespace, SQS.visible, { resource: 'poolDeadLetterQueue', pool }, 'Maximum', label);

export function queuePools(spec: ResolvedFleetSpec): ResolvedQueuePoolSpec[] {
  return spec.pools.filter((p): p is ResolvedQueuePoolSpec => p.kind === 'queue');
}

/** The two graphs of each queue pool, pool after pool. */
export function queuePoolGraphs(spec: ResolvedFleetSpec): QueuePoolGraph[] {
  return queuePools(spec).flatMap((pool) => [
    {
      title: `Jobs: ${pool.name}`,
      left: [jobs(pool.name, SQS.visible, 'Maximum', 'waiting'), jobs(pool.name, SQS.inFlight, 'Maximum', 'running')],
      width: 12,
      extra: { right: [deadJobs(pool.name, 'dead letters')], leftLabel: 'jobs', rightLabel: 'dead letters' },
    },
    {
      title: `Oldest waiting job: ${pool.name} (s)`,
      left: [jobs(pool.name, SQS.oldestAge, 'Maximum', 'age')],
      width: 12,
      extra: { leftLines: [{ value: pool.queue.maxJobAgeSeconds, label: 'age alarm and scale-out' }] },
    },
  ]);
}

/** The alarms of each queue pool. */
export function queuePoolAlarms(spec: ResolvedFleetSpec, alarmName: (...parts: string[]) => string): AlarmPlan[] {
  return queuePools(spec).flatMap((pool): AlarmPlan[] => {
    const p = pool.name;
    return [
      {
        id: `${p}DeadLetterJobs`,
        alarmName: alarmName(p, 'dead-letter-jobs'),
        description: `Pool ${p}: a job is in the dead-letter queue (it failed ${pool.queue.maxReceives} deliveries); inspect it, then redrive or delete it.`,
        query: deadJobs(p, 'dead letters'),
        threshold: 1,
        comparison: 'GreaterThanOrEqualToThreshold',
        evaluationPeriods: 1,
        datapointsToAlarm: 1,
        periodSeconds: PERIOD_SECONDS,
        // SQS stops reporting on queues idle for hours: an unreported dead-letter queue is an empty one.
        treatMissingData: 'notBreaching',
      },
      {
        id: `${p}OldestJobAge`,
        alarmName: alarmName(p, 'oldest-job-age'),
        description: `Pool ${p}: the oldest waiting job was older than ${pool.queue.maxJobAgeSeconds} s in 3 of 5 minutes; the workers do not keep up (check maxTasks and the worker logs).`,
        query: jobs(p, SQS.oldestAge, 'Maximum', 'oldest job age (s)'),
        threshold: pool.queue.maxJobAgeSeconds,
        comparison: 'GreaterThanThreshold',
        evaluationPeriods: 5,
        datapointsToAlarm: 3,
        periodSeconds: PERIOD_SECONDS,
        treatMissingData: 'notBreaching',
      },
    ];
  });
}
