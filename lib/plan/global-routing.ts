/**
 * Global routing as data: how the regional copies of one fleet are put behind one name. Route 53
 * latency records (one per region, each with a health check on the fleet's deep health path over
 * HTTPS) steer every agent to the nearest healthy region; AWS Global Accelerator is the optional
 * alternative front door. Values cross regions only through the SSM parameter names fixed here.
 *
 * Sessions across regions: 2026-07-28 traffic is stateless and active-active. A 2025-era session id
 * carries the region that minted it (the gateway reads its region from `MCP_FLEET_REGION`), so a
 * session that lands in another region after a failover or a latency shift is answered 404 and the
 * client re-initializes there; no backend session of another region is ever used. ElastiCache Global
 * Datastore is the optional alternative (see `planSessionGlobalDatastore`).
 */
import type { ResolvedFleetSpec } from '../spec';
import { FleetPlanError } from './errors';

/** Route 53 health checkers probe every 10 or 30 seconds. */
export type FrontDoor = 'latency-records' | 'global-accelerator';

/** Route 53 health checkers probe every 10 or 30 seconds. */
export type HealthCheckIntervalSeconds = 10 | 30;

/** One region that runs a copy of the fleet. */
export interface RegionInput {
  /** AWS region code, e.g. `eu-west-1`. */
  readonly region: string;
  /**
   * Host name the health check connects to and sends as `Host` and SNI.
   * @default - the region's load balancer DNS name (a deploy-time value)
   */
  readonly healthCheckDomainName?: string;
}

export interface GlobalRoutingInput {
  /** The regions, at least one; order is kept in every list of the plan. */
  readonly regions: readonly RegionInput[];
  /** Fully qualified record name agents connect to, e.g. `mcp.example.com`. */
  readonly recordName: string;
  /** @default 30 */
  readonly healthCheckIntervalSeconds?: HealthCheckIntervalSeconds;
  /** Consecutive failed probes before a region is taken out. @default 3 */
  readonly healthCheckFailureThreshold?: number;
  /**
   * What agents connect to: Route 53 latency records (one per region, each with its health check), or
   * one alias record to an AWS Global Accelerator (two anycast IPs, endpoint groups per region).
   * @default 'latency-records'
   */
  readonly frontDoor?: FrontDoor;
}

/** SSM parameters, in the fleet's own region, that describe its public load balancer. */
export interface RegionalEndpointParameterNames {
  readonly dnsName: string;
  readonly canonicalHostedZoneId: string;
  readonly loadBalancerArn: string;
}

export interface HttpsHealthCheckPlan {
  readonly protocol: 'HTTPS';
  readonly port: 443;
  readonly resourcePath: string;
  readonly requestIntervalSeconds: HealthCheckIntervalSeconds;
  readonly failureThreshold: number;
  /** Send the domain name as TLS SNI, so the ALB presents the certificate for it. */
  readonly enableSni: true;
  /** Publish connection latency from each checker region (shown in the Route 53 console). */
  readonly measureLatency: true;
}

export interface LatencyRecordPlan {
  /** Construct id suffix, derived from the region. */
  readonly id: string;
  readonly region: string;
  /** Route 53 set identifier; unique among records of the same name. */
  readonly setIdentifier: string;
  /** Also drop the region when its load balancer has no healthy target. */
  readonly evaluateTargetHealth: true;
  readonly healthCheckDomainName?: string;
  readonly healthCheck: HttpsHealthCheckPlan;
  readonly unhealthyAlarm: RegionUnhealthyAlarmPlan;
}

/**
 * An alarm on the Route 53 `HealthCheckStatus` metric (namespace `AWS/Route53`, dimension
 * `HealthCheckId`, published in us-east-1 only): the region has been taken out of DNS.
 */
