/**
 * Bearer JWT authentication against the issuer's JWKS (jose): signature with an asymmetric algorithm
 * from an allow-list, issuer, audience and expiry with a small clock tolerance. The principal is the
 * spec's `principalClaim`; scopes come from `scope` (space-separated) or `scp` (array or string).
 * Failures are 401 with an RFC 6750 challenge pointing at the RFC 9728 metadata; a JWKS endpoint that
 * cannot be reached is a 503 (the token may be fine).
 */
import { createRemoteJWKSet, errors, jwtVerify, type JWSAlgorithm, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import type { JwtAuthSpec } from '../../spec';
import { GatewayError } from '../errors';
import type { GatewayRequest } from '../http';
import type { Authenticator, Principal } from '../ports';
import { DEFAULTS } from '../../spec/defaults';
import { AUTH_ERROR_CODE, unauthorized } from './challenge';

const DEFAULT_MAX_TOKEN_AGE_SECONDS = DEFAULTS.jwt.maxTokenAgeSeconds;

/** Signature algorithms whose verification key is public: a JWKS can never hold a shared secret. */
export const ASYMMETRIC_ALGORITHMS: readonly JWSAlgorithm[] = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519'];

export interface JwtAuthenticatorOptions {
  /**
   * URL of the RFC 9728 metadata, sent in every 401 challenge (see `protectedResourceMetadataUrl`).
   * @default - none (pools that verify forwarded tokens have no metadata of their own)
   */
  readonly resourceMetadataUrl?: string;
  /**
   * Accepted `alg` values; each must be asymmetric.
   * @default ASYMMETRIC_ALGORITHMS
   */
  readonly algorithms?: readonly JWSAlgorithm[];
  /**
   * Seconds of clock skew tolerated on `exp`, `nbf` and `iat`.
   * @default 5
   */
  readonly clockToleranceSeconds?: number;
  /**
   * Milliseconds to wait for the JWKS endpoint.
   * @default 5000
   */
  readonly jwksTimeoutMs?: number;
  /**
   * Milliseconds a fetched JWKS is used before it is fetched again (an unknown `kid` refetches sooner).
   * @default 600000
   */
  readonly jwksCacheMaxAgeMs?: number;
}

/** The issuer's keys could not be fetched: a fault of ours or theirs, not of the caller's token. */
class JwksUnavailableError extends Error {}

export class JwtAuthenticator implements Authenticator {
  private readonly getKey: JWTVerifyGetKey;
  private readonly algorithms: JWSAlgorithm[];
  private readonly clockTolerance: number;

  constructor(
    private readonly spec: Required<Pick<JwtAuthSpec, 'issuer' | 'audience' | 'jwksUri' | 'principalClaim'>> & Pick<JwtAuthSpec, 'maxTokenAgeSeconds'>,
    private readonly options: JwtAuthenticatorOptions,
  ) {
    const algorithms = options.algorithms ?? ASYMMETRIC_ALGORITHMS;
    const symmetric = algorithms.filter((alg) => !ASYMMETRIC_ALGORITHMS.includes(alg));
    if (algorithms.length === 0 || symmetric.length > 0) {
      throw new RangeError(`JwtAuthenticator: algorithms must be a non-empty list of asymmetric algorithms (${ASYMMETRIC_ALGORITHMS.join(', ')}); refused: ${symmetric.join(', ') || '(empty list)'}`);
    }
    this.algorithms = [...algorithms];
    this.clockTolerance = options.clockToleranceSeconds ?? 5;
    this.getKey = this.keySource();
  }

  /** Fetches nothing until the first token arrives (jose fetches the JWKS lazily). */
  private keySource(): JWTVerifyGetKey {
    const jwks = createRemoteJWKSet(new URL(this.spec.jwksUri), {
      timeoutDuration: this.options.jwksTimeoutMs ?? 5_000,
      cacheMaxAge: this.options.jwksCacheMaxAgeMs ?? 600_000,
    });
    return async (header, token) => {
      try {
        return await jwks(header, token);
      } catch (error) {
        // An unknown `kid` is the token's problem; anything else (timeout, HTTP error, bad JSON) is the key source's.
        if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) throw error;
        throw new JwksUnavailableError(`cannot fetch the issuer's keys from ${this.spec.jwksUri}: ${(error as Error).message}`, { cause: error });
      }
    };
  }

  private checkAge(payload: JWTPayload): void {
    const maxAge = this.spec.maxTokenAgeSeconds ?? DEFAULT_MAX_TOKEN_AGE_SECONDS;
    const problem = tokenAgeProblem(payload, maxAge, this.clockTolerance, Math.floor(Date.now() / 1000));
    if (problem) throw unauthorized(problem, { tokenGiven: true, resourceMetadataUrl: this.options.resourceMetadataUrl });
  }

  async authenticate(request: GatewayRequest): Promise<Principal> {
    const header = request.headers.authorization;
    if (header === undefined || header.trim() === '') {
      throw unauthorized('a bearer token is required', { tokenGiven: false, resourceMetadataUrl: this.options.resourceMetadataUrl });
    }
    const match = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i.exec(header);
    if (!match) {
      throw unauthorized('the Authorization header must be "Bearer <token>"', { tokenGiven: true, resourceMetadataUrl: this.options.resourceMetadataUrl });
    }
    return this.verify(match[1]!);
  }

  /** Verifies a bare token (without `Bearer `). */
  async verify(token: string): Promise<Principal> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.getKey, {
        issuer: this.spec.issuer,
        audience: [...this.spec.audience],
        algorithms: this.algorithms,
        clockTolerance: this.clockTolerance,
        requiredClaims: ['exp'],
      }));
    } catch (error) {
      if (error instanceof JwksUnavailableError) {
        throw new GatewayError(503, AUTH_ERROR_CODE, `Cannot verify tokens right now: ${error.message}`, { 'retry-after': '5' }, { cause: error });
      }
      if (error instanceof errors.JOSEError) {
        throw unauthorized(describeJoseError(error), { tokenGiven: true, resourceMetadataUrl: this.options.resourceMetadataUrl, cause: error });
      }
      throw error;
    }
    this.checkAge(payload);
    const id = payload[this.spec.principalClaim];
    if (typeof id !== 'string' || id === '') {
      throw unauthorized(`the token has no "${this.spec.principalClaim}" claim naming the caller`, { tokenGiven: true, resourceMetadataUrl: this.options.resourceMetadataUrl });
    }
    return { id, scopes: scopesOf(payload), method: 'jwt' };
  }
}

