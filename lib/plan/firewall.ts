/**
 * The WAF web ACL in front of the load balancer: IP reputation first, then the rate rules from the
 * spec, then the AWS managed rule groups. Rate rules block with a JSON-RPC error body and status 429.
 */
import type { ResolvedFleetSpec } from '../spec';
import { MCP_NAME_HEADER } from './listener-rules';
import { fleetNames, wafMetricName } from './names';

export interface ManagedRuleOverridePlan {
  /** Rule inside the managed group. */
  readonly name: string;
  readonly action: 'count';
  readonly reason: string;
}

export interface ManagedRuleGroupPlan {
  readonly kind: 'managed';
  readonly name: string;
  readonly priority: number;
  readonly vendor: 'AWS';
  readonly groupName: string;
  readonly overrides: readonly ManagedRuleOverridePlan[];
  readonly metricName: string;
}

/**
 * What a rate rule counts by: the client IP, a request header, or a header together with the IP
 * (a client-chosen header alone can be rotated to evade the limit, or set to a victim's value to get
 * the victim blocked; paired with the IP, each source only ever spends its own budget).
 */
export type RateKeyPlan = { readonly type: 'ip' } | { readonly type: 'header'; readonly header: string } | { readonly type: 'header-and-ip'; readonly header: string };

/** One header test of a match rule (header names lower case; values compared after lower-casing). */
export interface HeaderMatchPlan {
  readonly header: string;
  readonly match: 'EXACTLY' | 'STARTS_WITH';
  readonly value: string;
}

/** Blocks requests matching every condition, with a JSON-RPC error body. */
export interface MatchBlockRulePlan {
  readonly kind: 'match-block';
  readonly name: string;
  readonly priority: number;
  readonly conditions: readonly HeaderMatchPlan[];
  readonly responseCode: 400;
  readonly responseBodyKey: string;
  readonly metricName: string;
}

export interface RateRulePlan {
  readonly kind: 'rate';
  readonly name: string;
  readonly priority: number;
  /** Requests allowed per key per window. */
  readonly limit: number;
  readonly windowSeconds: 60 | 120 | 300 | 600;
  readonly key: RateKeyPlan;
  /** Blocked requests get this status and the `rate-limited` body. */
  readonly responseCode: 429;
  readonly metricName: string;
}

export type FirewallRulePlan = ManagedRuleGroupPlan | RateRulePlan | MatchBlockRulePlan;

export interface FirewallPlan {
  readonly name: string;
  readonly scope: 'REGIONAL';
  readonly defaultAction: 'allow';
  readonly metricName: string;
  readonly rules: readonly FirewallRulePlan[];
  /** Custom response bodies by key, referenced by blocking rules. */
  readonly responseBodies: Readonly<Record<string, { readonly contentType: 'APPLICATION_JSON'; readonly content: string }>>;
  readonly logGroupName: string;
  /** Request headers WAF logs must not record (credentials), lower case. */
  readonly redactedHeaders: readonly string[];
}

export const RATE_LIMITED_BODY_KEY = 'rate-limited';
export const ENCODED_TOOL_NAME_BODY_KEY = 'encoded-tool-name';

/**
 * `SizeRestrictions_BODY` blocks bodies over 8 KB, but MCP `tools/call` arguments and results
 * routinely exceed that (documents, diffs, base64 images); the gateway enforces its own
 * `gateway.maxBodyBytes`, so the rule only counts.
 */
export const BODY_SIZE_OVERRIDE: ManagedRuleOverridePlan = {
  name: 'SizeRestrictions_BODY',
  action: 'count',
  reason: 'MCP tool calls routinely carry JSON bodies over 8 KB; the gateway enforces gateway.maxBodyBytes instead',
};

export function planFirewall(spec: ResolvedFleetSpec): FirewallPlan {
  const fleet = spec.name;
  const names = fleetNames(fleet);
  const managed = (name: string, priority: number, groupName: string, overrides: ManagedRuleOverridePlan[] = []): ManagedRuleGroupPlan => ({
    kind: 'managed',
    name,
    priority,
    vendor: 'AWS',
    groupName,
    overrides,
    metricName: wafMetricName(fleet, name),
  });
  const rate = (name: string, priority: number, limit: { requests: number; windowSeconds: 60 | 120 | 300 | 600 }, key: RateKeyPlan): RateRulePlan => ({
    kind: 'rate',
    name,
    priority,
    limit: limit.requests,
    windowSeconds: limit.windowSeconds,
    key,
    responseCode: 429,
    metricName: wafMetricName(fleet, name),
  });
  const matchBlock = (name: string, priority: number, conditions: HeaderMatchPlan[]): MatchBlockRulePlan => ({
    kind: 'match-block',
    name,
    priority,
    conditions,
    responseCode: 400,
    responseBodyKey: ENCODED_TOOL_NAME_BODY_KEY,
    metricName: wafMetricName(fleet, name),
  });
  const { perIp, perAgent, perTool } = spec.rateLimits;
  const rules: FirewallRulePlan[] = [
    managed('ip-reputation', 0, 'AWSManagedRulesAmazonIpReputationList'),
    rate('rate-per-ip', 10, perIp, { type: 'ip' }),
    // The agent header is the client's to choose: keyed with the IP, rotating it gains nothing over
    // the per-IP rule and setting a victim's value spends only the setter's budget. Requests without
    // the header are not counted by this rule (WAF skips missing custom keys); the per-IP rule still covers them.
    rate('rate-per-agent', 20, perAgent.waf, { type: 'header-and-ip', header: perAgent.header }),
    // Only 2026-07-28 requests carry Mcp-Name; the gateway's per-tool bucket covers the older eras.
    ...(perTool.waf
      ? [
          // Tool names are plain ASCII, so a `=?base64?…?=` tool name is only ever a way to get a
          // fresh per-tool key for the same tool: refused before the per-tool count.
          matchBlock('encoded-tool-name', 25, [
            { header: 'mcp-method', match: 'EXACTLY', value: 'tools/call' },
            { header: MCP_NAME_HEADER.toLowerCase(), match: 'STARTS_WITH', value: '=?base64?' },
          ]),
          rate('rate-per-tool', 30, perTool.waf, { type: 'header', header: MCP_NAME_HEADER.toLowerCase() }),
        ]
      : []),
    managed('common', 40, 'AWSManagedRulesCommonRuleSet', [BODY_SIZE_OVERRIDE]),
    managed('known-bad-inputs', 50, 'AWSManagedRulesKnownBadInputsRuleSet'),
  ];
  return {
    name: names.webAcl,
    scope: 'REGIONAL',
    defaultAction: 'allow',
    metricName: wafMetricName(fleet, 'web-acl'),
    rules,
    responseBodies: {
      [RATE_LIMITED_BODY_KEY]: {
        contentType: 'APPLICATION_JSON',
        content: JSON.stringify({ jsonrpc: '2.0', id: null, error: { code: -32000, message: 'rate limit exceeded, retry later' } }),
      },
      ...(perTool.waf
        ? {
            [ENCODED_TOOL_NAME_BODY_KEY]: {
              contentType: 'APPLICATION_JSON' as const,
              content: JSON.stringify({ jsonrpc: '2.0', id: null, error: { code: -32600, message: 'tool names are plain ASCII: send Mcp-Name without the =?base64?...?= encoding' } }),
            },
          }
        : {}),
    },
    logGroupName: names.wafLogGroup,
    redactedHeaders: ['authorization', ...(spec.auth.apiKeys ? [spec.auth.apiKeys.header] : [])],
  };
}