export interface RegionUnhealthyAlarmPlan {
  readonly alarmName: string;
  readonly description: string;
  /** `Minimum` below 1: at least one checker saw the region fail its check long enough. */
  readonly threshold: 1;
  readonly evaluationPeriods: number;
  readonly periodSeconds: number;
  /** A health check that reports nothing cannot vouch for its region. */
  readonly treatMissingData: 'breaching';
}

/** Route 53 publishes health check metrics in this region only. */
export const ROUTE53_METRICS_REGION = 'us-east-1';

export interface AcceleratorPlan {
  readonly name: string;
  readonly listener: { readonly port: 443; readonly protocol: 'TCP'; readonly clientAffinity: 'NONE' };
  readonly endpointGroups: ReadonlyArray<{
    readonly id: string;
    readonly region: string;
    readonly trafficDialPercentage: 100;
    /** Keep the agent's address visible to WAF rate rules on the ALB. */
    readonly preserveClientIp: true;
    readonly healthCheck: { readonly protocol: 'HTTPS'; readonly port: 443; readonly path: string; readonly intervalSeconds: HealthCheckIntervalSeconds; readonly threshold: number };
  }>;
}

export interface GlobalRoutingPlan {
  readonly recordName: string;
  readonly frontDoor: FrontDoor;
  /** Latency records, for the `latency-records` front door; empty otherwise. */
  readonly records: readonly LatencyRecordPlan[];
  /** The accelerator, for the `global-accelerator` front door. */
  readonly accelerator?: AcceleratorPlan;
}

const REGION_RE = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;
const DOMAIN_RE = /^(?=.{1,253}\.?$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}\.?$/i;

/**
 * The SSM parameters each regional stack writes about its load balancer. The names are fixed by the
 * fleet and region alone, so a stack in another region can find them without a cross-stack reference.
 */
export function regionalEndpointParameterNames(fleet: string, region: string): RegionalEndpointParameterNames {
  const base = `/mcp-fleet/${fleet}/${region}/load-balancer`;
  return { dnsName: `${base}/dns-name`, canonicalHostedZoneId: `${base}/canonical-hosted-zone-id`, loadBalancerArn: `${base}/arn` };
}

/** Every problem of `input`, each prefixed by its path; empty when it can be planned. */
export function globalRoutingProblems(input: GlobalRoutingInput): string[] {
  const problems: string[] = [];
  if (input.regions.length === 0) problems.push('regions: at least one region is needed');
  const seen = new Set<string>();
  input.regions.forEach((r, i) => {
    if (!REGION_RE.test(r.region)) problems.push(`regions[${i}].region: "${r.region}" is not an AWS region code such as eu-west-1`);
    else if (seen.has(r.region)) problems.push(`regions[${i}].region: duplicate region "${r.region}"`);
    seen.add(r.region);
    if (r.healthCheckDomainName !== undefined && !DOMAIN_RE.test(r.healthCheckDomainName)) {
      problems.push(`regions[${i}].healthCheckDomainName: "${r.healthCheckDomainName}" is not a domain name`);
    }
  });
  if (!DOMAIN_RE.test(input.recordName)) problems.push(`recordName: "${input.recordName}" is not a fully qualified domain name`);
  const interval = input.healthCheckIntervalSeconds;
  if (interval !== undefined && interval !== 10 && interval !== 30) problems.push(`healthCheckIntervalSeconds: ${String(interval)} must be 10 or 30`);
  const threshold = input.healthCheckFailureThreshold;
  if (threshold !== undefined && !(Number.isInteger(threshold) && threshold >= 1 && threshold <= 10)) {
    problems.push(`healthCheckFailureThreshold: ${threshold} must be an integer from 1 to 10`);
  }
  return problems;
}

/** `eu-west-1` → `EuWest1`: a construct id part. */
function regionId(region: string): string {
  return region
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}

/**
 * Plans the latency records, their health checks and the optional accelerator.
 * @throws Error listing every problem of `input`.
 */
