/** A real JWKS endpoint on loopback for the JWT tests: an ES256 and an RS256 key, and a token factory. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWTPayload } from 'jose';

export interface Issuer {
  readonly issuer: string;
  readonly jwksUri: string;
  /** Requests served, for cache assertions. */
  readonly hits: () => number;
  /** Signs `claims` with the issuer's key `kid` (default the ES256 one). */
  /** `issuedAt`: epoch seconds for `iat`, or null for a token without `iat` (default now). */
  sign(claims: JWTPayload, options?: { kid?: 'es' | 'rs'; expiresIn?: string | number; key?: CryptoKey; alg?: string; issuedAt?: number | null }): Promise<string>;
  /** Make the JWKS endpoint answer 500 from now on. */
  breakEndpoint(): void;
  close(): Promise<void>;
}

export async function startIssuer(): Promise<Issuer> {
  const es = await generateKeyPair('ES256');
  const rs = await generateKeyPair('RS256');
  const jwks = {
    keys: [
      { ...(await exportJWK(es.publicKey)), kid: 'es', alg: 'ES256', use: 'sig' },
      { ...(await exportJWK(rs.publicKey)), kid: 'rs', alg: 'RS256', use: 'sig' },
    ],
  };
  let hits = 0;
  let broken = false;
  const server: Server = createServer((req, res) => {
    hits += 1;
    if (broken || req.url !== '/.well-known/jwks.json') {
      res.writeHead(broken ? 500 : 404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(jwks));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    issuer: base,
    jwksUri: `${base}/.well-known/jwks.json`,
    hits: () => hits,
    async sign(claims, options = {}) {
      const kid = options.kid ?? 'es';
      const key = options.key ?? (kid === 'es' ? es.privateKey : rs.privateKey);
      const jwt = new SignJWT(claims).setProtectedHeader({ alg: options.alg ?? (kid === 'es' ? 'ES256' : 'RS256'), kid });
      if (options.issuedAt !== null) jwt.setIssuedAt(options.issuedAt);
      return jwt.setExpirationTime(options.expiresIn ?? '5m').sign(key);
    },
    breakEndpoint: () => (broken = true),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
