/**
 * `mcp-fleet worker` as real processes (the built CLI) on the real RabbitMQ and Redis, with a real
 * MCP server: a worker killed mid-job loses nothing (the job is redelivered and finishes elsewhere),
 * SIGTERM finishes the running job before exiting, and 1,000 jobs through two workers are all
 * answered, each run exactly once.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { AmqpJobQueue, amqpQueueName, submitJob } from '../../lib/worker';
import { startJobPool, type JobPool } from '../support/job-pool';
import { AMQP_URL, amqpAdmin, eventually, openStore, REDIS_URL, uniqueFleet, workJob, type TestStore } from './support';

const ROOT = path.resolve(__dirname, '..', '..');
const POOL = 'jobs';

interface WorkerProcess {
  readonly child: ChildProcess;
  readonly exited: Promise<number | null>;
  output(): string;
}

describe('mcp-fleet worker processes', () => {
  let fleet: string;
  let dir: string;
  let pool: JobPool;
  let stores: TestStore;
  let sender: AmqpJobQueue;
  let admin: Awaited<ReturnType<typeof amqpAdmin>>;
  const children: WorkerProcess[] = [];

  async function startWorker(...extra: string[]): Promise<WorkerProcess> {
    const args = ['worker', '--config', path.join(dir, 'fleet.json'), '--pool', `${POOL}=${pool.url}`, '--queue', AMQP_URL, '--redis', REDIS_URL, '--lease-seconds', '2', ...extra];
    const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'mcp-fleet.js'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    child.stdout!.on('data', (c: Buffer) => (text += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (text += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const worker = { child, exited, output: () => text };
    children.push(worker);
    await eventually(() => text.includes(`pool ${POOL} of fleet`) || child.exitCode !== null, 15_000, 'the worker to start');
    if (child.exitCode !== null) throw new Error(`worker exited at start:\n${text}`);
    return worker;
  }

  beforeEach(async () => {
    fleet = uniqueFleet();
    dir = mkdtempSync(path.join(tmpdir(), 'mcp-fleet-worker-'));
    writeFileSync(path.join(dir, 'fleet.json'), JSON.stringify({ name: fleet, pools: [{ name: POOL, kind: 'queue', image: 'example/jobs:1', tools: ['work'] }] }));
    pool = await startJobPool();
    stores = openStore(fleet);
    sender = await AmqpJobQueue.open({ url: AMQP_URL, queue: amqpQueueName(fleet, POOL), maxReceives: 3 });
    admin = await amqpAdmin(fleet, POOL);
  });

  afterEach(async () => {
    for (const worker of children.splice(0)) {
      if (worker.child.exitCode === null && worker.child.signalCode === null) worker.child.kill('SIGKILL');
      await worker.exited;
    }
    await sender.close();
    await admin.close();
    await stores.close();
    await pool.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('GIVEN a worker killed mid-job WHEN another worker runs THEN the job is redelivered and finishes, and no job is lost', async () => {
    const killed = await startWorker();
    const long = workJob(POOL, 'long', { ms: 1500 });
    await submitJob(stores.store, sender, long, 120);
    await eventually(() => pool.started.get('long') === 1, 10_000, 'the long job to start');
    const others = Array.from({ length: 5 }, (_, i) => workJob(POOL, `after-${i}`));
    for (const job of others) await submitJob(stores.store, sender, job, 120);
    killed.child.kill('SIGKILL');
    await killed.exited;

    await startWorker();
    const records = await Promise.all([long, ...others].map((job) => stores.store.waitFor(job.id, 20_000)));
    expect(records.map((r) => r?.status)).toEqual(Array(6).fill('completed'));
    // Run twice: the killed worker's run (the server may still finish it, unheard) and the one whose result is stored.
    expect(pool.started.get('long')).toBe(2);
    expect(records[0]).toMatchObject({ runs: 2, outcome: { result: { content: [{ text: 'done long' }] } } });
    for (const job of others) expect(pool.finished.get(job.arguments.key as string)).toBe(1);
    await eventually(async () => (await admin.depth(admin.queue)) === 0, 5000, 'an empty queue');
  }, 60_000);

  test('GIVEN a running job WHEN the worker gets SIGTERM THEN it finishes the job, stores the result and exits 0', async () => {
    const worker = await startWorker();
    const job = workJob(POOL, 'term', { ms: 1000 });
    await submitJob(stores.store, sender, job, 120);
    await eventually(() => pool.started.get('term') === 1, 10_000, 'the job to start');
    worker.child.kill('SIGTERM');
    expect(await worker.exited).toBe(0);
    expect(await stores.store.get(job.id)).toMatchObject({ status: 'completed', runs: 1 });
    expect(worker.output()).toContain('SIGTERM, finishing running jobs');
    expect(await admin.depth(admin.queue)).toBe(0);
  }, 30_000);

  test('GIVEN 1,000 jobs WHEN two workers run them THEN every job is answered and none runs twice', async () => {
    await Promise.all([startWorker('--concurrency', '8'), startWorker('--concurrency', '8')]);
    const jobs = Array.from({ length: 1000 }, (_, i) => workJob(POOL, `load-${i}`));
    const started = Date.now();
    await Promise.all(jobs.map((job) => submitJob(stores.store, sender, job, 300)));
    const records = await Promise.all(jobs.map((job) => stores.store.waitFor(job.id, 60_000)));
    const seconds = (Date.now() - started) / 1000;
    const lost = records.filter((r) => r?.status !== 'completed').length;
    const twice = jobs.filter((job) => pool.started.get(job.arguments.key as string) !== 1).length;
    expect({ lost, twice }).toEqual({ lost: 0, twice: 0 });
    expect(pool.started.size).toBe(1000);
    await eventually(async () => (await admin.depth(admin.queue)) === 0, 5000, 'an empty queue');
    process.stdout.write(`1000 jobs through 2 workers in ${seconds.toFixed(1)} s (${(1000 / seconds).toFixed(0)} jobs/s)\n`);
  }, 120_000);
});
