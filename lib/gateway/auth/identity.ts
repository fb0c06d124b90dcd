/**
 * The caller's identity as pools receive it. The gateway never forwards the client's own token;
 * instead it signs a short-lived HS256 JWT (`iss` = fleet, `aud` = pool, `sub` = principal, `scope`)
 * that it sends in `IDENTITY_HEADER`, and pools check it with `verifyFleetIdentity`.
 *
 * Every pool has its own key, so a pool (or whoever takes one over) can mint identities for itself
 * only: the gateway holds either one fleet key and derives each pool's key from it with HKDF
 * (`poolIdentityKey`), or is given each pool's key (`poolKeys`). Tokens are reused for a few seconds
 * per principal and pool, so the hot path rarely signs.
 */
import { hkdfSync, randomUUID } from 'node:crypto';
import { jwtVerify, SignJWT, type JWTPayload } from 'jose';
import type { Principal } from '../ports';

/** Who the gateway's own requests to pools (discovery, probes, session housekeeping) come from. */
export const GATEWAY_PRINCIPAL: Principal = Object.freeze({ id: 'mcp-fleet:gateway', scopes: Object.freeze([]) as readonly string[], method: 'anonymous' });

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

/**
 * The identity key of one pool, derived from the fleet key (HKDF-SHA-256; salt the fleet, info the
 * pool): what the pool must be given as `MCP_FLEET_IDENTITY_KEY`, as base64url text (43 characters).
 * Knowing it tells nothing about the fleet key or another pool's key.
 */
export function poolIdentityKey(fleetKey: string | Uint8Array, fleet: string, pool: string): string {
  const root = keyBytes(fleetKey, 'poolIdentityKey');
  return Buffer.from(hkdfSync('sha256', root, `mcp-fleet/${fleet}`, `caller-identity/${pool}`, 32)).toString('base64url');
}

export interface IdentitySignerOptions {
  /**
   * The fleet key (at least 32 bytes): each pool's signing key is derived from it (`poolIdentityKey`).
   * @default - only pools in `poolKeys` get identities
   */
  readonly key?: string | Uint8Array;
  /**
   * Each pool's own key, used as is (a secret per pool, e.g. from the IaC); wins over `key`.
   * @default {}
   */
  readonly poolKeys?: Readonly<Record<string, string | Uint8Array>>;
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
  private readonly keys = new Map<string, Uint8Array>();
  private readonly ttlSeconds: number;
  private readonly reuseMs: number;
  private readonly now: () => number;
  private readonly maxCached: number;
  private readonly cache = new Map<string, CachedToken>();

  constructor(private readonly options: IdentitySignerOptions) {
    if (options.key === undefined && Object.keys(options.poolKeys ?? {}).length === 0) throw new RangeError('IdentitySigner: give the fleet key or the pool keys');
    if (options.key !== undefined) keyBytes(options.key, 'IdentitySigner');
    for (const [pool, key] of Object.entries(options.poolKeys ?? {})) this.keys.set(pool, keyBytes(key, `IdentitySigner (pool "${pool}")`));
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

  /** The pool's signing key: given, or derived from the fleet key once. */
  private keyFor(pool: string): Uint8Array {
    let key = this.keys.get(pool);
    if (!key) {
      if (this.options.key === undefined) throw new Error(`IdentitySigner: no identity key for pool "${pool}"`);
      key = new TextEncoder().encode(poolIdentityKey(this.options.key, this.options.fleet, pool));
      this.keys.set(pool, key);
    }
    return key;
  }

  private async sign(principal: Principal, pool: string, now: number): Promise<string> {
    const key = this.keyFor(pool);
    const issuedAt = Math.floor(now / 1000);
    return new SignJWT({ scope: principal.scopes.join(' '), auth_method: principal.method })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuer(this.options.fleet)
      .setAudience(pool)
      .setSubject(principal.id)
      .setIssuedAt(issuedAt)
      .setExpirationTime(issuedAt + this.ttlSeconds)
      .setJti(randomUUID())
      .sign(key);
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

/** Why `verifyFleetIdentity` refused a token: a pool answers 401 with the message. */
export class FleetIdentityError extends Error {
  constructor(
    /** What is wrong with the token, e.g. `signature verification failed`. */
    public readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`fleet identity rejected: ${reason}`, options);
    this.name = 'FleetIdentityError';
  }
}

/**
 * For pools: checks an `IDENTITY_HEADER` value (signature, HS256 only, issuer, audience, expiry, and a
 * lifetime of at most 60 s) and returns who is calling.
 * @throws FleetIdentityError saying why the token is refused.
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
    throw new FleetIdentityError((error as Error).message, { cause: error });
  }
  if (payload.exp! - payload.iat! > MAX_TTL_SECONDS) {
    throw new FleetIdentityError(`lifetime ${payload.exp! - payload.iat!} s exceeds ${MAX_TTL_SECONDS} s`);
  }
  const method = payload.auth_method;
  if (method !== 'jwt' && method !== 'api-key' && method !== 'anonymous') {
    throw new FleetIdentityError('"auth_method" claim must be jwt, api-key or anonymous');
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
