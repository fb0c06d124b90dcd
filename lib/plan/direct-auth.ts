/**
 * What the load balancer must check before it sends a 2026-07-28 `tools/call` straight to a pool,
 * bypassing the gateway that would otherwise authenticate the caller and enforce tool scopes.
 *
 * The ALB can verify a JWT (signature, `iss`, `exp`, extra claims) but cannot read API keys, and a JWT
 * rule carries one fixed set of required claims. So direct routing is planned only where the ALB can
 * enforce exactly what the gateway would; every other request falls through to the gateway.
 */
import { patternsOverlap, type ResolvedFleetSpec, type ToolScopeSpec } from '../spec';

/** One claim the ALB JWT action requires (ELBv2 `JwtValidationActionAdditionalClaim`). */
export interface JwtClaimPlan {
  readonly name: string;
  readonly format: 'single-string' | 'string-array' | 'space-separated-values';
  readonly values: readonly string[];
}

/** ALB JWT verification in front of a direct route (ELBv2 `jwt-validation` action). */
export interface JwtVerificationPlan {
  readonly issuer: string;
  readonly jwksEndpoint: string;
  /** `aud` and, when the tools need scopes, `scope` (all required scopes). */
  readonly additionalClaims: readonly JwtClaimPlan[];
}

/** Whether the fleet's auth settings allow any direct route, and with which checks. */
export interface DirectAuthPlan {
  readonly allowed: boolean;
  /** Why direct routing is off, when it is. */
  readonly reason?: string;
  /** Verify the JWT at the ALB (`auth.jwt.verifyAtLoadBalancer`). */
  readonly verifyJwt: boolean;
  /**
   * Also require an `Authorization: Bearer *` header on direct routes, so that API-key callers
   * (whom the ALB cannot verify) fall through to the gateway instead of failing JWT verification.
   */
  readonly requireBearerHeader: boolean;
}

/** ALB limit: values of one additional claim. */
const MAX_CLAIM_VALUES = 10;

export function planDirectAuth(spec: ResolvedFleetSpec): DirectAuthPlan {
  const { jwt, apiKeys } = spec.auth;
  if (!jwt && !apiKeys) return { allowed: true, verifyJwt: false, requireBearerHeader: false };
  if (!jwt) {
    return {
      allowed: false,
      reason: 'auth.apiKeys without auth.jwt: the load balancer cannot verify API keys, so every request goes through the gateway',
      verifyJwt: false,
      requireBearerHeader: false,
    };
  }
  if (!jwt.verifyAtLoadBalancer) {
    // A fleet with auth never gets an unauthenticated route to a pool: without the ALB's check,
    // direct and priority traffic goes through the gateway, which authenticates every request.
    return {
      allowed: false,
      reason: 'auth.jwt.verifyAtLoadBalancer is false: the load balancer checks no caller, so every request goes through the gateway',
      verifyJwt: false,
      requireBearerHeader: false,
    };
  }
  if (jwt.audience.length > MAX_CLAIM_VALUES) {
    return { allowed: false, reason: `auth.jwt.audience has ${jwt.audience.length} values; the load balancer checks at most ${MAX_CLAIM_VALUES}`, verifyJwt: false, requireBearerHeader: false };
  }
  return { allowed: true, verifyJwt: true, requireBearerHeader: apiKeys !== undefined };
}

/**
 * Whether every name matching `inner` also matches `outer`. Decides the cases that occur in practice
 * (equal patterns, `*`, a literal prefix followed by `*`) and answers `false` when unsure, which only
 * costs a detour through the gateway, never a wrong authorization.
 */
export function patternCovers(outer: string, inner: string): boolean {
  const a = outer.toLowerCase();
  const b = inner.toLowerCase();
  if (a === b || a === '*') return true;
  const star = a.indexOf('*');
  if (star === a.length - 1 && !/[*?]/.test(a.slice(0, star))) {
    const prefix = a.slice(0, star);
    const innerLiteralHead = b.match(/^[^*?]*/)![0];
    return innerLiteralHead.startsWith(prefix);
  }
  return false;
}

/** The scopes a direct route for `pattern` must require, or why the ALB cannot decide them. */
export type PatternScopes = { readonly scopes: readonly string[] } | { readonly unresolvable: string };

/**
 * Scopes required for every tool matching `pattern`, following the gateway's rule that the first
 * `toolScopes` entry matching a tool wins, plus the scopes of the serving pool (`auth.poolScopes`).
 */
export function requiredScopesFor(pattern: string, toolScopes: readonly ToolScopeSpec[], poolScopes: readonly string[] = []): PatternScopes {
  const withPool = (scopes: readonly string[]): PatternScopes => {
    const all = [...new Set([...scopes, ...poolScopes])].sort();
    return all.length > MAX_CLAIM_VALUES ? { unresolvable: `the tools matching "${pattern}" require ${all.length} scopes; the load balancer checks at most ${MAX_CLAIM_VALUES}` } : { scopes: all };
  };
  for (const entry of toolScopes) {
    if (!patternsOverlap(entry.tools, pattern)) continue;
    if (!patternCovers(entry.tools, pattern)) {
      return { unresolvable: `toolScopes pattern "${entry.tools}" applies to only some tools matching "${pattern}"` };
    }
    return withPool(entry.scopes);
  }
  return withPool([]);
}

/** The JWT check of a direct route whose tools need `scopes`. */
export function jwtVerificationFor(spec: ResolvedFleetSpec, scopes: readonly string[]): JwtVerificationPlan {
  const jwt = spec.auth.jwt!;
  const audience = [...jwt.audience];
  const claims: JwtClaimPlan[] = [{ name: 'aud', format: audience.length === 1 ? 'single-string' : 'string-array', values: audience }];
  if (scopes.length > 0) claims.push({ name: 'scope', format: 'space-separated-values', values: [...scopes] });
  return { issuer: jwt.issuer, jwksEndpoint: jwt.jwksUri, additionalClaims: claims };
}
