/**
 * McpGateway: the gateway Lambda, deployed from the same esbuild bundle as the CDK construct
 * (`GATEWAY_BUNDLE_DIR`), in the VPC, with its environment from the plan, its ALB target group and
 * listener rules (MCP path, protected resource metadata, health), the identity-signing secret, and a
 * role that may read exactly the secrets the plan names.
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { assertGatewayBundle, GATEWAY_BUNDLE_HANDLER } from '../lib/gateway-bundle';
import { fleetPlanOf, poolIdentitySecretArnsJson, renderGatewayEnvironment, type GatewayEnvInput, type GatewayPlan, type FleetPlan } from '../lib/plan';
import type { FleetSpec } from '../lib/spec';
import { assumeRolePolicy, policyDocument } from './iam';
import { createListenerRules } from './listener-rules';
import { fleetLogGroup } from './log-group';
import { plannedQueues, queueStatements, queueUrlsInput, type McpQueueRef } from './queue-access';
import { gatewayIdentitySecrets, poolIdentitySecretArns } from './secrets';
import { allowAllOutbound, emptySecurityGroup, type SecurityGroupEnd } from './security';
import { McpComponentError, plannedFor } from './errors';

export interface McpGatewayArgs {
  /** The fleet spec (validated when the component is constructed). */
  readonly spec: FleetSpec;
  /**
   * The plan of `spec`, made once by the fleet that composes this part (`McpFleet` passes its own).
   * @default - planned here from `spec`
   */
  readonly plan?: FleetPlan;
  readonly vpcId: pulumi.Input<string>;
  /** Private subnets (with NAT) for the function. */
  readonly privateSubnetIds: pulumi.Input<pulumi.Input<string>[]>;
  /** HTTPS listener that receives the gateway's rules. */
  readonly listenerArn: pulumi.Input<string>;
  /** Host name of the session store (TLS). */
  readonly sessionStoreHost: pulumi.Input<string>;
  /** Secret holding the session store password. */
  readonly sessionStoreAuthSecretArn: pulumi.Input<string>;
  /** Public base URL of the fleet, e.g. `https://mcp.example.com` (RFC 9728 metadata). */
  readonly publicUrl: pulumi.Input<string>;
  /**
   * KMS key (ARN) that encrypts the function's log group and the identity secret, and that the
   * function may decrypt secrets with (pass the key of the session store secret).
   * @default - AWS managed keys
   */
  readonly kmsKeyArn?: pulumi.Input<string>;
  /**
   * Concurrency reserved for the gateway (also its ceiling).
   * @default - none: the gateway shares the account's unreserved concurrency
   */
  readonly reservedConcurrentExecutions?: number;
  /**
   * Version of the generated identity-signing key; raise it to rotate the key.
   * @default 1
   */
  readonly identityKeyVersion?: number;
  /**
   * Each pool's identity secret, by pool name (every pool of the spec), when another component made them
   * (`McpFleet` does, before its queue pools).
   * @default - one generated here per pool of the spec
   */
  readonly identitySecrets?: Readonly<Record<string, aws.secretsmanager.Secret>>;
  /**
   * The queue of every queue pool of the spec, by pool name (an `McpQueuePool`'s `queue`): the gateway
   * gets their URLs and may only send to them.
   * @default {} - required when the spec has queue pools
   */
  readonly queues?: Readonly<Record<string, McpQueueRef>>;
}

const TYPE = 'mcp-fleet:index:McpGateway';

/** Reserved concurrency must be a positive integer when given. */
export function assertReservedConcurrency(value: number | undefined, where: string): void {
  if (value !== undefined && (!Number.isInteger(value) || value < 1)) throw new McpComponentError(where, `reserved concurrency must be a positive integer (got ${value})`);
}

export class McpGateway extends pulumi.ComponentResource {
  public readonly plan: GatewayPlan;
  public readonly securityGroup: aws.ec2.SecurityGroup;
  /** Each pool's HMAC key, by pool name: the gateway signs caller identities with it, that pool alone verifies them. */
  public readonly identitySecrets: Readonly<Record<string, aws.secretsmanager.Secret>>;
  public readonly role: aws.iam.Role;
  public readonly logGroup: aws.cloudwatch.LogGroup;
  public readonly function: aws.lambda.Function;
  public readonly targetGroup: aws.lb.TargetGroup;
  public readonly listenerRules: aws.lb.ListenerRule[];
  /** The gateway's security group as a peer for `allowTcp`. */
  public readonly peer: SecurityGroupEnd;

