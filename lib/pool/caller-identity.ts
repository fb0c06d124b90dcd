/**
 * The caller's identity on a pool: the gateway sends a short-lived token it signed with this pool's
 * key in `IDENTITY_HEADER` (see lib/gateway/auth/identity.ts); the pool checks it before any tool
 * runs and hands the verified principal to the tools through the MCP SDKs' `authInfo` (`req.auth` on
 * the Node request). A forged, expired or foreign token is refused.
 *
 * A request WITHOUT the header is refused too, unless the pool sits behind a load balancer direct
 * route (2026-07-28 `tools/call` by `Mcp-Name`) and the request carries the caller's own JWT: then
 * the pool verifies that token as the ALB did (the fleet's issuer, JWKS and audience, from
 * `POOL_ENV.jwt*`) instead of trusting that a missing header means "the ALB checked it".
 * Used by the example pools and by `mcp-fleet bridge`.
 */
import type { IncomingMessage } from 'node:http';
import { JwtAuthenticator } from '../gateway/auth/jwt';
import { verifyFleetIdentity, type FleetIdentity } from '../gateway/auth/identity';
import { GatewayError } from '../gateway/errors';
import { AUTH_ERROR_CODE } from '../gateway/auth/challenge';
import { IDENTITY_HEADER } from '../spec/gateway-env';

/** A refused caller: 401 (or 503 when the JWKS cannot be fetched) with the JSON-RPC auth error code. */
function rejection(status: number, message: string): GatewayError {
  return new GatewayError(status, AUTH_ERROR_CODE, message);
}

/** HS256 keys shorter than the hash output are refused by the verifier; say so at start, not per request. */
const MIN_KEY_BYTES = 32;

/** How a pool checks `IDENTITY_HEADER`. */
export interface CallerIdentityOptions {
  /** The fleet's HMAC key (`MCP_FLEET_IDENTITY_KEY`), at least 32 bytes. */
  readonly key: string | Uint8Array;
  /** The fleet's name: the token's required issuer (`MCP_FLEET_NAME`). */
  readonly fleet: string;
  /** This pool's name: the token's required audience (`MCP_FLEET_POOL`). */
  readonly pool: string;
  /**
   * The fleet's JWT settings, for requests the load balancer routes here directly (they carry the
   * caller's bearer token instead of a gateway-signed identity).
   * @default - every request must carry the gateway-signed identity
   */
  readonly directJwt?: DirectJwtOptions;
}

/** What the ALB checks on a direct route, for the pool to check again (`POOL_ENV.jwt*`). */
export interface DirectJwtOptions {
  readonly issuer: string;
  readonly audience: readonly string[];
  readonly jwksUri: string;
  /** @default 'sub' */
  readonly principalClaim?: string;
}

/** One verifier per settings object: it caches the JWKS. */
const verifiers = new WeakMap<DirectJwtOptions, JwtAuthenticator>();

function verifierFor(options: DirectJwtOptions): JwtAuthenticator {
  let verifier = verifiers.get(options);
  if (!verifier) {
    verifier = new JwtAuthenticator({ issuer: options.issuer, audience: [...options.audience], jwksUri: options.jwksUri, principalClaim: options.principalClaim ?? 'sub' }, {});
    verifiers.set(options, verifier);
  }
  return verifier;
}

/** A header-less request: the caller's own JWT (direct route), verified, or a refusal. */
async function directCaller(req: IncomingMessage, options: CallerIdentityOptions): Promise<FleetIdentity> {
  if (!options.directJwt) {
    throw rejection(401, `Unauthorized: the ${IDENTITY_HEADER} header is required (callers reach this pool through the fleet gateway, which signs their identity)`);
  }
  if (req.headers.authorization === undefined) {
    throw rejection(401, `Unauthorized: neither the ${IDENTITY_HEADER} header nor a bearer token (direct route) is present`);
  }
  try {
    const principal = await verifierFor(options.directJwt).authenticate({
      method: req.method ?? 'POST',
      path: req.url ?? '/',
      query: '',
      headers: { authorization: req.headers.authorization },
      body: '',
    });
    const expiresAt = Math.floor(Date.now() / 1000) + 60;
    return { principal: principal.id, scopes: principal.scopes, method: 'jwt', fleet: options.fleet, pool: options.pool, tokenId: 'direct', expiresAt };
  } catch (error) {
    if (error instanceof GatewayError) throw rejection(error.status === 401 ? 401 : 503, error.message);
    throw error;
  }
}

/** The SDKs' `AuthInfo` as the pools fill it: `clientId` is the principal, `extra.fleetIdentity` the whole identity. */
export interface CallerAuthInfo {
  token: string;
  clientId: string;
  scopes: string[];
  expiresAt: number;
  extra: { fleetIdentity: FleetIdentity };
}

/** Throws unless `options` can verify tokens (checked once, when the pool starts). */
export function assertCallerIdentityOptions(options: CallerIdentityOptions): void {
  const bytes = typeof options.key === 'string' ? Buffer.byteLength(options.key, 'utf8') : options.key.byteLength;
  if (bytes < MIN_KEY_BYTES) throw new RangeError(`the identity key must be at least ${MIN_KEY_BYTES} bytes (got ${bytes})`);
  if (options.fleet === '' || options.pool === '') throw new RangeError('the identity check needs a fleet and a pool name');
}

/**
 * Verifies the request's identity header (or, on a direct route, its bearer JWT) and attaches the
 * identity as `req.auth`.
 * @throws GatewayError 401 when neither is present and valid for this fleet and pool.
 */
export async function authenticateCaller(req: IncomingMessage & { auth?: CallerAuthInfo }, options: CallerIdentityOptions): Promise<FleetIdentity> {
  const header = req.headers[IDENTITY_HEADER];
  if (header === undefined) {
    const identity = await directCaller(req, options);
    req.auth = { token: 'direct', clientId: identity.principal, scopes: [...identity.scopes], expiresAt: identity.expiresAt, extra: { fleetIdentity: identity } };
    return identity;
  }
  if (Array.isArray(header)) throw rejection(401, `Unauthorized: ${IDENTITY_HEADER} must appear once`);
  let identity: FleetIdentity;
  try {
    identity = await verifyFleetIdentity(header, options.key, { fleet: options.fleet, pool: options.pool });
  } catch (error) {
    throw rejection(401, `Unauthorized: ${(error as Error).message}`);
  }
  req.auth = { token: header, clientId: identity.principal, scopes: [...identity.scopes], expiresAt: identity.expiresAt, extra: { fleetIdentity: identity } };
  return identity;
}

/** The verified caller behind a tool call, from the SDK's `authInfo`; undefined when the pool verifies no identity (run bare). */
export function callerOf(authInfo: { extra?: Record<string, unknown> } | undefined): FleetIdentity | undefined {
  return authInfo?.extra?.fleetIdentity as FleetIdentity | undefined;
}
