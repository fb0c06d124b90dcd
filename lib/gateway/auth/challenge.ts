/**
 * The `WWW-Authenticate` challenges of RFC 6750 §3 with the RFC 9728 `resource_metadata` parameter,
 * as the MCP authorization spec asks for 401 and 403 answers, and the errors that carry them.
 */
import { GatewayError } from '../errors';
import { RPC } from '../protocol/jsonrpc';

/**
 * JSON-RPC server error carried by refusals before any MCP method runs. The MCP SDKs answer these
 * with an OAuth error body and no JSON-RPC code; clients act on the HTTP status and the challenge.
 */
export const AUTH_ERROR_CODE = RPC.serverError;

export interface BearerChallenge {
  /**
   * RFC 6750 error code; absent when the request carried no credentials (§3.1).
   * @default - none
   */
  readonly error?: 'invalid_request' | 'invalid_token' | 'insufficient_scope';
  /** @default - none */
  readonly description?: string;
  /** Scopes the operation needs. @default - none */
  readonly scopes?: readonly string[];
  /** URL of the RFC 9728 protected resource metadata. @default - none */
  readonly resourceMetadataUrl?: string;
}

/** An RFC 9110 quoted-string: backslash and quote escaped, anything unprintable replaced. */
function quoted(value: string): string {
  return `"${value.replace(/[\\"]/g, '\\$&').replace(/[^\x20-\x7E]/g, ' ')}"`;
}

/** `Bearer error="…", error_description="…", scope="…", resource_metadata="…"` (absent parts left out). */
export function bearerChallenge(challenge: BearerChallenge): string {
  const params: string[] = [];
  if (challenge.error) params.push(`error=${quoted(challenge.error)}`);
  if (challenge.description) params.push(`error_description=${quoted(challenge.description)}`);
  if (challenge.scopes && challenge.scopes.length > 0) params.push(`scope=${quoted(challenge.scopes.join(' '))}`);
  if (challenge.resourceMetadataUrl) params.push(`resource_metadata=${quoted(challenge.resourceMetadataUrl)}`);
  return params.length > 0 ? `Bearer ${params.join(', ')}` : 'Bearer';
}

/**
 * 401 for a missing or unacceptable token. With no token at all the challenge has no error code
 * (RFC 6750 §3.1); with a bad one it says `invalid_token` and why.
 */
export function unauthorized(message: string, options: { tokenGiven: boolean; resourceMetadataUrl?: string; cause?: unknown }): GatewayError {
  const challenge = bearerChallenge({
    ...(options.tokenGiven ? { error: 'invalid_token' as const, description: message } : {}),
    ...(options.resourceMetadataUrl ? { resourceMetadataUrl: options.resourceMetadataUrl } : {}),
  });
  return new GatewayError(401, AUTH_ERROR_CODE, `Unauthorized: ${message}`, { 'www-authenticate': challenge }, options.cause === undefined ? undefined : { cause: options.cause });
}
