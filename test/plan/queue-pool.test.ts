import { FleetPlanError, planFleet, planMonitoring, QUEUE_ACCESS, sqsViaService, targetTrackingMetrics, type AlarmPlan } from '../../lib/plan';
import { GATEWAY_ENV, WORKER_ENV, type FleetSpec } from '../../lib/spec';
import { threePoolSpec } from '../fixtures/specs';

/** The three-pool fleet with the images pool as a queue pool that scales to zero. */
const queued: FleetSpec = {
  ...threePoolSpec,
  pools: [
    ...threePoolSpec.pools.slice(0, 2),
    {
      name: 'images',
      kind: 'queue',
      image: 'registry.example.com/mcp/images-pool:1.0.0',
      tools: ['image_*'],
      minTasks: 0,
      maxTasks: 8,
      queue: { maxRunSeconds: 600, maxReceives: 4, maxJobAgeSeconds: 120 },
    },
  ],
};
const plan = planFleet(queued);
const images = plan.queuePools[0]!;

describe('planFleet: queue pools', () => {
  test('GIVEN a queue pool WHEN planned THEN it is a queue pool, not a service pool: no target group, no Cloud Map name, no pool URL for the gateway', () => {
    expect(plan.pools.map((p) => p.name)).toEqual(['github', 'slack']);
    expect(plan.queuePools.map((p) => p.name)).toEqual(['images']);
    expect(images).not.toHaveProperty('targetGroup');
    expect(images).not.toHaveProperty('discovery');
    const poolUrls = plan.gateway.environment.find((e) => e.name === GATEWAY_ENV.poolUrls);
    expect(poolUrls && 'value' in poolUrls ? Object.keys(JSON.parse(poolUrls.value) as object) : []).toEqual(['github', 'slack']);
    expect(plan.listener.rules.some((r) => r.target.kind === 'pool' && r.target.pool === 'images')).toBe(false);
  });

  test('GIVEN queue settings WHEN planned THEN the queue and its dead-letter queue have the planned names, timeouts, redrive, customer-key encryption and TLS-only policy', () => {
    expect(images.queue).toEqual({
      names: { queue: 'agents-images-jobs', deadLetterQueue: 'agents-images-jobs-dlq' },
      visibilityTimeoutSeconds: 660,
      retentionSeconds: 345_600,
      receiveWaitSeconds: 20,
      maxReceiveCount: 4,
      deadLetterRetentionSeconds: 1_209_600,
      encryption: { kind: 'customerKey', dataKeyReuseSeconds: 300 },
      enforceTls: true,
    });
  });

  test('GIVEN the longest fleet and pool names WHEN planned THEN queue names stay within 80 characters and stay apart', () => {
    const long = planFleet({ ...queued, name: 'f'.repeat(24), pools: [{ ...queued.pools[2]!, name: 'p'.repeat(20) } as FleetSpec['pools'][number]] });
    const names = long.queuePools[0]!.queue.names;
    expect(names.queue.length).toBeLessThanOrEqual(80);
    expect(names.deadLetterQueue.length).toBeLessThanOrEqual(80);
    expect(names.queue).not.toBe(names.deadLetterQueue);
  });

  test('GIVEN a queue pool WHEN planned THEN its task runs the server as its kind plans it and a worker from the gateway image against it on loopback', () => {
    expect(images.container.image).toEqual({ kind: 'registry', image: 'registry.example.com/mcp/images-pool:1.0.0' });
    expect(images.worker).toMatchObject({ name: 'Worker', command: ['worker', '--from-env'], user: '1000:1000', readonlyRootFilesystem: true, dependsOnServer: 'START', stopTimeoutSeconds: 90 });
    expect(images.worker.image).toEqual(planFleet({ ...queued, gateway: { hosting: 'service' } }).gateway.service!.image);
    expect(images.worker.environment).toEqual([
      { name: WORKER_ENV.spec, value: JSON.stringify(queued) },
      { name: WORKER_ENV.pool, value: 'images' },
      { name: WORKER_ENV.serverUrl, value: 'http://127.0.0.1:8080/mcp' },
      { name: WORKER_ENV.queueUrl, input: 'queueUrl', prefix: '', suffix: '' },
      { name: WORKER_ENV.redisUrl, input: 'sessionStoreHost', prefix: 'rediss://', suffix: ':6379' },
    ]);
    // The pool's own key (never the fleet key) and the store password, as ECS secrets.
    expect(images.worker.secrets).toEqual([
      { name: WORKER_ENV.identityKey, source: 'poolIdentitySecret' },
      { name: WORKER_ENV.redisAuthToken, source: 'sessionStoreAuthSecret' },
    ]);
    const stdio = planFleet({ ...queued, pools: [{ name: 'fs', kind: 'queue', command: ['npx', 'srv'], tools: ['fs_*'] }] }).queuePools[0]!;
    expect(stdio.container.image.kind).toBe('generated');
    expect(stdio.worker.dependsOnServer).toBe('HEALTHY');
  });

  test('GIVEN queue pools WHEN the gateway is planned THEN its environment carries their queue URLs (an input the rendering fills)', () => {
    expect(plan.gateway.environment).toContainEqual({ name: GATEWAY_ENV.queueUrls, input: 'queueUrls', prefix: '', suffix: '' });
    expect(plan.gateway.inputs).toContain('queueUrls');
    expect(planFleet(threePoolSpec).gateway.inputs).not.toContain('queueUrls');
  });

  test('GIVEN queue pools WHEN IAM is planned THEN the gateway may only send and the workers only consume', () => {
    expect(QUEUE_ACCESS.send).toEqual({ queueActions: ['sqs:SendMessage'], keyActions: ['kms:GenerateDataKey', 'kms:Decrypt'] });
    expect(QUEUE_ACCESS.consume).toEqual({ queueActions: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility'], keyActions: ['kms:Decrypt'] });
    expect(sqsViaService('eu-west-1')).toBe('sqs.eu-west-1.amazonaws.com');
  });

  test('GIVEN a queue pool WHEN ingress is planned THEN nothing reaches its tasks and its workers reach the session store', () => {
    expect(plan.ingress.filter((r) => r.to.kind === 'pool' && r.to.pool === 'images')).toEqual([]);
    expect(plan.ingress).toContainEqual({ from: { kind: 'pool', pool: 'images' }, to: { kind: 'sessionStore' }, port: 6379, description: 'workers of queue pool images to the session store' });
  });
});

describe('planFleet: queue pool scaling', () => {
  const s = images.scaling;

  test('GIVEN backlogPerTask WHEN planned THEN target tracking keeps (waiting + running jobs) per running task at it', () => {
    expect(s).toMatchObject({ minCapacity: 0, maxCapacity: 8, backlog: { targetValue: 10, scaleInCooldownSeconds: 300, scaleOutCooldownSeconds: 60 } });
    expect(s.backlog.query.expression).toBe('(visible + inFlight) / running');
    const metrics = targetTrackingMetrics(s.backlog.query, (source): Record<string, string> => (source.resource === 'poolQueue' ? { QueueName: 'q' } : { ClusterName: 'c', ServiceName: 's' }));
    expect(metrics).toEqual([
      {
        id: 'visible',
        returnData: false,
        metricStat: { metric: { namespace: 'AWS/SQS', metricName: 'ApproximateNumberOfMessagesVisible', dimensions: [{ name: 'QueueName', value: 'q' }] }, stat: 'Maximum' },
      },
      {
        id: 'inFlight',
        returnData: false,
        metricStat: { metric: { namespace: 'AWS/SQS', metricName: 'ApproximateNumberOfMessagesNotVisible', dimensions: [{ name: 'QueueName', value: 'q' }] }, stat: 'Maximum' },
      },
      {
        id: 'running',
        returnData: false,
        metricStat: {
          metric: {
            namespace: 'ECS/ContainerInsights',
            metricName: 'RunningTaskCount',
            dimensions: [
              { name: 'ClusterName', value: 'c' },
              { name: 'ServiceName', value: 's' },
            ],
          },
          stat: 'Average',
        },
      },
      { id: 'result', expression: '(visible + inFlight) / running', label: 'jobs per task', returnData: true },
    ]);
  });

  test('GIVEN maxJobAgeSeconds WHEN planned THEN a step adds one task past that age and two past twice that age', () => {
    expect(s.steps[0]).toMatchObject({
      id: 'OldestJobAge',
      threshold: 120,
      query: { kind: 'metric', metricName: 'ApproximateAgeOfOldestMessage', source: { resource: 'poolQueue', pool: 'images' } },
      steps: [
        { lowerBound: 0, upperBound: 120, adjustment: 1 },
        { lowerBound: 120, adjustment: 2 },
      ],
    });
  });

  test('GIVEN minTasks 0 WHEN planned THEN a step starts the first task when jobs wait with none running; with minTasks ≥ 1 there is none', () => {
    expect(s.steps[1]).toMatchObject({ id: 'FromZero', threshold: 1, comparison: 'GreaterThanOrEqualToThreshold', steps: [{ lowerBound: 0, adjustment: 1 }] });
    expect(s.steps[1]!.query).toMatchObject({ kind: 'math', expression: 'IF(FILL(running, 0) < 1, FILL(visible, 0), 0)' });
    const warm = planFleet({ ...queued, pools: [{ ...queued.pools[2]!, minTasks: 1 } as FleetSpec['pools'][number]] });
    expect(warm.queuePools[0]!.scaling.steps.map((step) => step.id)).toEqual(['OldestJobAge']);
    expect(warm.queuePools[0]!.service.desiredCount).toBe(1);
  });
});

describe('planMonitoring: queue pools', () => {
  const monitoring = planMonitoring(plan.spec, { region: 'eu-west-1', gatewayFunction: true, gatewayTargetGroup: true });
  const alarm = (id: string): AlarmPlan | undefined => monitoring.alarms.find((a) => a.id === id);

  test('GIVEN a queue pool WHEN monitored THEN it alarms on dead letters and old jobs, and on tool errors, but not on a target group it does not have', () => {
    expect(alarm('imagesDeadLetterJobs')).toMatchObject({
      alarmName: 'mcp-fleet-agents-images-dead-letter-jobs',
      threshold: 1,
      comparison: 'GreaterThanOrEqualToThreshold',
      query: { metricName: 'ApproximateNumberOfMessagesVisible', source: { resource: 'poolDeadLetterQueue', pool: 'images' } },
    });
    expect(alarm('imagesOldestJobAge')).toMatchObject({ threshold: 120, comparison: 'GreaterThanThreshold', query: { source: { resource: 'poolQueue', pool: 'images' } } });
    expect(alarm('imagesToolErrorRate')).toBeDefined();
    expect(['imagesP99Latency', 'images5xxRate', 'imagesUnhealthyHosts', 'imagesNoHealthyHosts'].map(alarm)).toEqual([undefined, undefined, undefined, undefined]);
  });

  test('GIVEN a queue pool WHEN the dashboard is planned THEN it charts its jobs and oldest job, and no target group metric names it', () => {
    const widgets = monitoring.dashboard.rows.flat();
    const titles = widgets.flatMap((w) => (w.kind === 'graph' ? [w.title] : []));
    expect(titles).toEqual(expect.arrayContaining(['Jobs: images', 'Oldest waiting job: images (s)']));
    expect(JSON.stringify(widgets)).not.toContain('"resource":"poolTargetGroup","pool":"images"');
  });
});

test('GIVEN FleetPlanError WHEN imported THEN it is the plan error type (the queue plan throws no other)', () => {
  expect(new FleetPlanError('x')).toBeInstanceOf(Error);
});
