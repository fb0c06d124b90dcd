import { Match, Template } from 'aws-cdk-lib/assertions';
import { McpFirewall, McpLoadBalancer } from '../../constructs';
import type { FleetSpec } from '../../lib/spec';
import { threePoolSpec } from '../fixtures/specs';
import { CERTIFICATE_ARN, resourcesOf, testStack, testVpc } from './support';

const spec: FleetSpec = {
  ...threePoolSpec,
  auth: { ...threePoolSpec.auth, apiKeys: { secretName: 'agents/api-keys' } },
  rateLimits: { perIp: { requests: 1000, windowSeconds: 60 }, perAgent: { header: 'x-agent', waf: { requests: 600 } }, perTool: { waf: { requests: 5000, windowSeconds: 120 } } },
};

describe('McpFirewall', () => {
  let template: Template;
  let rules: Array<Record<string, any>>;
  const rule = (name: string) => {
    const found = rules.find((r) => r.Name === name);
    if (!found) throw new Error(`no rule ${name}`);
    return found;
  };
  beforeAll(() => {
    const stack = testStack();
    const vpc = testVpc(stack);
    const lb = new McpLoadBalancer(stack, 'LoadBalancer', { spec, vpc, certificateArn: CERTIFICATE_ARN });
    new McpFirewall(stack, 'Firewall', { spec, loadBalancer: lb.loadBalancer });
    template = Template.fromStack(stack);
    rules = resourcesOf(template, 'AWS::WAFv2::WebACL')[0]![1].Rules;
  });

  test('GIVEN the spec THEN a regional web ACL allows by default and orders reputation, rate and managed rules deterministically', () => {
    template.hasResourceProperties('AWS::WAFv2::WebACL', {
      Name: 'agents-mcp',
      Scope: 'REGIONAL',
      DefaultAction: { Allow: {} },
      VisibilityConfig: { MetricName: 'agents-web-acl', CloudWatchMetricsEnabled: true, SampledRequestsEnabled: true },
    });
    expect(rules.map((r) => [r.Name, r.Priority, r.VisibilityConfig.MetricName])).toEqual([
      ['ip-reputation', 0, 'agents-ip-reputation'],
      ['rate-per-ip', 10, 'agents-rate-per-ip'],
      ['rate-per-agent', 20, 'agents-rate-per-agent'],
      ['encoded-tool-name', 25, 'agents-encoded-tool-name'],
      ['rate-per-tool', 30, 'agents-rate-per-tool'],
      ['common', 40, 'agents-common'],
      ['known-bad-inputs', 50, 'agents-known-bad-inputs'],
    ]);
  });

  test('GIVEN the common rule set THEN its 8 KB body size rule only counts (MCP tool calls exceed it)', () => {
    expect(rule('common')).toEqual(
      expect.objectContaining({
        OverrideAction: { None: {} },
        Statement: { ManagedRuleGroupStatement: { VendorName: 'AWS', Name: 'AWSManagedRulesCommonRuleSet', RuleActionOverrides: [{ Name: 'SizeRestrictions_BODY', ActionToUse: { Count: {} } }] } },
      }),
    );
    expect(rule('known-bad-inputs').Statement.ManagedRuleGroupStatement.Name).toBe('AWSManagedRulesKnownBadInputsRuleSet');
    expect(rule('ip-reputation').Statement.ManagedRuleGroupStatement.Name).toBe('AWSManagedRulesAmazonIpReputationList');
  });

  test('GIVEN rate limits THEN per-IP, per-agent-header and per-Mcp-Name rules carry the limits and windows, blocking with a JSON 429', () => {
    const rate = rule;
    expect(rate('rate-per-ip').Statement.RateBasedStatement).toEqual({ Limit: 1000, EvaluationWindowSec: 60, AggregateKeyType: 'IP' });
    expect(rate('rate-per-agent').Statement.RateBasedStatement).toEqual({
      Limit: 600,
      EvaluationWindowSec: 300,
      AggregateKeyType: 'CUSTOM_KEYS',
      // Keyed with the IP: a client-chosen header alone could be rotated, or set to a victim's value.
      CustomKeys: [{ Header: { Name: 'x-agent', TextTransformations: [{ Priority: 0, Type: 'NONE' }] } }, { IP: {} }],
    });
    expect(rule('encoded-tool-name')).toMatchObject({
      Action: { Block: { CustomResponse: { ResponseCode: 400, CustomResponseBodyKey: 'encoded-tool-name' } } },
      Statement: {
        AndStatement: {
          Statements: [
            {
              ByteMatchStatement: {
                FieldToMatch: { SingleHeader: { Name: 'mcp-method' } },
                PositionalConstraint: 'EXACTLY',
                SearchString: 'tools/call',
                TextTransformations: [{ Priority: 0, Type: 'LOWERCASE' }],
              },
            },
            { ByteMatchStatement: { FieldToMatch: { SingleHeader: { Name: 'mcp-name' } }, PositionalConstraint: 'STARTS_WITH', SearchString: '=?base64?' } },
          ],
        },
      },
    });
    expect(rate('rate-per-tool').Statement.RateBasedStatement).toMatchObject({ Limit: 5000, EvaluationWindowSec: 120, CustomKeys: [{ Header: { Name: 'mcp-name' } }] });
    expect(rate('rate-per-ip').Action).toEqual({ Block: { CustomResponse: { ResponseCode: 429, CustomResponseBodyKey: 'rate-limited' } } });
    template.hasResourceProperties('AWS::WAFv2::WebACL', { CustomResponseBodies: { 'rate-limited': { ContentType: 'APPLICATION_JSON', Content: Match.stringLikeRegexp('"jsonrpc":"2.0"') } } });
  });

  test('GIVEN a load balancer THEN the web ACL is associated with it', () => {
    template.hasResourceProperties('AWS::WAFv2::WebACLAssociation', {
      ResourceArn: { Ref: Match.stringLikeRegexp('^LoadBalancer') },
      WebACLArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^FirewallWebAcl'), 'Arn'] },
    });
  });

  test('GIVEN logging THEN WAF logs go to aws-waf-logs-<fleet> with the bearer token and API key header redacted', () => {
    template.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: 'aws-waf-logs-agents', RetentionInDays: 30 });
    template.hasResourceProperties('AWS::WAFv2::LoggingConfiguration', {
      // No `:*` suffix: WAF rejects the log group ARN form that CloudFormation's Arn attribute has.
      LogDestinationConfigs: [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':logs:us-east-1:123456789012:log-group:', { Ref: Match.stringLikeRegexp('^FirewallLogs') }]] }],
      RedactedFields: [{ SingleHeader: { Name: 'authorization' } }, { SingleHeader: { Name: 'x-api-key' } }],
    });
  });
});
