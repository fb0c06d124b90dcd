/**
 * `mcp-fleet dev`: the example pools and the gateway on loopback, in this one process, until Ctrl-C.
 * Needs nothing but `npm ci`: no Docker, no cloud.
 */
import { randomBytes } from 'node:crypto';
import { poolIdentityKey } from '../../gateway/auth/identity';
import { parseFleetSpec, type ResolvedFleetSpec } from '../../spec';
import type { DevArgs } from '../args';
import { CliError, EXIT } from '../errors';
import { loadExamplePools, type ExamplePoolHandle, type ExamplePools } from '../example-pools';
import type { CliIo } from '../io';
import { checkPoolFlags, fleetFromSpec } from '../local-fleet';
import { startLocalGateway } from '../local-gateway';
import { DEV_QUEUE_URL, startLocalWorkers, type LocalWorkers } from '../local-workers';
import { outputFor } from '../request-log';
import { loadSpecFile } from '../spec-file';

const DEFAULT_SOURCE = 'examples/fleet.json';

/**
 * Starts an example server for every pool without a `--pool` URL; closes what started if one fails.
 * Each pool gets its own identity key derived from `fleetKey`, so it serves only gateway-signed calls.
 */
async function startExamplePools(spec: ResolvedFleetSpec, source: string, external: ReadonlySet<string>, fleetKey: string, examples: () => ExamplePools): Promise<Map<string, ExamplePoolHandle>> {
  const local = spec.pools.filter((p) => !external.has(p.name));
  if (local.length === 0) return new Map();
  const { EXAMPLE_POOLS } = examples();
  const missing = local.filter((p) => !EXAMPLE_POOLS[p.name]);
  if (missing.length > 0) {
    const names = Object.keys(EXAMPLE_POOLS).join(', ');
    throw new CliError(
      `${source}: no example server for pool${missing.length === 1 ? '' : 's'} ${missing.map((p) => `"${p.name}"`).join(', ')} (examples: ${names}); pass ${missing.map((p) => `--pool ${p.name}=URL`).join(' ')}`,
    );
  }
  const identity = (pool: string) => ({ key: poolIdentityKey(fleetKey, spec.name, pool), fleet: spec.name, pool });
  const started = await Promise.allSettled(local.map(async (p) => [p.name, await EXAMPLE_POOLS[p.name]!({ port: 0, host: '127.0.0.1', identity: identity(p.name) })] as const));
  const handles = new Map(started.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : [])));
  const failed = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) {
    await Promise.all([...handles.values()].map((h) => h.close()));
    throw new CliError(`an example pool failed to start (${String(failed.reason)})`, { cause: failed.reason });
  }
  return handles;
}

/** Runs until `stop` resolves (the first SIGINT or SIGTERM), then closes the gateway and the pools. */
export async function runDev(args: DevArgs, io: CliIo, stop: Promise<NodeJS.Signals>): Promise<number> {
  const source = args.config ?? DEFAULT_SOURCE;
  // Loaded only when needed: a spec whose pools all have --pool URLs runs without the examples.
  let examples: ExamplePools | undefined;
  const loadExamples = () => (examples ??= loadExamplePools());
  const spec = args.config ? loadSpecFile(args.config) : parseFleetSpec(loadExamples().EXAMPLE_FLEET, DEFAULT_SOURCE);
  checkPoolFlags(spec, source, args.pools, 'dev'); // before anything listens

  // A fresh fleet key per run; a pool given by --pool verifies identities only if given its derived key.
  const fleetKey = randomBytes(32).toString('base64url');
  const pools = await startExamplePools(spec, source, new Set(args.pools.map((p) => p.name)), fleetKey, loadExamples);
  const closePools = () => Promise.all([...pools.values()].map((p) => p.close()));
  let gateway;
  let workers: LocalWorkers | undefined;
  const queueUrl = args.queue ?? DEV_QUEUE_URL;
  try {
    const fleet = fleetFromSpec(spec, source, args.pools, 'dev', Object.fromEntries([...pools].map(([name, handle]) => [name, handle.url])));
    // Queue pools' workers run in this process, on the broker and Redis the gateway uses.
    workers = await startLocalWorkers(spec, fleet.poolUrls, queueUrl, process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', (line) => io.err(`mcp-fleet dev: ${line}`), fleetKey);
    const queued = workers.pools.length > 0 ? { queueUrl } : {};
    gateway = await startLocalGateway({ fleet, port: args.port, host: args.host, identityKey: fleetKey, ...queued, ...outputFor(io.terminal, args.metrics, (line) => io.out(line)) });
    io.out(`mcp-fleet dev: fleet "${spec.name}" from ${source}`);
    for (const pool of spec.pools) {
      const queued = pool.kind === 'queue' ? `; queued on ${queueUrl.replace(/\/\/[^@/]*@/, '//')} with a worker here` : '';
      io.out(`  pool ${pool.name}: ${fleet.poolUrls[pool.name]} (${pool.discoveryOnly ? 'tools by discovery' : pool.tools.join(', ')}${queued})`);
    }
    io.out(`MCP endpoint: ${gateway.mcpUrl}`);
    io.out('Press Ctrl-C to stop.');
  } catch (error) {
    await workers?.close();
    await closePools();
    throw error;
  }
  const signal = await stop;
  io.out(`mcp-fleet dev: ${signal}, stopping`);
  await gateway.close();
  await workers.close();
  await closePools();
  io.out('mcp-fleet dev: stopped');
  return EXIT.ok;
}
