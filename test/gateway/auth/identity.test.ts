import { IDENTITY_HEADER } from '../../../lib/spec';
import type { Principal } from '../../../lib/gateway/ports';
import { SignJWT } from 'jose';
import { FleetIdentityError, IdentitySigner, poolIdentityKey, verifyFleetIdentity } from '../../../lib/gateway/auth';

const FLEET_KEY = 'k'.repeat(32) + '-identity-hmac-key';
/** The github pool's own key: what the gateway signs its tokens with. */
const KEY = poolIdentityKey(FLEET_KEY, 'agents', 'github');
const alice: Principal = { id: 'alice', scopes: ['github:read', 'slack:post'], method: 'jwt' };

describe('fleet identity for pools', () => {
  test('GIVEN one fleet key WHEN pool keys are derived THEN each pool has its own, and a pool key verifies only its own tokens', async () => {
    const slackKey = poolIdentityKey(FLEET_KEY, 'agents', 'slack');
    expect(KEY).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(slackKey).not.toBe(KEY);
    expect(poolIdentityKey(FLEET_KEY, 'other-fleet', 'github')).not.toBe(KEY);
    const signer = new IdentitySigner({ key: FLEET_KEY, fleet: 'agents' });
    // The slack pool's key cannot verify (so cannot have minted) a token for github, even with aud rewritten.
    await expect(verifyFleetIdentity(await signer.tokenFor(alice, 'github'), slackKey, { pool: 'github', fleet: 'agents' })).rejects.toThrow('signature verification failed');
    // A token minted with the slack key is refused by github.
    const minted = await new IdentitySigner({ poolKeys: { github: slackKey }, fleet: 'agents' }).tokenFor(alice, 'github');
    await expect(verifyFleetIdentity(minted, KEY, { pool: 'github', fleet: 'agents' })).rejects.toThrow('signature verification failed');
    // Explicit pool keys (a secret per pool) are used as given.
    const explicit = await new IdentitySigner({ poolKeys: { github: KEY }, fleet: 'agents' }).tokenFor(alice, 'github');
    await expect(verifyFleetIdentity(explicit, KEY, { pool: 'github', fleet: 'agents' })).resolves.toMatchObject({ principal: 'alice' });
    await expect(new IdentitySigner({ poolKeys: { github: KEY }, fleet: 'agents' }).tokenFor(alice, 'slack')).rejects.toThrow('no identity key for pool "slack"');
  });

  test('GIVEN a signed identity WHEN the pool verifies it THEN it learns the caller, scopes and method', async () => {
    const signer = new IdentitySigner({ key: FLEET_KEY, fleet: 'agents' });
    const token = await signer.tokenFor(alice, 'github');
    const identity = await verifyFleetIdentity(token, KEY, { pool: 'github', fleet: 'agents' });
    expect(identity).toMatchObject({ principal: 'alice', scopes: ['github:read', 'slack:post'], method: 'jwt', fleet: 'agents', pool: 'github' });
    expect(identity.tokenId).toMatch(/^[0-9a-f-]{36}$/);
    expect(identity.expiresAt - Math.floor(Date.now() / 1000)).toBeGreaterThan(55);
    expect(identity.expiresAt - Math.floor(Date.now() / 1000)).toBeLessThanOrEqual(60);
    expect(IDENTITY_HEADER).toBe('x-mcp-fleet-identity');
  });

  test('GIVEN a tampered token WHEN verified THEN it is rejected', async () => {
    const token = await new IdentitySigner({ key: FLEET_KEY, fleet: 'agents' }).tokenFor(alice, 'github');
    const [header, payload, signature] = token.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
    const forged = Buffer.from(JSON.stringify({ ...claims, sub: 'root' })).toString('base64url');
    await expect(verifyFleetIdentity(`${header}.${forged}.${signature}`, KEY, { pool: 'github', fleet: 'agents' })).rejects.toThrow('fleet identity rejected: signature verification failed');
    await expect(verifyFleetIdentity(`${header}.${forged}.${signature}`, KEY, { pool: 'github', fleet: 'agents' })).rejects.toThrow(FleetIdentityError);
  });

  test('GIVEN a token for another pool, fleet or key WHEN verified THEN it is rejected', async () => {
    const token = await new IdentitySigner({ key: FLEET_KEY, fleet: 'agents' }).tokenFor(alice, 'github');
    await expect(verifyFleetIdentity(token, KEY, { pool: 'slack', fleet: 'agents' })).rejects.toThrow('fleet identity rejected: unexpected "aud" claim value');
    await expect(verifyFleetIdentity(token, KEY, { pool: 'github', fleet: 'other' })).rejects.toThrow('unexpected "iss" claim value');
    await expect(verifyFleetIdentity(token, 'x'.repeat(40), { pool: 'github', fleet: 'agents' })).rejects.toThrow('signature verification failed');
  });

  test('GIVEN an expired or long-lived token WHEN verified THEN it is rejected', async () => {
    const expired = await new IdentitySigner({ key: FLEET_KEY, fleet: 'agents', now: () => Date.now() - 120_000 }).tokenFor(alice, 'github');
    await expect(verifyFleetIdentity(expired, KEY, { pool: 'github', fleet: 'agents' })).rejects.toThrow('"exp" claim timestamp check failed');
    const longLived = await new SignJWT({ auth_method: 'jwt' })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('agents')
      .setAudience('github')
      .setSubject('a')
      .setJti('j')
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode(KEY));
    await expect(verifyFleetIdentity(longLived, KEY, { pool: 'github', fleet: 'agents' })).rejects.toThrow('lifetime 3600 s exceeds 60 s');
  });

  test('GIVEN repeated calls WHEN within the reuse window THEN the same token is returned; after it, a new one', async () => {
    let now = Date.now();
    const signer = new IdentitySigner({ key: FLEET_KEY, fleet: 'agents', reuseSeconds: 5, now: () => now });
    const first = await signer.tokenFor(alice, 'github');
    const concurrent = await Promise.all([signer.tokenFor(alice, 'github'), signer.tokenFor(alice, 'github')]);
    expect(concurrent).toEqual([first, first]);
    expect(await signer.tokenFor(alice, 'slack')).not.toBe(first);
    expect(await signer.tokenFor({ ...alice, scopes: ['github:read'] }, 'github')).not.toBe(first);
    now += 5_000;
    expect(await signer.tokenFor(alice, 'github')).not.toBe(first);
  });

  test('GIVEN a short key or a long lifetime WHEN configured THEN it is refused', () => {
    expect(() => new IdentitySigner({ key: 'short', fleet: 'agents' })).toThrow('IdentitySigner: the identity key must be at least 32 bytes (got 5)');
    expect(() => new IdentitySigner({ key: FLEET_KEY, fleet: 'agents', ttlSeconds: 300 })).toThrow('ttlSeconds must be an integer from 1 to 60');
    return expect(verifyFleetIdentity('a.b.c', 'short', { pool: 'p', fleet: 'f' })).rejects.toThrow('verifyFleetIdentity: the identity key must be at least 32 bytes');
  });

  test('GIVEN the hot path WHEN 10000 requests of one caller need a header THEN signing is amortized', async () => {
    const signer = new IdentitySigner({ key: FLEET_KEY, fleet: 'agents' });
    const started = performance.now();
    for (let i = 0; i < 10_000; i += 1) await signer.tokenFor(alice, 'github');
    expect(performance.now() - started).toBeLessThan(500);
  });
});
