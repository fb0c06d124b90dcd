/**
 * Physical resource names: deterministic, within each service's length and character limits. A name
 * that must be cut keeps its readable start and ends in a short hash of the full name, so two long
 * names that share a prefix never collide and the same spec always yields the same names.
 */
import { createHash } from 'node:crypto';

/** Hex characters of the SHA-256 digest appended to a cut name. */
const HASH_LENGTH = 8;

/** The first `HASH_LENGTH` hex characters of the SHA-256 of `text`. */
export function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, HASH_LENGTH);
}

/**
 * `base` if it fits in `maxLength`, else its start, a dash and `shortHash(base)`. Dashes are collapsed
 * and trimmed at the cut so that the result satisfies the strictest AWS rules (ElastiCache ids: no
 * double dash, no trailing dash).
 */
export function boundedName(base: string, maxLength: number): string {
  const clean = base.replace(/-{2,}/g, '-').replace(/^-+|-+$/g, '');
  if (clean.length <= maxLength) return clean;
  const head = clean.slice(0, maxLength - HASH_LENGTH - 1).replace(/-+$/, '');
  return `${head}-${shortHash(base)}`;
}

/** AWS limits the names below must respect. */
export const NAME_LIMITS = {
  loadBalancer: 32,
  targetGroup: 32,
  lambdaFunction: 64,
  ecsCluster: 255,
  elastiCacheId: 40,
  webAcl: 128,
  wafMetric: 255,
  logGroup: 512,
  sqsQueue: 80,
} as const;

/** Suffix of the private DNS namespace in which pools register their tasks. */
export const INTERNAL_DOMAIN_SUFFIX = 'mcp.internal';

/**
 * Every fleet-level physical name. Renderings give resources these names, so that both renderings and
 * every region agree on them; as with any named resource, a change that forces a replacement (e.g. a
 * target group's port) needs a new name.
 */
export interface FleetNames {
  /** Application Load Balancer (`mcp-` prefix: an ALB name must not start with `internal-`). */
  readonly loadBalancer: string;
  /** ALB target group of the gateway Lambda. */
  readonly gatewayTargetGroup: string;
  /** Gateway Lambda function. */
  readonly gatewayFunction: string;
  /** ECS cluster. */
  readonly cluster: string;
  /** Cloud Map private DNS namespace: `<fleet>.mcp.internal`. */
  readonly namespace: string;
  /** WAF web ACL. */
  readonly webAcl: string;
  /** CloudWatch log group of WAF logs (WAF requires the `aws-waf-logs-` prefix). */
  readonly wafLogGroup: string;
  /** ElastiCache replication group id or serverless cache name. */
  readonly sessionStore: string;
  /** ElastiCache user group id (serverless RBAC). */
  readonly sessionStoreUserGroup: string;
  /** ElastiCache user id of the group's `default` user (serverless RBAC). */
  readonly sessionStoreDefaultUser: string;
}

/** Every physical name that belongs to one pool. */
export interface PoolNames {
  /** ALB target group. */
  readonly targetGroup: string;
  /** Cloud Map service name inside the fleet namespace (the pool name). */
  readonly discoveryService: string;
  /** Fully qualified DNS name the gateway resolves to task IPs: `<pool>.<fleet>.mcp.internal`. */
  readonly dnsName: string;
}

export function fleetNames(fleet: string): FleetNames {
  return {
    loadBalancer: boundedName(`mcp-${fleet}`, NAME_LIMITS.loadBalancer),
    gatewayTargetGroup: boundedName(`${fleet}-gateway`, NAME_LIMITS.targetGroup),
    gatewayFunction: boundedName(`${fleet}-gateway`, NAME_LIMITS.lambdaFunction),
    cluster: boundedName(`${fleet}-mcp`, NAME_LIMITS.ecsCluster),
    namespace: `${fleet}.${INTERNAL_DOMAIN_SUFFIX}`,
    webAcl: boundedName(`${fleet}-mcp`, NAME_LIMITS.webAcl),
    wafLogGroup: boundedName(`aws-waf-logs-${fleet}`, NAME_LIMITS.logGroup),
    sessionStore: boundedName(`${fleet}-sessions`, NAME_LIMITS.elastiCacheId),
    sessionStoreUserGroup: boundedName(`${fleet}-sessions-users`, NAME_LIMITS.elastiCacheId),
    sessionStoreDefaultUser: boundedName(`${fleet}-sessions-default`, NAME_LIMITS.elastiCacheId),
  };
}

export function poolNames(fleet: string, pool: string): PoolNames {
  return {
    targetGroup: boundedName(`${fleet}-${pool}`, NAME_LIMITS.targetGroup),
    discoveryService: pool,
    dnsName: `${pool}.${fleet}.${INTERNAL_DOMAIN_SUFFIX}`,
  };
}

/** The queues of a queue pool (SQS names: letters, digits, `-` and `_`, at most 80). */
export interface QueueNames {
  /** Where the gateway sends the pool's jobs. */
  readonly queue: string;
  /** Where SQS moves a job after `maxReceives` deliveries. */
  readonly deadLetterQueue: string;
}

export function queueNames(fleet: string, pool: string): QueueNames {
  return {
    queue: boundedName(`${fleet}-${pool}-jobs`, NAME_LIMITS.sqsQueue),
    deadLetterQueue: boundedName(`${fleet}-${pool}-jobs-dlq`, NAME_LIMITS.sqsQueue),
  };
}

/** A WAF metric name: letters, digits, dashes and underscores only. */
export function wafMetricName(fleet: string, rule: string): string {
  return boundedName(`${fleet}-${rule}`.replace(/[^A-Za-z0-9_-]/g, '-'), NAME_LIMITS.wafMetric);
}
