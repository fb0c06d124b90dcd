/** The ALB→Lambda adapter and the Lambda handler's cold start, against a real pool. */
import type { ALBEvent } from 'aws-lambda';
import { albResultFor, requestFromAlbEvent, ALB_LAMBDA_RESPONSE_LIMIT_BYTES } from '../../../lib/gateway/adapters/alb-lambda';
import { createGatewayFromEnvironment } from '../../../lib/gateway/lambda';
import { verifyFleetIdentity } from '../../../lib/gateway/auth/identity';
import { createRedisClient } from '../../../lib/gateway/adapters/redis';
import { createTelemetry } from '../../../lib/gateway/telemetry/telemetry';
import { GATEWAY_ENV, IDENTITY_HEADER } from '../../../lib/spec/gateway-env';
import { MODERN_META } from '../../support/harness';
import { startV2Pool, type TestPool } from '../../support/pools';

function albEvent(body: unknown, options: { multiValue?: boolean; base64?: boolean; headers?: Record<string, string> } = {}): ALBEvent {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    'mcp-protocol-version': '2026-07-28',
    'mcp-method': 'tools/call',
    'mcp-name': 'github_search',
    'x-forwarded-for': '203.0.113.9, 10.0.0.1',
    ...options.headers,
  };
  const text = JSON.stringify(body);
  return {
    requestContext: { elb: { targetGroupArn: 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/gw/1' } },
    httpMethod: 'POST',
    path: '/mcp',
    body: options.base64 ? Buffer.from(text).toString('base64') : text,
    isBase64Encoded: options.base64 ?? false,
    ...(options.multiValue
      ? { multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])), multiValueQueryStringParameters: { a: ['1', '2'] } }
      : { headers, queryStringParameters: { a: '1' } }),
  };
}

const call = (text: string, id = 1) => ({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'github_search', arguments: { text }, _meta: MODERN_META } });

