import { Errors } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { McpFleet, McpQueuePool } from '../../constructs';
import { GATEWAY_ENV, WORKER_ENV, type FleetSpec } from '../../lib/spec';
import { threePoolSpec } from '../fixtures/specs';
import { CERTIFICATE_ARN, resourcesOf, testStack } from './support';

/** The three-pool fleet with the images pool as a queue pool that scales to zero. */
const queued: FleetSpec = {
  ...threePoolSpec,
  pools: [
    ...threePoolSpec.pools.slice(0, 2),
    { name: 'images', kind: 'queue', image: 'registry.example.com/mcp/images-pool:1.0.0', tools: ['image_*'], minTasks: 0, maxTasks: 8, queue: { maxReceives: 4, maxJobAgeSeconds: 120 } },
  ],
};

function synth(spec: FleetSpec, props: Partial<ConstructorParameters<typeof McpFleet>[2]> = {}) {
  const stack = testStack();
  const fleet = new McpFleet(stack, 'Fleet', { spec, certificateArn: CERTIFICATE_ARN, ...props });
  return { fleet, template: Template.fromStack(stack) };
}

describe('McpFleet with a queue pool (gateway Lambda)', () => {
  let fleet: McpFleet;
  let template: Template;
  let pool: McpQueuePool;
  const taskDefinition = () => resourcesOf(template, 'AWS::ECS::TaskDefinition').find(([id]) => id.startsWith('FleetQueueimages'))![1];
  const containerNamed = (name: string) => taskDefinition().ContainerDefinitions.find((c: { Name: string }) => c.Name === name);
  beforeAll(() => {
    ({ fleet, template } = synth(queued));
    pool = fleet.queuePools[0]!;
  });

  test('GIVEN a queue pool WHEN synthesized THEN it is an McpQueuePool beside the tool pools, with its L2s exposed', () => {
    expect(fleet.pools.map((p) => p.plan.name)).toEqual(['github', 'slack']);
    expect(pool).toBeInstanceOf(McpQueuePool);
    expect(pool.queue.node.path).toBe('Test/Fleet/Queue-images/Queue');
    expect(pool.service).toBeInstanceOf(ecs.FargateService);
  });

  test('THEN the queue and dead-letter queue have the planned names, visibility, retention, long polling, redrive and customer key', () => {
    template.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: 'agents-images-jobs',
      VisibilityTimeout: 360,
      MessageRetentionPeriod: 345_600,
      ReceiveMessageWaitTimeSeconds: 20,
      KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^FleetKey'), 'Arn'] },
      KmsDataKeyReusePeriodSeconds: 300,
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^FleetQueueimagesDeadLetterQueue'), 'Arn'] }, maxReceiveCount: 4 },
    });
    template.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: 'agents-images-jobs-dlq',
      MessageRetentionPeriod: 1_209_600,
      KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^FleetKey'), 'Arn'] },
    });
  });

  test('THEN both queue policies deny every request not made over TLS', () => {
    const policies = resourcesOf(template, 'AWS::SQS::QueuePolicy').filter(([id]) => id.startsWith('FleetQueueimages'));
    expect(policies).toHaveLength(2);
    for (const [, p] of policies) {
      expect(p.PolicyDocument.Statement).toEqual([expect.objectContaining({ Effect: 'Deny', Action: 'sqs:*', Principal: { AWS: '*' }, Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]);
    }
  });

  test('THEN the worker service has no load balancer, no Cloud Map registration, private subnets, no public IP, and no inbound rule', () => {
    template.hasResourceProperties('AWS::ECS::Service', {
      TaskDefinition: { Ref: Match.stringLikeRegexp('^FleetQueueimagesTaskDefinition') },
      DesiredCount: 0,
      LoadBalancers: Match.absent(),
      ServiceRegistries: Match.absent(),
      EnableExecuteCommand: false,
      DeploymentConfiguration: Match.objectLike({ DeploymentCircuitBreaker: { Enable: true, Rollback: true } }),
      NetworkConfiguration: { AwsvpcConfiguration: Match.objectLike({ AssignPublicIp: 'DISABLED' }) },
    });
    const into = resourcesOf(template, 'AWS::EC2::SecurityGroupIngress').filter(([, p]) => JSON.stringify(p.GroupId).includes('FleetQueueimages'));
    expect(into).toEqual([]);
    expect(resourcesOf(template, 'AWS::ElasticLoadBalancingV2::TargetGroup').map(([, p]) => p.Name)).not.toContain('agents-images');
    expect(JSON.stringify(resourcesOf(template, 'AWS::ElasticLoadBalancingV2::ListenerRule'))).not.toContain('FleetQueueimages');
  });

  test('THEN the task runs the server as planned and the worker (mcp-fleet worker --from-env) after it, non-root, read-only, with the pool key and store password as secrets', () => {
    expect(containerNamed('Server')).toMatchObject({ Image: 'registry.example.com/mcp/images-pool:1.0.0', User: '1000:1000', ReadonlyRootFilesystem: true });
    expect(containerNamed('Server').PortMappings).toBeUndefined();
    const worker = containerNamed('Worker');
    expect(worker).toMatchObject({
      Command: ['worker', '--from-env'],
      User: '1000:1000',
      ReadonlyRootFilesystem: true,
      StopTimeout: 90,
      DependsOn: [{ ContainerName: 'Server', Condition: 'START' }],
      MountPoints: [{ ContainerPath: '/tmp', SourceVolume: 'worker-tmp', ReadOnly: false }],
      Image: { 'Fn::Sub': expect.stringMatching(/cdk-hnb659fds-container-assets-123456789012-us-east-1:[0-9a-f]{64}$/) },
    });
    const env = Object.fromEntries(worker.Environment.map((e: { Name: string; Value: unknown }) => [e.Name, e.Value]));
    expect(env[WORKER_ENV.pool]).toBe('images');
    expect(env[WORKER_ENV.serverUrl]).toBe('http://127.0.0.1:8080/mcp');
    expect(env[WORKER_ENV.queueUrl]).toEqual({ Ref: expect.stringMatching(/^FleetQueueimagesQueue/) });
    expect(JSON.parse(env[WORKER_ENV.spec] as string)).toEqual(queued);
    expect(JSON.stringify(env[WORKER_ENV.redisUrl])).toContain('rediss://');
    const secrets = Object.fromEntries(worker.Secrets.map((s: { Name: string; ValueFrom: unknown }) => [s.Name, JSON.stringify(s.ValueFrom)]));
    expect(Object.keys(secrets).sort()).toEqual([WORKER_ENV.redisAuthToken, WORKER_ENV.identityKey].sort());
    // The pool's own identity secret, never the fleet key (there is none on AWS) nor another pool's.
    expect(secrets[WORKER_ENV.identityKey]).toMatch(/FleetIdentityimagesSecret/);
    expect(secrets[WORKER_ENV.redisAuthToken]).toMatch(/FleetSessionStore/);
  });

  test('THEN the worker task role may only receive, delete and change visibility on its own queue, and decrypt through SQS', () => {
    const [, policy] = resourcesOf(template, 'AWS::IAM::Policy').find(([id]) => /^FleetQueueimagesTaskDefinitionTaskRoleDefaultPolicy/.test(id))!;
    expect(policy.PolicyDocument.Statement).toEqual([
      { Effect: 'Allow', Action: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility'], Resource: { 'Fn::GetAtt': [expect.stringMatching(/^FleetQueueimagesQueue/), 'Arn'] } },
      {
        Effect: 'Allow',
        Action: 'kms:Decrypt',
        Resource: { 'Fn::GetAtt': [expect.stringMatching(/^FleetKey/), 'Arn'] },
        Condition: { StringEquals: { 'kms:ViaService': 'sqs.us-east-1.amazonaws.com' } },
      },
    ]);
  });

  test('THEN the gateway Lambda gets the queue URLs and may only send to the queue (and use the key through SQS)', () => {
    const fn = resourcesOf(template, 'AWS::Lambda::Function').find(([, p]) => p.FunctionName === 'agents-gateway')![1];
    expect(JSON.stringify(fn.Environment.Variables[GATEWAY_ENV.queueUrls])).toMatch(/\{\\"images\\":\\"",\{"Ref":"FleetQueueimagesQueue/);
    expect(Object.keys(JSON.parse(fn.Environment.Variables[GATEWAY_ENV.poolUrls] as string))).toEqual(['github', 'slack']);
    const statements = resourcesOf(template, 'AWS::IAM::Policy')
      .filter(([id]) => id.startsWith('FleetGatewayFunction'))
      .flatMap(([, p]) => p.PolicyDocument.Statement as Array<Record<string, unknown>>);
    const sqsStatements = statements.filter((s) => JSON.stringify(s.Action).includes('sqs:'));
    expect(sqsStatements).toEqual([{ Effect: 'Allow', Action: 'sqs:SendMessage', Resource: { 'Fn::GetAtt': [expect.stringMatching(/^FleetQueueimagesQueue/), 'Arn'] } }]);
    expect(statements).toContainEqual({
      Effect: 'Allow',
      Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
      Resource: { 'Fn::GetAtt': [expect.stringMatching(/^FleetKey/), 'Arn'] },
      Condition: { StringEquals: { 'kms:ViaService': 'sqs.us-east-1.amazonaws.com' } },
    });
  });

  test('THEN the session store admits the worker tasks on its port', () => {
    const rules = resourcesOf(template, 'AWS::EC2::SecurityGroupIngress').filter(
      ([, p]) => JSON.stringify(p.GroupId).includes('FleetSessionStore') && JSON.stringify(p.SourceSecurityGroupId).includes('FleetQueueimagesSecurityGroup'),
    );
    expect(rules.map(([, p]) => [p.FromPort, p.Description])).toEqual([[6379, 'workers of queue pool images to the session store']]);
  });

  test('THEN the service tracks (waiting + running jobs) per running task at backlogPerTask by metric math', () => {
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
      MinCapacity: 0,
      MaxCapacity: 8,
      ResourceId: { 'Fn::Join': ['', Match.arrayWith([Match.objectLike({ 'Fn::GetAtt': [Match.stringLikeRegexp('^FleetQueueimagesService'), 'Name'] })])] },
    });
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      PolicyName: 'images-backlog-per-task',
      PolicyType: 'TargetTrackingScaling',
      TargetTrackingScalingPolicyConfiguration: {
        TargetValue: 10,
        ScaleInCooldown: 300,
        ScaleOutCooldown: 60,
        CustomizedMetricSpecification: {
          Metrics: [
            Match.objectLike({
              Id: 'visible',
              ReturnData: false,
              MetricStat: Match.objectLike({ Stat: 'Maximum', Metric: Match.objectLike({ Namespace: 'AWS/SQS', MetricName: 'ApproximateNumberOfMessagesVisible' }) }),
            }),
            Match.objectLike({ Id: 'inFlight', MetricStat: Match.objectLike({ Metric: Match.objectLike({ MetricName: 'ApproximateNumberOfMessagesNotVisible' }) }) }),
            Match.objectLike({ Id: 'running', MetricStat: Match.objectLike({ Stat: 'Average', Metric: Match.objectLike({ Namespace: 'ECS/ContainerInsights', MetricName: 'RunningTaskCount' }) }) }),
            { Id: 'result', Expression: '(visible + inFlight) / running', Label: 'jobs per task', ReturnData: true },
          ],
        },
      },
    });
  });

  test('THEN a step adds tasks past maxJobAgeSeconds, and another starts the first task when jobs wait with none running (minTasks 0)', () => {
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      PolicyType: 'StepScaling',
      StepScalingPolicyConfiguration: {
        AdjustmentType: 'ChangeInCapacity',
        Cooldown: 300,
        MetricAggregationType: 'Maximum',
        StepAdjustments: [
          { MetricIntervalLowerBound: 0, MetricIntervalUpperBound: 120, ScalingAdjustment: 1 },
          { MetricIntervalLowerBound: 120, ScalingAdjustment: 2 },
        ],
      },
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmActions: [{ Ref: Match.stringLikeRegexp('^FleetQueueimagesOldestJobAgeStep') }],
      MetricName: 'ApproximateAgeOfOldestMessage',
      Threshold: 120,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmActions: [{ Ref: Match.stringLikeRegexp('^FleetQueueimagesFromZeroStep') }],
      Threshold: 1,
      Metrics: Match.arrayWith([Match.objectLike({ Expression: 'IF(FILL(running, 0) < 1, FILL(visible, 0), 0)', ReturnData: true })]),
    });
    expect(Object.keys(pool.stepAlarms)).toEqual(['OldestJobAge', 'FromZero']);
  });

  test('THEN the fleet dashboard carries the dead-letter and job-age alarms and the queue charts', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'mcp-fleet-agents-images-dead-letter-jobs',
      Threshold: 1,
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('^FleetQueueimagesDeadLetterQueue'), 'QueueName'] } }],
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: 'mcp-fleet-agents-images-oldest-job-age', Threshold: 120 });
    expect(fleet.monitoring.alarms.map((a) => a.node.id)).toEqual(expect.arrayContaining(['imagesDeadLetterJobs', 'imagesOldestJobAge', 'imagesToolErrorRate']));
    const body = JSON.stringify(resourcesOf(template, 'AWS::CloudWatch::Dashboard')[0]![1].DashboardBody);
    expect(body).toContain('Jobs: images');
    expect(body).toContain('Oldest waiting job: images (s)');
  });

  test('GIVEN the same spec WHEN synthesized twice THEN the templates are identical', () => {
    expect(JSON.stringify(synth(queued).template.toJSON())).toBe(JSON.stringify(template.toJSON()));
  });
});