  constructor(name: string, args: McpGatewayArgs, opts?: pulumi.ComponentResourceOptions) {
    const where = `McpGateway ${name}`;
    const fleet = plannedFor(where, () => fleetPlanOf(args, where));
    assertReservedConcurrency(args.reservedConcurrentExecutions, where);
    const bundleDir = assertGatewayBundle(where);
    const queues = plannedQueues(where, fleet, args.queues);
    super(TYPE, name, {}, opts);
    const plan = fleet.gateway;
    this.plan = plan;
    const parent = { parent: this };

    this.securityGroup = emptySecurityGroup(`${name}-sg`, `MCP fleet ${fleet.fleet} gateway`, args.vpcId, this);
    this.peer = { owner: this, securityGroupId: this.securityGroup.id, allowsAllOutbound: true };
    allowAllOutbound(`${name}-out`, this.peer, 'gateway to the JWKS endpoint, Secrets Manager, the session store and the pools');

    this.identitySecrets = gatewayIdentitySecrets(where, name, fleet, args, this);

    const region = aws.getRegionOutput({}, parent).region;
    const queueUrls = queueUrlsInput(queues);
    const identity = aws.getCallerIdentityOutput({}, parent);
    const partition = aws.getPartitionOutput({}, parent).partition;
    const apiKeys = fleet.gateway.inputs.includes('apiKeysSecretArn') ? args.spec.auth?.apiKeys?.secretName : undefined;
    // Referenced by name: the environment holds the partial ARN, IAM matches the random suffix.
    const apiKeysSecretArn = apiKeys ? pulumi.interpolate`arn:${partition}:secretsmanager:${region}:${identity.accountId}:secret:${apiKeys}` : undefined;
    const inputs: Partial<Record<GatewayEnvInput, pulumi.Input<string>>> = {
      region,
      sessionStoreHost: args.sessionStoreHost,
      sessionStoreAuthSecretArn: args.sessionStoreAuthSecretArn,
      poolIdentitySecretArns: poolIdentitySecretArns(this.identitySecrets).apply(poolIdentitySecretArnsJson),
      publicUrl: args.publicUrl,
      ...(apiKeysSecretArn ? { apiKeysSecretArn } : {}),
      ...(queueUrls ? { queueUrls } : {}),
    };

    this.logGroup = fleetLogGroup(`${name}-logs`, { retentionDays: fleet.logRetentionDays, ...(args.kmsKeyArn ? { kmsKeyArn: args.kmsKeyArn } : {}) }, this);
    this.role = new aws.iam.Role(`${name}-role`, { assumeRolePolicy: assumeRolePolicy('lambda.amazonaws.com') }, parent);
    // ENI management for a function in a VPC (and log delivery): the AWS managed policy is the documented minimum.
    const vpcAccess = new aws.iam.RolePolicyAttachment(
      `${name}-vpc-access`,
      { role: this.role.name, policyArn: pulumi.interpolate`arn:${partition}:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole` },
      parent,
    );
    const secretArns = plan.secretInputs.flatMap((input) =>
      input === 'poolIdentitySecretArns'
        ? Object.values(this.identitySecrets).map((s) => s.arn)
        : [input === 'apiKeysSecretArn' ? pulumi.interpolate`${inputs[input]!}-??????` : pulumi.output(inputs[input]!)],
    );
    const secretsAccess = new aws.iam.RolePolicy(
      `${name}-policy`,
      {
        role: this.role.id,
        policy: policyDocument([
          { Sid: 'ReadSecrets', Effect: 'Allow', Action: ['secretsmanager:GetSecretValue'], Resource: secretArns },
          ...(args.kmsKeyArn ? [{ Sid: 'DecryptSecrets', Effect: 'Allow' as const, Action: ['kms:Decrypt'], Resource: [args.kmsKeyArn] }] : []),
          ...queueStatements(
            'send',
            queues.map(([, q]) => q),
            args.kmsKeyArn,
            region,
          ),
        ]),
      },
      parent,
    );

    const environment = pulumi.all(inputs as Record<string, pulumi.Input<string>>).apply((values) => renderGatewayEnvironment(plan, values as Partial<Record<GatewayEnvInput, string>>, where));
    this.function = new aws.lambda.Function(
      `${name}-function`,
      {
        name: plan.functionName,
        description: `MCP gateway of fleet ${fleet.fleet}`,
        runtime: plan.runtime,
        architectures: [plan.architecture],
        handler: GATEWAY_BUNDLE_HANDLER,
        code: new pulumi.asset.FileArchive(bundleDir),
        role: this.role.arn,
        memorySize: plan.memoryMiB,
        timeout: plan.timeoutSeconds,
        environment: { variables: environment },
        vpcConfig: { subnetIds: args.privateSubnetIds, securityGroupIds: [this.securityGroup.id] },
        loggingConfig: { logFormat: 'Text', logGroup: this.logGroup.name },
        ...(args.reservedConcurrentExecutions !== undefined ? { reservedConcurrentExecutions: args.reservedConcurrentExecutions } : {}),
      },
      // Lambda refuses a VPC function whose role cannot manage network interfaces yet.
      { parent: this, dependsOn: [vpcAccess, secretsAccess] },
    );

    const tg = plan.targetGroup;
    this.targetGroup = new aws.lb.TargetGroup(
      `${name}-tg`,
      {
        name: tg.name,
        targetType: tg.targetType,
        lambdaMultiValueHeadersEnabled: tg.multiValueHeadersEnabled,
        healthCheck: {
          enabled: true,
          path: tg.healthCheck.path,
          interval: tg.healthCheck.intervalSeconds,
          timeout: tg.healthCheck.timeoutSeconds,
          healthyThreshold: tg.healthCheck.healthyThreshold,
          unhealthyThreshold: tg.healthCheck.unhealthyThreshold,
          matcher: tg.healthCheck.matcher,
        },
      },
      parent,
    );
    const permission = new aws.lambda.Permission(
      `${name}-alb-invoke`,
      { action: 'lambda:InvokeFunction', function: this.function.name, principal: 'elasticloadbalancing.amazonaws.com', sourceArn: this.targetGroup.arn },
      parent,
    );
    new aws.lb.TargetGroupAttachment(`${name}-target`, { targetGroupArn: this.targetGroup.arn, targetId: this.function.arn }, { parent: this, dependsOn: [permission] });
    const rules = fleet.listener.rules.filter((r) => r.target.kind === 'gateway');
    this.listenerRules = createListenerRules(name, rules, args.listenerArn, this.targetGroup.arn, this);

    this.registerOutputs({ functionArn: this.function.arn, targetGroupArn: this.targetGroup.arn, identitySecretArns: poolIdentitySecretArns(this.identitySecrets) });
  }
}
