/**
 * A queue pool's runtime contract on AWS, with moto's SQS, the real Redis and the real `images`
 * example pool verifying callers with its own key: the worker container (`mcp-fleet worker
 * --from-env`) signs with the pool's own key only, and publishes the server's tools; the gateway
 * Lambda, built from its environment with the pool's own SQS queue URL and no pool URL, lists the
 * pool's tools while no worker runs and gets a call answered once a worker runs.
 */
import { randomBytes } from 'node:crypto';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { startImagesPool, type PoolHandle } from '../../examples/pools';
import { runWorker } from '../../lib/cli/commands/worker';
import type { CliIo } from '../../lib/cli/io';
import { createGatewayFromEnvironment } from '../../lib/gateway/lambda';
import { createTelemetry } from '../../lib/gateway/telemetry/telemetry';
import type { Gateway } from '../../lib/gateway';
import { GATEWAY_ENV, WORKER_ENV } from '../../lib/spec/gateway-env';
import { MotoServer } from '../deploy/support/moto-server';
import { modernRequest } from '../support/harness';
import { eventually, openStore, REDIS_URL, uniqueFleet, type TestStore } from './support';

const POOL = 'images';
/** The pool's own identity key, as the IaC generates it: the server and the worker hold it, nothing else. */
const POOL_KEY = randomBytes(32).toString('hex');

describe('queue pools on AWS: worker --from-env and the gateway Lambda with SQS (moto)', () => {
  let moto: MotoServer;
  let sqs: SQSClient;
  let fleet: string;
  let stores: TestStore;
  let images: PoolHandle;
  let queueUrl: string;
  const saved = { ...process.env };

  const spec = () => JSON.stringify({ name: fleet, pools: [{ name: POOL, kind: 'queue', image: 'example/images:1', tools: ['image_*'] }] });

  beforeAll(async () => {
    moto = await MotoServer.start({ command: ['moto_server'] });
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', AWS_REGION: 'us-east-1' });
    sqs = new SQSClient({ region: 'us-east-1', endpoint: `http://127.0.0.1:${moto.port}` });
    fleet = uniqueFleet();
    stores = openStore(fleet);
    queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: `${fleet}-${POOL}`, Attributes: { VisibilityTimeout: '30' } }))).QueueUrl!;
    images = await startImagesPool({ port: 0, identity: { key: POOL_KEY, fleet, pool: POOL } });
  }, 60_000);

  afterAll(async () => {
    await images?.close();
    await stores?.close();
    sqs?.destroy();
    await moto?.stop();
    process.env = saved;
  });

  /** The worker container's environment, as the plan sets it (no fleet key anywhere). */
  function workerEnv(): NodeJS.ProcessEnv {
    return {
      [WORKER_ENV.spec]: spec(),
      [WORKER_ENV.pool]: POOL,
      [WORKER_ENV.serverUrl]: images.url,
      [WORKER_ENV.queueUrl]: queueUrl,
      [WORKER_ENV.redisUrl]: REDIS_URL,
      [WORKER_ENV.identityKey]: POOL_KEY,
    };
  }

  /** Starts `mcp-fleet worker --from-env` in this process; `stop()` sends it "SIGTERM" and waits for it. */
  function startWorker(): { lines: string[]; stop(): Promise<number> } {
    const lines: string[] = [];
    const io: CliIo = { out: (line) => lines.push(line), err: (line) => lines.push(line) };
    let signal!: (s: NodeJS.Signals) => void;
    const exited = runWorker({ command: 'worker', fromEnv: true }, io, new Promise((resolve) => (signal = resolve)), workerEnv());
    return { lines, stop: () => (signal('SIGTERM'), exited) };
  }

  async function post(gateway: Gateway, method: string, params: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
    const { headers, body } = modernRequest(method, params);
    const response = await gateway.handle({ method: 'POST', path: '/mcp', query: '', headers, body: JSON.stringify(body) });
    return JSON.parse(response.body as string) as Record<string, unknown>;
  }

  async function depth(): Promise<number> {
    const out = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }));
    return Number(out.Attributes!.ApproximateNumberOfMessages) + Number(out.Attributes!.ApproximateNumberOfMessagesNotVisible);
  }

  test('GIVEN a worker that ran once and stopped (minTasks 0) WHEN the gateway Lambda lists tools and then calls one THEN the tools are listed without a worker and the job runs once a worker starts', async () => {
    // A first worker starts, publishes the server's tools and stops: no worker runs afterwards.
    const first = startWorker();
    await eventually(async () => (await stores.store.publishedTools(POOL)) !== undefined, 15_000, 'the worker to publish the tools');
    expect(await first.stop()).toBe(0);
    expect(first.lines.join('\n')).toContain('published 3 tools of pool images');

    const gateway = await createGatewayFromEnvironment(
      {
        [GATEWAY_ENV.spec]: spec(),
        // No URL for the queue pool: nothing listens for the gateway on AWS.
        [GATEWAY_ENV.poolUrls]: '{}',
        [GATEWAY_ENV.queueUrls]: JSON.stringify({ [POOL]: queueUrl }),
        [GATEWAY_ENV.redisUrl]: REDIS_URL,
        [GATEWAY_ENV.region]: 'us-east-1',
      },
      async () => {
        throw new Error('no secret is needed');
      },
      createTelemetry({ fleet, disabled: true }),
    );
    try {
      const listed = await post(gateway, 'tools/list');
      expect(((listed.result as { tools: Array<{ name: string }> }).tools ?? []).map((t) => t.name)).toEqual(['image_generate', 'image_thumbnail', 'image_histogram']);

      // The call is queued on the pool's own SQS queue; a worker started now runs it (signed with the pool's key, which the pool verifies).
      const answer = post(gateway, 'tools/call', { name: 'image_generate', arguments: { width: 4, height: 3 } });
      await eventually(async () => (await depth()) === 1, 10_000, 'the job on the SQS queue');
      const second = startWorker();
      const reply = await answer;
      if (!reply.result) throw new Error(`${JSON.stringify(reply)}\n${second.lines.join('\n')}`);
      const result = reply.result as { structuredContent: Record<string, unknown> };
      expect(result.structuredContent).toMatchObject({ width: 4, height: 3, pattern: 'gradient' });
      await eventually(async () => (await depth()) === 0, 10_000, 'the message to be deleted');
      expect(await second.stop()).toBe(0);
    } finally {
      await gateway.close();
    }
  }, 60_000);
});
