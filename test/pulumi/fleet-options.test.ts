/**
 * McpFleet (Pulumi) options and variants under mocks: synchronous validation, an existing VPC,
 * ElastiCache Serverless, API keys with per-tool limits and a priority pool, private ECR images.
 */
import { allResources, declare, isSecretValue, oneResource, resetRecording, resourcesOfType, unwrapSecret, type RecordedResource } from './harness';
import { GATEWAY_ENV, type ContainerPoolSpec, type FleetSpec } from '../../lib/spec';
import { addConnectionScaling, McpComponentError, McpFleet, McpToolPool } from '../../pulumi';
import { threePoolSpec } from '../fixtures/specs';

const CERTIFICATE_ARN = 'arn:aws:acm:us-east-1:123456789012:certificate/abc';

async function build(name: string, spec: FleetSpec, extra: Partial<ConstructorParameters<typeof McpFleet>[1]> = {}): Promise<McpFleet> {
  resetRecording();
  return (await declare((options) => new McpFleet(name, { spec, certificateArn: CERTIFICATE_ARN, ...extra }, options))).component;
}

const named = (name: string) => (r: RecordedResource) => r.name === name;
const statementsOf = (policyName: string) => JSON.parse(oneResource('aws:iam/rolePolicy:RolePolicy', named(policyName)).inputs.policy).Statement as Array<Record<string, any>>;

