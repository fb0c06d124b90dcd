import { GatewayError } from '../../../lib/gateway/errors';
import type { GatewayRequest } from '../../../lib/gateway/http';
import { JwtAuthenticator } from '../../../lib/gateway/auth';
import * as jose from 'jose';
import { startIssuer, type Issuer } from './jwks-server';

const METADATA = 'https://mcp.example.com/.well-known/oauth-protected-resource/mcp';

function request(authorization?: string): GatewayRequest {
  return { method: 'POST', path: '/mcp', query: '', headers: authorization === undefined ? {} : { authorization }, body: '' };
}

async function refusal(promise: Promise<unknown>): Promise<GatewayError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof GatewayError)) throw new Error(`expected a GatewayError, got ${String(error)}`);
  return error;
}

describe('JwtAuthenticator (real JWKS over http on loopback)', () => {
  let issuer: Issuer;
  let auth: JwtAuthenticator;

  beforeAll(async () => {
    issuer = await startIssuer();
    auth = new JwtAuthenticator({ issuer: issuer.issuer, audience: ['mcp-fleet', 'other'], jwksUri: issuer.jwksUri, principalClaim: 'sub' }, { resourceMetadataUrl: METADATA });
  });
  afterAll(() => issuer.close());

  test('GIVEN a valid ES256 token with a scope string WHEN authenticated THEN the principal has its sub and scopes', async () => {
    const token = await issuer.sign({ iss: issuer.issuer, aud: 'mcp-fleet', sub: 'agent-7', scope: 'github:read github:write' });
    await expect(auth.authenticate(request(`Bearer ${token}`))).resolves.toEqual({ id: 'agent-7', scopes: ['github:read', 'github:write'], method: 'jwt' });
  });

  test('GIVEN a valid RS256 token with an scp array and a second audience WHEN authenticated THEN scopes come from scp', async () => {
    const token = await issuer.sign({ iss: issuer.issuer, aud: ['other'], sub: 'svc', scp: ['slack:post', 'slack:read'] }, { kid: 'rs' });
    await expect(auth.authenticate(request(`bearer ${token}`))).resolves.toEqual({ id: 'svc', scopes: ['slack:post', 'slack:read'], method: 'jwt' });
  });

  test('GIVEN a custom principal claim WHEN the token has it THEN it names the caller', async () => {
    const byEmail = new JwtAuthenticator({ issuer: issuer.issuer, audience: ['mcp-fleet'], jwksUri: issuer.jwksUri, principalClaim: 'email' }, { resourceMetadataUrl: METADATA });
    const token = await issuer.sign({ iss: issuer.issuer, aud: 'mcp-fleet', sub: 'x', email: 'ops@example.com' });
    expect((await byEmail.authenticate(request(`Bearer ${token}`))).id).toBe('ops@example.com');
    const without = await issuer.sign({ iss: issuer.issuer, aud: 'mcp-fleet', sub: 'x' });
    expect((await refusal(byEmail.authenticate(request(`Bearer ${without}`)))).message).toBe('Unauthorized: the token has no "email" claim naming the caller');
  });

  describe('token age (auth.jwt.maxTokenAgeSeconds, 5 s leeway)', () => {
    const now = () => Math.floor(Date.now() / 1000);
    let aged: JwtAuthenticator;
    beforeAll(() => {
      aged = new JwtAuthenticator({ issuer: issuer.issuer, audience: ['mcp-fleet'], jwksUri: issuer.jwksUri, principalClaim: 'sub', maxTokenAgeSeconds: 3600 }, { resourceMetadataUrl: METADATA });
    });
    const claims = () => ({ iss: issuer.issuer, aud: 'mcp-fleet', sub: 'agent-7' });

    test('GIVEN a token issued in the future WHEN authenticated THEN 401 saying so', async () => {
      const token = await issuer.sign(claims(), { issuedAt: now() + 600, expiresIn: now() + 1200 });
      const error = await refusal(aged.authenticate(request(`Bearer ${token}`)));
      expect(error.status).toBe(401);
      expect(error.message).toBe('Unauthorized: the token is issued in the future ("iat" is ahead of the clock)');
      // Within the leeway it is fine.
      const skewed = await issuer.sign(claims(), { issuedAt: now() + 3 });
      await expect(aged.authenticate(request(`Bearer ${skewed}`))).resolves.toMatchObject({ id: 'agent-7' });
    });

    test('GIVEN an unexpired token older than the maximum age WHEN authenticated THEN 401', async () => {
      const token = await issuer.sign(claims(), { issuedAt: now() - 7200, expiresIn: now() + 600 });
      expect((await refusal(aged.authenticate(request(`Bearer ${token}`)))).message).toBe('Unauthorized: the token is older than 3600 s ("iat")');
    });

    test('GIVEN a token without iat WHEN it stays valid longer than the maximum age THEN 401; a short-lived one passes', async () => {
      const long = await issuer.sign(claims(), { issuedAt: null, expiresIn: now() + 7200 });
      expect((await refusal(aged.authenticate(request(`Bearer ${long}`)))).message).toContain('has no "iat" and stays valid for more than 3600 s');
      const short = await issuer.sign(claims(), { issuedAt: null, expiresIn: now() + 600 });
      await expect(aged.authenticate(request(`Bearer ${short}`))).resolves.toMatchObject({ id: 'agent-7' });
    });

    test('GIVEN no maxTokenAgeSeconds WHEN a day-old token arrives THEN the 24 h default refuses it', async () => {
      const token = await issuer.sign(claims(), { issuedAt: now() - 90_000, expiresIn: now() + 600 });
      expect((await refusal(auth.authenticate(request(`Bearer ${token}`)))).message).toContain('older than 86400 s');
    });
  });

  test('GIVEN no Authorization header WHEN authenticated THEN 401 with a challenge that points at the metadata and has no error code', async () => {
    const error = await refusal(auth.authenticate(request()));
    expect(error.status).toBe(401);
    expect(error.headers).toEqual({ 'www-authenticate': `Bearer resource_metadata="${METADATA}"` });
  });

  test.each([
    ['expired', { exp: Math.floor(Date.now() / 1000) - 60 }, 'the token has expired'],
    ['from another issuer', { iss: 'https://evil.example.com' }, 'unexpected \\"iss\\" claim value'],
    ['for another audience', { aud: 'someone-else' }, 'unexpected \\"aud\\" claim value'],
  ])('GIVEN a token %s WHEN authenticated THEN 401 invalid_token saying why', async (_, overrides, why) => {
    const { exp, ...claims } = { iss: issuer.issuer, aud: 'mcp-fleet', sub: 'agent-7', ...overrides } as Record<string, unknown>;
    const token = await issuer.sign(claims, exp === undefined ? {} : { expiresIn: exp as number });
    const error = await refusal(auth.authenticate(request(`Bearer ${token}`)));
    expect(error.status).toBe(401);
    expect(error.headers['www-authenticate']).toMatch(
      /^Bearer error="invalid_token", error_description="[^"\\]*(\\.[^"\\]*)*", resource_metadata="https:\/\/mcp\.example\.com\/\.well-known\/oauth-protected-resource\/mcp"$/,
    );
    expect(error.headers['www-authenticate']).toContain(why);
  });

  test('GIVEN a token signed by a stranger with the issuer kid WHEN authenticated THEN 401 for the signature', async () => {
    const stranger = await jose.generateKeyPair('ES256');
    const token = await issuer.sign({ iss: issuer.issuer, aud: 'mcp-fleet', sub: 'agent-7' }, { key: stranger.privateKey });
    const error = await refusal(auth.authenticate(request(`Bearer ${token}`)));
    expect(error.status).toBe(401);
    expect(error.message).toBe('Unauthorized: the token signature is invalid');
  });

  test('GIVEN an unsigned alg=none token WHEN authenticated THEN 401', async () => {
    const header = jose.base64url.encode(JSON.stringify({ alg: 'none', typ: 'JWT' }));
    const body = jose.base64url.encode(JSON.stringify({ iss: issuer.issuer, aud: 'mcp-fleet', sub: 'root', exp: Math.floor(Date.now() / 1000) + 300 }));
    const error = await refusal(auth.authenticate(request(`Bearer ${header}.${body}.`)));
    expect(error.status).toBe(401);
    expect(error.headers['www-authenticate']).toContain('error="invalid_token"');
  });

  test('GIVEN an HS256 token keyed with the public JWK (algorithm confusion) WHEN authenticated THEN the algorithm is refused', async () => {
    const secret = new TextEncoder().encode('{"kty":"EC"}');
    const token = await new jose.SignJWT({ iss: issuer.issuer, aud: 'mcp-fleet', sub: 'root' }).setProtectedHeader({ alg: 'HS256', kid: 'es' }).setExpirationTime('5m').sign(secret);
    const error = await refusal(auth.authenticate(request(`Bearer ${token}`)));
    expect(error.message).toBe('Unauthorized: the token is signed with an algorithm that is not accepted');
  });

  test('GIVEN a malformed header or token WHEN authenticated THEN 401 invalid_token', async () => {
    expect((await refusal(auth.authenticate(request('Basic dXNlcjpwYXNz')))).message).toBe('Unauthorized: the Authorization header must be "Bearer <token>"');
    const garbage = await refusal(auth.authenticate(request('Bearer not.a.jwt')));
    expect(garbage.status).toBe(401);
    expect(garbage.message).toMatch(/^Unauthorized: the token is malformed/);
  });

  test('GIVEN symmetric algorithms in the allow-list WHEN constructed THEN it refuses them by name', () => {
    expect(
      () => new JwtAuthenticator({ issuer: 'https://i', audience: ['a'], jwksUri: 'https://i/jwks', principalClaim: 'sub' }, { resourceMetadataUrl: METADATA, algorithms: ['RS256', 'HS256'] }),
    ).toThrow(/asymmetric algorithms .*refused: HS256/);
  });

  test('GIVEN many requests WHEN verified THEN the JWKS is fetched once and cached', async () => {
    const fresh = await startIssuer();
    try {
      const cached = new JwtAuthenticator({ issuer: fresh.issuer, audience: ['mcp-fleet'], jwksUri: fresh.jwksUri, principalClaim: 'sub' }, { resourceMetadataUrl: METADATA });
      const token = await fresh.sign({ iss: fresh.issuer, aud: 'mcp-fleet', sub: 'a' });
      await Promise.all([...Array(20)].map(() => cached.authenticate(request(`Bearer ${token}`))));
      expect(fresh.hits()).toBe(1);
    } finally {
      await fresh.close();
    }
  });

  test('GIVEN a JWKS endpoint that fails WHEN a token must be verified THEN 503 (our fault), not 401 (theirs)', async () => {
    const failing = await startIssuer();
    try {
      failing.breakEndpoint();
      const broken = new JwtAuthenticator({ issuer: failing.issuer, audience: ['mcp-fleet'], jwksUri: failing.jwksUri, principalClaim: 'sub' }, { resourceMetadataUrl: METADATA });
      const token = await failing.sign({ iss: failing.issuer, aud: 'mcp-fleet', sub: 'a' });
      const error = await refusal(broken.authenticate(request(`Bearer ${token}`)));
      expect(error.status).toBe(503);
      expect(error.message).toContain(`cannot fetch the issuer's keys from ${failing.jwksUri}`);
    } finally {
      await failing.close();
    }
  });
});
