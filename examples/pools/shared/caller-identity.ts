/**
 * The caller's identity on a pool: the gateway sends a short-lived token it signed in `IDENTITY_HEADER`
 * (see lib/gateway/auth/identity.ts); the pool checks it before any tool runs and hands the verified
 * principal to the tools through the MCP SDKs' `authInfo` (`req.auth` on the Node request).
 *
 * A request WITHOUT the header is accepted. On AWS the pool's security group admits only the load
 * balancer and the gateway, and the gateway always sends the header when the fleet has an identity key;
 * so a request without it came by the load balancer's direct route (2026-07-28 `tools/call` with an
 * `Mcp-Name` header), where the ALB has already verified the caller's JWT. A request WITH the header
 * must carry a valid token for this fleet and pool: a forged, expired or foreign one is refused.
 */
import type { IncomingMessage } from 'node:http';
import { verifyFleetIdentity, type FleetIdentity } from '../../../lib/gateway/auth/identity';
import { AUTH_ERROR_CODE } from '../../../lib/gateway/auth/challenge';
import { IDENTITY_HEADER } from '../../../lib/spec/gateway-env';
import { RequestRejection } from './json-body';

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
 * Verifies the request's identity header, if any, and attaches the identity as `req.auth`.
 * @returns the identity, or undefined for a request without the header.
 * @throws RequestRejection 401 when the header is present but not a valid token for this fleet and pool.
 */
export async function authenticateCaller(req: IncomingMessage & { auth?: CallerAuthInfo }, options: CallerIdentityOptions): Promise<FleetIdentity | undefined> {
  const header = req.headers[IDENTITY_HEADER];
  if (header === undefined) return undefined;
  if (Array.isArray(header)) throw new RequestRejection(401, AUTH_ERROR_CODE, `Unauthorized: ${IDENTITY_HEADER} must appear once`);
  let identity: FleetIdentity;
  try {
    identity = await verifyFleetIdentity(header, options.key, { fleet: options.fleet, pool: options.pool });
  } catch (error) {
    throw new RequestRejection(401, AUTH_ERROR_CODE, `Unauthorized: ${(error as Error).message}`);
  }
  req.auth = { token: header, clientId: identity.principal, scopes: [...identity.scopes], expiresAt: identity.expiresAt, extra: { fleetIdentity: identity } };
  return identity;
}

/** The verified caller behind a tool call, from the SDK's `authInfo`; undefined when the request carried no identity. */
export function callerOf(authInfo: { extra?: Record<string, unknown> } | undefined): FleetIdentity | undefined {
  return authInfo?.extra?.fleetIdentity as FleetIdentity | undefined;
}