describe('McpFleet with a queue pool (gateway service)', () => {
  const { template } = synth({ ...queued, name: 'streams', gateway: { hosting: 'service' } });
  const gatewayContainer = resourcesOf(template, 'AWS::ECS::TaskDefinition').find(([id]) => id.startsWith('FleetGatewayService'))![1].ContainerDefinitions[0];
  const worker = resourcesOf(template, 'AWS::ECS::TaskDefinition')
    .find(([id]) => id.startsWith('FleetQueueimages'))![1]
    .ContainerDefinitions.find((c: { Name: string }) => c.Name === 'Worker');

  test('GIVEN hosting service THEN the worker runs the gateway image (one asset) and the gateway task role may only send', () => {
    expect(worker.Image).toEqual(gatewayContainer.Image);
    const statements = resourcesOf(template, 'AWS::IAM::Policy')
      .filter(([id]) => id.startsWith('FleetGatewayServiceTaskDefinitionTaskRole'))
      .flatMap(([, p]) => p.PolicyDocument.Statement as Array<Record<string, unknown>>);
    expect(statements.filter((s) => JSON.stringify(s.Action).includes('sqs:'))).toEqual([
      { Effect: 'Allow', Action: 'sqs:SendMessage', Resource: { 'Fn::GetAtt': [expect.stringMatching(/^FleetQueueimagesQueue/), 'Arn'] } },
    ]);
    expect(gatewayContainer.Environment.map((e: { Name: string }) => e.Name)).toContain(GATEWAY_ENV.queueUrls);
  });
});

