/**
 * McpLoadBalancer: the internet-facing ALB with a pinned TLS 1.3 HTTPS listener (404 JSON by default;
 * targets add their rules with `createListenerRules`), plain HTTP redirected to HTTPS, header hygiene,
 * and access logs in an encrypted, private, expiring bucket.
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { fleetPlanOf, type FleetPlan } from '../lib/plan';
import type { FleetSpec } from '../lib/spec';
import { allowTcpFromInternet, emptySecurityGroup, type SecurityGroupEnd } from './security';
import { plannedFor } from './errors';

export interface McpLoadBalancerArgs {
  /** The fleet spec (validated when the component is constructed). */
  readonly spec: FleetSpec;
  /**
   * The plan of `spec`, made once by the fleet that composes this part (`McpFleet` passes its own).
   * @default - planned here from `spec`
   */
  readonly plan?: FleetPlan;
  /** ARN of the ACM certificate served by the HTTPS listener. */
  readonly certificateArn: pulumi.Input<string>;
  readonly vpcId: pulumi.Input<string>;
  /** Public subnets in at least two zones. */
  readonly publicSubnetIds: pulumi.Input<pulumi.Input<string>[]>;
  /**
   * Refuse deletion of the load balancer (turn off before destroying the stack).
   * @default true
   */
  readonly deletionProtection?: boolean;
}

const TYPE = 'mcp-fleet:index:McpLoadBalancer';

export class McpLoadBalancer extends pulumi.ComponentResource {
  public readonly securityGroup: aws.ec2.SecurityGroup;
  public readonly accessLogsBucket: aws.s3.Bucket;
  public readonly loadBalancer: aws.lb.LoadBalancer;
  public readonly httpsListener: aws.lb.Listener;
  public readonly httpListener: aws.lb.Listener;
  /** The load balancer's security group as a peer for `allowTcp`. */
  public readonly peer: SecurityGroupEnd;

  constructor(name: string, args: McpLoadBalancerArgs, opts?: pulumi.ComponentResourceOptions) {
    const plan = plannedFor(`McpLoadBalancer ${name}`, () => fleetPlanOf(args, `McpLoadBalancer ${name}`));
    super(TYPE, name, {}, opts);
    const lbPlan = plan.loadBalancer;
    const parent = { parent: this };

    this.securityGroup = emptySecurityGroup(`${name}-sg`, `MCP fleet ${plan.fleet} load balancer`, args.vpcId, this);
    this.peer = { owner: this, securityGroupId: this.securityGroup.id, allowsAllOutbound: false };
    plan.ingress
      .filter((rule) => rule.from.kind === 'internet' && rule.to.kind === 'loadBalancer')
      .forEach((rule) => allowTcpFromInternet(`${name}-internet-${rule.port}`, this.peer, rule.port, rule.description));

    this.accessLogsBucket = this.createAccessLogsBucket(name, lbPlan.accessLogs);
    const bucketPolicy = this.grantLogDelivery(name, lbPlan.accessLogs.prefix);

    this.loadBalancer = new aws.lb.LoadBalancer(
      `${name}-alb`,
      {
        name: lbPlan.name,
        loadBalancerType: 'application',
        internal: !lbPlan.internetFacing,
        securityGroups: [this.securityGroup.id],
        subnets: args.publicSubnetIds,
        idleTimeout: lbPlan.idleTimeoutSeconds,
        dropInvalidHeaderFields: lbPlan.dropInvalidHeaderFields,
        desyncMitigationMode: lbPlan.desyncMitigationMode,
        enableHttp2: lbPlan.http2,
        enableDeletionProtection: args.deletionProtection ?? true,
        accessLogs: { bucket: this.accessLogsBucket.bucket, prefix: lbPlan.accessLogs.prefix, enabled: true },
      },
      { parent: this, dependsOn: [bucketPolicy] },
    );

    const fixed = plan.listener.defaultResponse;
    this.httpsListener = new aws.lb.Listener(
      `${name}-https`,
      {
        loadBalancerArn: this.loadBalancer.arn,
        port: lbPlan.httpsPort,
        protocol: 'HTTPS',
        sslPolicy: lbPlan.tlsPolicy,
        certificateArn: args.certificateArn,
        defaultActions: [{ type: 'fixed-response', fixedResponse: { statusCode: String(fixed.statusCode), contentType: fixed.contentType, messageBody: fixed.body } }],
      },
      parent,
    );
    this.httpListener = new aws.lb.Listener(
      `${name}-http`,
      {
        loadBalancerArn: this.loadBalancer.arn,
        port: lbPlan.httpRedirectPort,
        protocol: 'HTTP',
        defaultActions: [{ type: 'redirect', redirect: { protocol: 'HTTPS', port: String(lbPlan.httpsPort), statusCode: 'HTTP_301' } }],
      },
      parent,
    );

    this.registerOutputs({
      loadBalancerArn: this.loadBalancer.arn,
      dnsName: this.loadBalancer.dnsName,
      httpsListenerArn: this.httpsListener.arn,
      accessLogsBucket: this.accessLogsBucket.bucket,
    });
  }

