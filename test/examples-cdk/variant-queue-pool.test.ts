/**
 * The variant's stdio queue pool (`exports`, a command run under `mcp-fleet bridge`) as the template
 * deploys it: the worker waits for the bridged server to be HEALTHY, then talks to it on localhost.
 * The same template is what nag.test.ts and cfn-lint.test.ts check (synthesized once per run).
 */
import { Match, Template } from 'aws-cdk-lib/assertions';
import { variantAssembly } from './support';

const template = () => Template.fromJSON(variantAssembly(true).getStackByName('McpFleetVariantService').template);

/** The logical id of the one resource of `type` whose id starts with `prefix`. */
function idOf(t: Template, type: string, prefix: string): string {
  const ids = Object.keys(t.findResources(type)).filter((id) => id.startsWith(prefix));
  expect(ids).toHaveLength(1);
  return ids[0]!;
}

describe('GIVEN the variant fleet with the gateway as a service and a queue pool whose server is a stdio command', () => {
  test('THEN the worker starts only once the bridged server is HEALTHY, with the worker settings for that pool', () => {
    const t = template();
    const queue = idOf(t, 'AWS::SQS::Queue', 'FleetQueueexportsQueue');
    const identity = idOf(t, 'AWS::SecretsManager::Secret', 'FleetIdentityexportsSecret');
    t.hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: [
        // The generated image runs the command under the bridge, which answers the health check.
        Match.objectLike({ Name: 'Server', HealthCheck: Match.objectLike({ Command: Match.arrayWith(['CMD']) }), User: '1000:1000', ReadonlyRootFilesystem: true }),
        Match.objectLike({
          Name: 'Worker',
          Command: ['worker', '--from-env'],
          DependsOn: [{ ContainerName: 'Server', Condition: 'HEALTHY' }],
          User: '1000:1000',
          ReadonlyRootFilesystem: true,
          Environment: Match.arrayWith([
            { Name: 'MCP_FLEET_POOL', Value: 'exports' },
            { Name: 'MCP_FLEET_WORKER_SERVER_URL', Value: 'http://127.0.0.1:8080/mcp' },
            { Name: 'MCP_FLEET_WORKER_QUEUE_URL', Value: { Ref: queue } },
            { Name: 'MCP_FLEET_REDIS_URL', Value: { 'Fn::Join': ['', ['rediss://', Match.anyValue(), ':6379']] } },
          ]),
          // The pool's own identity key (never the fleet's) and the store password, as ECS secrets.
          Secrets: [
            { Name: 'MCP_FLEET_WORKER_IDENTITY_KEY', ValueFrom: { Ref: identity } },
            { Name: 'MCP_FLEET_REDIS_AUTH_TOKEN', ValueFrom: Match.objectLike({ Ref: Match.stringLikeRegexp('^FleetSessionStoreAuthToken') }) },
          ],
        }),
      ],
    });
  });

  test('THEN its queue outlives a run (visibility = maxRunSeconds + margin), dead-letters after maxReceives, and scales 0..maxTasks', () => {
    const t = template();
    t.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: 'variant-svc-exports-jobs',
      VisibilityTimeout: 360,
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [idOf(t, 'AWS::SQS::Queue', 'FleetQueueexportsDeadLetterQueue'), 'Arn'] }, maxReceiveCount: 3 },
    });
    const service = idOf(t, 'AWS::ECS::Service', 'FleetQueueexportsService');
    expect(t.toJSON().Resources[service].Properties.LoadBalancers).toBeUndefined();
    t.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
      MinCapacity: 0,
      MaxCapacity: 4,
      ResourceId: { 'Fn::Join': ['', Match.arrayWith([{ 'Fn::GetAtt': [service, 'Name'] }])] },
    });
  });
});
