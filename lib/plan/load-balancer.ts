/**
 * The public Application Load Balancer and the network under it. TLS policy, idle timeout and
 * header hygiene are pinned here rather than left to CDK feature flags or provider defaults.
 */
import type { ResolvedFleetSpec } from '../spec';
import { LOAD_BALANCER_IDLE_TIMEOUT_SECONDS } from '../spec/defaults';
import { fleetNames } from './names';

/**
 * TLS 1.3 only, with post-quantum hybrid key exchange (ML-KEM) for clients that offer it. MCP clients
 * are current Node, Python and Go runtimes, all of which speak TLS 1.3.
 */
export const TLS_POLICY = 'ELBSecurityPolicy-TLS13-1-3-PQ-2025-09';

/**
 * Seconds a connection may stay silent. SSE streams of long tool calls can be quiet for minutes;
 * servers should still send keep-alive comments well within this.
 */
export const IDLE_TIMEOUT_SECONDS = LOAD_BALANCER_IDLE_TIMEOUT_SECONDS;

export interface LoadBalancerPlan {
  readonly name: string;
  readonly internetFacing: true;
  readonly tlsPolicy: string;
  readonly httpsPort: 443;
  /** Plain HTTP only redirects (301) to HTTPS. */
  readonly httpRedirectPort: 80;
  readonly idleTimeoutSeconds: number;
  readonly dropInvalidHeaderFields: true;
  readonly desyncMitigationMode: 'strictest';
  readonly http2: true;
  /** Access logs: bucket encryption is SSE-S3, the only one ALB log delivery supports. */
  readonly accessLogs: { readonly prefix: string; readonly expirationDays: number };
}

export interface NetworkPlan {
  /** Availability zones of a created VPC. */
  readonly maxAzs: number;
  /** One NAT gateway per zone, so losing a zone does not cut the others off. */
  readonly natGateways: number;
  readonly flowLogs: { readonly trafficType: 'ALL'; readonly retentionDays: number };
  /** ECS Container Insights level. */
  readonly containerInsights: 'enhanced';
}

/** Days ALB access logs are kept, at least 90 so that incidents can be looked into after the fact. */
const MIN_ACCESS_LOG_DAYS = 90;

export function planLoadBalancer(spec: ResolvedFleetSpec): LoadBalancerPlan {
  return {
    name: fleetNames(spec.name).loadBalancer,
    internetFacing: true,
    tlsPolicy: TLS_POLICY,
    httpsPort: 443,
    httpRedirectPort: 80,
    idleTimeoutSeconds: IDLE_TIMEOUT_SECONDS,
    dropInvalidHeaderFields: true,
    desyncMitigationMode: 'strictest',
    http2: true,
    accessLogs: { prefix: spec.name, expirationDays: Math.max(MIN_ACCESS_LOG_DAYS, spec.observability.logRetentionDays) },
  };
}

export function planNetwork(spec: ResolvedFleetSpec): NetworkPlan {
  return {
    maxAzs: 2,
    natGateways: 2,
    flowLogs: { trafficType: 'ALL', retentionDays: spec.observability.logRetentionDays },
    containerInsights: 'enhanced',
  };
}
