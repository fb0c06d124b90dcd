/**
 * McpFleet (Pulumi) with the three-pool example spec, under mocks: every resource the issue names,
 * with its settings, as the engine would receive them.
 */
import { allResources, declare, isSecretValue, oneResource, resourcesOfType, unwrapSecret, type RecordedResource, type ResourceTracker } from './harness';
import { GATEWAY_BUNDLE_DIR } from '../../lib/gateway-bundle';
import { GATEWAY_ENV, POOL_ENV } from '../../lib/spec';
import { McpFleet } from '../../pulumi';
import { threePoolSpec } from '../fixtures/specs';

const CERTIFICATE_ARN = 'arn:aws:acm:us-east-1:123456789012:certificate/abc';
const T = {
  listener: 'aws:lb/listener:Listener',
  rule: 'aws:lb/listenerRule:ListenerRule',
  targetGroup: 'aws:lb/targetGroup:TargetGroup',
  service: 'aws:ecs/service:Service',
  taskDefinition: 'aws:ecs/taskDefinition:TaskDefinition',
  scalingPolicy: 'aws:appautoscaling/policy:Policy',
  scalableTarget: 'aws:appautoscaling/target:Target',
  ingress: 'aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule',
  egress: 'aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule',
  rolePolicy: 'aws:iam/rolePolicy:RolePolicy',
} as const;

let tracker: ResourceTracker;

beforeAll(async () => {
  // GIVEN the example's three pools: github (2026-07-28, JWT scopes), slack (stateful, 2025-11-25), images (heavy)
  // WHEN the fleet is declared
  ({ tracker } = await declare((options) => new McpFleet('agents', { spec: threePoolSpec, certificateArn: CERTIFICATE_ARN, domainName: 'mcp.example.com' }, options)));
});

const byName = (name: string) => (r: RecordedResource) => r.name === name;
const ruleFor = (id: string) => oneResource(T.rule, byName(`agents-${id}`));

describe('components', () => {
  test('THEN every component is a ComponentResource with its type token, and every resource has a parent', () => {
    const components = allResources()
      .filter((r) => !r.custom)
      .map((r) => r.type);
    expect(new Set(components)).toEqual(
      new Set([
        'mcp-fleet:index:McpFleet',
        'mcp-fleet:index:McpNetwork',
        'mcp-fleet:index:McpLoadBalancer',
        'mcp-fleet:index:McpSessionStore',
        'mcp-fleet:index:McpGateway',
        'mcp-fleet:index:McpToolPool',
        'mcp-fleet:index:McpFirewall',
        'mcp-fleet:index:McpFleetMonitoring',
      ]),
    );
    // The tracker's transformation is inherited only through `parent`: an orphan would be missing.
    const orphans = allResources().filter((r) => !tracker.names().has(`${r.type}::${r.name}`));
    expect(orphans).toEqual([]);
  });
});