/**
 * Bounds how old a token may be (`auth.jwt.maxTokenAgeSeconds`) and refuses one issued in the
 * future: a stolen long-lived token, or one minted with a skewed clock to outlive its rotation.
 */
function tokenAgeProblem(payload: JWTPayload, maxAgeSeconds: number, toleranceSeconds: number, nowSeconds: number): string | undefined {
  const { iat, exp } = payload;
  if (iat !== undefined) {
    if (typeof iat !== 'number' || !Number.isFinite(iat)) return 'the token\'s "iat" claim is not a number';
    if (iat > nowSeconds + toleranceSeconds) return 'the token is issued in the future ("iat" is ahead of the clock)';
    if (nowSeconds - iat > maxAgeSeconds + toleranceSeconds) return `the token is older than ${maxAgeSeconds} s ("iat")`;
    return undefined;
  }
  // Without `iat` the age is unknown: bound the remaining lifetime instead.
  if (typeof exp === 'number' && exp - nowSeconds > maxAgeSeconds + toleranceSeconds) return `the token has no "iat" and stays valid for more than ${maxAgeSeconds} s`;
  return undefined;
}

/** Scopes from `scope` ("a b c", RFC 9068) or `scp` (an array as Okta issues it, or "a b" as Entra ID does). */
export function scopesOf(payload: JWTPayload): string[] {
  const raw = payload.scope ?? payload.scp;
  const list = typeof raw === 'string' ? raw.split(' ') : Array.isArray(raw) ? raw.filter((s): s is string => typeof s === 'string') : [];
  return [...new Set(list.filter((s) => s !== ''))];
}

function describeJoseError(error: errors.JOSEError): string {
  if (error instanceof errors.JWTExpired) return 'the token has expired';
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'the token signature is invalid';
  if (error instanceof errors.JOSEAlgNotAllowed) return 'the token is signed with an algorithm that is not accepted';
  if (error instanceof errors.JWKSNoMatchingKey) return "the token's key is not among the issuer's keys";
  if (error instanceof errors.JWTClaimValidationFailed) return `the token's claims are not accepted: ${error.message}`;
  return `the token is malformed: ${error.message}`;
}
