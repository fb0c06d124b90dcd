/**
 * The queue worker on the real RabbitMQ and Redis, calling a real MCP server (SDK v1) with the real
 * SDK client: results and progress delivered, a retried call run once, cancellation, a graceful stop,
 * and poison messages dead-lettered after `maxReceives` deliveries.
 */
import { AmqpJobQueue, amqpQueueName, PoolClient, QueueWorker, submitJob, type JobRecord, type WorkerSettings } from '../../lib/worker';
import { startJobPool, type JobPool } from '../support/job-pool';
import { AMQP_URL, amqpAdmin, eventually, openStore, uniqueFleet, workJob, type TestStore } from './support';

const POOL = 'jobs';
const SETTINGS: WorkerSettings = { pool: POOL, maxRunSeconds: 20, leaseSeconds: 2, maxReceives: 3, resultTtlSeconds: 120, concurrency: 2 };

describe('QueueWorker on RabbitMQ (AMQP 0-9-1)', () => {
  let fleet: string;
  let pool: JobPool;
  let stores: TestStore;
  let sender: AmqpJobQueue;
  let admin: Awaited<ReturnType<typeof amqpAdmin>>;
  const workers: QueueWorker[] = [];

  async function startWorker(url = pool.url, settings = SETTINGS): Promise<QueueWorker> {
    const queue = await AmqpJobQueue.open({ url: AMQP_URL, queue: amqpQueueName(fleet, POOL), maxReceives: settings.maxReceives, prefetch: settings.concurrency ?? 1 });
    const server = new PoolClient(url);
    const worker = new QueueWorker({ queue, store: stores.store, server, settings });
    const stop = worker.stop.bind(worker);
    // Closing the worker closes its queue and client too.
    worker.stop = async (graceMs) => {
      await stop(graceMs);
      await queue.close();
      await server.close();
    };
    void worker.start();
    workers.push(worker);
    return worker;
  }

  beforeEach(async () => {
    fleet = uniqueFleet();
    pool = await startJobPool();
    stores = openStore(fleet);
    sender = await AmqpJobQueue.open({ url: AMQP_URL, queue: amqpQueueName(fleet, POOL), maxReceives: SETTINGS.maxReceives });
    admin = await amqpAdmin(fleet, POOL);
  });

  afterEach(async () => {
    await Promise.all(workers.splice(0).map((w) => w.stop(0)));
    await sender.close();
    await admin.close();
    await stores.close();
    await pool.close();
  });

  test('GIVEN a job WHEN a worker runs it THEN the caller sees progress, then the result; the message is gone', async () => {
    await startWorker();
    const job = workJob(POOL, 'k1', { ms: 300, steps: 3 });
    expect(await submitJob(stores.store, sender, job, 120)).toBe(true);
    const seen: JobRecord[] = [];
    const record = await stores.store.waitFor(job.id, 10_000, (r) => seen.push(r));
    expect(record).toMatchObject({ status: 'completed', runs: 1, outcome: { status: 'completed', result: { content: [{ type: 'text', text: 'done k1' }] } } });
    expect(seen.some((r) => r.progress?.total === 3)).toBe(true);
    expect(await admin.depth(admin.queue)).toBe(0);
  });

  test('GIVEN a retried call (same job id) WHEN it is submitted again THEN it is not enqueued and runs once', async () => {
    const job = workJob(POOL, 'k2', { ms: 50 });
    expect(await submitJob(stores.store, sender, job, 120)).toBe(true);
    expect(await submitJob(stores.store, sender, { ...job, createdAt: job.createdAt + 5 }, 120)).toBe(false);
    await startWorker();
    expect(await stores.store.waitFor(job.id, 10_000)).toMatchObject({ status: 'completed', runs: 1 });
    // The same message delivered twice (at-least-once) still runs once: the store says it is done.
    await sender.send(JSON.stringify(job));
    await eventually(async () => (await admin.depth(admin.queue)) === 0, 5000, 'the duplicate to be acknowledged');
    expect(pool.started.get('k2')).toBe(1);
  });

  test('GIVEN a running job WHEN the caller cancels THEN the server call is aborted and the job ends cancelled', async () => {
    await startWorker();
    const job = workJob(POOL, 'k3', { ms: 20_000 });
    await submitJob(stores.store, sender, job, 120);
    await eventually(() => pool.started.get('k3') === 1, 5000, 'the run to start');
    const cancelledAt = Date.now();
    expect(await stores.store.cancel(job.id, 'cancelled by the caller')).toBe('cancelled');
    await eventually(() => pool.cancelled.has('k3'), 5000, 'the server to see the cancellation');
    expect(Date.now() - cancelledAt).toBeLessThan(3000);
    await eventually(async () => (await admin.depth(admin.queue)) === 0, 5000, 'the message to be acknowledged');
    expect(await stores.store.get(job.id)).toMatchObject({ status: 'cancelled', statusMessage: 'cancelled by the caller' });
    expect(pool.finished.get('k3')).toBeUndefined();
  });

  test('GIVEN running jobs WHEN the worker stops with a grace period THEN it takes no new job and finishes the running ones', async () => {
    const worker = await startWorker();
    // Held by the pool until the worker is stopping: the run is in progress when the stop begins.
    const running = workJob(POOL, 'k4', { gate: 'k4' });
    await submitJob(stores.store, sender, running, 120);
    await eventually(() => pool.started.get('k4') === 1, 5000, 'the run to start');
    const stopped = worker.stop(10_000);
    pool.gates.open('k4');
    await stopped;
    // Completed, not given back: the stop waited for the run instead of aborting it.
    expect(await stores.store.get(running.id)).toMatchObject({ status: 'completed' });
    expect(await admin.depth(admin.queue)).toBe(0);
    const later = workJob(POOL, 'k5');
    await submitJob(stores.store, sender, later, 120);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(pool.started.get('k5')).toBeUndefined();
    expect(await admin.depth(admin.queue)).toBe(1);
  });

  test("GIVEN the worker is still listing its server's tools WHEN it stops THEN it stops at once, not after the next listing period", async () => {
    pool.holdToolsList('listing');
    const worker = await startWorker();
    await pool.gates.reached('listing');
    const stopped = worker.stop(10_000);
    // The listing ends after the stop began: the loop must not then sleep for its period (60 s).
    pool.gates.open('listing');
    const hung = new Promise<'hung'>((resolve) => setTimeout(resolve, 20_000, 'hung').unref());
    expect(await Promise.race([stopped.then(() => 'stopped'), hung])).toBe('stopped');
  });

  test('GIVEN a body that is not a job WHEN workers receive it THEN it goes to the dead-letter queue after maxReceives deliveries', async () => {
    await startWorker();
    await sender.send('{"this is": "not a job"}');
    await eventually(async () => (await admin.depth(admin.deadLetter)) === 1, 10_000, 'the dead-letter queue');
    expect(await admin.drainDeadLetters()).toEqual(['{"this is": "not a job"}']);
    expect(await admin.depth(admin.queue)).toBe(0);
  });

  test('GIVEN a pool server that is down WHEN its job fails maxReceives times THEN the caller gets the failure and the message is dead-lettered', async () => {
    const down = await startJobPool();
    const deadUrl = down.url;
    await down.close();
    await startWorker(deadUrl);
    const job = workJob(POOL, 'k6');
    await submitJob(stores.store, sender, job, 120);
    const record = await stores.store.waitFor(job.id, 15_000);
    expect(record).toMatchObject({ status: 'failed', runs: 3 });
    expect(record?.outcome).toMatchObject({ status: 'failed', error: { code: -32603, message: expect.stringContaining('dead-letter queue') } });
    await eventually(async () => (await admin.depth(admin.deadLetter)) === 1, 5000, 'the dead-letter queue');
  });
});
