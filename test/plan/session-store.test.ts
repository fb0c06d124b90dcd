import { planSessionStore } from '../../lib/plan';
import { resolveFleetSpec } from '../../lib/spec';
import { threePoolSpec } from '../fixtures/specs';

describe('planSessionStore', () => {
  test('GIVEN the defaults WHEN planned THEN a Multi-AZ Valkey replication group with failover, TLS required and encryption at rest', () => {
    expect(planSessionStore(resolveFleetSpec(threePoolSpec))).toEqual({
      deployment: 'replication-group',
      id: 'agents-sessions',
      description: 'MCP fleet agents sessions, rate limits and discovery cache',
      engine: 'valkey',
      engineVersion: '8.0',
      nodeType: 'cache.t4g.small',
      numNodeGroups: 1,
      replicasPerNodeGroup: 1,
      multiAz: true,
      automaticFailover: true,
      transitEncryption: true,
      transitEncryptionMode: 'required',
      atRestEncryption: true,
      port: 6379,
      authentication: 'auth-token',
      snapshotRetentionDays: 0,
      authToken: { length: 64, excludePunctuation: true },
    });
  });

  test('GIVEN Redis OSS with two replicas WHEN planned THEN the engine version follows the engine', () => {
    const plan = planSessionStore(resolveFleetSpec({ ...threePoolSpec, sessionStore: { engine: 'redis', replicas: 2, nodeType: 'cache.r7g.large' } }));
    expect(plan).toMatchObject({ engine: 'redis', engineVersion: '7.1', replicasPerNodeGroup: 2, nodeType: 'cache.r7g.large' });
  });

  test('GIVEN serverless WHEN planned THEN a serverless cache with a default-user password in a user group', () => {
    expect(planSessionStore(resolveFleetSpec({ ...threePoolSpec, sessionStore: { deployment: 'serverless' } }))).toMatchObject({
      deployment: 'serverless',
      name: 'agents-sessions',
      majorEngineVersion: '8',
      authentication: 'default-user-password',
      userGroupId: 'agents-sessions-users',
      defaultUserId: 'agents-sessions-default',
      transitEncryption: true,
      atRestEncryption: true,
    });
  });
});
