/**
 * McpGlobalRouting: one name for the regional copies of a fleet — Route 53 latency records with
 * HTTPS health checks on the deep health path (or an AWS Global Accelerator), optional "region out of
 * DNS" alarms, and optionally an ElastiCache Global Datastore for 2025-era sessions — from the same
 * global routing plan as the CDK construct. A Pulumi program reaches every region with its own
 * provider, so the regional endpoints come in as Inputs (no SSM hand-over needed).
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { planGlobalRouting, planSessionGlobalDatastore, ROUTE53_METRICS_REGION, type FrontDoor, type GlobalRoutingPlan, type HealthCheckIntervalSeconds } from '../lib/plan';
import { parseFleetSpec, type FleetSpec } from '../lib/spec';
import { McpComponentError, plannedFor } from './errors';

/** One regional copy of the fleet, as its load balancer presents it. */
export interface McpRegionalEndpoint {
  /** AWS region code, e.g. `eu-west-1`. */
  readonly region: string;
  /** The load balancer's DNS name. */
  readonly dnsName: pulumi.Input<string>;
  /** The load balancer's canonical hosted zone id (`zoneId`), for alias records. */
  readonly canonicalHostedZoneId: pulumi.Input<string>;
  /** The load balancer's ARN. @default - none; required for the Global Accelerator front door */
  readonly loadBalancerArn?: pulumi.Input<string>;
  /**
   * Host name the health check connects to and sends as `Host` and SNI.
   * @default - the load balancer DNS name (Route 53 does not validate the certificate)
   */
  readonly healthCheckDomainName?: string;
}

export interface McpGlobalRoutingArgs {
  /** The fleet spec every region runs; the health checks probe its `healthPath`. */
  readonly spec: FleetSpec;
  /** The regional copies; each load balancer needs a certificate (in its region) covering `recordName`. */
  readonly regions: readonly McpRegionalEndpoint[];
  /** The public hosted zone that holds `recordName`. */
  readonly hostedZoneId: pulumi.Input<string>;
  /** Fully qualified name agents connect to, e.g. `mcp.example.com`. */
  readonly recordName: string;
  /** @default 'latency-records' */
  readonly frontDoor?: FrontDoor;
  /** Seconds between health probes (10 costs more than 30). @default 30 */
  readonly healthCheckIntervalSeconds?: HealthCheckIntervalSeconds;
  /** Consecutive failed probes before a region is taken out. @default 3 */
  readonly healthCheckFailureThreshold?: number;
  /**
   * Notify this topic (alarm and OK) when a region is taken out of DNS. Route 53 publishes health
   * check metrics in us-east-1 only: the component's provider must be in us-east-1.
   * @default - no health check alarms
   */
  readonly regionAlarmTopicArn?: pulumi.Input<string>;
  /**
   * Replicate the primary region's session store to the other regions (ElastiCache Global Datastore),
   * so that 2025-era sessions survive a region change; see the CDK construct for the trade-offs. The
   * component's provider must be in the primary region.
   * @default - sessions stay in their region; clients re-initialize after a region change
   */
  readonly sessionGlobalDatastore?: { readonly primaryReplicationGroupId: pulumi.Input<string>; readonly primaryRegion: string };
}

const TYPE = 'mcp-fleet:index:McpGlobalRouting';
/** Hosted zone of every Global Accelerator DNS name (for alias records). */
const GLOBAL_ACCELERATOR_ZONE_ID = 'Z2BJ6XQ5FK7U4H';

export class McpGlobalRouting extends pulumi.ComponentResource {
  public readonly plan: GlobalRoutingPlan;
  /** Latency alias records, in region order (`latency-records` front door). */
  public readonly records: aws.route53.Record[] = [];
  /** The health check of each latency record, in region order. */
  public readonly healthChecks: aws.route53.HealthCheck[] = [];
  /** One "region out of DNS" alarm per health check, with `regionAlarmTopicArn`. */
  public readonly regionAlarms: aws.cloudwatch.MetricAlarm[] = [];
  /** @default - none unless the `global-accelerator` front door */
  public readonly accelerator?: aws.globalaccelerator.Accelerator;
  /** One endpoint group per region (`global-accelerator` front door). */
  public readonly endpointGroups: aws.globalaccelerator.EndpointGroup[] = [];
  /** @default - none without `sessionGlobalDatastore` */
  public readonly sessionGlobalDatastore?: aws.elasticache.GlobalReplicationGroup;

