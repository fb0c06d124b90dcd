/**
 * McpSessionStore: ElastiCache (Valkey by default) for gateway sessions, rate-limit buckets and tool
 * caches — a Multi-AZ replication group with automatic failover, or ElastiCache Serverless — with TLS
 * required, encryption at rest, a password generated into Secrets Manager, private subnets and a
 * security group that admits only the clients connected with `allowTcp` (`McpFleet` connects the gateway).
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { fleetPlanOf, type ReplicationGroupPlan, type ServerlessCachePlan, type FleetPlan } from '../lib/plan';
import type { FleetSpec } from '../lib/spec';
import { generatedSecret } from './secrets';
import { emptySecurityGroup, type SecurityGroupEnd } from './security';
import { plannedFor } from './errors';

export interface McpSessionStoreArgs {
  /** The fleet spec (validated when the component is constructed). */
  readonly spec: FleetSpec;
  /**
   * The plan of `spec`, made once by the fleet that composes this part (`McpFleet` passes its own).
   * @default - planned here from `spec`
   */
  readonly plan?: FleetPlan;
  readonly vpcId: pulumi.Input<string>;
  /** Private subnets in at least two zones. */
  readonly privateSubnetIds: pulumi.Input<pulumi.Input<string>[]>;
  /**
   * Version of the generated password; raise it to rotate the password (Secrets Manager and
   * ElastiCache are updated together).
   * @default 1
   */
  readonly passwordVersion?: number;
  /**
   * KMS key (ARN) that encrypts the cache at rest and the password secret.
   * @default - AWS managed keys
   */
  readonly kmsKeyArn?: pulumi.Input<string>;
}

const TYPE = 'mcp-fleet:index:McpSessionStore';

export class McpSessionStore extends pulumi.ComponentResource {
  public readonly securityGroup: aws.ec2.SecurityGroup;
  /** Secret holding the AUTH token (replication group) or the `default` user's password (serverless). */
  public readonly authSecret: aws.secretsmanager.Secret;
  /** The replication group. @default - undefined for a serverless store */
  public readonly replicationGroup?: aws.elasticache.ReplicationGroup;
  /** The serverless cache. @default - undefined for a replication group */
  public readonly serverlessCache?: aws.elasticache.ServerlessCache;
  /** Host name clients connect to (TLS). */
  public readonly host: pulumi.Output<string>;
  public readonly port: number;
  /** The store's security group as a peer for `allowTcp`. */
  public readonly peer: SecurityGroupEnd;

  constructor(name: string, args: McpSessionStoreArgs, opts?: pulumi.ComponentResourceOptions) {
    const fleet = plannedFor(`McpSessionStore ${name}`, () => fleetPlanOf(args, `McpSessionStore ${name}`));
    super(TYPE, name, {}, opts);
    const plan = fleet.sessionStore;
    this.port = plan.port;

    this.securityGroup = emptySecurityGroup(`${name}-sg`, `MCP fleet ${fleet.fleet} session store`, args.vpcId, this);
    this.peer = { owner: this, securityGroupId: this.securityGroup.id, allowsAllOutbound: false };
    const password = generatedSecret(
      `${name}-auth`,
      {
        description: `MCP fleet ${fleet.fleet}: session store ${plan.authentication === 'auth-token' ? 'AUTH token' : 'default user password'}`,
        length: plan.authToken.length,
        excludePunctuation: plan.authToken.excludePunctuation,
        version: args.passwordVersion ?? 1,
        ...(args.kmsKeyArn ? { kmsKeyArn: args.kmsKeyArn } : {}),
      },
      this,
    );
    this.authSecret = password.secret;

    if (plan.deployment === 'replication-group') {
      this.replicationGroup = this.createReplicationGroup(name, plan, args, password.value, args.passwordVersion ?? 1);
      this.host = this.replicationGroup.primaryEndpointAddress;
    } else {
      this.serverlessCache = this.createServerlessCache(name, plan, args, password.value, args.passwordVersion ?? 1);
      this.host = this.serverlessCache.endpoints.apply((e) => e[0]!.address);
    }

    this.registerOutputs({ host: this.host, port: this.port, authSecretArn: this.authSecret.arn, securityGroupId: this.securityGroup.id });
  }

  private createReplicationGroup(name: string, plan: ReplicationGroupPlan, args: McpSessionStoreArgs, token: pulumi.Output<string>, tokenVersion: number) {
    const subnetGroup = new aws.elasticache.SubnetGroup(`${name}-subnets`, { name: plan.id, description: plan.description, subnetIds: args.privateSubnetIds }, { parent: this });
    return new aws.elasticache.ReplicationGroup(
      `${name}-cache`,
      {
        replicationGroupId: plan.id,
        description: plan.description,
        engine: plan.engine,
        engineVersion: plan.engineVersion,
        nodeType: plan.nodeType,
        port: plan.port,
        numNodeGroups: plan.numNodeGroups,
        replicasPerNodeGroup: plan.replicasPerNodeGroup,
        multiAzEnabled: plan.multiAz,
        automaticFailoverEnabled: plan.automaticFailover,
        transitEncryptionEnabled: plan.transitEncryption,
        transitEncryptionMode: plan.transitEncryptionMode,
        atRestEncryptionEnabled: plan.atRestEncryption,
        ...(args.kmsKeyArn ? { kmsKeyId: args.kmsKeyArn } : {}),
        // Write-only: the token reaches ElastiCache but never the Pulumi state.
        authTokenWo: token,
        authTokenWoVersion: tokenVersion,
        subnetGroupName: subnetGroup.name,
        securityGroupIds: [this.securityGroup.id],
        snapshotRetentionLimit: plan.snapshotRetentionDays,
        autoMinorVersionUpgrade: true,
      },
      { parent: this },
    );
  }

  private createServerlessCache(name: string, plan: ServerlessCachePlan, args: McpSessionStoreArgs, password: pulumi.Output<string>, passwordVersion: number) {
    const parent = { parent: this };
    // Serverless caches have no AUTH token: the password belongs to a `default` user in an RBAC group.
    const user = new aws.elasticache.User(
      `${name}-default-user`,
      {
        userId: plan.defaultUserId,
        userName: 'default',
        engine: plan.engine,
        accessString: 'on ~* +@all',
        passwordsWo: password,
        passwordsWoVersion: passwordVersion,
      },
      parent,
    );
    const userGroup = new aws.elasticache.UserGroup(`${name}-users`, { userGroupId: plan.userGroupId, engine: plan.engine, userIds: [user.userId] }, parent);
    return new aws.elasticache.ServerlessCache(
      `${name}-cache`,
      {
        name: plan.name,
        description: plan.description,
        engine: plan.engine,
        majorEngineVersion: plan.majorEngineVersion,
        securityGroupIds: [this.securityGroup.id],
        subnetIds: args.privateSubnetIds,
        userGroupId: userGroup.userGroupId,
        ...(args.kmsKeyArn ? { kmsKeyId: args.kmsKeyArn } : {}),
        snapshotRetentionLimit: plan.snapshotRetentionDays,
      },
      parent,
    );
  }
}
