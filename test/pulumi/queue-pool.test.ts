/**
 * McpFleet (Pulumi) with a queue pool, under the `mcp-fleet/testing` mocks: the queue and its
 * dead-letter queue (fleet key, TLS only), the worker service (server + `mcp-fleet worker --from-env`,
 * no target group, no Cloud Map), backlog and age scaling with scale-to-zero, least-privilege IAM on
 * both sides, the gateway's queue URLs, and the queue alarms.
 */
import { allResources, declare, oneResource, resourcesOfType, type RecordedResource, type ResourceTracker } from './harness';
import { GATEWAY_ENV, WORKER_ENV, POOL_ENV, type FleetSpec } from '../../lib/spec';
import { QUEUE_WORKER_CONTAINER } from '../../lib/plan';
import { McpFleet, McpGateway } from '../../pulumi';

const CERTIFICATE_ARN = 'arn:aws:acm:us-east-1:123456789012:certificate/abc';
const KEY_ARN = 'arn:aws:kms:us-east-1:123456789012:key/jobs-key-0000-4000-8000-000000000000';
const QUEUE_ARN = 'arn:aws:sqs:us-east-1:123456789012:jobs-images-jobs';
const QUEUE_URL = 'https://sqs.us-east-1.amazonaws.com/123456789012/jobs-images-jobs';
const spec: FleetSpec = {
  name: 'jobs',
  pools: [
    { name: 'github', image: 'registry.example.com/github:1', tools: ['github_*'] },
    { name: 'images', kind: 'queue', image: 'registry.example.com/images:1', tools: ['image_*'], minTasks: 0, maxTasks: 8, queue: { maxRunSeconds: 600, maxReceives: 4 } },
  ],
  auth: { jwt: { issuer: 'https://auth.example.com', audience: ['mcp-fleet'] } },
};

let tracker: ResourceTracker;
let fleet: McpFleet;

beforeAll(async () => {
  // GIVEN a fleet with one queue pool scaled to zero; WHEN it is declared
  ({ component: fleet, tracker } = await declare((options) => new McpFleet('jobs', { spec, certificateArn: CERTIFICATE_ARN, workerImage: 'registry.example.com/mcp-fleet:1' }, options)));
});

const named = (name: string) => (r: RecordedResource) => r.name === name;
const statements = (policy: RecordedResource): Array<Record<string, any>> => JSON.parse(policy.inputs.policy).Statement;

test('THEN the queue pool is an McpQueuePool child of the fleet, every resource parented, and no tool pool, target group or Cloud Map service for it', () => {
  expect(
    allResources()
      .filter((r) => r.type === 'mcp-fleet:index:McpQueuePool')
      .map((r) => r.name),
  ).toEqual(['jobs-queue-images']);
  expect(allResources().filter((r) => !tracker.names().has(`${r.type}::${r.name}`))).toEqual([]);
  expect(Object.keys(fleet.pools)).toEqual(['github']);
  expect(Object.keys(fleet.queuePools)).toEqual(['images']);
  expect(resourcesOfType('aws:lb/targetGroup:TargetGroup').map((r) => r.name)).not.toContain(expect.stringContaining('images'));
  expect(resourcesOfType('aws:servicediscovery/service:Service')).toHaveLength(1);
  expect(resourcesOfType('aws:lb/listenerRule:ListenerRule').filter((r) => JSON.stringify(r.inputs).includes('image_'))).toEqual([]);
});

