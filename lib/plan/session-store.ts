/**
 * The session store: an ElastiCache replication group (Valkey by default, Redis OSS as an option) or
 * ElastiCache Serverless. Both require TLS and a password held in Secrets Manager: the AUTH token of a
 * replication group, or the password of the `default` user in an RBAC user group for Serverless
 * (which has no AUTH token).
 */
import type { ResolvedFleetSpec } from '../spec';
import { fleetNames } from './names';

/** Engine versions the plan pins, so a deploy never drifts to a new major on its own. */
export const SESSION_STORE_ENGINE_VERSIONS = {
  valkey: { replicationGroup: '8.0', serverlessMajor: '8' },
  redis: { replicationGroup: '7.1', serverlessMajor: '7' },
} as const;

export const SESSION_STORE_PORT = 6379;
/**
 * No snapshots: sessions expire within `sessionTtlSeconds` and rate-limit buckets within seconds;
 * after a loss clients re-initialize (404 on an unknown session), so a restore would only revive
 * stale state.
 */
export const SNAPSHOT_RETENTION_DAYS = 0;

/** ElastiCache AUTH tokens: 16 to 128 characters, few punctuation marks allowed, so none are used. */
export const AUTH_TOKEN_LENGTH = 64;

export interface ReplicationGroupPlan {
  readonly deployment: 'replication-group';
  readonly id: string;
  readonly engine: 'valkey' | 'redis';
  readonly engineVersion: string;
  readonly nodeType: string;
  /** One shard: sessions and buckets are small, and cluster mode would split multi-key operations. */
  readonly numNodeGroups: 1;
  readonly replicasPerNodeGroup: number;
  readonly multiAz: true;
  readonly automaticFailover: true;
  readonly transitEncryption: true;
  readonly transitEncryptionMode: 'required';
  readonly atRestEncryption: true;
  readonly port: number;
  readonly authentication: 'auth-token';
  /** Description of the cache and its subnet group (one text for both renderings). */
  readonly description: string;
  readonly snapshotRetentionDays: number;
}

export interface ServerlessCachePlan {
  readonly deployment: 'serverless';
  readonly name: string;
  readonly engine: 'valkey' | 'redis';
  readonly majorEngineVersion: string;
  readonly port: number;
  readonly transitEncryption: true;
  readonly atRestEncryption: true;
  readonly authentication: 'default-user-password';
  /** Description of the cache (one text for both renderings). */
  readonly description: string;
  readonly userGroupId: string;
  /** User id of the group's `default` user, whose password is the generated one. */
  readonly defaultUserId: string;
  readonly snapshotRetentionDays: number;
}

export type SessionStorePlan = (ReplicationGroupPlan | ServerlessCachePlan) & {
  /** How the generated password looks. */
  readonly authToken: { readonly length: number; readonly excludePunctuation: true };
};

export function planSessionStore(spec: ResolvedFleetSpec): SessionStorePlan {
  const store = spec.sessionStore;
  const names = fleetNames(spec.name);
  const versions = SESSION_STORE_ENGINE_VERSIONS[store.engine];
  const authToken = { length: AUTH_TOKEN_LENGTH, excludePunctuation: true as const };
  const description = `MCP fleet ${spec.name} sessions, rate limits and discovery cache`;
  if (store.deployment === 'serverless') {
    return {
      deployment: 'serverless',
      name: names.sessionStore,
      engine: store.engine,
      majorEngineVersion: versions.serverlessMajor,
      port: SESSION_STORE_PORT,
      transitEncryption: true,
      atRestEncryption: true,
      authentication: 'default-user-password',
      userGroupId: names.sessionStoreUserGroup,
      defaultUserId: names.sessionStoreDefaultUser,
      snapshotRetentionDays: SNAPSHOT_RETENTION_DAYS,
      description,
      authToken,
    };
  }
  return {
    deployment: 'replication-group',
    id: names.sessionStore,
    engine: store.engine,
    engineVersion: versions.replicationGroup,
    nodeType: store.nodeType,
    numNodeGroups: 1,
    replicasPerNodeGroup: store.replicas,
    multiAz: true,
    automaticFailover: true,
    transitEncryption: true,
    transitEncryptionMode: 'required',
    atRestEncryption: true,
    port: SESSION_STORE_PORT,
    authentication: 'auth-token',
    snapshotRetentionDays: SNAPSHOT_RETENTION_DAYS,
    description,
    authToken,
  };
}
