import { Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { McpGateway, McpLoadBalancer, McpSessionStore, type McpGatewayProps } from '../../constructs';
import { GATEWAY_ENV, type FleetSpec } from '../../lib/spec';
import { threePoolSpec } from '../fixtures/specs';
import { CERTIFICATE_ARN, resourcesOf, testStack, testVpc } from './support';

const withApiKeys: FleetSpec = { ...threePoolSpec, auth: { ...threePoolSpec.auth, apiKeys: { secretName: 'agents/api-keys' } } };

function gatewayStack(spec: FleetSpec, overrides: Partial<McpGatewayProps> = {}) {
  const stack = testStack();
  const vpc = testVpc(stack);
  const key = new kms.Key(stack, 'Key');
  const lb = new McpLoadBalancer(stack, 'LoadBalancer', { spec, vpc, certificateArn: CERTIFICATE_ARN });
  const sessionStore = new McpSessionStore(stack, 'Store', { spec, vpc, encryptionKey: key });
  const poolIdentitySecrets = Object.fromEntries(spec.pools.map((p) => [p.name, new secretsmanager.Secret(stack, `Identity-${p.name}`, { encryptionKey: key })]));
  const gateway = new McpGateway(stack, 'Gateway', { spec, vpc, listener: lb.httpsListener, sessionStore, poolIdentitySecrets, publicUrl: 'https://mcp.example.com', ...overrides });
  return { stack, gateway };
}

describe('McpGateway', () => {
  let template: Template;
  let environment: Record<string, any>;
  beforeAll(() => {
    const { stack } = gatewayStack(withApiKeys);
    template = Template.fromStack(stack);
    environment = resourcesOf(template, 'AWS::Lambda::Function').find(([id]) => id.startsWith('GatewayFunction'))![1].Environment.Variables;
  });

  test('GIVEN the spec THEN the bundled gateway runs on Node 24, arm64, with the spec memory and timeout, in private subnets with its own security group', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'agents-gateway',
      Runtime: 'nodejs24.x',
      Handler: 'index.handler',
      Architectures: ['arm64'],
      MemorySize: 1024,
      Timeout: 30,
      Code: { S3Bucket: Match.anyValue(), S3Key: Match.stringLikeRegexp('^[0-9a-f]{64}\\.zip$') },
      VpcConfig: {
        SubnetIds: [{ Ref: Match.stringLikeRegexp('PrivateSubnet1') }, { Ref: Match.stringLikeRegexp('PrivateSubnet2') }],
        SecurityGroupIds: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^GatewaySecurityGroup'), 'GroupId'] }],
      },
    });
  });

  test('GIVEN the spec THEN the environment carries the spec, Cloud Map pool URLs, the TLS session store URL and the secret ARNs', () => {
    expect(JSON.parse(environment[GATEWAY_ENV.spec])).toEqual(withApiKeys);
    expect(JSON.parse(environment[GATEWAY_ENV.poolUrls])).toEqual({
      github: 'http://github.agents.mcp.internal:8080/mcp',
      slack: 'http://slack.agents.mcp.internal:8080/mcp',
      images: 'http://images.agents.mcp.internal:8080/mcp',
    });
    expect(environment[GATEWAY_ENV.redisUrl]).toEqual({ 'Fn::Join': ['', ['rediss://', { 'Fn::GetAtt': [expect.stringMatching(/^StoreReplicationGroup/), 'PrimaryEndPoint.Address'] }, ':6379']] });
    expect(environment[GATEWAY_ENV.redisAuthSecretArn]).toEqual({ Ref: expect.stringMatching(/^StoreAuthToken/) });
    const poolSecretArns = environment[GATEWAY_ENV.poolIdentitySecretArns]['Fn::Join'][1].map((part: string | { Ref: string }) => (typeof part === 'string' ? part : `ref:${part.Ref}`)).join('');
    expect(JSON.parse(poolSecretArns)).toEqual({
      github: expect.stringMatching(/^ref:Identitygithub/),
      slack: expect.stringMatching(/^ref:Identityslack/),
      images: expect.stringMatching(/^ref:Identityimages/),
    });
    expect(environment[GATEWAY_ENV.region]).toBe('us-east-1');
    expect(environment[GATEWAY_ENV.publicUrl]).toBe('https://mcp.example.com');
    expect(environment[GATEWAY_ENV.apiKeysSecretArn]).toEqual({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':secretsmanager:us-east-1:123456789012:secret:agents/api-keys']] });
  });

  test('GIVEN its secrets THEN the role may read exactly those secrets (the API key secret by its name pattern) and decrypt with their key', () => {
    const statements = resourcesOf(template, 'AWS::IAM::Policy').flatMap(([, p]) => p.PolicyDocument.Statement as Array<Record<string, any>>);
    const reads = statements.filter((s) => JSON.stringify(s.Action).includes('secretsmanager'));
    expect(reads).toEqual([
      {
        Effect: 'Allow',
        Action: 'secretsmanager:GetSecretValue',
        Resource: [
          { Ref: expect.stringMatching(/^StoreAuthToken/) },
          { Ref: expect.stringMatching(/^Identitygithub/) },
          { Ref: expect.stringMatching(/^Identityslack/) },
          { Ref: expect.stringMatching(/^Identityimages/) },
          { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':secretsmanager:us-east-1:123456789012:secret:agents/api-keys-??????']] },
        ],
      },
    ]);
    expect(statements.filter((s) => JSON.stringify(s.Action).includes('kms:Decrypt'))).toEqual([
      expect.objectContaining({ Action: 'kms:Decrypt', Resource: { 'Fn::GetAtt': [expect.stringMatching(/^Key/), 'Arn'] } }),
    ]);
    expect(JSON.stringify(statements)).not.toMatch(/"Resource":"\*"/);
  });

  test('GIVEN the load balancer THEN a Lambda target group with multi-value headers checks the health path', () => {
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
      Name: 'agents-gateway',
      TargetType: 'lambda',
      HealthCheckEnabled: true,
      HealthCheckPath: '/health',
      HealthCheckIntervalSeconds: 60,
      HealthCheckTimeoutSeconds: 10,
      TargetGroupAttributes: [{ Key: 'lambda.multi_value_headers.enabled', Value: 'true' }],
    });
    template.hasResourceProperties('AWS::Lambda::Permission', { Action: 'lambda:InvokeFunction', Principal: 'elasticloadbalancing.amazonaws.com' });
  });

  test('GIVEN the listener THEN the MCP path with the RFC 9728 paths and the health path go to the gateway', () => {
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::ListenerRule', {
      Priority: 45_000,
      Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: ['/mcp', '/.well-known/oauth-protected-resource', '/.well-known/oauth-protected-resource/mcp'] } }],
      Actions: [{ Type: 'forward', TargetGroupArn: { Ref: Match.stringLikeRegexp('^GatewayTargetGroup') } }],
    });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::ListenerRule', { Priority: 45_100, Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: ['/health'] } }] });
  });

  test('GIVEN reserved concurrency WHEN constructed THEN it is set; an invalid value names the construct path', () => {
    const { stack } = gatewayStack(threePoolSpec, { reservedConcurrentExecutions: 50 });
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', { ReservedConcurrentExecutions: 50 });
    expect(() => gatewayStack(threePoolSpec, { reservedConcurrentExecutions: 0 })).toThrow('Test/Gateway: reservedConcurrentExecutions must be a positive integer (got 0)');
  });

  test('GIVEN pool identity secrets that miss a pool or name an unknown one WHEN constructed THEN the error names the construct and the pools', () => {
    const stack = testStack();
    const secret = new secretsmanager.Secret(stack, 'Other');
    expect(() => gatewayStack(threePoolSpec, { poolIdentitySecrets: { github: secret } })).toThrow('Test/Gateway: poolIdentitySecrets has no secret for pool slack, images');
    expect(() => gatewayStack(threePoolSpec, { poolIdentitySecrets: { github: secret, slack: secret, images: secret, ghost: secret } })).toThrow(
      'Test/Gateway: poolIdentitySecrets names pools that are not in the spec: ghost',
    );
  });

  test('GIVEN function overrides WHEN constructed THEN sizes and extra variables apply, but runtime, handler, placement and planned variables are enforced', () => {
    const { stack } = gatewayStack(threePoolSpec, {
      functionProps: { memorySize: 2048, handler: 'other.handler', allowPublicSubnet: true, environment: { POWERTOOLS_LOG_LEVEL: 'DEBUG', [GATEWAY_ENV.region]: 'elsewhere' } },
    });
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
      MemorySize: 2048,
      Handler: 'index.handler',
      Runtime: 'nodejs24.x',
      Environment: { Variables: Match.objectLike({ POWERTOOLS_LOG_LEVEL: 'DEBUG', [GATEWAY_ENV.region]: 'us-east-1' }) },
    });
  });
});
