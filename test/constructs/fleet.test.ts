import type { CfnElement } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { McpFleet } from '../../constructs';
import { threePoolSpec } from '../fixtures/specs';
import { CERTIFICATE_ARN, resourcesOf, testStack } from './support';

describe('McpFleet', () => {
  let template: Template;
  let fleet: McpFleet;
  beforeAll(() => {
    const stack = testStack();
    fleet = new McpFleet(stack, 'Fleet', { spec: threePoolSpec, certificateArn: CERTIFICATE_ARN, pools: { images: { serviceProps: { desiredCount: 3 } } } });
    template = Template.fromStack(stack);
  });

  test('GIVEN the three-pool spec THEN every part exists once per fleet and once per pool', () => {
    for (const [type, count] of [
      ['AWS::ElasticLoadBalancingV2::LoadBalancer', 1],
      ['AWS::ECS::Cluster', 1],
      ['AWS::ECS::Service', 3],
      ['AWS::ServiceDiscovery::Service', 3],
      ['AWS::ElasticLoadBalancingV2::TargetGroup', 4],
      ['AWS::ElastiCache::ReplicationGroup', 1],
      ['AWS::WAFv2::WebACL', 1],
      ['AWS::WAFv2::WebACLAssociation', 1],
      ['AWS::SecretsManager::Secret', 4],
      ['AWS::KMS::Key', 1],
    ] as const) {
      template.resourceCountIs(type, count);
    }
    expect(fleet.pools.map((p) => p.plan.name)).toEqual(['github', 'slack', 'images']);
  });

  test('GIVEN the listener THEN rules come in the planned order: direct pool routes, gateway, health, attachments', () => {
    const rules = resourcesOf(template, 'AWS::ElasticLoadBalancingV2::ListenerRule')
      .map(([, p]) => [p.Priority, p.Actions.at(-1).TargetGroupArn.Ref.replace(/TargetGroup.*$/, '')])
      .sort((a, b) => a[0] - b[0]);
    expect(rules).toEqual([
      [10_000, 'FleetPoolgithub'],
      [10_200, 'FleetPoolimages'],
      [45_000, 'FleetGateway'],
      [45_100, 'FleetGateway'],
      [49_001, 'FleetPoolslack'],
    ]);
  });

  test('GIVEN one identity secret per pool THEN each pool task gets only its own, its execution role reads only its own, and the gateway reads all of them', () => {
    const idOf = (pool: string) => {
      const secret = fleet.identitySecrets[pool]!.secret;
      return secret.stack.getLogicalId(secret.node.defaultChild as CfnElement);
    };
    const pools = ['github', 'slack', 'images'];
    expect(Object.keys(fleet.identitySecrets)).toEqual(pools);
    expect(new Set(pools.map(idOf)).size).toBe(3);
    const roles = Object.fromEntries(resourcesOf(template, 'AWS::IAM::Policy').map(([, p]) => [p.Roles[0].Ref, p.PolicyDocument.Statement as Array<Record<string, any>>]));
    const secretReads = (role: string) =>
      (roles[role] ?? []).filter((s: Record<string, any>) => JSON.stringify(s.Action).includes('secretsmanager:GetSecretValue')).flatMap((s: Record<string, any>) => [s.Resource].flat());
    for (const pool of pools) {
      const td = resourcesOf(template, 'AWS::ECS::TaskDefinition').find(([id]) => id.startsWith(`FleetPool${pool}TaskDefinition`))![1];
      expect(td.ContainerDefinitions[0].Secrets).toEqual([{ Name: 'MCP_FLEET_IDENTITY_KEY', ValueFrom: { Ref: idOf(pool) } }]);
      expect(secretReads(td.ExecutionRoleArn['Fn::GetAtt'][0])).toEqual([{ Ref: idOf(pool) }]);
    }
    const gateway = resourcesOf(template, 'AWS::Lambda::Function').find(([id]) => id.startsWith('FleetGatewayFunction'))![1];
    const arns = gateway.Environment.Variables.MCP_FLEET_POOL_IDENTITY_SECRET_ARNS['Fn::Join'][1]
      .map((part: string | { Ref: string }) => (typeof part === 'string' ? part : `ref:${part.Ref}`))
      .join('');
    expect(JSON.parse(arns)).toEqual(Object.fromEntries(pools.map((pool) => [pool, `ref:${idOf(pool)}`])));
    expect(gateway.Environment.Variables).not.toHaveProperty('MCP_FLEET_IDENTITY_SECRET_ARN');
    const gatewayReads = secretReads(gateway.Role['Fn::GetAtt'][0]);
    for (const pool of pools) expect(gatewayReads).toContainEqual({ Ref: idOf(pool) });
    expect(gatewayReads).toHaveLength(4); // the pools' three and the session store password
  });

  test('GIVEN the fleet key THEN log groups, secrets and the session store are encrypted with it', () => {
    const keyRef = { 'Fn::GetAtt': [Match.stringLikeRegexp('^FleetKey'), 'Arn'] };
    for (const [, lg] of resourcesOf(template, 'AWS::Logs::LogGroup')) expect(lg.KmsKeyId).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^FleetKey/), 'Arn'] });
    template.hasResourceProperties('AWS::SecretsManager::Secret', { KmsKeyId: keyRef });
    template.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', { KmsKeyId: keyRef });
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  });

  test('GIVEN the session store THEN only the gateway reaches it', () => {
    const ingress = resourcesOf(template, 'AWS::EC2::SecurityGroupIngress').filter(([, p]) => JSON.stringify(p.GroupId).includes('SessionStore'));
    expect(ingress.map(([, p]) => p.SourceSecurityGroupId['Fn::GetAtt'][0])).toEqual([expect.stringMatching(/^FleetGatewaySecurityGroup/)]);
  });

  test('GIVEN every security group THEN only the load balancer admits the internet, on 443 and 80', () => {
    const open = [
      ...resourcesOf(template, 'AWS::EC2::SecurityGroup').flatMap(([id, p]) => (p.SecurityGroupIngress ?? []).map((r: any) => [id, r])),
      ...resourcesOf(template, 'AWS::EC2::SecurityGroupIngress').map(([id, r]) => [id, r]),
    ]
      .filter(([, r]) => r.CidrIp === '0.0.0.0/0' || r.CidrIpv6 === '::/0')
      .map(([id, r]) => [String(id).replace(/[0-9A-F]{8}$/, ''), r.FromPort]);
    expect(open).toEqual([
      ['FleetLoadBalancerSecurityGroup', 443],
      ['FleetLoadBalancerSecurityGroup', 80],
    ]);
  });

  test('GIVEN pool overrides THEN they reach that pool only', () => {
    const counts = resourcesOf(template, 'AWS::ECS::Service').map(([, p]) => p.DesiredCount);
    expect(counts).toEqual([2, 2, 3]);
  });

  test('GIVEN overrides for a pool not in the spec WHEN constructed THEN the error names the path and the pool', () => {
    expect(() => new McpFleet(testStack(), 'Fleet', { spec: threePoolSpec, certificateArn: CERTIFICATE_ARN, pools: { gitlab: {} } })).toThrow(
      'Test/Fleet: pools overrides name pools that are not in the spec: gitlab',
    );
  });

  test('GIVEN an invalid spec WHEN constructed THEN the error names the construct path and every problem', () => {
    const spec = {
      ...threePoolSpec,
      pools: [
        { ...threePoolSpec.pools[0]!, stopTimeoutSeconds: 200 },
        { ...threePoolSpec.pools[1]!, tools: ['github_issues'] },
      ],
    };
    expect(() => new McpFleet(testStack(), 'Fleet', { spec, certificateArn: CERTIFICATE_ARN })).toThrow(
      /^Test\/Fleet: invalid fleet spec \(2 problems\):\n {2}- pools\[0\] \(pool "github"\)\.stopTimeoutSeconds: 200 s exceeds[\s\S]*\n {2}- pools\[1\] \(pool "slack"\)\.tools\[0\]: "github_issues" overlaps "github_\*"/,
    );
  });
});

describe('McpFleet without authentication', () => {
  test('GIVEN a spec with neither JWT nor API keys WHEN built THEN the fleet carries a warning that says anyone can call every tool', () => {
    const stack = testStack();
    const { auth: _auth, ...openSpec } = threePoolSpec;
    new McpFleet(stack, 'Fleet', { spec: openSpec, certificateArn: CERTIFICATE_ARN });
    Annotations.fromStack(stack).hasWarning('/Test/Fleet', Match.stringLikeRegexp('no auth.jwt or auth.apiKeys: anyone who reaches the load balancer can call every tool'));
  });

  test('GIVEN a spec with JWT auth WHEN built THEN there is no such warning', () => {
    const stack = testStack();
    new McpFleet(stack, 'Fleet', { spec: threePoolSpec, certificateArn: CERTIFICATE_ARN });
    Annotations.fromStack(stack).hasNoWarning('/Test/Fleet', Match.stringLikeRegexp('anyone who reaches the load balancer'));
  });
});