  constructor(name: string, args: McpGlobalRoutingArgs, opts?: pulumi.ComponentResourceOptions) {
    const where = `McpGlobalRouting ${name}`;
    const spec = plannedFor(where, () => parseFleetSpec(args.spec, where));
    const planned = <T>(plan: () => T): T => plannedFor(where, plan);
    const plan = planned(() =>
      planGlobalRouting(spec, {
        regions: args.regions.map((r) => ({ region: r.region, ...(r.healthCheckDomainName !== undefined ? { healthCheckDomainName: r.healthCheckDomainName } : {}) })),
        recordName: args.recordName,
        ...(args.frontDoor ? { frontDoor: args.frontDoor } : {}),
        ...(args.healthCheckIntervalSeconds !== undefined ? { healthCheckIntervalSeconds: args.healthCheckIntervalSeconds } : {}),
        ...(args.healthCheckFailureThreshold !== undefined ? { healthCheckFailureThreshold: args.healthCheckFailureThreshold } : {}),
      }),
    );
    const providerRegion = opts?.provider ? undefined : aws.config.region;
    if (args.regionAlarmTopicArn !== undefined) {
      if (plan.records.length === 0) throw new McpComponentError(where, `regionAlarmTopicArn alarms on Route 53 health checks, which only the latency-records front door has`);
      if (providerRegion !== undefined && providerRegion !== ROUTE53_METRICS_REGION)
        throw new McpComponentError(where, `regionAlarmTopicArn: Route 53 publishes health check metrics in ${ROUTE53_METRICS_REGION} only, but the provider is in ${providerRegion}`);
    }
    const missingArn = plan.accelerator ? args.regions.filter((r) => r.loadBalancerArn === undefined).map((r) => r.region) : [];
    if (missingArn.length > 0) throw new McpComponentError(where, `the global-accelerator front door needs loadBalancerArn for every region; missing for ${missingArn.join(', ')}`);
    const datastore = args.sessionGlobalDatastore;
    if (datastore && providerRegion !== undefined && providerRegion !== datastore.primaryRegion) {
      throw new McpComponentError(where, `sessionGlobalDatastore: the Global Datastore must be created in its primary region ${datastore.primaryRegion}, but the provider is in ${providerRegion}`);
    }
    // Validates the store for a Global Datastore; the primary id is an Input the plan would only echo back.
    const datastorePlan = datastore ? planned(() => planSessionGlobalDatastore(spec, '')) : undefined;
    super(TYPE, name, {}, opts);
    this.plan = plan;
    const endpoint = (region: string) => args.regions.find((r) => r.region === region)!;

    this.createLatencyRecords(name, args, endpoint);
    if (plan.accelerator) this.accelerator = this.createAccelerator(name, args, endpoint);
    if (datastore && datastorePlan) {
      this.sessionGlobalDatastore = new aws.elasticache.GlobalReplicationGroup(
        `${name}-sessions`,
        {
          globalReplicationGroupIdSuffix: datastorePlan.idSuffix,
          globalReplicationGroupDescription: datastorePlan.description,
          primaryReplicationGroupId: datastore.primaryReplicationGroupId,
          automaticFailoverEnabled: datastorePlan.automaticFailover,
        },
        { parent: this },
      );
    }
    this.registerOutputs({ recordName: plan.recordName, acceleratorDnsName: this.accelerator?.dnsName });
  }

