import { cacheNodeIdsOf, metricDimensions, type MetricDimensionValues } from '../../lib/plan';
import { replicationGroupNodeIds } from '../../lib/plan/monitoring-dimensions';

const values: MetricDimensionValues = {
  fleet: 'agents',
  region: 'eu-west-1',
  loadBalancerFullName: 'app/mcp-agents/1',
  poolTargetGroupFullNames: { github: 'targetgroup/agents-github/2' },
  poolServices: { github: { clusterName: 'agents-mcp', serviceName: 'github' } },
  cacheNodeIds: ['agents-sessions-001'],
  webAclMetricName: 'agents-web-acl',
};

describe('metricDimensions', () => {
  test('GIVEN the fleet’s resource names WHEN a pool target group metric is dimensioned THEN it names the load balancer and the target group', () => {
    expect(metricDimensions({ resource: 'poolTargetGroup', pool: 'github' }, values)).toEqual({ LoadBalancer: 'app/mcp-agents/1', TargetGroup: 'targetgroup/agents-github/2' });
  });

  test('GIVEN a web ACL metric WHEN dimensioned THEN it carries the region and the ALL rule', () => {
    expect(metricDimensions({ resource: 'webAcl' }, values)).toEqual({ WebACL: 'agents-web-acl', Region: 'eu-west-1', Rule: 'ALL' });
  });

  test('GIVEN no gateway function WHEN the plan charts it THEN the error names what is missing', () => {
    expect(() => metricDimensions({ resource: 'gatewayFunction' }, values)).toThrow('the monitoring plan uses the gateway function, which the monitoring inputs do not provide');
  });
});

describe('cacheNodeIdsOf', () => {
  test('GIVEN a replication group WHEN its node count defaults THEN the nodes are numbered from 001', () => {
    expect(cacheNodeIdsOf({ replicationGroupId: 'agents-sessions' }, 2)).toEqual(['agents-sessions-001', 'agents-sessions-002']);
  });

  test('GIVEN explicit ids, a serverless cache or nothing WHEN resolved THEN the ids, none and none', () => {
    expect(cacheNodeIdsOf({ cacheClusterIds: ['a', 'b', 'c'] }, 2)).toEqual(['a', 'b', 'c']);
    expect(cacheNodeIdsOf({ serverlessCacheName: 'agents-sessions' }, 2)).toEqual([]);
    expect(cacheNodeIdsOf(undefined, 2)).toEqual([]);
  });
});

describe('replicationGroupNodeIds', () => {
  test('GIVEN a replication group id WHEN naming nodes THEN they are numbered from 001', () => {
    expect(replicationGroupNodeIds('agents-sessions', 3)).toEqual(['agents-sessions-001', 'agents-sessions-002', 'agents-sessions-003']);
  });
});
