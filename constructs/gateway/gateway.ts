import { ArnFormat, Duration, Stack, Token, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as elbv2Targets from 'aws-cdk-lib/aws-elasticloadbalancingv2-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { grantQueueAccess } from '../queue-pool/access';
import { plannedQueues, queueUrlsInput } from './queues';
import { assertGatewayBundle, GATEWAY_BUNDLE_HANDLER } from '../../lib/gateway-bundle';
import { fleetPlanOf, poolIdentitySecretArnsJson, renderGatewayEnvironment, type GatewayEnvInput, type GatewayPlan, type FleetPlan } from '../../lib/plan';
import type { FleetSpec } from '../../lib/spec';
import { plannedPoolIdentitySecrets } from './pool-identity-secrets';
import { addPlannedListenerRules, constructError, fleetLogGroup, mergeProps, planned, targetHealthCheck } from '../shared';

/**
 * A secret the gateway reads: the ARN it is given, the ARN its policy names, the key that decrypts it,
 * and, when the policy needs a pattern, how cdk-nag spells that resource.
 */
interface SecretToRead {
  readonly arn: string;
  readonly policyArn: string;
  readonly key?: kms.IKey;
  readonly nagResource?: string;
}

/** Where the gateway keeps sessions: the host and password secret of an `McpSessionStore`. */
export interface McpGatewaySessionStore {
  readonly host: string;
  readonly authSecret: secretsmanager.ISecret;
}

export interface McpGatewayProps {
  /** The fleet spec (validated here), handed to the gateway in its environment. */
  readonly spec: FleetSpec;
  /**
   * The plan of `spec`, made once by the fleet that composes this part (`McpFleet` passes its own).
   * @default - planned here from `spec`
   */
  readonly plan?: FleetPlan;
  readonly vpc: ec2.IVpc;
  /** HTTPS listener of the fleet's load balancer: the gateway adds the MCP path and health rules. */
  readonly listener: elbv2.IApplicationListener;
  readonly sessionStore: McpGatewaySessionStore;
  /** Each pool's identity secret (the HMAC key that signs caller identities for it), by pool name. */
  readonly poolIdentitySecrets: Readonly<Record<string, secretsmanager.ISecret>>;
  /** Public base URL of the fleet (RFC 9728 metadata), e.g. `https://mcp.example.com`. */
  readonly publicUrl: string;
  /**
   * The queue of each queue pool, by pool name (an `McpQueuePool`'s `queue`): the gateway may only send to them.
   * @default {} (a fleet without queue pools)
   */
  readonly queues?: Readonly<Record<string, sqs.IQueue>>;
  /**
   * Key that encrypts the function's log group.
   * @default - CloudWatch Logs' own encryption
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * Concurrency reserved for the gateway (also its ceiling).
   * @default - none: the gateway shares the account's unreserved concurrency
   */
  readonly reservedConcurrentExecutions?: number;
  /**
   * Overrides for the function. Code, handler, runtime and VPC placement are enforced; `environment`
   * adds to the planned variables, which always win.
   * @default - the plan's name, memory and timeout on arm64
   */
  readonly functionProps?: Partial<lambda.FunctionProps>;
}

/**
 * The MCP gateway: the bundled Lambda (no Docker or esbuild at synth) in the VPC's private subnets,
 * behind the ALB as a Lambda target, with its environment from the plan and read access to exactly the
 * secrets it needs.
 */
export class McpGateway extends Construct {
  public readonly plan: GatewayPlan;
  public readonly securityGroup: ec2.SecurityGroup;
  public readonly logGroup: logs.LogGroup;
  public readonly function: lambda.Function;
  public readonly targetGroup: elbv2.ApplicationTargetGroup;
  public readonly listenerRules: readonly elbv2.ApplicationListenerRule[];

  constructor(scope: Construct, id: string, props: McpGatewayProps) {
    super(scope, id);
    const fleet = planned(this, () => fleetPlanOf(props, this.node.path));
    const plan = fleet.gateway;
    this.plan = plan;
    if (props.reservedConcurrentExecutions !== undefined && (!Number.isInteger(props.reservedConcurrentExecutions) || props.reservedConcurrentExecutions < 1)) {
      throw constructError(this, `reservedConcurrentExecutions must be a positive integer (got ${props.reservedConcurrentExecutions})`);
    }
    const code = lambda.Code.fromAsset(assertGatewayBundle(this.node.path));

    // Outbound stays open: the gateway calls the identity provider's JWKS endpoint (internet), Secrets
    // Manager, the session store and the pools.
    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', { vpc: props.vpc, description: `MCP fleet ${fleet.fleet} gateway`, allowAllOutbound: true });
    this.logGroup = fleetLogGroup(this, 'Logs', fleet.logRetentionDays, props.encryptionKey);

    const poolSecrets = plannedPoolIdentitySecrets(this, fleet, props.poolIdentitySecrets);
    const secrets = this.secretsToRead(props, poolSecrets);
    const queues = plannedQueues(this, fleet, props.queues);
    const environment = renderGatewayEnvironment(
      plan,
      {
        region: Stack.of(this).region,
        sessionStoreHost: props.sessionStore.host,
        sessionStoreAuthSecretArn: props.sessionStore.authSecret.secretArn,
        poolIdentitySecretArns: poolIdentitySecretArnsJson(Object.fromEntries(poolSecrets.map(([pool, s]) => [pool, s.secretArn]))),
        publicUrl: props.publicUrl,
        ...(secrets.apiKeysSecretArn ? { apiKeysSecretArn: secrets.apiKeysSecretArn[0]!.arn } : {}),
        ...queueUrlsInput(queues),
      },
      this.node.path,
    );

    this.function = new lambda.Function(
      this,
      'Function',
      mergeProps<lambda.FunctionProps>(
        {
          functionName: plan.functionName,
          memorySize: plan.memoryMiB,
          timeout: Duration.seconds(plan.timeoutSeconds),
          architecture: lambda.Architecture.ARM_64,
          description: `MCP gateway of fleet ${fleet.fleet}`,
        },
        props.functionProps,
        {
          code,
          handler: GATEWAY_BUNDLE_HANDLER,
          runtime: lambda.Runtime.NODEJS_24_X,
          vpc: props.vpc,
          vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
          securityGroups: [this.securityGroup],
          allowPublicSubnet: false,
          // User variables (e.g. log levels) add to the planned ones, which always win.
          environment: { ...props.functionProps?.environment, ...environment },
          logGroup: this.logGroup,
          ...(props.reservedConcurrentExecutions !== undefined ? { reservedConcurrentExecutions: props.reservedConcurrentExecutions } : {}),
        },
      ),
    );
    this.grantSecretReads(secrets);
    grantQueueAccess(
      this,
      this.function,
      'send',
      queues.map(([, q]) => q),
    );
    this.acknowledgeFindings(props.reservedConcurrentExecutions !== undefined);

    this.targetGroup = new elbv2.ApplicationTargetGroup(this, 'TargetGroup', {
      targetGroupName: plan.targetGroup.name,
      targetType: elbv2.TargetType.LAMBDA,
      targets: [new elbv2Targets.LambdaTarget(this.function)],
      multiValueHeadersEnabled: plan.targetGroup.multiValueHeadersEnabled,
      healthCheck: targetHealthCheck(plan.targetGroup.healthCheck),
    });
    const rules = fleet.listener.rules.filter((r) => r.target.kind === 'gateway');
    this.listenerRules = addPlannedListenerRules(this, props.listener, rules, this.targetGroup);
  }

  /** The secrets the plan asks for, by input (each pool's identity secret under one); an API key secret is found by its name from the spec. */
  private secretsToRead(props: McpGatewayProps, poolSecrets: ReadonlyArray<[string, secretsmanager.ISecret]>): Partial<Record<GatewayEnvInput, SecretToRead[]>> {
    const own = (secret: secretsmanager.ISecret): SecretToRead => ({ arn: secret.secretArn, policyArn: secret.secretArn, ...(secret.encryptionKey ? { key: secret.encryptionKey } : {}) });
    const apiKeys = props.spec.auth?.apiKeys;
    const stack = Stack.of(this);
    // cdk-nag names a finding after its resource, with intrinsics spelled as <AWS::...>.
    const literal = (value: string, intrinsic: string) => (Token.isUnresolved(value) ? `<${intrinsic}>` : value);
    return {
      sessionStoreAuthSecretArn: [own(props.sessionStore.authSecret)],
      poolIdentitySecretArns: poolSecrets.map(([, s]) => own(s)),
      ...(apiKeys
        ? {
            apiKeysSecretArn: [
              {
                // A partial ARN: GetSecretValue accepts it; the policy needs the six random suffix characters.
                arn: stack.formatArn({ service: 'secretsmanager', resource: 'secret', resourceName: apiKeys.secretName, arnFormat: ArnFormat.COLON_RESOURCE_NAME }),
                policyArn: stack.formatArn({ service: 'secretsmanager', resource: 'secret', resourceName: `${apiKeys.secretName}-??????`, arnFormat: ArnFormat.COLON_RESOURCE_NAME }),
                nagResource: `arn:<AWS::Partition>:secretsmanager:${literal(stack.region, 'AWS::Region')}:${literal(stack.account, 'AWS::AccountId')}:secret:${apiKeys.secretName}-??????`,
              },
            ],
          }
        : {}),
    };
  }

  /** `secretsmanager:GetSecretValue` on exactly the planned secrets, and decrypt on their keys. */
  private grantSecretReads(secrets: Partial<Record<GatewayEnvInput, SecretToRead[]>>): void {
    const planned = this.plan.secretInputs.flatMap((input) => secrets[input]!);
    this.function.addToRolePolicy(new iam.PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: planned.map((s) => s.policyArn) }));
    for (const s of planned) {
      s.key?.grantDecrypt(this.function);
      if (s.nagResource) {
        Validations.of(this.function).acknowledge({
          id: `AwsSolutions-IAM5[Resource::${s.nagResource}]`,
          reason: 'The API key secret is referenced by name; Secrets Manager appends six random characters to its ARN, which only the -?????? pattern matches.',
        });
      }
    }
  }

  private acknowledgeFindings(concurrencyReserved: boolean): void {
    Validations.of(this.function).acknowledge(
      { id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]', reason: 'AWS managed policy for CloudWatch Logs delivery of the function.' },
      {
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole]',
        reason: 'AWS managed policy that lets a VPC function manage its network interfaces.',
      },
      {
        id: 'NIST.800.53.R5-IAMNoInlinePolicy',
        reason: 'The role policy CDK attaches holds exactly the grants of this function (its secrets and key); a managed policy would invite reuse by other principals.',
      },
      { id: 'NIST.800.53.R5-LambdaDLQ', reason: 'The load balancer invokes the gateway synchronously and returns errors to the MCP client; there is no asynchronous event to dead-letter.' },
    );
    if (!concurrencyReserved) {
      Validations.of(this.function).acknowledge({
        id: 'NIST.800.53.R5-LambdaConcurrency',
        reason: 'Reserving concurrency is opt-in (reservedConcurrentExecutions): new accounts have too little concurrency to reserve; WAF rate rules bound the load instead.',
      });
    }
  }
}
