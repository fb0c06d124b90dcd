/**
 * `npm run bench:queue`: what a queue pool costs over a direct pool, on loopback with the real
 * RabbitMQ and Redis. One MCP server (SDK v1) serves `direct_echo` (a container pool) and `echo` (a
 * queue pool); an SDK client calls each through the same gateway one call at a time; then 1,000 jobs
 * go straight onto the queue for one worker (concurrency 1, then 8). The results replace the marked
 * block of BENCHMARKS.md. Everything shares the machine's cores: compare the two paths of one run.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { z } from 'zod';
import { createRedisClient } from '../lib/gateway/adapters/redis';
import { startLocalGateway } from '../lib/cli/local-gateway';
import { parseFleetSpec } from '../lib/spec';
import { connect } from 'amqplib';
import { AmqpJobQueue, amqpDeadLetterQueueName, amqpQueueName, JOB_FORMAT, jobIdFor, PoolClient, QueueWorker, RedisJobStore, submitJob } from '../lib/worker';

const AMQP_URL = process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const CALLS = 500;
const WARMUP = 50;
const JOBS = 1000;
const MARK = ['<!-- queue-bench -->', '<!-- /queue-bench -->'] as const;

/** A stateless SDK v1 server (a server and transport per request), as the gateway's stateless pools expect. */
async function startServer(): Promise<{ url: string; close(): Promise<void> }> {
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const server = new McpServer({ name: 'bench', version: '1.0.0' });
    for (const name of ['echo', 'direct_echo']) server.registerTool(name, { inputSchema: { n: z.number() } }, async ({ n }) => ({ content: [{ type: 'text', text: String(n) }] }));
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    res.on('close', () => void transport.close());
    await server.connect(transport);
    await transport.handleRequest(req, res);
  };
  const http = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(http.address() as AddressInfo).port}/mcp`,
    close: async () => {
      http.closeAllConnections();
      await new Promise((resolve) => http.close(resolve));
    },
  };
}

/** Leaves no queue behind on the broker (they are durable). */
async function deleteQueues(fleet: string): Promise<void> {
  const connection = await connect(AMQP_URL);
  const channel = await connection.createChannel();
  const queue = amqpQueueName(fleet, 'queued');
  await channel.deleteQueue(queue);
  await channel.deleteQueue(amqpDeadLetterQueueName(queue));
  await connection.close();
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function latencies(client: Client, tool: string): Promise<{ p50: number; p99: number }> {
  const samples: number[] = [];
  for (let i = 0; i < WARMUP + CALLS; i++) {
    const started = process.hrtime.bigint();
    await client.callTool({ name: tool, arguments: { n: i } });
    if (i >= WARMUP) samples.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  samples.sort((a, b) => a - b);
  return { p50: percentile(samples, 50), p99: percentile(samples, 99) };
}

async function jobsPerSecond(fleet: string, store: RedisJobStore, serverUrl: string, concurrency: number): Promise<number> {
  const queue = await AmqpJobQueue.open({ url: AMQP_URL, queue: amqpQueueName(fleet, 'queued'), maxReceives: 3, prefetch: concurrency });
  const sender = await AmqpJobQueue.open({ url: AMQP_URL, queue: amqpQueueName(fleet, 'queued'), maxReceives: 3 });
  const server = new PoolClient(serverUrl);
  const worker = new QueueWorker({ queue, store, server, settings: { pool: 'queued', maxRunSeconds: 60, leaseSeconds: 30, maxReceives: 3, resultTtlSeconds: 600, concurrency } });
  const run = randomUUID();
  const jobs = Array.from({ length: JOBS }, (_, n) => {
    const args = { n };
    return {
      v: JOB_FORMAT,
      id: jobIdFor({ principal: 'bench', pool: 'queued', tool: 'echo', arguments: args, requestKey: `${run}-${n}` }),
      pool: 'queued',
      tool: 'echo',
      arguments: args,
      principal: 'bench',
      createdAt: Date.now(),
    } as const;
  });
  // Queued before the worker starts, so the measure is the worker's pace, not the sender's.
  await Promise.all(jobs.map((job) => submitJob(store, sender, job, 600)));
  const started = Date.now();
  void worker.start();
  const records = await Promise.all(jobs.map((job) => store.waitFor(job.id, 300_000)));
  const seconds = (Date.now() - started) / 1000;
  if (records.some((r) => r?.status !== 'completed')) throw new Error('a job did not complete');
  await worker.stop(1000);
  await Promise.all([queue.close(), sender.close(), server.close()]);
  return JOBS / seconds;
}

async function main(): Promise<void> {
  const fleet = `bench-${randomUUID().slice(0, 6)}`;
  const load = loadavg()
    .map((l) => l.toFixed(2))
    .join(', ');
  const server = await startServer();
  const redis = createRedisClient(REDIS_URL);
  const store = new RedisJobStore({ client: redis, fleet });
  const spec = parseFleetSpec({
    name: fleet,
    pools: [
      { name: 'direct', image: 'x', tools: ['direct_*'], protocolVersion: '2025-11-25' },
      { name: 'queued', kind: 'queue', image: 'x', tools: ['echo'], protocolVersion: '2025-11-25' },
    ],
  });
  const gateway = await startLocalGateway({ fleet: { spec, poolUrls: { direct: server.url, queued: server.url } }, port: 0, redisUrl: REDIS_URL, queueUrl: AMQP_URL, metrics: false });
  const workerQueue = await AmqpJobQueue.open({ url: AMQP_URL, queue: amqpQueueName(fleet, 'queued'), maxReceives: 3 });
  const poolClient = new PoolClient(server.url);
  const worker = new QueueWorker({ queue: workerQueue, store, server: poolClient, settings: { pool: 'queued', maxRunSeconds: 60, leaseSeconds: 30, maxReceives: 3, resultTtlSeconds: 600 } });
  void worker.start();
  const client = new Client({ name: 'bench', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(gateway.mcpUrl)));
  const direct = await latencies(client, 'direct_echo');
  const queued = await latencies(client, 'echo');
  await client.close();
  await worker.stop(1000);
  await Promise.all([workerQueue.close(), poolClient.close()]);
  const one = await jobsPerSecond(fleet, store, server.url, 1);
  const eight = await jobsPerSecond(fleet, store, server.url, 8);
  await gateway.close();
  await deleteQueues(fleet);
  const keys = await redis.keys(`mcp-fleet:${fleet}:*`);
  for (let i = 0; i < keys.length; i += 500) await redis.del(...keys.slice(i, i + 500));
  await store.close();
  redis.disconnect();
  await server.close();

  const f = (ms: number) => ms.toFixed(2);
  const block = [
    MARK[0],
    `### Queue pools (\`npm run bench:queue\`, ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, load ${load})`,
    '',
    `An SDK v1 client calls through one gateway (Redis session store, RabbitMQ at 127.0.0.1), one call at a time, ${CALLS} samples after ${WARMUP} warm-up; the worker runs in the script's process beside the gateway, the MCP server (SDK v1, stateless) and the client, all on the same 2 cores.`,
    '',
    '| path | p50 ms | p99 ms |',
    '| --- | ---: | ---: |',
    `| direct pool (gateway → server) | ${f(direct.p50)} | ${f(direct.p99)} |`,
    `| queue pool (gateway → RabbitMQ → worker → server → Redis → gateway) | ${f(queued.p50)} | ${f(queued.p99)} |`,
    `| **added by the queue** | **${f(queued.p50 - direct.p50)}** | **${f(queued.p99 - direct.p99)}** |`,
    '',
    `Jobs per second of one worker (${JOBS} jobs queued first, then drained; each job: a Redis claim, an MCP call, a Redis result, an acknowledgement): **${one.toFixed(0)}/s** at concurrency 1, **${eight.toFixed(0)}/s** at concurrency 8.`,
    MARK[1],
  ].join('\n');
  process.stdout.write(`${block}\n`);
  const file = join(__dirname, '..', 'BENCHMARKS.md');
  const text = readFileSync(file, 'utf8');
  const start = text.indexOf(MARK[0]);
  const end = text.indexOf(MARK[1]);
  writeFileSync(file, start >= 0 && end > start ? text.slice(0, start) + block + text.slice(end + MARK[1].length) : `${text.trimEnd()}\n\n${block}\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench:queue failed: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
