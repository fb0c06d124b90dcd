/**
 * API keys, stored only as SHA-256 hashes in a JSON document (kept in a secret):
 * `{ "keys": [{ "id", "sha256", "principal", "scopes": [] }] }`. A presented key is hashed and
 * compared with every stored hash in constant time.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import * as z from 'zod/mini';
import { DEFAULTS } from '../../spec';
import { GatewayError } from '../errors';
import type { GatewayRequest } from '../http';
import type { Authenticator, Principal } from '../ports';
import { AUTH_ERROR_CODE } from './challenge';

/** One stored key. */
export interface ApiKeyRecord {
  /** Key id, for logs and rotation (never the key). */
  readonly id: string;
  /** Lower-case hex SHA-256 of the key. */
  readonly sha256: string;
  /** The principal a caller with this key acts as. */
  readonly principal: string;
  /** Scopes granted to the key. */
  readonly scopes: readonly string[];
}

const apiKeysDocumentSchema = z.strictObject({
  keys: z.array(
    z.strictObject({
      id: z.string().check(z.minLength(1)),
      sha256: z.string().check(z.regex(/^[0-9a-fA-F]{64}$/, 'must be the 64 hex digits of a SHA-256 hash')),
      principal: z.string().check(z.minLength(1)),
      scopes: z.optional(z.array(z.string().check(z.regex(/^[\x21\x23-\x5B\x5D-\x7E]+$/, 'must be an OAuth scope token')))),
    }),
  ),
});

/** Thrown for a malformed keys document; lists every problem with its path. */
export class ApiKeysDocumentError extends Error {
  constructor(
    source: string,
    public readonly problems: readonly string[],
  ) {
    super(`${source}: invalid API keys document (expected {"keys":[{"id","sha256","principal","scopes"}]}):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ApiKeysDocumentError';
  }
}

/**
 * Parses and checks a keys document (text or already-parsed JSON). `source` names where it came
 * from (a secret name, a file) in errors. Duplicate ids or hashes are errors too.
 */
export function parseApiKeysDocument(document: unknown, source: string): ApiKeyRecord[] {
  let value = document;
  if (typeof document === 'string') {
    try {
      value = JSON.parse(document);
    } catch (cause) {
      throw new ApiKeysDocumentError(source, [`(document): not valid JSON (${(cause as Error).message})`]);
    }
  }
  const parsed = apiKeysDocumentSchema.safeParse(value);
  if (!parsed.success) {
    throw new ApiKeysDocumentError(
      source,
      parsed.error.issues.map((issue) => `${formatPath(issue.path) || '(document)'}: ${issue.message}`),
    );
  }
  const problems: string[] = [];
  const seenIds = new Map<string, number>();
  const seenHashes = new Map<string, number>();
  const records = parsed.data.keys.map((key, index) => {
    const sha256 = key.sha256.toLowerCase();
    const sameId = seenIds.get(key.id);
    if (sameId !== undefined) problems.push(`keys[${index}].id: "${key.id}" is also the id of keys[${sameId}]`);
    const sameHash = seenHashes.get(sha256);
    if (sameHash !== undefined) problems.push(`keys[${index}].sha256: the same key as keys[${sameHash}]`);
    seenIds.set(key.id, index);
    seenHashes.set(sha256, index);
    return { id: key.id, sha256, principal: key.principal, scopes: [...(key.scopes ?? [])] };
  });
  if (problems.length > 0) throw new ApiKeysDocumentError(source, problems);
  return records;
}

function formatPath(path: readonly PropertyKey[]): string {
  return path.map((part, i) => (typeof part === 'number' ? `[${part}]` : `${i === 0 ? '' : '.'}${String(part)}`)).join('');
}

/** Lower-case hex SHA-256 of a key: what the keys document stores. */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** A new random key (256 bits, base64url) and its hash, for `mcp-fleet` tooling that issues keys. */
export function generateApiKey(): { key: string; sha256: string } {
  const key = `mcpf_${randomBytes(32).toString('base64url')}`;
  return { key, sha256: hashApiKey(key) };
}

export interface ApiKeyAuthenticatorOptions {
  /**
   * Request header that carries the key (lower case).
   * @default 'x-api-key'
   */
  readonly header?: string;
}

export class ApiKeyAuthenticator implements Authenticator {
  /** The request header that carries the key, lower case. */
  public readonly header: string;
  private readonly hashes: ReadonlyArray<{ readonly digest: Buffer; readonly record: ApiKeyRecord }>;

  constructor(keys: readonly ApiKeyRecord[], options: ApiKeyAuthenticatorOptions = {}) {
    this.header = (options.header ?? DEFAULTS.apiKeyHeader).toLowerCase();
    this.hashes = keys.map((record) => ({ digest: Buffer.from(record.sha256, 'hex'), record }));
  }

  async authenticate(request: GatewayRequest): Promise<Principal> {
    const key = request.headers[this.header];
    if (key === undefined || key === '') {
      throw apiKeyRefusal(`an API key is required in the ${this.header} header`, this.header);
    }
    const presented = createHash('sha256').update(key, 'utf8').digest();
    // Compare with every stored hash, without stopping at a match: the time taken says nothing about which key matched.
    let found: ApiKeyRecord | undefined;
    for (const { digest, record } of this.hashes) {
      if (timingSafeEqual(presented, digest) && found === undefined) found = record;
    }
    if (!found) throw apiKeyRefusal(`the API key in the ${this.header} header is not valid`, this.header);
    return { id: found.principal, scopes: found.scopes, method: 'api-key' };
  }
}

function apiKeyRefusal(message: string, header: string): GatewayError {
  // RFC 9110 requires a challenge on 401; API keys have no registered scheme, so this one names the header.
  return new GatewayError(401, AUTH_ERROR_CODE, `Unauthorized: ${message}`, { 'www-authenticate': `ApiKey header="${header}"` });
}
