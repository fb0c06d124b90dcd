import { resolveFleetSpec } from '../../../lib/spec';
import { GatewayError } from '../../../lib/gateway/errors';
import type { GatewayRequest } from '../../../lib/gateway/http';
import type { Principal } from '../../../lib/gateway/ports';
import {
  ANONYMOUS,
  canonicalResourceUrl,
  createAuthenticator,
  hashApiKey,
  OriginPolicy,
  parseApiKeysDocument,
  ProtectedResourceMetadataEndpoint,
  protectedResourceMetadataPaths,
  protectedResourceMetadataUrl,
  requiredScopes,
  ScopePolicy,
} from '../../../lib/gateway/auth';
import { startIssuer, type Issuer } from './jwks-server';

const request = (headers: Record<string, string> = {}, path = '/mcp', method = 'POST'): GatewayRequest => ({ method, path, query: '', headers, body: '' });

function thrown(fn: () => unknown): GatewayError {
  try {
    fn();
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
  throw new Error('expected a GatewayError');
}

const pools = [{ name: 'github', image: 'x', tools: ['github_*'] }];
const toolScopes = [
  { tools: 'github_delete_*', scopes: ['github:admin', 'github:write'] },
  { tools: 'github_*', scopes: ['github:read'] },
];

describe('ScopePolicy', () => {
  const metadataUrl = 'https://mcp.example.com/.well-known/oauth-protected-resource/mcp';
  const policy = new ScopePolicy(toolScopes, { resourceMetadataUrl: metadataUrl });
  const reader: Principal = { id: 'r', scopes: ['github:read', 'github:write'], method: 'jwt' };

  test('GIVEN overlapping patterns WHEN a tool is looked up THEN the first matching entry wins', () => {
    expect(requiredScopes(toolScopes, 'github_delete_repo')).toEqual(['github:admin', 'github:write']);
    expect(requiredScopes(toolScopes, 'github_list')).toEqual(['github:read']);
    expect(requiredScopes(toolScopes, 'slack_post')).toEqual([]);
  });

  test('GIVEN the scopes WHEN calling THEN it passes', () => {
    expect(() => policy.check(reader, 'github_list')).not.toThrow();
    expect(() => policy.check(ANONYMOUS, 'slack_post')).not.toThrow();
  });

  test('GIVEN a missing scope WHEN calling THEN 403 with an insufficient_scope challenge listing every required scope', () => {
    const error = thrown(() => policy.check(reader, 'github_delete_repo'));
    expect(error.status).toBe(403);
    expect(error.headers['www-authenticate']).toBe(
      `Bearer error="insufficient_scope", error_description="tool \\"github_delete_repo\\" requires scopes github:admin github:write", scope="github:admin github:write", resource_metadata="${metadataUrl}"`,
    );
    expect(error.message).toBe('Forbidden: tool "github_delete_repo" requires scopes github:admin github:write; missing github:admin');
    expect(error.data).toEqual({ tool: 'github_delete_repo', requiredScopes: ['github:admin', 'github:write'], missingScopes: ['github:admin'] });
  });
});

describe('protected resource metadata (RFC 9728)', () => {
  const spec = resolveFleetSpec({ name: 'agents', pools, auth: { jwt: { issuer: 'https://auth.example.com', audience: ['https://mcp.example.com/mcp'] }, toolScopes } });
  const resource = canonicalResourceUrl('https://MCP.example.com/', '/mcp');

  test('GIVEN the public URL and MCP path WHEN combined THEN the canonical resource and the path-aware well-known URL follow RFC 9728 §3.1', () => {
    expect(resource).toBe('https://mcp.example.com/mcp');
    expect(protectedResourceMetadataPaths(resource)).toEqual(['/.well-known/oauth-protected-resource/mcp', '/.well-known/oauth-protected-resource']);
    expect(protectedResourceMetadataUrl(resource)).toBe('https://mcp.example.com/.well-known/oauth-protected-resource/mcp');
    expect(protectedResourceMetadataPaths(canonicalResourceUrl('https://mcp.example.com', '/'))).toEqual(['/.well-known/oauth-protected-resource']);
    expect(() => canonicalResourceUrl('mcp.example.com', '/mcp')).toThrow('public URL "mcp.example.com" is not an absolute URL');
    expect(() => canonicalResourceUrl('https://x.com/?a=1', '/mcp')).toThrow('without query or fragment');
  });

  test.each(['/.well-known/oauth-protected-resource/mcp', '/.well-known/oauth-protected-resource'])('GIVEN GET %s WHEN served THEN the document names the issuer and every tool scope', (path) => {
    const response = new ProtectedResourceMetadataEndpoint(spec, resource).handle(request({}, path, 'GET'))!;
    expect(response.status).toBe(200);
    expect(response.headers).toMatchObject({ 'content-type': 'application/json', 'access-control-allow-origin': '*' });
    expect(JSON.parse(response.body)).toEqual({
      resource: 'https://mcp.example.com/mcp',
      authorization_servers: ['https://auth.example.com'],
      scopes_supported: ['github:admin', 'github:read', 'github:write'],
      bearer_methods_supported: ['header'],
      resource_name: 'MCP fleet agents',
    });
  });

  test('GIVEN other paths or methods WHEN served THEN it passes or answers 405; without JWT it answers 404', () => {
    const endpoint = new ProtectedResourceMetadataEndpoint(spec, resource);
    expect(endpoint.handle(request())).toBeUndefined();
    expect(endpoint.handle(request({}, '/.well-known/oauth-protected-resource/mcp', 'POST'))!.status).toBe(405);
    const noJwt = new ProtectedResourceMetadataEndpoint(resolveFleetSpec({ name: 'agents', pools }), resource);
    expect(noJwt.handle(request({}, '/.well-known/oauth-protected-resource', 'GET'))!.status).toBe(404);
  });
});

describe('OriginPolicy', () => {
  const policy = new OriginPolicy(['https://app.example.com', 'http://localhost:3000']);

  test('GIVEN no Origin or an allowed one (any case, default port) WHEN checked THEN it passes', () => {
    expect(() => policy.check(request())).not.toThrow();
    expect(() => policy.check(request({ origin: 'https://APP.example.com:443' }))).not.toThrow();
    expect(() => policy.check(request({ origin: 'http://localhost:3000' }))).not.toThrow();
  });

  test.each(['https://evil.example.com', 'http://app.example.com', 'null', 'http://localhost:3001'])('GIVEN Origin %s WHEN checked THEN 403', (origin) => {
    const error = thrown(() => policy.check(request({ origin })));
    expect(error.status).toBe(403);
    expect(error.message).toBe(`Forbidden: requests from origin "${origin}" are not allowed (auth.allowedOrigins)`);
  });

  test('GIVEN no allowed origins (the default) WHEN a browser page calls THEN 403, as DNS rebinding would', () => {
    expect(thrown(() => new OriginPolicy([]).check(request({ origin: 'http://127.0.0.1.nip.io' }))).status).toBe(403);
    expect(() => new OriginPolicy(['app.example.com'])).toThrow('OriginPolicy: "app.example.com" is not an http(s) origin');
  });
});

describe('createAuthenticator', () => {
  let issuer: Issuer;
  beforeAll(async () => {
    issuer = await startIssuer();
  });
  afterAll(() => issuer.close());

  test('GIVEN a spec without auth WHEN authenticating THEN every caller is anonymous', async () => {
    const auth = createAuthenticator(resolveFleetSpec({ name: 'agents', pools }).auth);
    await expect(auth.authenticate(request({ authorization: 'Bearer whatever' }))).resolves.toBe(ANONYMOUS);
  });

  test('GIVEN JWT and API keys WHEN the key header is present THEN the key decides, otherwise the bearer token', async () => {
    const spec = resolveFleetSpec({
      name: 'agents',
      pools,
      auth: { jwt: { issuer: issuer.issuer.replace('http:', 'https:'), audience: ['mcp'] }, apiKeys: { secretName: 'mcp/keys' } },
    });
    const auth = createAuthenticator(
      { ...spec.auth, jwt: { ...spec.auth.jwt!, issuer: issuer.issuer, jwksUri: issuer.jwksUri } },
      {
        resourceMetadataUrl: 'https://m/.well-known/oauth-protected-resource/mcp',
        apiKeys: parseApiKeysDocument({ keys: [{ id: 'k', sha256: hashApiKey('secret-key'), principal: 'bot', scopes: [] }] }, 'keys'),
      },
    );
    const token = await issuer.sign({ iss: issuer.issuer, aud: 'mcp', sub: 'human' });
    await expect(auth.authenticate(request({ 'x-api-key': 'secret-key', authorization: `Bearer ${token}` }))).resolves.toMatchObject({ id: 'bot', method: 'api-key' });
    await expect(auth.authenticate(request({ authorization: `Bearer ${token}` }))).resolves.toMatchObject({ id: 'human', method: 'jwt' });
    await expect(auth.authenticate(request({ 'x-api-key': 'wrong', authorization: `Bearer ${token}` }))).rejects.toThrow('API key in the x-api-key header is not valid');
    const none = (await auth.authenticate(request()).catch((e: unknown) => e)) as GatewayError;
    expect(none.status).toBe(401);
    expect(none.headers['www-authenticate']).toBe('Bearer resource_metadata="https://m/.well-known/oauth-protected-resource/mcp"');
  });

  test('GIVEN API keys only WHEN no key is sent THEN 401 naming the header', async () => {
    const spec = resolveFleetSpec({ name: 'agents', pools, auth: { apiKeys: { secretName: 'mcp/keys', header: 'x-key' } } });
    const auth = createAuthenticator(spec.auth, { apiKeys: [] });
    await expect(auth.authenticate(request())).rejects.toThrow('an API key is required in the x-key header');
  });

  test('GIVEN a spec that needs inputs WHEN they are missing THEN construction says which', () => {
    const spec = resolveFleetSpec({ name: 'agents', pools, auth: { jwt: { issuer: 'https://i.example.com', audience: ['a'] }, apiKeys: { secretName: 'mcp/keys' } } });
    expect(() => createAuthenticator(spec.auth, { apiKeys: [] })).toThrow('resourceMetadataUrl');
    expect(() => createAuthenticator(spec.auth, { resourceMetadataUrl: 'https://m' })).toThrow('the keys document from secret "mcp/keys" is required');
  });
});