export function planGlobalRouting(spec: ResolvedFleetSpec, input: GlobalRoutingInput): GlobalRoutingPlan {
  const problems = globalRoutingProblems(input);
  if (problems.length > 0) throw new FleetPlanError(`invalid global routing:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  const requestIntervalSeconds = input.healthCheckIntervalSeconds ?? 30;
  const failureThreshold = input.healthCheckFailureThreshold ?? 3;
  const frontDoor = input.frontDoor ?? 'latency-records';
  if (frontDoor === 'latency-records') {
    const records = input.regions.map(
      (r): LatencyRecordPlan => ({
        id: regionId(r.region),
        region: r.region,
        setIdentifier: `${spec.name}-${r.region}`,
        evaluateTargetHealth: true,
        ...(r.healthCheckDomainName !== undefined ? { healthCheckDomainName: r.healthCheckDomainName } : {}),
        healthCheck: { protocol: 'HTTPS', port: 443, resourcePath: spec.healthPath, requestIntervalSeconds, failureThreshold, enableSni: true, measureLatency: true },
        unhealthyAlarm: {
          alarmName: `mcp-fleet-${spec.name}-${r.region}-out-of-dns`,
          description: `MCP fleet ${spec.name}: ${r.region} fails its health check on ${spec.healthPath} and gets no traffic from ${input.recordName}.`,
          threshold: 1,
          evaluationPeriods: 2,
          periodSeconds: 60,
          treatMissingData: 'breaching',
        },
      }),
    );
    return { recordName: input.recordName, frontDoor, records };
  }
  return {
    recordName: input.recordName,
    frontDoor,
    records: [],
    accelerator: {
      // At most 34 characters (fleet names have at most 24): within the accelerator limit of 64.
      name: `mcp-fleet-${spec.name}`,
      // One ALB per region: affinity among endpoints of a group would change nothing.
      listener: { port: 443, protocol: 'TCP', clientAffinity: 'NONE' },
      endpointGroups: input.regions.map((r) => ({
        id: regionId(r.region),
        region: r.region,
        trafficDialPercentage: 100,
        preserveClientIp: true,
        healthCheck: { protocol: 'HTTPS', port: 443, path: spec.healthPath, intervalSeconds: requestIntervalSeconds, threshold: failureThreshold },
      })),
    },
  };
}

export interface SessionGlobalDatastorePlan {
  /** ElastiCache prefixes it with a region-specific id; read the full id from the resource. */
  readonly idSuffix: string;
  readonly description: string;
  readonly primaryReplicationGroupId: string;
  readonly automaticFailover: true;
}

/**
 * Plans an ElastiCache Global Datastore over the fleet's session store, for fleets that must continue
 * 2025-era sessions in another region instead of asking clients to re-initialize. Secondary regions
 * are read-only replicas with about a second of lag, and a Global Datastore needs a provisioned
 * replication group of a non-burstable node type (no `cache.t*`, no Serverless).
 * @param primaryReplicationGroupId the session store of the primary region (may be a token).
 * @throws Error naming the spec path that rules it out.
 */
export function planSessionGlobalDatastore(spec: ResolvedFleetSpec, primaryReplicationGroupId: string): SessionGlobalDatastorePlan {
  const store = spec.sessionStore;
  const problems: string[] = [];
  if (store.deployment !== 'replication-group') problems.push('sessionStore.deployment: a Global Datastore needs a replication group, not ElastiCache Serverless');
  if (/^cache\.t\d/.test(store.nodeType)) problems.push(`sessionStore.nodeType: ${store.nodeType} is burstable; a Global Datastore needs e.g. cache.r7g.large or cache.m7g.large`);
  if (problems.length > 0) throw new FleetPlanError(`fleet "${spec.name}" cannot use a session Global Datastore:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  return {
    idSuffix: `${spec.name}-sessions`,
    description: `Sessions of MCP fleet ${spec.name}, replicated to every region`,
    primaryReplicationGroupId,
    automaticFailover: true,
  };
}
