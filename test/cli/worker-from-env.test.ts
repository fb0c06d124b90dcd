/**
 * `mcp-fleet worker --from-env` and the gateway's queue variables: what the IaC sets, read back, and
 * every bad value named by its variable. The worker signs callers with the pool's own key only.
 */
import { randomBytes } from 'node:crypto';
import { parseCommandLine } from '../../lib/cli/args';
import { UsageError } from '../../lib/cli/errors';
import { workerSetupFromEnvironment } from '../../lib/cli/env-worker';
import { gatewayOptionsFromEnvironment } from '../../lib/cli/env-gateway';
import { poolIdentityKey, verifyFleetIdentity } from '../../lib/gateway/auth/identity';
import { readGatewayEnvironment } from '../../lib/gateway/environment';
import { createGatewayFromEnvironment } from '../../lib/gateway/lambda';
import { GATEWAY_ENV, WORKER_ENV } from '../../lib/spec/gateway-env';

const POOL_KEY = randomBytes(32).toString('hex');
const SPEC = JSON.stringify({
  name: 'envfleet',
  pools: [
    { name: 'images', kind: 'queue', image: 'example/images:1', tools: ['image_*'] },
    { name: 'github', image: 'x', tools: ['github_*'] },
  ],
});
const QUEUE_URL = 'https://sqs.eu-west-1.amazonaws.com/123456789012/envfleet-images';

const workerEnv: Record<string, string> = {
  [WORKER_ENV.spec]: SPEC,
  [WORKER_ENV.pool]: 'images',
  [WORKER_ENV.serverUrl]: 'http://127.0.0.1:8080/mcp',
  [WORKER_ENV.queueUrl]: QUEUE_URL,
  [WORKER_ENV.redisUrl]: 'rediss://store.example.internal:6379',
  [WORKER_ENV.redisAuthToken]: 'token',
  [WORKER_ENV.identityKey]: POOL_KEY,
};

describe('mcp-fleet worker --from-env', () => {
  test('GIVEN the command line WHEN --from-env is given THEN it parses, and the flags it replaces are refused', () => {
    expect(parseCommandLine(['worker', '--from-env', '--concurrency', '4'])).toEqual({ command: 'worker', fromEnv: true, concurrency: 4 });
    expect(() => parseCommandLine(['worker', '--from-env', '--queue', QUEUE_URL])).toThrow(UsageError);
    expect(() => parseCommandLine(['worker', '--from-env', '--config', 'f.json'])).toThrow('drop --config');
  });

  test('GIVEN the environment the IaC sets WHEN read THEN the pool, server, queue and store come through and callers are signed with the pool key alone', async () => {
    const setup = workerSetupFromEnvironment(workerEnv);
    expect(setup).toMatchObject({
      pool: { name: 'images', kind: 'queue' },
      serverUrl: 'http://127.0.0.1:8080/mcp',
      queueUrl: QUEUE_URL,
      redisUrl: 'rediss://store.example.internal:6379',
      redisAuthToken: 'token',
    });
    const token = await setup.identity!.tokenFor('alice');
    // The pool verifies with its own key, as its server container holds it.
    await expect(verifyFleetIdentity(token, POOL_KEY, { fleet: 'envfleet', pool: 'images' })).resolves.toMatchObject({ principal: 'alice' });
    // Not a key derived from some fleet key: a pool verifying with a derived key refuses it.
    await expect(verifyFleetIdentity(token, poolIdentityKey(POOL_KEY, 'envfleet', 'images'), { fleet: 'envfleet', pool: 'images' })).rejects.toThrow('signature');
  });

  test.each([
    [WORKER_ENV.spec, undefined, 'is not set'],
    [WORKER_ENV.spec, '{nope', 'is not valid JSON'],
    [WORKER_ENV.spec, '{"name":"x"}', 'pools'],
    [WORKER_ENV.pool, undefined, 'is not set'],
    [WORKER_ENV.pool, 'slack', 'not a pool of the spec'],
    [WORKER_ENV.pool, 'github', 'a container pool'],
    [WORKER_ENV.serverUrl, undefined, 'is not set'],
    [WORKER_ENV.serverUrl, 'not a url', 'is not a URL'],
    [WORKER_ENV.serverUrl, 'http://10.0.0.7:8080/mcp', 'must name the server on loopback'],
    [WORKER_ENV.queueUrl, undefined, 'is not set'],
    [WORKER_ENV.queueUrl, 'nats://q', 'is unusable'],
    [WORKER_ENV.redisUrl, undefined, 'is not set'],
    [WORKER_ENV.redisUrl, 'http://store:6379', 'must be a redis:// or rediss:// URL'],
    [WORKER_ENV.identityKey, undefined, 'is not set'],
    [WORKER_ENV.identityKey, 'short', 'is unusable'],
  ])('GIVEN %s = %j WHEN read THEN the error names the variable (%s)', (variable, value, problem) => {
    const env = { ...workerEnv };
    if (value === undefined) delete env[variable];
    else env[variable] = value;
    expect(() => workerSetupFromEnvironment(env)).toThrow(variable);
    expect(() => workerSetupFromEnvironment(env)).toThrow(problem);
  });
});

