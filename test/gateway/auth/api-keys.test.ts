import type { GatewayRequest } from '../../../lib/gateway/http';
import { ApiKeyAuthenticator, ApiKeysDocumentError, generateApiKey, hashApiKey, parseApiKeysDocument } from '../../../lib/gateway/auth';
import { GatewayError } from '../../../lib/gateway/errors';

const request = (headers: Record<string, string>): GatewayRequest => ({ method: 'POST', path: '/mcp', query: '', headers, body: '' });

describe('API keys', () => {
  const ciKey = 'ci-key-0123456789';
  const opsKey = generateApiKey();
  const document = JSON.stringify({
    keys: [
      { id: 'ci', sha256: hashApiKey(ciKey), principal: 'ci-bot', scopes: ['github:read'] },
      { id: 'ops', sha256: opsKey.sha256.toUpperCase(), principal: 'ops', scopes: [] },
    ],
  });

  test('GIVEN a key WHEN hashed THEN it is the SHA-256 hex digest', () => {
    expect(hashApiKey('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(opsKey.key).toMatch(/^mcpf_[A-Za-z0-9_-]{43}$/);
    expect(opsKey.sha256).toBe(hashApiKey(opsKey.key));
  });

  test('GIVEN the stored hashes WHEN a caller presents a key THEN it acts as that key principal with its scopes', async () => {
    const auth = new ApiKeyAuthenticator(parseApiKeysDocument(document, 'secret mcp/keys'));
    await expect(auth.authenticate(request({ 'x-api-key': ciKey }))).resolves.toEqual({ id: 'ci-bot', scopes: ['github:read'], method: 'api-key' });
    await expect(auth.authenticate(request({ 'x-api-key': opsKey.key }))).resolves.toEqual({ id: 'ops', scopes: [], method: 'api-key' });
  });

  test('GIVEN a custom header WHEN the key comes in it THEN it is read from there', async () => {
    const auth = new ApiKeyAuthenticator(parseApiKeysDocument(document, 's'), { header: 'X-Fleet-Key' });
    expect(auth.header).toBe('x-fleet-key');
    await expect(auth.authenticate(request({ 'x-fleet-key': ciKey }))).resolves.toMatchObject({ id: 'ci-bot' });
  });

  test.each([
    ['a wrong key', { 'x-api-key': 'ci-key-0123456780' }, 'Unauthorized: the API key in the x-api-key header is not valid'],
    ['no key', {}, 'Unauthorized: an API key is required in the x-api-key header'],
    ['the stored hash itself', { 'x-api-key': hashApiKey(ciKey) }, 'Unauthorized: the API key in the x-api-key header is not valid'],
  ])('GIVEN %s WHEN authenticating THEN 401 with an ApiKey challenge', async (_, headers, message) => {
    const auth = new ApiKeyAuthenticator(parseApiKeysDocument(document, 's'));
    const error = (await auth.authenticate(request(headers)).catch((e: unknown) => e)) as GatewayError;
    expect(error).toBeInstanceOf(GatewayError);
    expect(error.status).toBe(401);
    expect(error.message).toBe(message);
    expect(error.headers).toEqual({ 'www-authenticate': 'ApiKey header="x-api-key"' });
  });

  test('GIVEN a document with several mistakes WHEN parsed THEN every one is reported with its path', () => {
    const bad = {
      keys: [
        { id: '', sha256: 'abc', principal: 'p', scopes: ['ok'] },
        { id: 'b', sha256: hashApiKey('x'), scopes: 'all', extra: 1 },
      ],
    };
    let error: unknown;
    try {
      parseApiKeysDocument(bad, 'secret mcp/keys');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ApiKeysDocumentError);
    const problems = (error as ApiKeysDocumentError).problems;
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^keys\[0\]\.id: /),
        'keys[0].sha256: must be the 64 hex digits of a SHA-256 hash',
        expect.stringMatching(/^keys\[1\]\.principal: /),
        expect.stringMatching(/^keys\[1\]\.scopes: /),
        expect.stringMatching(/^keys\[1\]: .*extra/),
      ]),
    );
    expect((error as Error).message).toMatch(/^secret mcp\/keys: invalid API keys document/);
  });

  test('GIVEN duplicate ids or keys WHEN parsed THEN both are named', () => {
    const dup = {
      keys: [
        { id: 'a', sha256: hashApiKey('k'), principal: 'p' },
        { id: 'a', sha256: hashApiKey('k').toUpperCase(), principal: 'q' },
      ],
    };
    expect(() => parseApiKeysDocument(dup, 'f.json')).toThrow(/keys\[1\]\.id: "a" is also the id of keys\[0\][\s\S]*keys\[1\]\.sha256: the same key as keys\[0\]/);
  });

  test('GIVEN text that is not JSON WHEN parsed THEN the error says so', () => {
    expect(() => parseApiKeysDocument('{keys:', 'f.json')).toThrow(/^f\.json: invalid API keys document[\s\S]*\(document\): not valid JSON/);
  });
});
