import { parseFleetSpec } from '../../lib/spec';
import { globalRoutingProblems, planGlobalRouting, planSessionGlobalDatastore, regionalEndpointParameterNames } from '../../lib/plan/global-routing';
import { threePoolSpec } from '../fixtures/specs';

const spec = parseFleetSpec({ ...threePoolSpec, healthPath: '/healthz' });
const regions = [{ region: 'us-east-1' }, { region: 'eu-west-1', healthCheckDomainName: 'eu.mcp.example.com' }];

describe('regionalEndpointParameterNames', () => {
  test('GIVEN a fleet and region WHEN named THEN the names are fixed paths under /mcp-fleet/<fleet>/<region>', () => {
    expect(regionalEndpointParameterNames('agents', 'eu-west-1')).toEqual({
      dnsName: '/mcp-fleet/agents/eu-west-1/load-balancer/dns-name',
      canonicalHostedZoneId: '/mcp-fleet/agents/eu-west-1/load-balancer/canonical-hosted-zone-id',
      loadBalancerArn: '/mcp-fleet/agents/eu-west-1/load-balancer/arn',
    });
  });
});

describe('planGlobalRouting', () => {
  test('GIVEN two regions WHEN planned THEN each gets a latency record with an HTTPS health check on the deep health path', () => {
    const plan = planGlobalRouting(spec, { regions, recordName: 'mcp.example.com' });
    expect(plan.records).toEqual([
      {
        id: 'UsEast1',
        region: 'us-east-1',
        setIdentifier: 'agents-us-east-1',
        evaluateTargetHealth: true,
        healthCheck: { protocol: 'HTTPS', port: 443, resourcePath: '/healthz', requestIntervalSeconds: 30, failureThreshold: 3, enableSni: true, measureLatency: true },
        unhealthyAlarm: {
          alarmName: 'mcp-fleet-agents-us-east-1-out-of-dns',
          description: 'MCP fleet agents: us-east-1 fails its health check on /healthz and gets no traffic from mcp.example.com.',
          threshold: 1,
          evaluationPeriods: 2,
          periodSeconds: 60,
          treatMissingData: 'breaching',
        },
      },
      expect.objectContaining({ id: 'EuWest1', region: 'eu-west-1', healthCheckDomainName: 'eu.mcp.example.com' }),
    ]);
    expect(plan.frontDoor).toBe('latency-records');
    expect(plan.accelerator).toBeUndefined();
  });

  test('GIVEN the accelerator front door and a fast health check WHEN planned THEN one endpoint group per region probes the health path and no latency records exist', () => {
    const plan = planGlobalRouting(spec, { regions, recordName: 'mcp.example.com', frontDoor: 'global-accelerator', healthCheckIntervalSeconds: 10, healthCheckFailureThreshold: 2 });
    expect(plan.records).toEqual([]);
    expect(plan.accelerator).toEqual({
      name: 'mcp-fleet-agents',
      listener: { port: 443, protocol: 'TCP', clientAffinity: 'NONE' },
      endpointGroups: [
        { id: 'UsEast1', region: 'us-east-1', trafficDialPercentage: 100, preserveClientIp: true, healthCheck: { protocol: 'HTTPS', port: 443, path: '/healthz', intervalSeconds: 10, threshold: 2 } },
        expect.objectContaining({ id: 'EuWest1', region: 'eu-west-1' }),
      ],
    });
  });

  test('GIVEN many mistakes WHEN checked THEN every one is reported with its path', () => {
    const problems = globalRoutingProblems({
      regions: [{ region: 'eu-west-1' }, { region: 'eu-west-1' }, { region: 'Europe', healthCheckDomainName: 'not a host' }],
      recordName: 'mcp',
      healthCheckIntervalSeconds: 20 as 10,
      healthCheckFailureThreshold: 11,
    });
    expect(problems.map((p) => p.split(':')[0])).toEqual([
      'regions[1].region',
      'regions[2].region',
      'regions[2].healthCheckDomainName',
      'recordName',
      'healthCheckIntervalSeconds',
      'healthCheckFailureThreshold',
    ]);
    expect(globalRoutingProblems({ regions: [], recordName: 'mcp.example.com' })).toEqual(['regions: at least one region is needed']);
  });

  test('GIVEN an invalid input WHEN planned THEN the error lists the problems', () => {
    expect(() => planGlobalRouting(spec, { regions: [], recordName: 'mcp.example.com' })).toThrow(/invalid global routing:\n {2}- regions: at least one region/);
  });
});

describe('planSessionGlobalDatastore', () => {
  test('GIVEN a replication group of a non-burstable type WHEN planned THEN the primary is the fleet session store', () => {
    const big = parseFleetSpec({ ...threePoolSpec, sessionStore: { nodeType: 'cache.r7g.large' } });
    expect(planSessionGlobalDatastore(big, 'agents-sessions')).toEqual({
      idSuffix: 'agents-sessions',
      description: 'Sessions of MCP fleet agents, replicated to every region',
      primaryReplicationGroupId: 'agents-sessions',
      automaticFailover: true,
    });
  });

  test('GIVEN the default burstable node or Serverless WHEN planned THEN the spec path is named', () => {
    expect(() => planSessionGlobalDatastore(spec, 'x')).toThrow(/sessionStore.nodeType: cache.t4g.small is burstable/);
    const serverless = parseFleetSpec({ ...threePoolSpec, sessionStore: { deployment: 'serverless' } });
    expect(() => planSessionGlobalDatastore(serverless, 'x')).toThrow(/sessionStore.deployment: a Global Datastore needs a replication group/);
  });
});
