import { Duration, Token, Validations } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as route53Targets from 'aws-cdk-lib/aws-route53-targets';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { fleetPlanOf, type FleetPlan } from '../../lib/plan';
import type { FleetSpec } from '../../lib/spec';
import { constructError, mergeProps, planned } from '../shared';
import { accessLogsBucket } from './access-logs-bucket';

/** A public DNS name for the fleet in a Route 53 hosted zone. */
export interface McpFleetDomain {
  readonly hostedZone: route53.IHostedZone;
  /** Fully qualified name, e.g. `mcp.example.com`, inside `hostedZone`. */
  readonly domainName: string;
}

export interface McpLoadBalancerProps {
  /** The fleet spec (validated here). */
  readonly spec: FleetSpec;
  /**
   * The plan of `spec`, made once by the fleet that composes this part (`McpFleet` passes its own).
   * @default - planned here from `spec`
   */
  readonly plan?: FleetPlan;
  readonly vpc: ec2.IVpc;
  /**
   * ARN of an ACM certificate for the HTTPS listener.
   * @default - `certificate`, or a DNS-validated certificate for `domain`
   */
  readonly certificateArn?: string;
  /**
   * The HTTPS listener certificate.
   * @default - from `certificateArn`, or a DNS-validated certificate for `domain`
   */
  readonly certificate?: acm.ICertificate;
  /**
   * Public name of the fleet: an alias record to the load balancer, and the certificate when neither
   * `certificateArn` nor `certificate` is given.
   * @default - no DNS record; clients use the load balancer's own name
   */
  readonly domain?: McpFleetDomain;
  /**
   * Refuse deletion of the load balancer (turn off before destroying the stack).
   * @default true
   */
  readonly deletionProtection?: boolean;
  /**
   * Bucket for access logs; it must allow ALB log delivery and use SSE-S3.
   * @default - a new encrypted, TLS-only, private bucket with the plan's lifecycle
   */
  readonly accessLogsBucket?: s3.IBucket;
  /**
   * Overrides for the load balancer. TLS, header and desync settings are enforced.
   * @default - the plan's name and idle timeout
   */
  readonly loadBalancerProps?: Partial<elbv2.ApplicationLoadBalancerProps>;
}

/**
 * The public entrance: an internet-facing ALB with a TLS 1.3-only HTTPS listener, HTTP redirected to
 * HTTPS, access logs, and a 404 default action (fleet routes are listener rules added by the pools
 * and the gateway).
 */
export class McpLoadBalancer extends Construct {
  public readonly loadBalancer: elbv2.ApplicationLoadBalancer;
  public readonly securityGroup: ec2.SecurityGroup;
  public readonly httpsListener: elbv2.ApplicationListener;
  public readonly httpListener: elbv2.ApplicationListener;
  public readonly certificate: acm.ICertificate;
  public readonly accessLogsBucket: s3.IBucket;
  /** Alias record of `domain`. @default - none without `domain` */
  public readonly aliasRecord?: route53.ARecord;
  /** `https://<domain or load balancer DNS name>`: what clients and RFC 9728 metadata use. */
  public readonly publicUrl: string;

  constructor(scope: Construct, id: string, props: McpLoadBalancerProps) {
    super(scope, id);
    const plan = planned(this, () => fleetPlanOf(props, this.node.path));
    const lb = plan.loadBalancer;
    if (props.certificate && props.certificateArn) throw constructError(this, 'give certificate or certificateArn, not both');
    if (!props.certificate && !props.certificateArn && !props.domain) {
      throw constructError(this, 'the HTTPS listener needs a certificate: set certificateArn, certificate, or domain (for a DNS-validated certificate)');
    }

    if (props.domain && !Token.isUnresolved(props.domain.hostedZone.zoneName)) {
      const zone = props.domain.hostedZone.zoneName.replace(/\.$/, '');
      const name = props.domain.domainName.replace(/\.$/, '');
      if (name !== zone && !name.endsWith(`.${zone}`)) throw constructError(this, `domain.domainName "${name}" is not inside the hosted zone "${zone}"`);
    }

    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', { vpc: props.vpc, description: `MCP fleet ${plan.fleet} load balancer`, allowAllOutbound: false });
    Validations.of(this.securityGroup).acknowledge({
      id: 'AwsSolutions-EC23',
      reason: 'The public load balancer of an MCP fleet accepts HTTPS (443) and HTTP (80, redirected) from any client; WAF filters the traffic.',
    });

    this.loadBalancer = new elbv2.ApplicationLoadBalancer(
      this,
      'LoadBalancer',
      mergeProps<elbv2.ApplicationLoadBalancerProps>({ loadBalancerName: lb.name, idleTimeout: Duration.seconds(lb.idleTimeoutSeconds) }, props.loadBalancerProps, {
        vpc: props.vpc,
        internetFacing: lb.internetFacing,
        securityGroup: this.securityGroup,
        vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
        deletionProtection: props.deletionProtection ?? true,
        dropInvalidHeaderFields: lb.dropInvalidHeaderFields,
        desyncMitigationMode: elbv2.DesyncMitigationMode.STRICTEST,
        http2Enabled: lb.http2,
      }),
    );
    this.accessLogsBucket = props.accessLogsBucket ?? accessLogsBucket(this, 'AccessLogs', lb.accessLogs.expirationDays);
    this.loadBalancer.logAccessLogs(this.accessLogsBucket, lb.accessLogs.prefix);

    this.certificate =
      props.certificate ??
      (props.certificateArn
        ? acm.Certificate.fromCertificateArn(this, 'Certificate', props.certificateArn)
        : new acm.Certificate(this, 'Certificate', { domainName: props.domain!.domainName, validation: acm.CertificateValidation.fromDns(props.domain!.hostedZone) }));

    this.httpsListener = this.loadBalancer.addListener('Https', {
      port: lb.httpsPort,
      protocol: elbv2.ApplicationProtocol.HTTPS,
      sslPolicy: lb.tlsPolicy as elbv2.SslPolicy,
      certificates: [elbv2.ListenerCertificate.fromCertificateManager(this.certificate)],
      open: true,
      defaultAction: elbv2.ListenerAction.fixedResponse(plan.listener.defaultResponse.statusCode, {
        contentType: plan.listener.defaultResponse.contentType,
        messageBody: plan.listener.defaultResponse.body,
      }),
    });
    this.httpListener = this.loadBalancer.addListener('Http', {
      port: lb.httpRedirectPort,
      protocol: elbv2.ApplicationProtocol.HTTP,
      open: true,
      defaultAction: elbv2.ListenerAction.redirect({ protocol: 'HTTPS', port: String(lb.httpsPort), permanent: true }),
    });
    Validations.of(this.httpListener).acknowledge({
      id: 'NIST.800.53.R5-ELBv2ACMCertificateRequired',
      reason: 'The HTTP listener serves no content: it only answers 301 redirects to the HTTPS listener, which uses the ACM certificate.',
    });

    if (props.domain) {
      this.aliasRecord = new route53.ARecord(this, 'Alias', {
        zone: props.domain.hostedZone,
        recordName: props.domain.domainName,
        target: route53.RecordTarget.fromAlias(new route53Targets.LoadBalancerTarget(this.loadBalancer)),
      });
    }
    this.publicUrl = `https://${props.domain?.domainName ?? this.loadBalancer.loadBalancerDnsName}`;
  }
}
