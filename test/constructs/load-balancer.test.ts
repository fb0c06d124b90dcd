import { Match, Template } from 'aws-cdk-lib/assertions';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { McpLoadBalancer } from '../../constructs';
import { threePoolSpec } from '../fixtures/specs';
import { CERTIFICATE_ARN, resourcesOf, testStack, testVpc } from './support';

describe('McpLoadBalancer', () => {
  describe('GIVEN a certificate ARN', () => {
    let template: Template;
    beforeAll(() => {
      const stack = testStack();
      new McpLoadBalancer(stack, 'LoadBalancer', { spec: threePoolSpec, vpc: testVpc(stack), certificateArn: CERTIFICATE_ARN });
      template = Template.fromStack(stack);
    });

    test('THEN the HTTPS listener pins the TLS 1.3-only policy, uses the certificate and answers 404 by default', () => {
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
        Port: 443,
        Protocol: 'HTTPS',
        SslPolicy: 'ELBSecurityPolicy-TLS13-1-3-PQ-2025-09',
        Certificates: [{ CertificateArn: CERTIFICATE_ARN }],
        DefaultActions: [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '404', ContentType: 'application/json', MessageBody: Match.stringLikeRegexp('/mcp') } }],
      });
    });

    test('THEN HTTP only redirects permanently to HTTPS', () => {
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
        Port: 80,
        Protocol: 'HTTP',
        DefaultActions: [{ Type: 'redirect', RedirectConfig: { Protocol: 'HTTPS', Port: '443', StatusCode: 'HTTP_301' } }],
      });
    });

    test('THEN the load balancer is internet-facing with SSE-sized idle timeout, dropped invalid headers, strictest desync mitigation, deletion protection and access logs', () => {
      template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
        Name: 'mcp-agents',
        Scheme: 'internet-facing',
        LoadBalancerAttributes: Match.arrayWith([
          { Key: 'deletion_protection.enabled', Value: 'true' },
          { Key: 'idle_timeout.timeout_seconds', Value: '600' },
          { Key: 'routing.http.drop_invalid_header_fields.enabled', Value: 'true' },
          { Key: 'routing.http.desync_mitigation_mode', Value: 'strictest' },
          { Key: 'access_logs.s3.enabled', Value: 'true' },
          { Key: 'access_logs.s3.prefix', Value: 'agents' },
        ]),
      });
    });

    test('THEN access logs go to an SSE-S3, TLS-only, private bucket that expires them', () => {
      template.hasResourceProperties('AWS::S3::Bucket', {
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
        LifecycleConfiguration: { Rules: Match.arrayWith([Match.objectLike({ ExpirationInDays: 90, Status: 'Enabled' })]) },
      });
      template.hasResourceProperties('AWS::S3::BucketPolicy', {
        PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
      });
    });

    test('THEN only ports 443 and 80 are open to the internet', () => {
      const [[, sg]] = resourcesOf(template, 'AWS::EC2::SecurityGroup') as Array<[string, any]>;
      expect(sg.SecurityGroupIngress.map((r: any) => [r.CidrIp, r.FromPort])).toEqual([
        ['0.0.0.0/0', 443],
        ['0.0.0.0/0', 80],
      ]);
    });
  });

  test('GIVEN a hosted zone and no certificate WHEN constructed THEN a DNS-validated certificate and an alias record are created', () => {
    const stack = testStack();
    const hostedZone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: 'Z123', zoneName: 'example.com' });
    const lb = new McpLoadBalancer(stack, 'LoadBalancer', { spec: threePoolSpec, vpc: testVpc(stack), domain: { hostedZone, domainName: 'mcp.example.com' } });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::CertificateManager::Certificate', {
      DomainName: 'mcp.example.com',
      ValidationMethod: 'DNS',
      DomainValidationOptions: [{ DomainName: 'mcp.example.com', HostedZoneId: 'Z123' }],
    });
    template.hasResourceProperties('AWS::Route53::RecordSet', { Name: 'mcp.example.com.', Type: 'A', HostedZoneId: 'Z123' });
    expect(lb.publicUrl).toBe('https://mcp.example.com');
  });

  test('GIVEN deletion protection off WHEN constructed THEN the attribute says so', () => {
    const stack = testStack();
    new McpLoadBalancer(stack, 'LoadBalancer', { spec: threePoolSpec, vpc: testVpc(stack), certificateArn: CERTIFICATE_ARN, deletionProtection: false });
    Template.fromStack(stack).hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', { LoadBalancerAttributes: Match.arrayWith([{ Key: 'deletion_protection.enabled', Value: 'false' }]) });
  });

  test('GIVEN user overrides of enforced settings WHEN constructed THEN the enforced settings win and the others apply', () => {
    const stack = testStack();
    new McpLoadBalancer(stack, 'LoadBalancer', {
      spec: threePoolSpec,
      vpc: testVpc(stack),
      certificateArn: CERTIFICATE_ARN,
      loadBalancerProps: { loadBalancerName: 'custom', dropInvalidHeaderFields: false, internetFacing: false },
    });
    Template.fromStack(stack).hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
      Name: 'custom',
      Scheme: 'internet-facing',
      LoadBalancerAttributes: Match.arrayWith([{ Key: 'routing.http.drop_invalid_header_fields.enabled', Value: 'true' }]),
    });
  });

  test('GIVEN a domain outside its hosted zone WHEN constructed THEN the error names the path, the name and the zone', () => {
    const stack = testStack();
    const hostedZone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: 'Z123', zoneName: 'example.com' });
    expect(() => new McpLoadBalancer(stack, 'LoadBalancer', { spec: threePoolSpec, vpc: testVpc(stack), domain: { hostedZone, domainName: 'mcp.example.org' } })).toThrow(
      'Test/LoadBalancer: domain.domainName "mcp.example.org" is not inside the hosted zone "example.com"',
    );
  });

  test('GIVEN no certificate source WHEN constructed THEN the error names the path and the options', () => {
    const stack = testStack();
    expect(() => new McpLoadBalancer(stack, 'LoadBalancer', { spec: threePoolSpec, vpc: testVpc(stack) })).toThrow(
      'Test/LoadBalancer: the HTTPS listener needs a certificate: set certificateArn, certificate, or domain (for a DNS-validated certificate)',
    );
  });
});