describe('validation', () => {
  test('GIVEN a spec with two problems WHEN the fleet is declared THEN it throws synchronously, naming the fleet and both paths, before registering anything', () => {
    resetRecording();
    const spec = {
      ...threePoolSpec,
      pools: [
        { ...threePoolSpec.pools[0]!, cpu: 300 },
        { ...threePoolSpec.pools[1]!, name: 'Slack_Pool' },
      ],
    } as FleetSpec;
    let error: unknown;
    try {
      new McpFleet('broken', { spec, certificateArn: CERTIFICATE_ARN });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(McpComponentError);
    expect((error as Error).message).toMatch(/^McpFleet broken: invalid fleet spec \(2 problems\)/);
    expect((error as McpComponentError).problems!.map((p) => p.path)).toEqual(expect.arrayContaining(['pools[0].cpu', 'pools[1].name']));
    expect(allResources()).toEqual([]);
  });

  test('GIVEN draining longer than the container stop timeout WHEN the fleet is declared THEN the spec error names the pool setting', () => {
    const spec: FleetSpec = { ...threePoolSpec, pools: [{ ...threePoolSpec.pools[0]!, deregistrationDelaySeconds: 100, stopTimeoutSeconds: 90 }, ...threePoolSpec.pools.slice(1)] };
    expect(() => new McpFleet('draining', { spec, certificateArn: CERTIFICATE_ARN })).toThrow(
      /McpFleet draining: invalid fleet spec[\s\S]*pools\[0\] \(pool "github"\)\.deregistrationDelaySeconds: deregistration delay \(100 s\) must not exceed the container stop timeout \(90 s\)/,
    );
  });

  test('GIVEN a pool name the spec lacks WHEN a tool pool is declared alone THEN the error lists the spec’s pools', () => {
    expect(
      () =>
        new McpToolPool('orphan', {
          spec: threePoolSpec,
          pool: 'jira',
          vpcId: 'vpc-1',
          privateSubnetIds: ['subnet-1'],
          clusterArn: 'arn:cluster',
          clusterName: 'cluster',
          namespaceId: 'ns-1',
          listenerArn: 'arn:listener',
          loadBalancerArnSuffix: 'app/x/1',
          identitySecretArn: 'arn:secret',
        }),
    ).toThrow('McpToolPool orphan: the spec has no pool "jira" (pools: github, slack, images)');
  });
});

describe('existing VPC', () => {
  beforeAll(() => build('byo', threePoolSpec, { vpc: { vpcId: 'vpc-0abc', publicSubnetIds: ['subnet-pub-a', 'subnet-pub-b'], privateSubnetIds: ['subnet-priv-a', 'subnet-priv-b'] } }));

  test('THEN no network is created and every resource lands in the given subnets', () => {
    expect(resourcesOfType('aws:ec2/vpc:Vpc')).toEqual([]);
    expect(resourcesOfType('aws:ec2/subnet:Subnet')).toEqual([]);
    expect(resourcesOfType('aws:ec2/natGateway:NatGateway')).toEqual([]);
    expect(oneResource('aws:lb/loadBalancer:LoadBalancer').inputs.subnets).toEqual(['subnet-pub-a', 'subnet-pub-b']);
    expect(oneResource('aws:ecs/service:Service', named('byo-pool-github-service')).inputs.networkConfiguration.subnets).toEqual(['subnet-priv-a', 'subnet-priv-b']);
    expect(oneResource('aws:lambda/function:Function').inputs.vpcConfig.subnetIds).toEqual(['subnet-priv-a', 'subnet-priv-b']);
    expect(oneResource('aws:elasticache/subnetGroup:SubnetGroup').inputs.subnetIds).toEqual(['subnet-priv-a', 'subnet-priv-b']);
    for (const sg of resourcesOfType('aws:ec2/securityGroup:SecurityGroup')) expect(sg.inputs.vpcId).toBe('vpc-0abc');
  });
});

describe('ElastiCache Serverless', () => {
  beforeAll(() => build('svl', { ...threePoolSpec, sessionStore: { deployment: 'serverless' } }));

  test('THEN a serverless cache authenticates a default user whose password is written only from the generated secret', () => {
    expect(resourcesOfType('aws:elasticache/replicationGroup:ReplicationGroup')).toEqual([]);
    const user = oneResource('aws:elasticache/user:User');
    expect(user.inputs).toMatchObject({ userId: 'agents-sessions-default', userName: 'default', engine: 'valkey', passwordsWoVersion: 1 });
    expect(user.inputs.passwords).toBeUndefined();
    expect(isSecretValue(user.inputs.passwordsWo)).toBe(true);
    expect(unwrapSecret(user.inputs.passwordsWo)).toBe(unwrapSecret(oneResource('aws:secretsmanager/secretVersion:SecretVersion', named('svl-sessions-auth')).inputs.secretStringWo));
    expect(oneResource('aws:elasticache/userGroup:UserGroup').inputs).toEqual({ userGroupId: 'agents-sessions-users', engine: 'valkey', userIds: ['agents-sessions-default'] });
    expect(oneResource('aws:elasticache/serverlessCache:ServerlessCache').inputs).toMatchObject({
      name: 'agents-sessions',
      engine: 'valkey',
      majorEngineVersion: '8',
      userGroupId: 'agents-sessions-users',
      securityGroupIds: ['svl-sessions-sg-id'],
    });
  });

  test('THEN the gateway connects to the serverless endpoint over TLS', () => {
    const env = oneResource('aws:lambda/function:Function').inputs.environment.variables;
    expect(env[GATEWAY_ENV.redisUrl]).toBe('rediss://svl-sessions-cache.serverless.cache.amazonaws.com:6379');
  });
});

describe('API keys, per-tool limits and a priority pool', () => {
  const spec: FleetSpec = {
    ...threePoolSpec,
    pools: [...threePoolSpec.pools, { name: 'github-fast', image: 'registry.example.com/mcp/github-pool:1.0.0', tools: ['github_*'], priorityRoute: { header: 'x-mcp-priority', value: 'high' } }],
    auth: { ...threePoolSpec.auth, apiKeys: { secretName: 'agents/api-keys' } },
    rateLimits: { ...threePoolSpec.rateLimits, perTool: { waf: { requests: 600, windowSeconds: 60 } } },
  };
  beforeAll(() => build('keys', spec));

  test('THEN direct routes also require a bearer token, so API-key callers fall through to the gateway', () => {
    const rule = oneResource('aws:lb/listenerRule:ListenerRule', named('keys-pool-github-direct-github-0'));
    expect(rule.inputs.conditions).toContainEqual({ httpHeader: { httpHeaderName: 'Authorization', values: ['Bearer *'] } });
  });

  test('THEN the priority pool’s rule comes first and matches the priority header', () => {
    const rule = oneResource('aws:lb/listenerRule:ListenerRule', named('keys-pool-github-fast-priority-github-fast-0'));
    expect(rule.inputs.priority).toBe(1_300);
    expect(rule.inputs.conditions).toContainEqual({ httpHeader: { httpHeaderName: 'x-mcp-priority', values: ['high'] } });
  });

  test('THEN the web ACL limits each tool by its Mcp-Name header', () => {
    const rules = oneResource('aws:wafv2/webAcl:WebAcl').inputs.rules as Array<Record<string, any>>;
    expect(rules.find((r) => r.name === 'rate-per-tool')).toMatchObject({
      priority: 30,
      statement: { rateBasedStatement: { limit: 600, evaluationWindowSec: 60, aggregateKeyType: 'CUSTOM_KEYS', customKeys: [{ header: { name: 'mcp-name' } }] } },
    });
  });

  test('THEN the gateway gets the API keys secret by name and may read it (and only it) with any rotation suffix', () => {
    const env = oneResource('aws:lambda/function:Function').inputs.environment.variables;
    expect(env[GATEWAY_ENV.apiKeysSecretArn]).toBe('arn:aws:secretsmanager:us-east-1:123456789012:secret:agents/api-keys');
    const read = statementsOf('keys-gateway-policy').find((s) => s.Sid === 'ReadSecrets')!;
    expect(read.Resource).toContain('arn:aws:secretsmanager:us-east-1:123456789012:secret:agents/api-keys-??????');
    expect(read.Resource).toHaveLength(6); // the store password, four pool identity keys, the API keys
  });
});

describe('private ECR image', () => {
  const image = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/mcp/github:1.2.3';
  beforeAll(() => build('ecr', { ...threePoolSpec, pools: [{ ...(threePoolSpec.pools[0] as ContainerPoolSpec), image }, ...threePoolSpec.pools.slice(1)] }));

  test('THEN the execution role may pull from exactly that repository', () => {
    const statements = statementsOf('ecr-pool-github-execution');
    expect(statements.find((s) => s.Sid === 'EcrPull')).toMatchObject({ Resource: ['arn:aws:ecr:eu-west-1:123456789012:repository/mcp/github'] });
    expect(statements.find((s) => s.Sid === 'EcrLogin')).toMatchObject({ Action: ['ecr:GetAuthorizationToken'], Resource: '*' });
    expect(statementsOf('ecr-pool-slack-execution').map((s) => s.Sid)).toEqual(['WriteLogs', 'ReadIdentitySecret', 'DecryptIdentitySecret']);
  });
});

describe('connection scaling', () => {
  const metric = { namespace: 'McpFleet', metricName: 'OpenConnections', statistic: 'Average' as const };
  let fleet: McpFleet;
  beforeAll(async () => {
    resetRecording();
    const spec: FleetSpec = { ...threePoolSpec, pools: threePoolSpec.pools.map((p) => (p.name === 'github' ? { ...p, connectionsPerTask: 200 } : p)) };
    fleet = (await declare((options) => new McpFleet('conn', { spec, certificateArn: CERTIFICATE_ARN }, options))).component;
  });

  test("GIVEN connectionsPerTask on one pool WHEN the fleet is built THEN only that pool tracks the pools' connection gauge per task", () => {
    const policies = resourcesOfType('aws:appautoscaling/policy:Policy', (r) => r.name.endsWith('-connection-scaling'));
    expect(policies.map((p) => p.name)).toEqual(['conn-pool-github-connection-scaling']);
    expect(policies[0]!.inputs.targetTrackingScalingPolicyConfiguration).toEqual({
      targetValue: 200,
      customizedMetricSpecification: {
        namespace: 'McpFleet',
        metricName: 'OpenConnections',
        statistic: 'Average',
        dimensions: [
          { name: 'Fleet', value: 'agents' },
          { name: 'Pool', value: 'github' },
        ],
      },
      scaleInCooldown: 300,
      scaleOutCooldown: 60,
    });
    expect(policies[0]!.inputs.resourceId).toBe('service/agents-mcp/github');
  });

  test('GIVEN a metric that is not a per-task mean WHEN added THEN it is refused', () => {
    const wrong = { ...metric, statistic: 'Sum' } as unknown as typeof metric;
    expect(() => addConnectionScaling(fleet.pools.github!, { metric: wrong })).toThrow('pool "github": the connections-per-task metric must use the Average statistic (a per-task mean), not Sum');
  });
});