describe('McpQueuePool errors', () => {
  test('GIVEN a pool that is not a queue pool WHEN McpQueuePool is created THEN a ValidationError names the construct path and the pool kind', () => {
    const stack = testStack();
    const fleet = new McpFleet(stack, 'Fleet', { spec: queued, certificateArn: CERTIFICATE_ARN });
    const create = () =>
      new McpQueuePool(stack, 'Extra', {
        spec: queued,
        plan: fleet.plan,
        pool: 'github',
        cluster: fleet.network.cluster,
        sessionStore: fleet.sessionStore,
        identitySecret: fleet.identitySecrets.github!.secret,
        encryptionKey: fleet.encryptionKey,
      });
    let thrown: unknown;
    try {
      create();
    } catch (error) {
      thrown = error;
    }
    expect(Errors.isValidationError(thrown)).toBe(true);
    expect((thrown as Error).message).toBe('Test/Extra: queue pool "github" is not in the spec (queue pools: images); "github" is a container pool (use McpToolPool)');
  });

  test('GIVEN pool overrides for a queue pool WHEN the fleet is created THEN they are refused with a pointer to queuePools', () => {
    expect(() => synth(queued, { pools: { images: {} } })).toThrow('Test/Fleet: pools overrides name queue pools (images): their overrides go in queuePools');
  });

  test('GIVEN a registry worker image WHEN given as a queue pool override THEN the worker runs it', () => {
    const { template } = synth(queued, { queuePools: { images: { workerImage: ecs.ContainerImage.fromRegistry('registry.example.com/mcp-fleet:1') } } });
    const worker = resourcesOf(template, 'AWS::ECS::TaskDefinition')
      .find(([id]) => id.startsWith('FleetQueueimages'))![1]
      .ContainerDefinitions.find((c: { Name: string }) => c.Name === 'Worker');
    expect(worker.Image).toBe('registry.example.com/mcp-fleet:1');
  });
});
