/**
 * The authenticator a fleet's spec asks for: an API key when its header is present, otherwise a
 * bearer JWT; anonymous only when the spec configures no authentication at all.
 */
import type { ResolvedAuthSpec } from '../../spec';
import type { GatewayRequest } from '../http';
import type { Authenticator, Principal } from '../ports';
import { ApiKeyAuthenticator, type ApiKeyRecord } from './api-keys';
import { JwtAuthenticator, type JwtAuthenticatorOptions } from './jwt';

/** The principal of every caller when a fleet has no authentication (local use). */
export const ANONYMOUS: Principal = Object.freeze({ id: 'anonymous', scopes: Object.freeze([]) as readonly string[], method: 'anonymous' });

export class CompositeAuthenticator implements Authenticator {
  constructor(
    private readonly methods: {
      /** @default - no JWT authentication */
      readonly jwt?: JwtAuthenticator;
      /** @default - no API keys */
      readonly apiKeys?: ApiKeyAuthenticator;
    },
  ) {}

  async authenticate(request: GatewayRequest): Promise<Principal> {
    const { jwt, apiKeys } = this.methods;
    if (!jwt && !apiKeys) return ANONYMOUS;
    if (apiKeys && request.headers[apiKeys.header] !== undefined) return apiKeys.authenticate(request);
    if (jwt) return jwt.authenticate(request);
    return apiKeys!.authenticate(request);
  }
}

export interface CreateAuthenticatorOptions extends Partial<Pick<JwtAuthenticatorOptions, 'clockToleranceSeconds' | 'jwksTimeoutMs' | 'jwksCacheMaxAgeMs' | 'algorithms'>> {
  /**
   * URL of the RFC 9728 metadata (see `protectedResourceMetadataUrl`). Required with `auth.jwt`.
   * @default - none
   */
  readonly resourceMetadataUrl?: string;
  /**
   * The stored API keys (see `parseApiKeysDocument`), read from the secret `auth.apiKeys.secretName`.
   * Required with `auth.apiKeys`.
   * @default - none
   */
  readonly apiKeys?: readonly ApiKeyRecord[];
}

/** Builds the authenticator of a resolved spec; throws when the spec needs an input that is missing. */
export function createAuthenticator(auth: ResolvedAuthSpec, options: CreateAuthenticatorOptions = {}): Authenticator {
  const { resourceMetadataUrl, apiKeys, ...jwtOptions } = options;
  if (auth.jwt && !resourceMetadataUrl) {
    throw new Error('createAuthenticator: auth.jwt is set, so resourceMetadataUrl (from the fleet public URL) is required for the 401 challenge');
  }
  if (auth.apiKeys && !apiKeys) {
    throw new Error(`createAuthenticator: auth.apiKeys is set, so the keys document from secret "${auth.apiKeys.secretName}" is required`);
  }
  return new CompositeAuthenticator({
    ...(auth.jwt ? { jwt: new JwtAuthenticator(auth.jwt, { ...jwtOptions, resourceMetadataUrl: resourceMetadataUrl! }) } : {}),
    ...(auth.apiKeys ? { apiKeys: new ApiKeyAuthenticator(apiKeys!, { header: auth.apiKeys.header }) } : {}),
  });
}
