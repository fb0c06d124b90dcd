import { Duration, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as elasticache from 'aws-cdk-lib/aws-elasticache';
import * as globalaccelerator from 'aws-cdk-lib/aws-globalaccelerator';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as targets from 'aws-cdk-lib/aws-route53-targets';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { parseFleetSpec, type FleetSpec } from '../../lib/spec';
import { ROUTE53_METRICS_REGION, planGlobalRouting, planSessionGlobalDatastore, type FrontDoor, type HealthCheckIntervalSeconds, type LatencyRecordPlan } from '../../lib/plan/global-routing';
import type { McpRegionalEndpoint } from './regional-endpoint';
import { constructError, planned } from '../shared';

/** The primary session store that an ElastiCache Global Datastore replicates to the other regions. */
export interface McpSessionGlobalDatastoreProps {
  /** Replication group id of the primary region's session store (a token is fine). */
  readonly primaryReplicationGroupId: string;
  /** Region of that replication group; the global routing stack must be deployed there. */
  readonly primaryRegion: string;
}

export interface McpGlobalRoutingProps {
  /** The fleet spec every region runs; the health checks probe its `healthPath`. */
  readonly spec: FleetSpec;
  /**
   * The regional copies of the fleet: from props, or from `McpRegionalEndpointReader` (SSM parameters
   * each regional stack writes with `McpRegionalEndpointParameters`). Each region's load balancer
   * needs its own certificate, issued in that region, that covers `recordName`.
   */
  readonly regions: readonly McpRegionalEndpoint[];
  /** The public hosted zone that holds `recordName`. */
  readonly hostedZone: route53.IHostedZone;
  /** Fully qualified name agents connect to, e.g. `mcp.example.com`. */
  readonly recordName: string;
  /**
   * `latency-records`: one Route 53 latency alias record per region, each with an HTTPS health check on
   * the fleet's deep health path and `evaluateTargetHealth`; a region that fails either stops getting
   * traffic. `global-accelerator`: one alias record to an AWS Global Accelerator with an endpoint
   * group per region (anycast IPs, failover in seconds, at an hourly price).
   * @default 'latency-records'
   */
  readonly frontDoor?: FrontDoor;
  /** Seconds between health probes (10 costs more than 30). @default 30 */
  readonly healthCheckIntervalSeconds?: HealthCheckIntervalSeconds;
  /** Consecutive failed probes before a region is taken out. @default 3 */
  readonly healthCheckFailureThreshold?: number;
  /**
   * Notify this topic (alarm and OK) when a region is taken out of DNS: one alarm per region on its
   * health check's `HealthCheckStatus`. Route 53 publishes that metric in us-east-1 only, so the
   * construct's stack must be in us-east-1 (`latency-records` front door only).
   * @default - no health check alarms
   */
  readonly regionAlarmTopic?: sns.ITopic;
  /**
   * How a 2025-era session (an `Mcp-Session-Id`) behaves when its agent lands in another region.
   * Without this (the default) the session belongs to the region that minted it: each gateway puts
   * its region (`MCP_FLEET_REGION`) into its session ids and store keys, answers 404 to a session of
   * another region, and the client re-initializes locally — no cross-region writes, no replication
   * lag, one lost session per failover. 2026-07-28 traffic has no sessions and is active-active.
   *
   * With this, an ElastiCache Global Datastore replicates the primary region's session store to the
   * secondary regions, so their gateways can read sessions minted elsewhere. Trade-offs: secondaries are
   * read-only with about a second of lag, so session writes (creation, TTL refresh) still have to
   * reach the primary region; it needs non-burstable nodes (no `cache.t*`) and no Serverless; and the
   * secondary regions' replication groups must join by setting `GlobalReplicationGroupId` to
   * `sessionGlobalDatastore.ref`. The datastore is created in this construct's stack, which must be in
   * `primaryRegion`.
   * @default - sessions stay in their region; clients re-initialize after a region change
   */
  readonly sessionGlobalDatastore?: McpSessionGlobalDatastoreProps;
}

/** A Global Accelerator endpoint given by ARN, keeping the client IP visible to the ALB (and WAF). */
class LoadBalancerArnEndpoint implements globalaccelerator.IEndpoint {
  constructor(
    private readonly loadBalancerArn: string,
    public readonly region: string,
  ) {}

  renderEndpointConfiguration(): globalaccelerator.CfnEndpointGroup.EndpointConfigurationProperty {
    return { endpointId: this.loadBalancerArn, clientIpPreservationEnabled: true };
  }
}

/**
 * One name for the regional copies of a fleet: Route 53 latency records with health-checked failover
 * (or a Global Accelerator), plus optionally a Global Datastore for 2025-era sessions.
 * Values cross regions only through props or SSM parameters; never through `crossRegionReferences`.
 */
export class McpGlobalRouting extends Construct {
  /** Latency alias records, in region order (`latency-records` front door). */
  public readonly records: readonly route53.ARecord[];
  /** The health check attached to each latency record, in region order. */
  public readonly healthChecks: readonly route53.HealthCheck[];
  /** One "region out of DNS" alarm per health check, when `regionAlarmTopic` is set. */
  public readonly regionAlarms: readonly cloudwatch.Alarm[];
  /** The accelerator (`global-accelerator` front door). */
  public readonly accelerator?: globalaccelerator.Accelerator;
  /** The accelerator's TCP 443 listener (`global-accelerator` front door). */
  public readonly listener?: globalaccelerator.Listener;
  /** One endpoint group per region (`global-accelerator` front door); empty otherwise. */
  public readonly endpointGroups: readonly globalaccelerator.EndpointGroup[];
  /** The alias record to the accelerator (`global-accelerator` front door). */
  public readonly acceleratorRecord?: route53.ARecord;
  /** The session Global Datastore, when `sessionGlobalDatastore` is set. */
  public readonly sessionGlobalDatastore?: elasticache.CfnGlobalReplicationGroup;

  constructor(scope: Construct, id: string, props: McpGlobalRoutingProps) {
    super(scope, id);
    const where = this.node.path;
    const spec = planned(this, () => parseFleetSpec(props.spec, where));
    const fail = (message: string): never => {
      throw constructError(this, message);
    };

    const routing = planned(this, () =>
      planGlobalRouting(spec, {
        regions: props.regions.map((r) => ({ region: r.region, ...(r.healthCheckDomainName !== undefined ? { healthCheckDomainName: r.healthCheckDomainName } : {}) })),
        recordName: props.recordName,
        ...(props.frontDoor ? { frontDoor: props.frontDoor } : {}),
        ...(props.healthCheckIntervalSeconds !== undefined ? { healthCheckIntervalSeconds: props.healthCheckIntervalSeconds } : {}),
        ...(props.healthCheckFailureThreshold !== undefined ? { healthCheckFailureThreshold: props.healthCheckFailureThreshold } : {}),
      }),
    );
    const endpoint = (region: string) => props.regions.find((r) => r.region === region)!;

    const records: route53.ARecord[] = [];
    const healthChecks: route53.HealthCheck[] = [];
    for (const r of routing.records) {
      const e = endpoint(r.region);
      const check = new route53.HealthCheck(this, `HealthCheck${r.id}`, {
        type: route53.HealthCheckType.HTTPS,
        fqdn: r.healthCheckDomainName ?? e.dnsName,
        port: r.healthCheck.port,
        resourcePath: r.healthCheck.resourcePath,
        requestInterval: Duration.seconds(r.healthCheck.requestIntervalSeconds),
        failureThreshold: r.healthCheck.failureThreshold,
        enableSNI: r.healthCheck.enableSni,
        measureLatency: r.healthCheck.measureLatency,
      });
      healthChecks.push(check);
      records.push(
        new route53.ARecord(this, `Latency${r.id}`, {
          zone: props.hostedZone,
          recordName: routing.recordName,
          region: r.region,
          setIdentifier: r.setIdentifier,
          healthCheck: check,
          // Route 53 aliases an ALB by its `dualstack.` name (as aws-route53-targets' LoadBalancerTarget does).
          target: route53.RecordTarget.fromAlias({
            bind: () => ({ dnsName: `dualstack.${e.dnsName}`, hostedZoneId: e.canonicalHostedZoneId, evaluateTargetHealth: r.evaluateTargetHealth }),
          }),
        }),
      );
    }
    this.records = records;
    this.healthChecks = healthChecks;
    this.regionAlarms = props.regionAlarmTopic ? this.regionAlarmsFor(routing.records, healthChecks, props.regionAlarmTopic, fail) : [];

    const groups: globalaccelerator.EndpointGroup[] = [];
    if (routing.accelerator) {
      const a = routing.accelerator;
      const missingArn = props.regions.filter((r) => r.loadBalancerArn === undefined).map((r) => r.region);
      if (missingArn.length > 0) fail(`the global-accelerator front door needs loadBalancerArn for every region; missing for ${missingArn.join(', ')}`);
      this.accelerator = new globalaccelerator.Accelerator(this, 'Accelerator', { acceleratorName: a.name });
      this.listener = this.accelerator.addListener('Https', {
        portRanges: [{ fromPort: a.listener.port }],
        protocol: globalaccelerator.ConnectionProtocol.TCP,
        clientAffinity: globalaccelerator.ClientAffinity.NONE,
      });
      for (const g of a.endpointGroups) {
        // For ALB endpoints the accelerator relies on the load balancer's own target health; the
        // settings below apply if the endpoints are ever swapped for instances or IPs.
        groups.push(
          this.listener.addEndpointGroup(g.id, {
            region: g.region,
            endpoints: [new LoadBalancerArnEndpoint(endpoint(g.region).loadBalancerArn!, g.region)],
            trafficDialPercentage: g.trafficDialPercentage,
            healthCheckProtocol: globalaccelerator.HealthCheckProtocol.HTTPS,
            healthCheckPort: g.healthCheck.port,
            healthCheckPath: g.healthCheck.path,
            healthCheckInterval: Duration.seconds(g.healthCheck.intervalSeconds),
            healthCheckThreshold: g.healthCheck.threshold,
          }),
        );
      }
      this.acceleratorRecord = new route53.ARecord(this, 'AcceleratorAlias', {
        zone: props.hostedZone,
        recordName: routing.recordName,
        target: route53.RecordTarget.fromAlias(new targets.GlobalAcceleratorTarget(this.accelerator)),
      });
    }
    this.endpointGroups = groups;

    if (props.sessionGlobalDatastore) {
      const d = props.sessionGlobalDatastore;
      const stackRegion = Stack.of(this).region;
      if (!Token.isUnresolved(stackRegion) && stackRegion !== d.primaryRegion) {
        fail(`sessionGlobalDatastore: the Global Datastore must be created in its primary region ${d.primaryRegion}, but this stack is in ${stackRegion}`);
      }
      const datastore = planned(this, () => planSessionGlobalDatastore(spec, d.primaryReplicationGroupId));
      this.sessionGlobalDatastore = new elasticache.CfnGlobalReplicationGroup(this, 'SessionGlobalDatastore', {
        globalReplicationGroupIdSuffix: datastore.idSuffix,
        globalReplicationGroupDescription: datastore.description,
        automaticFailoverEnabled: datastore.automaticFailover,
        members: [{ replicationGroupId: datastore.primaryReplicationGroupId, replicationGroupRegion: d.primaryRegion, role: 'PRIMARY' }],
      });
    }
  }

  private regionAlarmsFor(records: readonly LatencyRecordPlan[], checks: readonly route53.HealthCheck[], topic: sns.ITopic, fail: (message: string) => never): cloudwatch.Alarm[] {
    if (records.length === 0) fail('regionAlarmTopic alarms on Route 53 health checks, which only the latency-records front door has');
    const region = Stack.of(this).region;
    if (!Token.isUnresolved(region) && region !== ROUTE53_METRICS_REGION) {
      fail(`regionAlarmTopic: Route 53 publishes health check metrics in ${ROUTE53_METRICS_REGION} only, but this stack is in ${region}`);
    }
    const action = new actions.SnsAction(topic);
    return records.map((r, i) => {
      const a = r.unhealthyAlarm;
      const alarm = new cloudwatch.Alarm(this, `OutOfDns${r.id}`, {
        alarmName: a.alarmName,
        alarmDescription: a.description,
        metric: new cloudwatch.Metric({
          namespace: 'AWS/Route53',
          metricName: 'HealthCheckStatus',
          dimensionsMap: { HealthCheckId: checks[i]!.healthCheckId },
          statistic: 'Minimum',
          period: Duration.seconds(a.periodSeconds),
        }),
        threshold: a.threshold,
        comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
        evaluationPeriods: a.evaluationPeriods,
        treatMissingData: cloudwatch.TreatMissingData.BREACHING,
      });
      alarm.addAlarmAction(action);
      alarm.addOkAction(action);
      return alarm;
    });
  }
}
