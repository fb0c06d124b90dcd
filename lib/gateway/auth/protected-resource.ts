/**
 * OAuth 2.0 Protected Resource Metadata (RFC 9728), which the MCP authorization spec requires: it
 * tells a client which authorization server issues tokens for this MCP endpoint. The document lives at
 * the well-known URI with the resource's path appended (RFC 9728 §3.1), and at the bare well-known
 * path for clients that look there first.
 */
import type { ResolvedFleetSpec } from '../../spec';
import type { BufferedResponse, GatewayRequest } from '../http';

export const PROTECTED_RESOURCE_WELL_KNOWN = '/.well-known/oauth-protected-resource';

export interface ProtectedResourceMetadata {
  /** The MCP endpoint's canonical URL: the audience clients ask tokens for (RFC 8707). */
  readonly resource: string;
  readonly authorization_servers: readonly string[];
  /** Every scope some tool requires. */
  readonly scopes_supported?: readonly string[];
  /** Tokens go in the Authorization header only (never the query string). */
  readonly bearer_methods_supported: readonly ['header'];
  readonly resource_name?: string;
}

/**
 * `https://host` + MCP path, checked: an absolute http(s) URL without query or fragment; one trailing
 * slash is dropped (the MCP spec's canonical form).
 */
export function canonicalResourceUrl(publicUrl: string, mcpPath: string): string {
  let url: URL;
  try {
    url = new URL(publicUrl);
  } catch {
    throw new Error(`public URL "${publicUrl}" is not an absolute URL (expected e.g. https://mcp.example.com)`);
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.search !== '' || url.hash !== '') {
    throw new Error(`public URL "${publicUrl}" must be an http(s) URL without query or fragment`);
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}${mcpPath}`.replace(/\/$/, '');
}

/** Paths that serve the metadata, path-aware one first (RFC 9728 §3.1: `/mcp` → `/.well-known/oauth-protected-resource/mcp`). */
export function protectedResourceMetadataPaths(resourceUrl: string): readonly string[] {
  const path = new URL(resourceUrl).pathname.replace(/\/$/, '');
  return path === '' ? [PROTECTED_RESOURCE_WELL_KNOWN] : [`${PROTECTED_RESOURCE_WELL_KNOWN}${path}`, PROTECTED_RESOURCE_WELL_KNOWN];
}

/** The URL sent as `resource_metadata` in challenges: the path-aware one. */
export function protectedResourceMetadataUrl(resourceUrl: string): string {
  return new URL(protectedResourceMetadataPaths(resourceUrl)[0]!, resourceUrl).href;
}

/** The metadata document; undefined when the fleet has no JWT issuer (no authorization server to name). */
export function protectedResourceMetadata(spec: Pick<ResolvedFleetSpec, 'name' | 'auth'>, resourceUrl: string): ProtectedResourceMetadata | undefined {
  if (!spec.auth.jwt) return undefined;
  const scopes = [...new Set([...spec.auth.toolScopes.flatMap((entry) => entry.scopes), ...Object.values(spec.auth.poolScopes).flat()])].sort();
  return {
    resource: resourceUrl,
    authorization_servers: [spec.auth.jwt.issuer],
    ...(scopes.length > 0 ? { scopes_supported: scopes } : {}),
    bearer_methods_supported: ['header'],
    resource_name: `MCP fleet ${spec.name}`,
  };
}

/**
 * Serves the metadata: a response for requests to its paths, undefined for every other request so
 * the caller goes on routing. Readable cross-origin, as browser-based MCP clients fetch it.
 */
export class ProtectedResourceMetadataEndpoint {
  private readonly paths: ReadonlySet<string>;
  private readonly body: string | undefined;

  constructor(spec: Pick<ResolvedFleetSpec, 'name' | 'auth'>, resourceUrl: string) {
    this.paths = new Set(protectedResourceMetadataPaths(resourceUrl));
    const metadata = protectedResourceMetadata(spec, resourceUrl);
    this.body = metadata && JSON.stringify(metadata);
  }

  handle(request: GatewayRequest): BufferedResponse | undefined {
    if (!this.paths.has(request.path)) return undefined;
    const cors = { 'access-control-allow-origin': '*' };
    if (this.body === undefined) {
      return { status: 404, headers: { ...cors, 'content-type': 'application/json' }, body: JSON.stringify({ error: 'this fleet has no OAuth authorization server (auth.jwt is not set)' }) };
    }
    if (request.method === 'OPTIONS') {
      return { status: 204, headers: { ...cors, 'access-control-allow-methods': 'GET, HEAD, OPTIONS', 'access-control-allow-headers': 'mcp-protocol-version' }, body: '' };
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return { status: 405, headers: { ...cors, allow: 'GET, HEAD, OPTIONS' }, body: '' };
    }
    return {
      status: 200,
      headers: { ...cors, 'content-type': 'application/json', 'cache-control': 'public, max-age=3600' },
      body: request.method === 'HEAD' ? '' : this.body,
    };
  }
}