describe('ALB→Lambda gateway', () => {
  let pool: TestPool;
  const secrets: Record<string, string> = {
    'arn:identity': 'k'.repeat(32),
  };
  let env: Record<string, string>;

  beforeAll(async () => {
    pool = await startV2Pool({ name: 'github', tools: ['github_search'] });
    env = {
      [GATEWAY_ENV.spec]: JSON.stringify({ name: 'lambda', pools: [{ name: 'github', image: 'x', tools: ['github_*'] }] }),
      [GATEWAY_ENV.poolUrls]: JSON.stringify({ github: pool.url }),
      [GATEWAY_ENV.region]: 'eu-west-1',
      [GATEWAY_ENV.poolIdentitySecretArns]: JSON.stringify({ github: 'arn:identity' }),
    };
  });

  afterAll(() => pool.close());

  it('GIVEN an event with single-value headers WHEN converted THEN method, path, query, lower-case headers and peer address come through', () => {
    const request = requestFromAlbEvent(albEvent(call('x'), { headers: { 'X-Request-Id': 'abc' } }));
    expect(request).toMatchObject({ method: 'POST', path: '/mcp', query: 'a=1', remoteAddress: '203.0.113.9' });
    expect(request.headers['x-request-id']).toBe('abc');
    expect(JSON.parse(request.body)).toEqual(call('x'));
  });

  it('GIVEN multi-value headers and a base64 body WHEN the gateway answers THEN the result uses multi-value headers too', async () => {
    const gateway = await createGatewayFromEnvironment(env, async (arn) => secrets[arn]!, createTelemetry({ fleet: 'lambda', disabled: true }));
    const event = albEvent(call('hello'), { multiValue: true, base64: true });
    const request = requestFromAlbEvent(event);
    expect(request.query).toBe('a=1&a=2');
    const result = albResultFor(event, request, await gateway.handle(request));
    expect(result.statusCode).toBe(200);
    expect(result.statusDescription).toBe('200 OK');
    expect(result.headers).toBeUndefined();
    expect(result.multiValueHeaders!['content-type']).toEqual(['application/json']);
    expect(JSON.parse(JSON.parse(result.body!).result.content[0].text)).toMatchObject({ pool: 'github', args: { text: 'hello' } });
    // The pool's own identity secret became the key that signs the caller identity sent to it.
    const token = pool.seenHeaders.at(-1)![IDENTITY_HEADER] as string;
    await expect(verifyFleetIdentity(token, secrets['arn:identity']!, { fleet: 'lambda', pool: 'github' })).resolves.toMatchObject({ pool: 'github' });
    await expect(verifyFleetIdentity(token, 'o'.repeat(32), { fleet: 'lambda', pool: 'github' })).rejects.toThrow('signature verification failed');
    await gateway.close();
  });

  it.each([
    ['not JSON', '{', 'is not JSON'],
    ['not an object of ARNs', '["arn:identity"]', 'must be a JSON object of pool name to secret ARN'],
  ])('GIVEN pool identity secret ARNs that are %s WHEN the gateway starts THEN the error names the variable', async (_what, value, message) => {
    await expect(createGatewayFromEnvironment({ ...env, [GATEWAY_ENV.poolIdentitySecretArns]: value }, async (arn) => secrets[arn]!)).rejects.toThrow(
      `${GATEWAY_ENV.poolIdentitySecretArns} ${message}`,
    );
  });

  it('GIVEN an answer over the 1 MB ALB→Lambda limit WHEN converted THEN a JSON-RPC error replaces it, never a truncated body', async () => {
    const gateway = await createGatewayFromEnvironment(env, async (arn) => secrets[arn]!, createTelemetry({ fleet: 'lambda', disabled: true }));
    // Quotes double under each JSON encoding: a 0.6 MB request comes back as a 1.2 MB answer.
    const event = albEvent(call('"'.repeat(300_000), 42));
    const request = requestFromAlbEvent(event);
    const response = await gateway.handle(request);
    expect(response.status).toBe(200);
    const result = albResultFor(event, request, response);
    expect(result.statusCode).toBe(502);
    expect(Buffer.byteLength(JSON.stringify(result))).toBeLessThan(ALB_LAMBDA_RESPONSE_LIMIT_BYTES);
    expect(JSON.parse(result.body!)).toMatchObject({ id: 42, error: { code: -32603, message: expect.stringMatching(/^Response too large: the answer is \d+ bytes/) } });
    expect(result.headers!['x-request-id']).toBe(response.headers['x-request-id']);
    await gateway.close();
  });

  it('GIVEN a body over gateway.maxBodyBytes WHEN it arrives through the ALB THEN the core answers 413', async () => {
    const small = { ...env, [GATEWAY_ENV.spec]: JSON.stringify({ name: 'lambda', pools: [{ name: 'github', image: 'x', tools: ['github_*'] }], gateway: { maxBodyBytes: 2048 } }) };
    const gateway = await createGatewayFromEnvironment(small, async (arn) => secrets[arn]!, createTelemetry({ fleet: 'lambda', disabled: true }));
    const event = albEvent(call('z'.repeat(5000)));
    const request = requestFromAlbEvent(event);
    const result = albResultFor(event, request, await gateway.handle(request));
    expect(result.statusCode).toBe(413);
    expect(JSON.parse(result.body!).error.message).toContain('2048 bytes');
    await gateway.close();
  });

  it('GIVEN MCP_FLEET_REDIS_URL WHEN a 2025 client initializes THEN its session lives in Redis under the fleet and region', async () => {
    const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
    const gateway = await createGatewayFromEnvironment({ ...env, [GATEWAY_ENV.redisUrl]: redisUrl }, async (arn) => secrets[arn]!, createTelemetry({ fleet: 'lambda', disabled: true }));
    const init = { jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'alb', version: '1' } } };
    const event = albEvent(init, { headers: { 'mcp-protocol-version': '2025-11-25', 'mcp-method': 'initialize', 'mcp-name': '' } });
    const request = requestFromAlbEvent(event);
    const result = albResultFor(event, request, await gateway.handle(request));
    expect(result.statusCode).toBe(200);
    const sessionId = String(result.headers!['mcp-session-id']);
    expect(sessionId).toMatch(/^eu-west-1\./);
    const redis = createRedisClient(redisUrl);
    const key = `mcp-fleet:lambda:eu-west-1:session:${sessionId}`;
    expect(await redis.exists(key)).toBe(1);
    await redis.del(key);
    await redis.quit();
    await gateway.close();
  });

  it('GIVEN a broken environment WHEN the gateway is built THEN the error names the variable', async () => {
    await expect(createGatewayFromEnvironment({ ...env, [GATEWAY_ENV.poolUrls]: '{nope' }, async () => '')).rejects.toThrow(`${GATEWAY_ENV.poolUrls} is not valid JSON`);
    await expect(createGatewayFromEnvironment({ ...env, [GATEWAY_ENV.poolUrls]: '{}' }, async () => '')).rejects.toThrow(`${GATEWAY_ENV.poolUrls} has no URL for pool github`);
    await expect(createGatewayFromEnvironment({ [GATEWAY_ENV.poolUrls]: '{}' }, async () => '')).rejects.toThrow(`${GATEWAY_ENV.spec} is not set`);
  });
});