  private createAccessLogsBucket(name: string, logs: { readonly expirationDays: number }): aws.s3.Bucket {
    const parent = { parent: this };
    // Kept when the stack goes: the logs are evidence after the fact.
    const bucket = new aws.s3.Bucket(`${name}-access-logs`, { forceDestroy: false }, { parent: this, retainOnDelete: true });
    new aws.s3.BucketVersioning(`${name}-access-logs`, { bucket: bucket.id, versioningConfiguration: { status: 'Enabled' } }, parent);
    new aws.s3.BucketPublicAccessBlock(`${name}-access-logs`, { bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true }, parent);
    new aws.s3.BucketOwnershipControls(`${name}-access-logs`, { bucket: bucket.id, rule: { objectOwnership: 'BucketOwnerEnforced' } }, parent);
    // SSE-S3: the only encryption ALB log delivery supports.
    new aws.s3.BucketServerSideEncryptionConfiguration(`${name}-access-logs`, { bucket: bucket.id, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' } }] }, parent);
    new aws.s3.BucketLifecycleConfiguration(
      `${name}-access-logs`,
      {
        bucket: bucket.id,
        rules: [
          {
            id: 'expire-access-logs',
            status: 'Enabled',
            filter: {},
            expiration: { days: logs.expirationDays },
            noncurrentVersionExpiration: { noncurrentDays: 1 },
            abortIncompleteMultipartUpload: { daysAfterInitiation: 1 },
          },
        ],
      },
      parent,
    );
    return bucket;
  }

  /** Lets the regional ELB log delivery account write under the prefix; refuses plain-HTTP access. */
  private grantLogDelivery(name: string, prefix: string): aws.s3.BucketPolicy {
    const bucket = this.accessLogsBucket;
    const elbAccount = aws.elb.getServiceAccountOutput({}, { parent: this });
    const account = aws.getCallerIdentityOutput({}, { parent: this });
    return new aws.s3.BucketPolicy(
      `${name}-access-logs`,
      {
        bucket: bucket.id,
        policy: pulumi.jsonStringify({
          Version: '2012-10-17',
          Statement: [
            {
              Sid: 'AlbLogDelivery',
              Effect: 'Allow',
              Principal: { AWS: elbAccount.arn },
              Action: 's3:PutObject',
              Resource: pulumi.interpolate`${bucket.arn}/${prefix}/AWSLogs/${account.accountId}/*`,
            },
            {
              Sid: 'DenyInsecureTransport',
              Effect: 'Deny',
              Principal: '*',
              Action: 's3:*',
              Resource: [bucket.arn, pulumi.interpolate`${bucket.arn}/*`],
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            },
          ],
        }),
      },
      { parent: this },
    );
  }
}
