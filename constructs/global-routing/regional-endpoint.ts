import { Arn, Stack, Validations } from 'aws-cdk-lib';
import type * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { concreteRegion } from '../shared/region';
import { regionalEndpointParameterNames, type RegionalEndpointParameterNames } from '../../lib/plan/global-routing';

/** The public load balancer of one regional copy of a fleet, as global routing needs it. */
export interface McpRegionalEndpoint {
  /** AWS region code, e.g. `eu-west-1`. */
  readonly region: string;
  /** The load balancer's DNS name. */
  readonly dnsName: string;
  /** The load balancer's canonical hosted zone id (for alias records). */
  readonly canonicalHostedZoneId: string;
  /**
   * The load balancer's ARN.
   * @default - none; required for the Global Accelerator front door
   */
  readonly loadBalancerArn?: string;
  /**
   * Host name the Route 53 health check connects to and sends as `Host` and SNI, e.g.
   * `eu-west-1.mcp.example.com` if the region has its own name on its certificate.
   * @default - the load balancer DNS name (Route 53 does not validate the certificate)
   */
  readonly healthCheckDomainName?: string;
}

export interface McpRegionalEndpointParametersProps {
  /** The fleet name (`spec.name`). */
  readonly fleetName: string;
  /** The fleet's public load balancer in this stack's region. */
  readonly loadBalancer: elbv2.IApplicationLoadBalancer;
}

/**
 * Writes the regional load balancer's DNS name, canonical hosted zone id and ARN to SSM parameters
 * whose names depend only on the fleet and the region (`regionalEndpointParameterNames`), so that
 * the global routing stack finds them without cross-stack or cross-region references.
 */
export class McpRegionalEndpointParameters extends Construct {
  public readonly parameterNames: RegionalEndpointParameterNames;
  public readonly dnsName: ssm.StringParameter;
  public readonly canonicalHostedZoneId: ssm.StringParameter;
  public readonly loadBalancerArn: ssm.StringParameter;

  constructor(scope: Construct, id: string, props: McpRegionalEndpointParametersProps) {
    super(scope, id);
    const names = regionalEndpointParameterNames(props.fleetName, concreteRegion(this, 'McpRegionalEndpointParameters (its SSM parameter names contain the region)'));
    this.parameterNames = names;
    const description = `MCP fleet ${props.fleetName}: public load balancer`;
    this.dnsName = new ssm.StringParameter(this, 'DnsName', { parameterName: names.dnsName, stringValue: props.loadBalancer.loadBalancerDnsName, description: `${description} DNS name` });
    this.canonicalHostedZoneId = new ssm.StringParameter(this, 'CanonicalHostedZoneId', {
      parameterName: names.canonicalHostedZoneId,
      stringValue: props.loadBalancer.loadBalancerCanonicalHostedZoneId,
      description: `${description} canonical hosted zone id`,
    });
    this.loadBalancerArn = new ssm.StringParameter(this, 'Arn', { parameterName: names.loadBalancerArn, stringValue: props.loadBalancer.loadBalancerArn, description: `${description} ARN` });
  }
}

export interface McpRegionalEndpointReaderProps {
  /** The fleet name (`spec.name`). */
  readonly fleetName: string;
  /** The region whose parameters to read. */
  readonly region: string;
  /** @default - the load balancer DNS name */
  readonly healthCheckDomainName?: string;
}

/**
 * Reads what `McpRegionalEndpointParameters` wrote in `region`. In the reader's own region that is a
 * CloudFormation SSM parameter reference; in another region CloudFormation cannot reach the parameter,
 * so a custom resource (`ssm:GetParameter` on exactly these parameters) reads it at deploy time.
 * The values are read when this construct is created or its props change: after replacing a regional
 * load balancer, deploy the global routing stack again.
 */
export class McpRegionalEndpointReader extends Construct {
  /**
   * The endpoint. Each value is read on first use only, so that a value nobody uses (the ARN without
   * Global Accelerator) leaves no unreferenced parameter or custom resource behind.
   */
  public readonly endpoint: McpRegionalEndpoint;

  constructor(scope: Construct, id: string, props: McpRegionalEndpointReaderProps) {
    super(scope, id);
    const names = regionalEndpointParameterNames(props.fleetName, props.region);
    const local = concreteRegion(this, 'McpRegionalEndpoint (its SSM parameter names contain the region)') === props.region;
    const cache = new Map<string, string>();
    const read = (readerId: string, name: string): string => {
      let value = cache.get(readerId);
      if (value === undefined) {
        value = local ? ssm.StringParameter.valueForStringParameter(this, name) : this.readRemote(readerId, props.region, name);
        cache.set(readerId, value);
      }
      return value;
    };
    this.endpoint = {
      region: props.region,
      get dnsName() {
        return read('DnsName', names.dnsName);
      },
      get canonicalHostedZoneId() {
        return read('CanonicalHostedZoneId', names.canonicalHostedZoneId);
      },
      get loadBalancerArn() {
        return read('Arn', names.loadBalancerArn);
      },
      ...(props.healthCheckDomainName !== undefined ? { healthCheckDomainName: props.healthCheckDomainName } : {}),
    };
  }

  private readRemote(id: string, region: string, name: string): string {
    const stack = Stack.of(this);
    const parameterArn = Arn.format({ service: 'ssm', region, resource: 'parameter', resourceName: name.replace(/^\//, '') }, stack);
    const reader = new cr.AwsCustomResource(this, id, {
      onUpdate: {
        service: 'SSM',
        action: 'getParameter',
        parameters: { Name: name },
        region,
        physicalResourceId: cr.PhysicalResourceId.of(`${region}:${name}`),
      },
      policy: cr.AwsCustomResourcePolicy.fromSdkCalls({ resources: [parameterArn] }),
      installLatestAwsSdk: false,
    });
    Validations.of(reader).acknowledge({
      id: 'NIST.800.53.R5::NIST.800.53.R5-IAMNoInlinePolicy',
      reason: 'AwsCustomResource grants its provider ssm:GetParameter on exactly this parameter through an inline policy it owns',
    });
    acknowledgeCustomResourceProvider(stack);
    return reader.getResponseField('Parameter.Value');
  }
}

/** The stack-wide singleton Lambda that runs every `AwsCustomResource`. */
const PROVIDER_ID = 'AWS679f53fac002430cb0da5b7982bd2287';

function acknowledgeCustomResourceProvider(stack: Stack): void {
  const provider = stack.node.tryFindChild(PROVIDER_ID);
  if (!provider) return;
  const why = 'The AwsCustomResource provider, which reads SSM parameters of another region while CloudFormation deploys';
  Validations.of(provider).acknowledge(
    {
      id: 'AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason: `${why}; the managed policy only lets it write its own logs`,
    },
    { id: 'NIST.800.53.R5::NIST.800.53.R5-LambdaInsideVPC', reason: `${why}; it calls only the public SSM API of that region` },
    { id: 'NIST.800.53.R5::NIST.800.53.R5-LambdaConcurrency', reason: `${why}; CloudFormation invokes it a few times per deployment` },
    { id: 'NIST.800.53.R5::NIST.800.53.R5-LambdaDLQ', reason: `${why}; a failed invocation fails the deployment, which CloudFormation reports` },
  );
}