  private createLatencyRecords(name: string, args: McpGlobalRoutingArgs, endpoint: (region: string) => McpRegionalEndpoint): void {
    for (const r of this.plan.records) {
      const e = endpoint(r.region);
      const h = r.healthCheck;
      const check = new aws.route53.HealthCheck(
        `${name}-health-${r.region}`,
        {
          type: h.protocol,
          fqdn: r.healthCheckDomainName ?? e.dnsName,
          port: h.port,
          resourcePath: h.resourcePath,
          requestInterval: h.requestIntervalSeconds,
          failureThreshold: h.failureThreshold,
          enableSni: h.enableSni,
          measureLatency: h.measureLatency,
          tags: { Name: `${this.plan.recordName} ${r.region}` },
        },
        { parent: this },
      );
      this.healthChecks.push(check);
      this.records.push(
        new aws.route53.Record(
          `${name}-latency-${r.region}`,
          {
            zoneId: args.hostedZoneId,
            name: this.plan.recordName,
            type: 'A',
            setIdentifier: r.setIdentifier,
            latencyRoutingPolicies: [{ region: r.region }],
            healthCheckId: check.id,
            // Route 53 aliases an ALB by its `dualstack.` name.
            aliases: [{ name: pulumi.interpolate`dualstack.${e.dnsName}`, zoneId: e.canonicalHostedZoneId, evaluateTargetHealth: r.evaluateTargetHealth }],
          },
          { parent: this },
        ),
      );
      if (args.regionAlarmTopicArn !== undefined) {
        const a = r.unhealthyAlarm;
        this.regionAlarms.push(
          new aws.cloudwatch.MetricAlarm(
            `${name}-out-of-dns-${r.region}`,
            {
              name: a.alarmName,
              alarmDescription: a.description,
              namespace: 'AWS/Route53',
              metricName: 'HealthCheckStatus',
              dimensions: { HealthCheckId: check.id },
              statistic: 'Minimum',
              period: a.periodSeconds,
              threshold: a.threshold,
              comparisonOperator: 'LessThanThreshold',
              evaluationPeriods: a.evaluationPeriods,
              treatMissingData: a.treatMissingData,
              alarmActions: [args.regionAlarmTopicArn],
              okActions: [args.regionAlarmTopicArn],
            },
            { parent: this },
          ),
        );
      }
    }
  }

  private createAccelerator(name: string, args: McpGlobalRoutingArgs, endpoint: (region: string) => McpRegionalEndpoint): aws.globalaccelerator.Accelerator {
    const a = this.plan.accelerator!;
    const accelerator = new aws.globalaccelerator.Accelerator(`${name}-accelerator`, { name: a.name, ipAddressType: 'IPV4', enabled: true }, { parent: this });
    const listener = new aws.globalaccelerator.Listener(
      `${name}-https`,
      { acceleratorArn: accelerator.arn, protocol: a.listener.protocol, clientAffinity: a.listener.clientAffinity, portRanges: [{ fromPort: a.listener.port, toPort: a.listener.port }] },
      { parent: this },
    );
    for (const g of a.endpointGroups) {
      this.endpointGroups.push(
        new aws.globalaccelerator.EndpointGroup(
          `${name}-endpoints-${g.region}`,
          {
            listenerArn: listener.arn,
            endpointGroupRegion: g.region,
            trafficDialPercentage: g.trafficDialPercentage,
            healthCheckProtocol: g.healthCheck.protocol,
            healthCheckPort: g.healthCheck.port,
            healthCheckPath: g.healthCheck.path,
            healthCheckIntervalSeconds: g.healthCheck.intervalSeconds,
            thresholdCount: g.healthCheck.threshold,
            // Keeps the agent's address visible to the ALB and its WAF rate rules.
            endpointConfigurations: [{ endpointId: endpoint(g.region).loadBalancerArn!, clientIpPreservationEnabled: g.preserveClientIp }],
          },
          { parent: this },
        ),
      );
    }
    new aws.route53.Record(
      `${name}-accelerator-alias`,
      { zoneId: args.hostedZoneId, name: this.plan.recordName, type: 'A', aliases: [{ name: accelerator.dnsName, zoneId: GLOBAL_ACCELERATOR_ZONE_ID, evaluateTargetHealth: false }] },
      { parent: this },
    );
    return accelerator;
  }
}
