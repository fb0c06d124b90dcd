/**
 * The queue worker on SQS — moto's emulation of it, started on a private port — with the real Redis
 * and a real MCP server: the queue and its dead-letter queue are created as the IaC creates them (a
 * redrive policy), and the worker only sends, receives, deletes and changes visibility.
 */
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { PoolClient, QueueBackendClient, QueueWorker, SqsJobQueue, submitJob, type WorkerSettings } from '../../lib/worker';
import { MotoServer } from '../deploy/support/moto-server';
import { startJobPool, type JobPool } from '../support/job-pool';
import { eventually, openStore, uniqueFleet, workJob, type TestStore } from './support';

const POOL = 'jobs';
const SETTINGS: WorkerSettings = { pool: POOL, maxRunSeconds: 20, leaseSeconds: 1, maxReceives: 3, resultTtlSeconds: 120, concurrency: 2 };

describe('QueueWorker on SQS (moto)', () => {
  let moto: MotoServer;
  let sqs: SQSClient;
  const saved = { ...process.env };

  beforeAll(async () => {
    moto = await MotoServer.start({ command: ['moto_server'] });
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', AWS_REGION: 'us-east-1' });
    sqs = new SQSClient({ region: 'us-east-1', endpoint: `http://127.0.0.1:${moto.port}` });
  }, 60_000);

  afterAll(async () => {
    sqs?.destroy();
    await moto?.stop();
    process.env = saved;
  });

  let fleet: string;
  let pool: JobPool;
  let stores: TestStore;
  let queueUrl: string;
  let deadLetterUrl: string;
  let sender: SqsJobQueue;
  let worker: QueueWorker;
  let workerQueue: SqsJobQueue;
  let server: PoolClient;

  async function depth(url: string): Promise<number> {
    const out = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }));
    return Number(out.Attributes!.ApproximateNumberOfMessages) + Number(out.Attributes!.ApproximateNumberOfMessagesNotVisible);
  }

  beforeEach(async () => {
    fleet = uniqueFleet();
    pool = await startJobPool();
    stores = openStore(fleet);
    deadLetterUrl = (await sqs.send(new CreateQueueCommand({ QueueName: `${fleet}-dlq` }))).QueueUrl!;
    const dlqArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: deadLetterUrl, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
    queueUrl = (
      await sqs.send(
        new CreateQueueCommand({ QueueName: fleet, Attributes: { VisibilityTimeout: '1', RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: SETTINGS.maxReceives }) } }),
      )
    ).QueueUrl!;
    sender = await SqsJobQueue.open({ queueUrl });
    workerQueue = await SqsJobQueue.open({ queueUrl });
    server = new PoolClient(pool.url);
    worker = new QueueWorker({ queue: workerQueue, store: stores.store, server, settings: SETTINGS });
    void worker.start();
  });

  afterEach(async () => {
    await worker.stop(0);
    await Promise.all([workerQueue.close(), sender.close(), server.close()]);
    await stores.close();
    await pool.close();
  });

  test('GIVEN a job on SQS WHEN the worker runs it THEN the result is stored and the message deleted', async () => {
    const job = workJob(POOL, 's1', { ms: 100, steps: 2 });
    await submitJob(stores.store, sender, job, 120);
    expect(await stores.store.waitFor(job.id, 15_000)).toMatchObject({ status: 'completed', runs: 1, outcome: { result: { content: [{ text: 'done s1' }] } } });
    await eventually(async () => (await depth(queueUrl)) === 0, 5000, 'the message to be deleted');
  });

  test('GIVEN a job longer than the visibility timeout WHEN it runs THEN heartbeats keep it invisible and it runs once', async () => {
    const job = workJob(POOL, 's2', { ms: 3500 });
    await submitJob(stores.store, sender, job, 120);
    expect(await stores.store.waitFor(job.id, 15_000)).toMatchObject({ status: 'completed', runs: 1 });
    expect(pool.started.get('s2')).toBe(1);
    await eventually(async () => (await depth(queueUrl)) === 0, 5000, 'the message to be deleted');
  });

  test("GIVEN an SQS URL naming the pool as {pool} WHEN the sending side opens the pool's queue THEN jobs reach that queue", async () => {
    // The test's queue is named after the fleet, so the pool reference below names the fleet too.
    const backend = new QueueBackendClient({ url: queueUrl.replace(new RegExp(`/${fleet}$`), '/{pool}'), fleet, store: stores.store });
    const queue = await backend.queueFor({ name: fleet, queue: { maxReceives: 3 } });
    expect(queue.kind).toBe('sqs');
    const job = { ...workJob(POOL, 's4'), pool: POOL };
    await submitJob(stores.store, queue, job, 120);
    expect(await stores.store.waitFor(job.id, 15_000)).toMatchObject({ status: 'completed' });
    await backend.close();
  });

  test('GIVEN a body that is not a job WHEN it is received maxReceives times THEN the redrive policy moves it to the dead-letter queue', async () => {
    await sender.send('not json');
    await eventually(async () => (await depth(deadLetterUrl)) === 1, 20_000, 'the dead-letter queue');
    expect(await depth(queueUrl)).toBe(0);
  });
});