describe('load balancer', () => {
  test('THEN the HTTPS listener pins the TLS 1.3 policy, serves the certificate and answers 404 JSON by default', () => {
    const https = oneResource(T.listener, (r) => r.inputs.protocol === 'HTTPS');
    expect(https.inputs).toMatchObject({ port: 443, sslPolicy: 'ELBSecurityPolicy-TLS13-1-3-PQ-2025-09', certificateArn: CERTIFICATE_ARN });
    expect(https.inputs.defaultActions).toEqual([{ type: 'fixed-response', fixedResponse: expect.objectContaining({ statusCode: '404', contentType: 'application/json' }) }]);
  });

  test('THEN plain HTTP only redirects to HTTPS', () => {
    const http = oneResource(T.listener, (r) => r.inputs.protocol === 'HTTP');
    expect(http.inputs).toMatchObject({ port: 80, defaultActions: [{ type: 'redirect', redirect: { protocol: 'HTTPS', port: '443', statusCode: 'HTTP_301' } }] });
  });

  test('THEN the ALB drops invalid headers, keeps SSE connections 600 s and logs to an encrypted private bucket', () => {
    const alb = oneResource('aws:lb/loadBalancer:LoadBalancer');
    expect(alb.inputs).toMatchObject({
      name: 'mcp-agents',
      internal: false,
      enableDeletionProtection: true,
      idleTimeout: 600,
      dropInvalidHeaderFields: true,
      desyncMitigationMode: 'strictest',
      accessLogs: { enabled: true, prefix: 'agents' },
    });
    expect(oneResource('aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration').inputs.rules).toEqual([
      { applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' } },
    ]);
    expect(oneResource('aws:s3/bucketVersioning:BucketVersioning').inputs.versioningConfiguration).toEqual({ status: 'Enabled' });
    expect(oneResource('aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration').inputs.rules[0]).toMatchObject({
      expiration: { days: 90 },
      noncurrentVersionExpiration: { noncurrentDays: 1 },
    });
    expect(oneResource('aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock').inputs).toMatchObject({
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    const policy = JSON.parse(oneResource('aws:s3/bucketPolicy:BucketPolicy').inputs.policy);
    expect(policy.Statement).toContainEqual(expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }));
  });
});

describe('listener rules', () => {
  test('THEN 2026-07-28 tool calls for github go straight to its pool, behind ALB JWT verification with the required scope', () => {
    const rule = ruleFor('pool-github-direct-github-0');
    expect(rule.inputs.priority).toBe(10_000);
    expect(rule.inputs.conditions).toEqual([
      { pathPattern: { values: ['/mcp'] } },
      { httpHeader: { httpHeaderName: 'Mcp-Method', values: ['tools/call'] } },
      { httpHeader: { httpHeaderName: 'Mcp-Name', values: ['github_*'] } },
    ]);
    const [verify, forward] = rule.inputs.actions;
    expect(verify).toEqual({
      type: 'jwt-validation',
      order: 1,
      jwtValidation: {
        issuer: 'https://auth.example.com',
        jwksEndpoint: 'https://auth.example.com/.well-known/jwks.json',
        additionalClaims: [
          { name: 'aud', format: 'single-string', values: ['mcp-fleet'] },
          { name: 'scope', format: 'space-separated-values', values: ['github:read'] },
        ],
      },
    });
    expect(forward).toEqual({ type: 'forward', order: 2, targetGroupArn: expect.stringContaining('agents-pool-github-tg') });
  });

  test('THEN the images pool gets its own priority block and the audience check only', () => {
    const rule = ruleFor('pool-images-direct-images-0');
    expect(rule.inputs.priority).toBe(10_200);
    expect(rule.inputs.actions[0].jwtValidation.additionalClaims).toEqual([{ name: 'aud', format: 'single-string', values: ['mcp-fleet'] }]);
  });

  test('THEN the 2025-11-25 slack pool has no client-facing rule, only a never-matching attachment rule', () => {
    const slackRules = resourcesOfType(T.rule, (r) => r.name.startsWith('agents-pool-slack-'));
    expect(slackRules.map((r) => r.inputs.conditions)).toEqual([[{ sourceIp: { values: ['127.0.0.1/32'] } }]]);
  });

  test('THEN everything else on the MCP path and the RFC 9728 metadata reach the gateway, and so does the health path', () => {
    const gateway = ruleFor('gateway-gateway');
    expect(gateway.inputs).toMatchObject({
      priority: 45_000,
      conditions: [{ pathPattern: { values: ['/mcp', '/.well-known/oauth-protected-resource', '/.well-known/oauth-protected-resource/mcp'] } }],
    });
    expect(gateway.inputs.actions).toEqual([{ type: 'forward', targetGroupArn: expect.stringContaining('agents-gateway-tg') }]);
    expect(ruleFor('gateway-health').inputs).toMatchObject({ priority: 45_100, conditions: [{ pathPattern: { values: ['/health'] } }] });
  });

  test('THEN rule priorities are unique', () => {
    const priorities = resourcesOfType(T.rule).map((r) => r.inputs.priority);
    expect(new Set(priorities).size).toBe(priorities.length);
  });
});

describe('tool pools', () => {
  test('THEN each pool has a least-outstanding-requests target group with a deep health check and the planned draining', () => {
    const github = oneResource(T.targetGroup, byName('agents-pool-github-tg'));
    expect(github.inputs).toMatchObject({
      name: 'agents-github',
      targetType: 'ip',
      port: 8080,
      protocol: 'HTTP',
      loadBalancingAlgorithmType: 'least_outstanding_requests',
      deregistrationDelay: 60,
      healthCheck: { enabled: true, path: '/health', interval: 15, timeout: 5, healthyThreshold: 2, unhealthyThreshold: 3, matcher: '200' },
      stickiness: { enabled: false },
    });
  });

  test('THEN the stateful slack pool gets cookie stickiness for the session lifetime', () => {
    expect(oneResource(T.targetGroup, byName('agents-pool-slack-tg')).inputs.stickiness).toEqual({ enabled: true, type: 'lb_cookie', cookieDuration: 3600 });
  });

  test('THEN services roll back failed deployments, stay private and register in Cloud Map', () => {
    for (const pool of ['github', 'slack', 'images']) {
      const service = oneResource(T.service, byName(`agents-pool-${pool}-service`));
      expect(service.inputs).toMatchObject({
        launchType: 'FARGATE',
        deploymentCircuitBreaker: { enable: true, rollback: true },
        networkConfiguration: { assignPublicIp: false },
        loadBalancers: [{ containerName: 'Server', containerPort: 8080, targetGroupArn: expect.stringContaining(`agents-pool-${pool}-tg`) }],
        serviceRegistries: { registryArn: expect.stringContaining(`agents-pool-${pool}-discovery`) },
      });
    }
    expect(oneResource('aws:servicediscovery/privateDnsNamespace:PrivateDnsNamespace').inputs.name).toBe('agents.mcp.internal');
    expect(oneResource('aws:servicediscovery/service:Service', byName('agents-pool-github-discovery')).inputs).toMatchObject({
      name: 'github',
      dnsConfig: { routingPolicy: 'MULTIVALUE', dnsRecords: [{ type: 'A', ttl: 10 }] },
      healthCheckCustomConfig: { failureThreshold: 1 },
    });
  });

  test('THEN containers run non-root on a read-only root filesystem, stop within the validated timeout and get the identity key as a secret', () => {
    const task = oneResource(T.taskDefinition, byName('agents-pool-images-task'));
    expect(task.inputs).toMatchObject({ cpu: '2048', memory: '4096', networkMode: 'awsvpc', requiresCompatibilities: ['FARGATE'], volumes: [{ name: 'tmp' }] });
    const [container] = JSON.parse(task.inputs.containerDefinitions);
    expect(container).toMatchObject({
      name: 'Server',
      portMappings: [{ name: 'mcp', containerPort: 8080, protocol: 'tcp' }],
      image: 'registry.example.com/mcp/images-pool:1.0.0',
      user: '1000:1000',
      readonlyRootFilesystem: true,
      stopTimeout: 90,
      mountPoints: [{ sourceVolume: 'tmp', containerPath: '/tmp', readOnly: false }],
      secrets: [{ name: POOL_ENV.identityKey, valueFrom: expect.stringMatching(/agents-gateway-identity-images$/) }],
      logConfiguration: { logDriver: 'awslogs' },
    });
    expect(container.environment).toContainEqual({ name: POOL_ENV.pool, value: 'images' });
  });

  test('THEN each pool scales on CPU, and directly routed pools also on requests per target', () => {
    const target = (pool: string) => oneResource(T.scalableTarget, byName(`agents-pool-${pool}-scaling`)).inputs;
    expect(target('images')).toMatchObject({ minCapacity: 1, maxCapacity: 20, scalableDimension: 'ecs:service:DesiredCount', resourceId: 'service/agents-mcp/images' });
    expect(target('github')).toMatchObject({ minCapacity: 2, maxCapacity: 10 });
    const policy = (name: string) => resourcesOfType(T.scalingPolicy, byName(name))[0]?.inputs.targetTrackingScalingPolicyConfiguration;
    expect(policy('agents-pool-images-cpu-scaling')).toMatchObject({
      targetValue: 60,
      predefinedMetricSpecification: { predefinedMetricType: 'ECSServiceAverageCPUUtilization' },
      scaleInCooldown: 300,
      scaleOutCooldown: 60,
    });
    expect(policy('agents-pool-github-request-scaling')).toMatchObject({
      targetValue: 1000,
      predefinedMetricSpecification: { predefinedMetricType: 'ALBRequestCountPerTarget', resourceLabel: 'app/agents-lb-alb/0123456789abcdef/targetgroup/agents-pool-github-tg/0123456789abcdef' },
    });
    expect(policy('agents-pool-slack-request-scaling')).toBeUndefined();
  });
});

describe('session store', () => {
  test('THEN a Multi-AZ Valkey replication group requires TLS, encrypts at rest and takes its AUTH token write-only from the generated secret', () => {
    const cache = oneResource('aws:elasticache/replicationGroup:ReplicationGroup');
    expect(cache.inputs).toMatchObject({
      replicationGroupId: 'agents-sessions',
      engine: 'valkey',
      engineVersion: '8.0',
      numNodeGroups: 1,
      replicasPerNodeGroup: 1,
      multiAzEnabled: true,
      automaticFailoverEnabled: true,
      transitEncryptionEnabled: true,
      transitEncryptionMode: 'required',
      atRestEncryptionEnabled: true,
      authTokenWoVersion: 1,
    });
    expect(cache.inputs.authToken).toBeUndefined();
    expect(isSecretValue(cache.inputs.authTokenWo)).toBe(true);
    const stored = oneResource('aws:secretsmanager/secretVersion:SecretVersion', byName('agents-sessions-auth'));
    expect(isSecretValue(stored.inputs.secretStringWo)).toBe(true);
    expect(stored.inputs.secretString).toBeUndefined();
    expect(unwrapSecret<string>(cache.inputs.authTokenWo)).toBe(unwrapSecret(stored.inputs.secretStringWo));
    expect(unwrapSecret<string>(cache.inputs.authTokenWo)).toHaveLength(64);
  });
});

describe('firewall', () => {
  test('THEN the web ACL puts IP reputation first, then rate limits per IP and per agent, then the managed groups', () => {
    const acl = oneResource('aws:wafv2/webAcl:WebAcl');
    expect(acl.inputs).toMatchObject({ name: 'agents-mcp', scope: 'REGIONAL', defaultAction: { allow: {} } });
    const rules = acl.inputs.rules as Array<Record<string, any>>;
    expect(rules.map((r) => [r.name, r.priority])).toEqual([
      ['ip-reputation', 0],
      ['rate-per-ip', 10],
      ['rate-per-agent', 20],
      ['common', 40],
      ['known-bad-inputs', 50],
    ]);
    expect(rules[1]!.statement.rateBasedStatement).toEqual({ limit: 3000, evaluationWindowSec: 300, aggregateKeyType: 'IP' });
    expect(rules[2]!.statement.rateBasedStatement).toEqual({
      limit: 3000,
      evaluationWindowSec: 300,
      aggregateKeyType: 'CUSTOM_KEYS',
      customKeys: [{ header: { name: 'x-mcp-agent-id', textTransformations: [{ priority: 0, type: 'NONE' }] } }, { ip: {} }],
    });
    expect(rules[2]!.action).toEqual({ block: { customResponse: { responseCode: 429, customResponseBodyKey: 'rate-limited' } } });
    expect(rules[3]!.statement.managedRuleGroupStatement).toEqual({
      vendorName: 'AWS',
      name: 'AWSManagedRulesCommonRuleSet',
      ruleActionOverrides: [{ name: 'SizeRestrictions_BODY', actionToUse: { count: {} } }],
    });
  });

  test('THEN it protects the load balancer and logs with the Authorization header redacted', () => {
    expect(oneResource('aws:wafv2/webAclAssociation:WebAclAssociation').inputs.resourceArn).toContain('agents-lb-alb');
    const logging = oneResource('aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration');
    expect(logging.inputs.redactedFields).toEqual([{ singleHeader: { name: 'authorization' } }]);
    expect(logging.inputs.logDestinationConfigs[0]).toContain('agents-waf-logs');
  });
});

describe('gateway', () => {
  test('THEN the gateway Lambda runs the bundled code on Node 22 or newer, arm64, inside the VPC', async () => {
    const fn = oneResource('aws:lambda/function:Function');
    expect(fn.inputs).toMatchObject({ name: 'agents-gateway', architectures: ['arm64'], handler: 'index.handler', memorySize: 1024, timeout: 30 });
    expect(fn.inputs.runtime).toMatch(/^nodejs(2[2-9]|[3-9]\d)\.x$/);
    expect(await fn.inputs.code.path).toBe(GATEWAY_BUNDLE_DIR);
    expect(fn.inputs.vpcConfig.securityGroupIds).toEqual(['agents-gateway-sg-id']);
  });

  test('THEN its environment carries the spec, the pool URLs, the TLS session store and the secret ARNs', () => {
    const env = oneResource('aws:lambda/function:Function').inputs.environment.variables as Record<string, string>;
    expect(JSON.parse(env[GATEWAY_ENV.spec]!)).toEqual(threePoolSpec);
    expect(JSON.parse(env[GATEWAY_ENV.poolUrls]!)).toEqual({
      github: 'http://github.agents.mcp.internal:8080/mcp',
      slack: 'http://slack.agents.mcp.internal:8080/mcp',
      images: 'http://images.agents.mcp.internal:8080/mcp',
    });
    expect(env[GATEWAY_ENV.redisUrl]).toBe('rediss://master.agents-sessions-cache.cache.amazonaws.com:6379');
    expect(env[GATEWAY_ENV.redisAuthSecretArn]).toContain('agents-sessions-auth');
    expect(JSON.parse(env[GATEWAY_ENV.poolIdentitySecretArns]!)).toEqual({
      github: expect.stringMatching(/agents-gateway-identity-github$/),
      slack: expect.stringMatching(/agents-gateway-identity-slack$/),
      images: expect.stringMatching(/agents-gateway-identity-images$/),
    });
    expect(env[GATEWAY_ENV.publicUrl]).toBe('https://mcp.example.com');
    expect(env[GATEWAY_ENV.region]).toBe('us-east-1');
  });

  test('THEN the ALB may invoke it through a multi-value-header Lambda target group', () => {
    expect(oneResource(T.targetGroup, byName('agents-gateway-tg')).inputs).toMatchObject({
      name: 'agents-gateway',
      targetType: 'lambda',
      lambdaMultiValueHeadersEnabled: true,
      healthCheck: { path: '/health' },
    });
    expect(oneResource('aws:lambda/permission:Permission').inputs).toMatchObject({ action: 'lambda:InvokeFunction', principal: 'elasticloadbalancing.amazonaws.com' });
    expect(oneResource('aws:lb/targetGroupAttachment:TargetGroupAttachment').inputs.targetId).toContain('agents-gateway-function');
  });
});

describe('least privilege', () => {
  const statements = () => resourcesOfType(T.rolePolicy).flatMap((p) => JSON.parse(p.inputs.policy).Statement.map((s: Record<string, unknown>) => ({ policy: p.name, ...s })));

  test('THEN no IAM statement grants a wildcard action, and only ECR login (which has no resource ARNs) uses a wildcard resource', () => {
    // flow logs, three pools' execution roles, the gateway
    expect(resourcesOfType(T.rolePolicy)).toHaveLength(5);
    for (const s of statements()) {
      for (const action of s.Action as string[]) expect(action).not.toContain('*');
      if (s.Resource === '*') expect(s.Action).toEqual(['ecr:GetAuthorizationToken']);
      else for (const resource of s.Resource as string[]) expect(resource).not.toBe('*');
    }
  });

  test("THEN the gateway may read exactly the session store's and every pool's identity secret, and no other secrets", () => {
    const read = statements().find((s) => s.policy === 'agents-gateway-policy' && s.Sid === 'ReadSecrets');
    expect(read.Resource).toEqual([
      expect.stringContaining('agents-sessions-auth'),
      expect.stringMatching(/agents-gateway-identity-github$/),
      expect.stringMatching(/agents-gateway-identity-slack$/),
      expect.stringMatching(/agents-gateway-identity-images$/),
    ]);
  });

  test("THEN each pool's task gets only its own identity key, and its execution role may read only that secret", () => {
    const identitySecrets = resourcesOfType('aws:secretsmanager/secret:Secret', (r) => r.name.startsWith('agents-gateway-identity-'));
    expect(identitySecrets.map((r) => r.name)).toEqual(['agents-gateway-identity-github', 'agents-gateway-identity-slack', 'agents-gateway-identity-images']);
    for (const pool of ['github', 'slack', 'images']) {
      const [container] = JSON.parse(oneResource(T.taskDefinition, byName(`agents-pool-${pool}-task`)).inputs.containerDefinitions);
      expect(container.secrets).toEqual([{ name: POOL_ENV.identityKey, valueFrom: expect.stringMatching(new RegExp(`/agents-gateway-identity-${pool}$`)) }]);
      const reads = statements().filter((s) => s.policy === `agents-pool-${pool}-execution` && JSON.stringify(s.Action).includes('secretsmanager'));
      expect(reads.flatMap((s) => s.Resource)).toEqual([expect.stringMatching(new RegExp(`/agents-gateway-identity-${pool}$`))]);
    }
  });
});

describe('security groups', () => {
  const ingress = () => resourcesOfType(T.ingress);

  test('THEN only the (IPv4) load balancer admits the internet, on 443 and 80', () => {
    const open = ingress().filter((r) => r.inputs.cidrIpv4 || r.inputs.cidrIpv6);
    expect(open.map((r) => [r.inputs.securityGroupId, r.inputs.cidrIpv4, r.inputs.fromPort])).toEqual([
      ['agents-lb-sg-id', '0.0.0.0/0', 443],
      ['agents-lb-sg-id', '0.0.0.0/0', 80],
    ]);
  });

  test('THEN the session store admits only the gateway, and each pool only the load balancer and the gateway', () => {
    const sources = (sg: string) =>
      ingress()
        .filter((r) => r.inputs.securityGroupId === sg)
        .map((r) => [r.inputs.referencedSecurityGroupId, r.inputs.fromPort]);
    expect(sources('agents-sessions-sg-id')).toEqual([['agents-gateway-sg-id', 6379]]);
    expect(sources('agents-pool-slack-sg-id')).toEqual([
      ['agents-lb-sg-id', 8080],
      ['agents-gateway-sg-id', 8080],
    ]);
  });

  test('THEN security groups carry no inline rules, so AWS’s allow-all egress is removed; the load balancer may reach only the pools, the store nothing', () => {
    for (const sg of resourcesOfType('aws:ec2/securityGroup:SecurityGroup')) {
      expect(sg.inputs.ingress).toBeUndefined();
      expect(sg.inputs.egress).toBeUndefined();
    }
    const egressOf = (sg: string) => resourcesOfType(T.egress, (r) => r.inputs.securityGroupId === sg);
    expect(
      egressOf('agents-lb-sg-id')
        .map((r) => r.inputs.referencedSecurityGroupId)
        .sort(),
    ).toEqual(['agents-pool-github-sg-id', 'agents-pool-images-sg-id', 'agents-pool-slack-sg-id']);
    expect(egressOf('agents-sessions-sg-id')).toEqual([]);
    // The gateway and pools call out (JWKS, Secrets Manager, their tools' upstream APIs), as in the CDK fleet.
    expect(egressOf('agents-gateway-sg-id').map((r) => [r.inputs.cidrIpv4, r.inputs.ipProtocol])).toEqual([['0.0.0.0/0', '-1']]);
  });

  test('THEN a created VPC’s default security group is adopted without rules', () => {
    const adopted = oneResource('aws:ec2/defaultSecurityGroup:DefaultSecurityGroup').inputs;
    expect(adopted.ingress).toBeUndefined();
    expect(adopted.egress).toBeUndefined();
  });
});

describe('encryption', () => {
  test('THEN one rotated customer managed key encrypts every log group, every secret and the session store', () => {
    const key = oneResource('aws:kms/key:Key');
    expect(key.inputs.enableKeyRotation).toBe(true);
    const logsStatement = JSON.parse(key.inputs.policy).Statement.find((s: { Sid: string }) => s.Sid === 'CloudWatchLogsOfThisAccount');
    expect(logsStatement.Principal).toEqual({ Service: 'logs.us-east-1.amazonaws.com' });
    const keyArn = 'arn:aws:kms:us-east-1:123456789012:key/agents-key-0000-4000-8000-000000000000';
    const logGroups = resourcesOfType('aws:cloudwatch/logGroup:LogGroup');
    expect(logGroups).toHaveLength(6); // flow logs, three pools, the gateway, WAF
    for (const group of logGroups) expect(group.inputs).toMatchObject({ kmsKeyId: keyArn, retentionInDays: 30 });
    for (const secret of resourcesOfType('aws:secretsmanager/secret:Secret')) expect(secret.inputs.kmsKeyId).toBe(keyArn);
    expect(oneResource('aws:elasticache/replicationGroup:ReplicationGroup').inputs.kmsKeyId).toBe(keyArn);
  });
});

describe('network', () => {
  test('THEN a created VPC spans two zones with a NAT gateway each, flow logs and an ECS cluster with Container Insights', () => {
    expect(resourcesOfType('aws:ec2/subnet:Subnet').map((s) => [s.inputs.cidrBlock, s.inputs.availabilityZone])).toEqual([
      ['10.0.0.0/24', 'us-east-1a'],
      ['10.0.1.0/24', 'us-east-1b'],
      ['10.0.16.0/20', 'us-east-1a'],
      ['10.0.32.0/20', 'us-east-1b'],
    ]);
    expect(resourcesOfType('aws:ec2/natGateway:NatGateway')).toHaveLength(2);
    expect(oneResource('aws:ec2/flowLog:FlowLog').inputs).toMatchObject({ trafficType: 'ALL', logDestinationType: 'cloud-watch-logs' });
    expect(oneResource('aws:ecs/cluster:Cluster').inputs).toMatchObject({ name: 'agents-mcp', settings: [{ name: 'containerInsights', value: 'enhanced' }] });
  });
});
