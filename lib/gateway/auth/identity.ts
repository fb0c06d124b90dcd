/**
 * The caller's identity as pools receive it. The client's own token is never forwarded; instead the
 * gateway signs a short-lived HS256 JWT (`iss` = fleet, `aud` = pool, `sub` = principal, `scope`)
 * that it sends in `IDENTITY_HEADER`, and pools check it with `verifyFleetIdentity` and the shared key.
 * Tokens are reused for a few seconds per principal and pool, so the hot path rarely signs.
 */
import { randomUUID } from 'node:crypto';
import { jwtVerify, SignJWT, type JWTPayload } from 'jose';
import type { Principal } from '../ports';

/** HMAC-SHA-256 wants a key of at least its output size. */
const MIN_KEY_BYTES = 32;
/** Tokens live at most this long: a leaked header is useless a minute later. */
const MAX_TTL_SECONDS = 60;

/** What a pool learns about the caller. */
export interface FleetIdentity {
  readonly principal: string;
  readonly scopes: readonly string[];
  readonly method: Principal['method'];
  readonly fleet: string;
  readonly pool: string;
  /** Unique token id (`jti`). */
  readonly tokenId: string;
  /** Epoch seconds. */
  readonly expiresAt: number;
}

function keyBytes(key: string | Uint8Array, where: string): Uint8Array {
  const bytes = typeof key === 'string' ? new TextEncoder().encode(key) : key;
  if (bytes.byteLength < MIN_KEY_BYTES) {
    throw new RangeError(`${where}: the identity key must be at least ${MIN_KEY_BYTES} bytes (got ${bytes.byteLength})`);
  }
  return bytes;
}

export interface IdentitySignerOptions {
  /** The shared HMAC key (from the secret `MCP_FLEET_IDENTITY_SECRET_ARN`), at least 32 bytes. */
  readonly key: string | Uint8Array;
  /** Fleet name: the token's issuer. */
  readonly fleet: string;
  /**
   * Token lifetime in seconds, at most 60.
   * @default 60
   */
  readonly ttlSeconds?: number;
  /**
   * Seconds a signed token is reused for the same principal, scopes and pool.
   * @default 5
   */
  readonly reuseSeconds?: number;
  /**
   * Clock in epoch milliseconds.
   * @default Date.now
   */
  readonly now?: () => number;
  /**
   * Cached tokens above which stale ones are dropped.
   * @default 10000
   */
  readonly maxCached?: number;
}

interface CachedToken {
  readonly token: Promise<string>;
  /** Epoch ms after which a new token is signed. */
  readonly renewAt: number;
}

export class IdentitySigner {
  private readonly key: Uint8Array;
  private readonly ttlSeconds: number;
  private readonly reuseMs: number;
  private readonly now: () => number;
  private readonly maxCached: number;
  private readonly cache = new Map<string, CachedToken>();

  constructor(private readonly options: IdentitySignerOptions) {
    this.key = keyBytes(options.key, 'IdentitySigner');
    this.ttlSeconds = options.ttlSeconds ?? MAX_TTL_SECONDS;
    if (!Number.isInteger(this.ttlSeconds) || this.ttlSeconds < 1 || this.ttlSeconds > MAX_TTL_SECONDS) {
      throw new RangeError(`IdentitySigner: ttlSeconds must be an integer from 1 to ${MAX_TTL_SECONDS} (got ${this.ttlSeconds})`);
    }
    const reuseSeconds = options.reuseSeconds ?? 5;
    if (!(reuseSeconds >= 0 && reuseSeconds < this.ttlSeconds)) {
      throw new RangeError(`IdentitySigner: reuseSeconds must be at least 0 and below ttlSeconds ${this.ttlSeconds} (got ${reuseSeconds})`);
    }
    this.reuseMs = reuseSeconds * 1000;
    this.now = options.now ?? Date.now;
    this.maxCached = options.maxCached ?? 10_000;
  }

  /** The header value identifying `principal` to `pool`: a cached token, or a freshly signed one. */
  tokenFor(principal: Principal, pool: string): Promise<string> {
    const now = this.now();
    const cacheKey = `${pool}\n${principal.method}\n${principal.id}\n${principal.scopes.join(' ')}`;
    const cached = this.cache.get(cacheKey);
    if (cached && now < cached.renewAt) return cached.token;
    if (this.cache.size >= this.maxCached) this.dropStale(now);
    const token = this.sign(principal, pool, now);
    this.cache.set(cacheKey, { token, renewAt: now + this.reuseMs });
    token.catch(() => this.cache.delete(cacheKey));
    return token;
  }

  private async sign(principal: Principal, pool: string, now: number): Promise<string> {
    const issuedAt = Math.floor(now / 1000);
    return new SignJWT({ scope: principal.scopes.join(' '), auth_method: principal.method })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuer(this.options.fleet)
      .setAudience(pool)
      .setSubject(principal.id)
      .setIssuedAt(issuedAt)
      .setExpirationTime(issuedAt + this.ttlSeconds)
      .setJti(randomUUID())
      .sign(this.key);
  }

  private dropStale(now: number): void {
    for (const [cacheKey, cached] of this.cache) if (cached.renewAt <= now) this.cache.delete(cacheKey);
    // Still full of fresh tokens (many distinct callers at once): start over rather than grow.
    if (this.cache.size >= this.maxCached) this.cache.clear();
  }
}

export interface VerifyFleetIdentityOptions {
  /** This pool's name: the token's required audience. */
  readonly pool: string;
  /** The fleet's name: the token's required issuer. */
  readonly fleet: string;
  /**
   * Seconds of clock skew tolerated.
   * @default 5
   */
  readonly clockToleranceSeconds?: number;
}

/**
 * For pools: checks an `IDENTITY_HEADER` value (signature, HS256 only, issuer, audience, expiry, and a
 * lifetime of at most 60 s) and returns who is calling. Throws an Error saying why otherwise.
 */
export async function verifyFleetIdentity(token: string, key: string | Uint8Array, options: VerifyFleetIdentityOptions): Promise<FleetIdentity> {
  const secret = keyBytes(key, 'verifyFleetIdentity');
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, secret, {
      algorithms: ['HS256'],
      issuer: options.fleet,
      audience: options.pool,
      clockTolerance: options.clockToleranceSeconds ?? 5,
      requiredClaims: ['sub', 'iat', 'exp', 'jti'],
    }));
  } catch (error) {
    throw new Error(`fleet identity rejected: ${(error as Error).message}`, { cause: error });
  }
  if (payload.exp! - payload.iat! > MAX_TTL_SECONDS) {
    throw new Error(`fleet identity rejected: lifetime ${payload.exp! - payload.iat!} s exceeds ${MAX_TTL_SECONDS} s`);
  }
  const method = payload.auth_method;
  if (method !== 'jwt' && method !== 'api-key' && method !== 'anonymous') {
    throw new Error('fleet identity rejected: "auth_method" claim must be jwt, api-key or anonymous');
  }
  return {
    principal: payload.sub!,
    scopes: typeof payload.scope === 'string' && payload.scope !== '' ? payload.scope.split(' ') : [],
    method,
    fleet: options.fleet,
    pool: options.pool,
    tokenId: payload.jti!,
    expiresAt: payload.exp!,
  };
}
