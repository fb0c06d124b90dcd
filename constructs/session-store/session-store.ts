import { Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elasticache from 'aws-cdk-lib/aws-elasticache';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { fleetPlanOf, type ReplicationGroupPlan, type ServerlessCachePlan, type SessionStorePlan, type FleetPlan } from '../../lib/plan';
import type { FleetSpec } from '../../lib/spec';
import { mergeProps, planned } from '../shared';

export interface McpSessionStoreProps {
  /** The fleet spec (validated here); `sessionStore` picks the engine and the deployment. */
  readonly spec: FleetSpec;
  /**
   * The plan of `spec`, made once by the fleet that composes this part (`McpFleet` passes its own).
   * @default - planned here from `spec`
   */
  readonly plan?: FleetPlan;
  readonly vpc: ec2.IVpc;
  /**
   * Key for encryption at rest (cache and AUTH token secret).
   * @default - AWS managed keys
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * Overrides for a replication group. Encryption, AUTH, Multi-AZ and networking are enforced.
   * @default - the plan's node type, replicas and engine version
   */
  readonly replicationGroupProps?: Partial<elasticache.CfnReplicationGroupProps>;
  /**
   * Overrides for a serverless cache. Encryption, user group and networking are enforced.
   * @default - the plan's engine and major version, no usage limits
   */
  readonly serverlessCacheProps?: Partial<elasticache.CfnServerlessCacheProps>;
}

const SECRET_REASON = 'Rotating the password needs a coordinated cache modification and gateway restart; rotate it with a deployment instead.';

/**
 * The gateway's session store: ElastiCache (Valkey by default) with TLS required, encryption at rest,
 * a generated password kept in Secrets Manager and referenced dynamically (never plaintext in the
 * template), in private subnets, admitting only the peers given to `allowFrom` (the gateway).
 */
export class McpSessionStore extends Construct {
  public readonly plan: SessionStorePlan;
  public readonly securityGroup: ec2.SecurityGroup;
  /** The AUTH token (replication group) or `default` user password (serverless). */
  public readonly authSecret: secretsmanager.Secret;
  /** @default - none for a serverless deployment */
  public readonly replicationGroup?: elasticache.CfnReplicationGroup;
  /** @default - none for a serverless deployment */
  public readonly subnetGroup?: elasticache.CfnSubnetGroup;
  /** @default - none for a replication group */
  public readonly serverlessCache?: elasticache.CfnServerlessCache;
  /** @default - none for a replication group */
  public readonly defaultUser?: elasticache.CfnUser;
  /** @default - none for a replication group */
  public readonly userGroup?: elasticache.CfnUserGroup;
  /** Host name of the primary (or serverless) endpoint. */
  public readonly host: string;
  public readonly port: number;

  constructor(scope: Construct, id: string, props: McpSessionStoreProps) {
    super(scope, id);
    const fleet = planned(this, () => fleetPlanOf(props, this.node.path));
    this.plan = fleet.sessionStore;
    this.port = this.plan.port;
    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', { vpc: props.vpc, description: `MCP fleet ${fleet.fleet} session store`, allowAllOutbound: false });
    this.authSecret = new secretsmanager.Secret(this, 'AuthToken', {
      description: `Password of the MCP fleet ${fleet.fleet} session store`,
      generateSecretString: { passwordLength: this.plan.authToken.length, excludePunctuation: this.plan.authToken.excludePunctuation },
      ...(props.encryptionKey ? { encryptionKey: props.encryptionKey } : {}),
    });
    Validations.of(this.authSecret).acknowledge({ id: 'AwsSolutions-SMG4', reason: SECRET_REASON }, { id: 'NIST.800.53.R5-SecretsManagerRotationEnabled', reason: SECRET_REASON });
    // A dynamic reference ({{resolve:secretsmanager:...}}): CloudFormation resolves it, the template never holds the value.
    const password = this.authSecret.secretValue.unsafeUnwrap();
    const subnetIds = props.vpc.selectSubnets({ subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }).subnetIds;
    const securityGroupIds = [this.securityGroup.securityGroupId];
    const kmsKeyId = props.encryptionKey?.keyArn;

    if (this.plan.deployment === 'replication-group') {
      const plan: ReplicationGroupPlan = this.plan;
      this.subnetGroup = new elasticache.CfnSubnetGroup(this, 'SubnetGroup', { description: plan.description, subnetIds });
      this.replicationGroup = new elasticache.CfnReplicationGroup(
        this,
        'ReplicationGroup',
        mergeProps<elasticache.CfnReplicationGroupProps>(
          {
            replicationGroupId: plan.id,
            engineVersion: plan.engineVersion,
            cacheNodeType: plan.nodeType,
            replicasPerNodeGroup: plan.replicasPerNodeGroup,
            autoMinorVersionUpgrade: true,
            snapshotRetentionLimit: plan.snapshotRetentionDays,
          },
          props.replicationGroupProps,
          {
            replicationGroupDescription: plan.description,
            engine: plan.engine,
            numNodeGroups: plan.numNodeGroups,
            multiAzEnabled: plan.multiAz,
            automaticFailoverEnabled: plan.automaticFailover,
            transitEncryptionEnabled: plan.transitEncryption,
            transitEncryptionMode: plan.transitEncryptionMode,
            atRestEncryptionEnabled: plan.atRestEncryption,
            ...(kmsKeyId ? { kmsKeyId } : {}),
            authToken: password,
            port: plan.port,
            cacheSubnetGroupName: this.subnetGroup.ref,
            securityGroupIds,
          },
        ),
      );
      this.host = this.replicationGroup.attrPrimaryEndPointAddress;
      Validations.of(this.replicationGroup).acknowledge(
        { id: 'AwsSolutions-AEC5', reason: 'The default port is kept: only the gateway security group is admitted, and clients and tools expect 6379.' },
        {
          id: 'NIST.800.53.R5-ElastiCacheRedisClusterAutomaticBackup',
          reason: 'Sessions and rate-limit buckets are short-lived; after a loss clients re-initialize, so snapshots would only restore stale state.',
        },
      );
    } else {
      const plan: ServerlessCachePlan = this.plan;
      this.defaultUser = new elasticache.CfnUser(this, 'DefaultUser', {
        userId: plan.defaultUserId,
        userName: 'default',
        engine: plan.engine,
        accessString: 'on ~* +@all',
        authenticationMode: { Type: 'password', Passwords: [password] },
      });
      this.userGroup = new elasticache.CfnUserGroup(this, 'UserGroup', { userGroupId: plan.userGroupId, engine: plan.engine, userIds: [this.defaultUser.userId] });
      this.userGroup.addResourceDependency(this.defaultUser);
      this.serverlessCache = new elasticache.CfnServerlessCache(
        this,
        'ServerlessCache',
        mergeProps<elasticache.CfnServerlessCacheProps>({ majorEngineVersion: plan.majorEngineVersion, snapshotRetentionLimit: plan.snapshotRetentionDays }, props.serverlessCacheProps, {
          serverlessCacheName: plan.name,
          engine: plan.engine,
          description: plan.description,
          ...(kmsKeyId ? { kmsKeyId } : {}),
          securityGroupIds,
          subnetIds,
          userGroupId: this.userGroup.userGroupId,
        }),
      );
      this.serverlessCache.addResourceDependency(this.userGroup);
      this.host = this.serverlessCache.attrEndpointAddress;
    }
  }

  /** Admits `peer` (the gateway) on the store's port. */
  public allowFrom(peer: ec2.IConnectable, description = 'gateway'): void {
    this.securityGroup.connections.allowFrom(peer, ec2.Port.tcp(this.port), `${description} to the session store`);
  }
}