describe("the gateway's queue URLs (GATEWAY_ENV.queueUrls)", () => {
  const gatewayEnv: Record<string, string> = {
    [GATEWAY_ENV.spec]: SPEC,
    // Only the container pool has a URL: nothing listens for the gateway in a queue pool.
    [GATEWAY_ENV.poolUrls]: JSON.stringify({ github: 'http://github.internal:8080/mcp' }),
    [GATEWAY_ENV.queueUrls]: JSON.stringify({ images: QUEUE_URL }),
    [GATEWAY_ENV.redisUrl]: 'rediss://store.example.internal:6379',
  };

  test('GIVEN each queue pool with its own queue URL WHEN read THEN the Lambda and the service get them, and the queue pool needs no pool URL', () => {
    expect(readGatewayEnvironment(gatewayEnv).queueUrls).toEqual({ images: QUEUE_URL });
    expect(gatewayOptionsFromEnvironment(gatewayEnv).queueUrl).toEqual({ images: QUEUE_URL });
  });

  test('GIVEN an AMQP queue URL WHEN the gateway Lambda starts THEN it is refused by variable and pool (the Lambda sends to SQS only)', async () => {
    const env = { ...gatewayEnv, [GATEWAY_ENV.queueUrls]: JSON.stringify({ images: 'amqp://broker:5672' }) };
    await expect(createGatewayFromEnvironment(env, async () => '')).rejects.toThrow(`${GATEWAY_ENV.queueUrls}.images must be an SQS queue URL`);
  });

  test('GIVEN a spec without queue pools and an empty map WHEN read THEN no queue and no store is needed', () => {
    const spec = JSON.stringify({ name: 'envfleet', pools: [{ name: 'github', image: 'x', tools: ['github_*'] }] });
    expect(readGatewayEnvironment({ ...gatewayEnv, [GATEWAY_ENV.spec]: spec, [GATEWAY_ENV.queueUrls]: '{}', [GATEWAY_ENV.redisUrl]: undefined }).queueUrls).toBeUndefined();
  });

  test.each([
    [{ [GATEWAY_ENV.queueUrls]: undefined }, `${GATEWAY_ENV.queueUrls} is not set, and the spec has queue pool images`],
    [{ [GATEWAY_ENV.queueUrls]: '[1]' }, 'must be a JSON object'],
    [{ [GATEWAY_ENV.queueUrls]: JSON.stringify({ images: QUEUE_URL, github: QUEUE_URL }) }, 'names "github", which is not a queue pool'],
    [{ [GATEWAY_ENV.queueUrls]: JSON.stringify({ images: 'ftp://q' }) }, `${GATEWAY_ENV.queueUrls}.images: queue open`],
    [{ [GATEWAY_ENV.queueUrls]: '{}' }, 'has no queue URL for queue pool images'],
    [{ [GATEWAY_ENV.redisUrl]: undefined }, `${GATEWAY_ENV.queueUrls} is set but ${GATEWAY_ENV.redisUrl} is not`],
    [{ [GATEWAY_ENV.poolUrls]: '{}' }, `${GATEWAY_ENV.poolUrls} has no URL for pool github`],
  ])('GIVEN %j WHEN read THEN the error names the variable', (change, message) => {
    const env: Record<string, string | undefined> = { ...gatewayEnv, ...change };
    expect(() => readGatewayEnvironment(env)).toThrow(message);
  });
});