test('THEN the queue and its dead-letter queue are encrypted with the fleet key, redrive after maxReceives and refuse requests without TLS', () => {
  const dlq = oneResource('aws:sqs/queue:Queue', named('jobs-queue-images-dlq'));
  const queue = oneResource('aws:sqs/queue:Queue', named('jobs-queue-images-queue'));
  expect(dlq.inputs).toMatchObject({ name: 'jobs-images-jobs-dlq', messageRetentionSeconds: 1_209_600, kmsMasterKeyId: KEY_ARN, kmsDataKeyReusePeriodSeconds: 300 });
  expect(queue.inputs).toMatchObject({ name: 'jobs-images-jobs', visibilityTimeoutSeconds: 660, receiveWaitTimeSeconds: 20, kmsMasterKeyId: KEY_ARN, kmsDataKeyReusePeriodSeconds: 300 });
  expect(JSON.parse(queue.inputs.redrivePolicy)).toEqual({ deadLetterTargetArn: 'arn:aws:sqs:us-east-1:123456789012:jobs-images-jobs-dlq', maxReceiveCount: 4 });
  const policies = resourcesOfType('aws:sqs/queuePolicy:QueuePolicy');
  expect(policies.map((p) => p.inputs.queueUrl).sort()).toEqual([QUEUE_URL, `${QUEUE_URL}-dlq`]);
  for (const policy of policies) {
    expect(statements(policy)).toEqual([expect.objectContaining({ Effect: 'Deny', Principal: { AWS: '*' }, Action: 'sqs:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]);
  }
});

test('THEN the task runs the server and the worker: the worker gets the planned WORKER_ENV, the pool key and the store password as secrets, and starts after the server', () => {
  const task = oneResource('aws:ecs/taskDefinition:TaskDefinition', named('jobs-queue-images-task'));
  const [server, worker] = JSON.parse(task.inputs.containerDefinitions);
  expect(server).toMatchObject({ name: 'Server', image: 'registry.example.com/images:1', readonlyRootFilesystem: true });
  expect(server.portMappings).toBeUndefined();
  expect(server.secrets).toEqual([{ name: POOL_ENV.identityKey, valueFrom: expect.stringMatching(/jobs-gateway-identity-images$/) }]);
  expect(worker).toMatchObject({ name: QUEUE_WORKER_CONTAINER, image: 'registry.example.com/mcp-fleet:1', command: ['worker', '--from-env'], readonlyRootFilesystem: true, user: '1000:1000' });
  expect(worker.dependsOn).toEqual([{ containerName: 'Server', condition: 'START' }]);
  const env = Object.fromEntries(worker.environment.map((e: { name: string; value: string }) => [e.name, e.value]));
  expect(env).toEqual({
    [WORKER_ENV.spec]: JSON.stringify(spec),
    [WORKER_ENV.pool]: 'images',
    [WORKER_ENV.serverUrl]: 'http://127.0.0.1:8080/mcp',
    [WORKER_ENV.queueUrl]: QUEUE_URL,
    [WORKER_ENV.redisUrl]: expect.stringMatching(/^rediss:\/\/.+:6379$/),
  });
  expect(worker.secrets).toEqual([
    { name: WORKER_ENV.identityKey, valueFrom: expect.stringMatching(/jobs-gateway-identity-images$/) },
    { name: WORKER_ENV.redisAuthToken, valueFrom: expect.stringMatching(/jobs-sessions/) },
  ]);
  // No fleet key anywhere in the task.
  expect(JSON.stringify(task.inputs.containerDefinitions)).not.toContain(GATEWAY_ENV.identityKey + '"');
  const service = oneResource('aws:ecs/service:Service', named('jobs-queue-images-service'));
  expect(service.inputs.loadBalancers).toBeUndefined();
  expect(service.inputs.serviceRegistries).toBeUndefined();
  expect(service.inputs.networkConfiguration.assignPublicIp).toBe(false);
});

test('THEN the workers may only receive, delete and change visibility on their own queue, and decrypt through SQS only', () => {
  const policy = oneResource('aws:iam/rolePolicy:RolePolicy', named('jobs-queue-images-task'));
  expect(statements(policy)).toEqual([
    { Sid: 'ConsumeJobs', Effect: 'Allow', Action: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility'], Resource: [QUEUE_ARN] },
    { Sid: 'ConsumeJobsKey', Effect: 'Allow', Action: ['kms:Decrypt'], Resource: [KEY_ARN], Condition: { StringEquals: { 'kms:ViaService': 'sqs.us-east-1.amazonaws.com' } } },
  ]);
});

test('THEN the gateway gets the queue URLs, no URL for the queue pool, and may only send to the queue', () => {
  expect(fleet.gateway).toBeInstanceOf(McpGateway);
  const fn = oneResource('aws:lambda/function:Function');
  const variables = fn.inputs.environment.variables;
  expect(JSON.parse(variables[GATEWAY_ENV.queueUrls])).toEqual({ images: QUEUE_URL });
  expect(Object.keys(JSON.parse(variables[GATEWAY_ENV.poolUrls]))).toEqual(['github']);
  expect(Object.keys(JSON.parse(variables[GATEWAY_ENV.poolIdentitySecretArns]))).toEqual(['github', 'images']);
  const policy = oneResource('aws:iam/rolePolicy:RolePolicy', named('jobs-gateway-policy'));
  expect(statements(policy).filter((s) => String(s.Sid).startsWith('SendJobs'))).toEqual([
    { Sid: 'SendJobs', Effect: 'Allow', Action: ['sqs:SendMessage'], Resource: [QUEUE_ARN] },
    { Sid: 'SendJobsKey', Effect: 'Allow', Action: ['kms:GenerateDataKey', 'kms:Decrypt'], Resource: [KEY_ARN], Condition: { StringEquals: { 'kms:ViaService': 'sqs.us-east-1.amazonaws.com' } } },
  ]);
});

test('THEN the workers scale from 0 to maxTasks: target tracking on the backlog per task, a step on the oldest job age and a step from zero', () => {
  const target = oneResource('aws:appautoscaling/target:Target', named('jobs-queue-images-scaling'));
  expect(target.inputs).toMatchObject({ minCapacity: 0, maxCapacity: 8 });
  const backlog = oneResource('aws:appautoscaling/policy:Policy', named('jobs-queue-images-backlog-scaling'));
  const config = backlog.inputs.targetTrackingScalingPolicyConfiguration;
  expect(config.targetValue).toBe(10);
  expect(config.customizedMetricSpecification.metrics.map((m: { id: string }) => m.id)).toEqual(['visible', 'inFlight', 'running', 'result']);
  expect(config.customizedMetricSpecification.metrics[0].metricStat.metric.dimensions).toEqual([{ name: 'QueueName', value: 'jobs-images-jobs' }]);
  const steps = ['oldest-job-age', 'from-zero'].map((id) => oneResource('aws:appautoscaling/policy:Policy', named(`jobs-queue-images-${id}-step`)));
  expect(steps.map((s) => s.inputs.policyType)).toEqual(['StepScaling', 'StepScaling']);
  expect(steps[1]!.inputs.stepScalingPolicyConfiguration.stepAdjustments).toEqual([{ scalingAdjustment: 1, metricIntervalLowerBound: '0' }]);
  const alarm = oneResource('aws:cloudwatch/metricAlarm:MetricAlarm', named('jobs-queue-images-from-zero-alarm'));
  expect(alarm.inputs.alarmActions).toEqual([expect.stringContaining('jobs-queue-images-from-zero-step')]);
  expect(alarm.inputs.metricQueries[0]).toMatchObject({ expression: 'IF(FILL(running, 0) < 1, FILL(visible, 0), 0)', returnData: true });
});

test('THEN the workers reach the session store, and nothing reaches the workers', () => {
  const rules = resourcesOfType('aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule');
  expect(rules.filter((r) => r.name.startsWith('jobs-pool-images')).map((r) => r.name)).toEqual(['jobs-pool-images-to-sessionStore-6379-in']);
  expect(rules.filter((r) => r.name.includes('to-pool-images'))).toEqual([]);
});

test('THEN the fleet alarms on dead letters and old jobs of the queue pool', () => {
  const names = resourcesOfType('aws:cloudwatch/metricAlarm:MetricAlarm')
    .map((r) => r.inputs.name)
    .filter(Boolean);
  expect(names).toEqual(expect.arrayContaining([expect.stringContaining('images-dead-letter-jobs'), expect.stringContaining('images-oldest-job-age')]));
  const dead = oneResource('aws:cloudwatch/metricAlarm:MetricAlarm', (r) => String(r.inputs.name).includes('images-dead-letter-jobs'));
  expect(dead.inputs.dimensions).toEqual({ QueueName: 'jobs-images-jobs-dlq' });
});

test('GIVEN the gateway as a service WHEN the fleet has a queue pool THEN its container gets the queue URLs and its task role may only send', async () => {
  const hosted: FleetSpec = { ...spec, name: 'svc', gateway: { hosting: 'service' } };
  await declare((options) => new McpFleet('svc', { spec: hosted, certificateArn: CERTIFICATE_ARN, gatewayImage: 'registry.example.com/mcp-fleet:1' }, options));
  const task = oneResource('aws:ecs/taskDefinition:TaskDefinition', named('svc-gateway-task'));
  const [gateway] = JSON.parse(task.inputs.containerDefinitions);
  const env = Object.fromEntries(gateway.environment.map((e: { name: string; value: string }) => [e.name, e.value]));
  expect(JSON.parse(env[GATEWAY_ENV.queueUrls])).toEqual({ images: 'https://sqs.us-east-1.amazonaws.com/123456789012/svc-images-jobs' });
  expect(statements(oneResource('aws:iam/rolePolicy:RolePolicy', named('svc-gateway-task'))).map((s) => [s.Sid, s.Action])).toEqual([
    ['SendJobs', ['sqs:SendMessage']],
    ['SendJobsKey', ['kms:GenerateDataKey', 'kms:Decrypt']],
  ]);
  // The workers run the gateway's image: no second build.
  const worker = JSON.parse(oneResource('aws:ecs/taskDefinition:TaskDefinition', named('svc-queue-images-task')).inputs.containerDefinitions)[1];
  expect(worker.image).toBe('registry.example.com/mcp-fleet:1');
});

test('GIVEN the gateway as a service and no image given WHEN the fleet has a queue pool THEN one image is built for the gateway and the workers', async () => {
  const hosted: FleetSpec = { ...spec, name: 'one', gateway: { hosting: 'service' } };
  const { component } = await declare((options) => new McpFleet('one', { spec: hosted, certificateArn: CERTIFICATE_ARN }, options));
  const builds = resourcesOfType('docker-build:index:Image').filter((r) => r.name.startsWith('one-'));
  expect(builds.map((r) => r.name)).toEqual(['one-queue-images-worker-image']);
  const image = (task: string) => JSON.parse(oneResource('aws:ecs/taskDefinition:TaskDefinition', named(task)).inputs.containerDefinitions).at(-1).image;
  expect(image('one-gateway-task')).toBe(image('one-queue-images-task'));
  expect(component.gateway).not.toBeInstanceOf(McpGateway);
});
