#!/usr/bin/env node
/**
 * Bundles what mcp-fleet ships as single files (run by `npm run build`, after `tsc`):
 *  - the gateway Lambda → dist/gateway-lambda/index.js (+ index.js.LEGAL.txt), which the CDK and
 *    Pulumi components deploy as-is, so users need neither Docker nor esbuild to synthesize;
 *  - the CLI → dist/cli/mcp-fleet.js, one file that starts fast;
 *  - the example pools `mcp-fleet dev` runs → dist/example-pools/index.js, which the CLI loads at run
 *    time (examples/ is not compiled into dist by tsc, and shipped code never imports it);
 *  - each example pool → examples/pools/build/<pool>/ (main.js + Dockerfile): its image build context.
 * Output is deterministic: no timestamps, no absolute paths; metafiles go to dist/meta/.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * In the CLI bundle, `lib/worker/clients/*` (amqplib, the SQS client: about 0.9 MiB) stay outside:
 * the bundle requires their own bundles when a queue is first used, so every other command starts
 * as fast as before.
 * @type {import('esbuild').Plugin}
 */
const lazyQueueClients = {
  name: 'lazy-queue-clients',
  setup(b) {
    b.onResolve({ filter: /^\.\/clients\/(amqp|sqs)$/ }, (args) => ({ path: `../cli-clients/${args.path.slice('./clients/'.length)}/index.js`, external: true }));
  },
};

/**
 * The gateway Lambda sends jobs to SQS only (it refuses other queue URLs at cold start), so the
 * AMQP client (amqplib, about 120 KiB) stays out of its bundle.
 * @type {import('esbuild').Plugin}
 */
const noAmqpInLambda = {
  name: 'no-amqp-in-lambda',
  setup(b) {
    b.onResolve({ filter: /^\.\/clients\/amqp$/ }, () => ({ path: 'amqplib', external: true }));
  },
};

/**
 * In the gateway Lambda bundle, ioredis's Redis Cluster client (`built/cluster`, about 34 KiB of the
 * bundle) is replaced by scripts/build/no-redis-cluster.cjs, a class that throws when constructed.
 * ioredis loads it only to re-export it (`Redis.Cluster`); the gateway connects to one Redis endpoint
 * and never makes a cluster client. Any other import of that module fails the build.
 * @type {import('esbuild').Plugin}
 */
const noRedisClusterInLambda = {
  name: 'no-redis-cluster-in-lambda',
  setup(b) {
    b.onResolve({ filter: /^\.\/cluster$/ }, (args) => {
      if (!/node_modules[\\/]ioredis[\\/]built$/.test(args.resolveDir)) return undefined;
      if (!/[\\/](Redis|index)\.js$/.test(args.importer)) throw new Error(`${args.importer} imports ioredis's cluster client: scripts/build.mjs leaves it out of the gateway Lambda bundle`);
      return { path: join(root, 'scripts/build/no-redis-cluster.cjs') };
    });
  },
};

/** @type {Array<{ name: string, entry: string, outfile: string, options: import('esbuild').BuildOptions }>} */
const BUNDLES = [
  {
    name: 'gateway-lambda',
    entry: 'lib/gateway/lambda.ts',
    outfile: 'dist/gateway-lambda/index.js',
    options: {
      target: 'node22',
      minify: true,
      // The Lambda Node.js runtime provides AWS SDK v3.
      external: ['@aws-sdk/*'],
      // License texts stay next to the code that is deployed, out of the code itself.
      legalComments: 'external',
      plugins: [noAmqpInLambda, noRedisClusterInLambda],
    },
  },
  {
    name: 'cli',
    entry: 'lib/cli/main.ts',
    outfile: 'dist/cli/mcp-fleet.js',
    options: {
      // Users run the CLI on the Node versions package.json "engines" allows.
      target: 'node20',
      minifyWhitespace: true,
      minifySyntax: true,
      keepNames: true,
      legalComments: 'external',
      plugins: [lazyQueueClients],
    },
  },
  // The queue clients the CLI loads on first use (worker, gateway --queue), each in its own file.
  ...['amqp', 'sqs'].map((client) => ({
    name: `cli-${client}`,
    entry: `lib/worker/clients/${client}.ts`,
    outfile: `dist/cli-clients/${client}/index.js`,
    options: { target: 'node20', minifyWhitespace: true, minifySyntax: true, keepNames: true, legalComments: 'external' },
  })),
];

function kib(bytes) {
  return `${(bytes / 1024).toFixed(1)} KiB`;
}

async function bundle({ name, entry, outfile, options }) {
  const entryPath = join(root, entry);
  if (!existsSync(entryPath)) {
    throw new Error(`${name}: entry point ${entry} is missing; the build cannot produce ${outfile}`);
  }
  rmSync(join(root, dirname(outfile)), { recursive: true, force: true });
  const result = await build({
    absWorkingDir: root,
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    treeShaking: true,
    sourcemap: false,
    metafile: true,
    logLevel: 'warning',
    ...options,
  });
  mkdirSync(join(root, 'dist/meta'), { recursive: true });
  writeFileSync(join(root, 'dist/meta', `${name}.json`), JSON.stringify(result.metafile, null, 2));
  const code = readFileSync(join(root, outfile));
  return { name, outfile, bytes: statSync(join(root, outfile)).size, gzip: gzipSync(code, { level: 9 }).length };
}

// The example pools `mcp-fleet dev` runs, loaded by the CLI at run time (lib/cli/example-pools.ts):
// shipped code never imports examples/.
BUNDLES.push({
  name: 'example-pools',
  entry: 'examples/pools/index.ts',
  outfile: 'dist/example-pools/index.js',
  options: { target: 'node20', minifyWhitespace: true, minifySyntax: true, keepNames: true, legalComments: 'external' },
});

/**
 * The example pools as image build contexts: examples/pools/build/<pool>/ holds the pool's bundled
 * main.js and the shared Dockerfile, so the example stacks' image assets fingerprint (and Docker
 * builds) a small directory, not the repository. Not part of the package (examples/ is not in "files").
 */
const EXAMPLE_POOLS = ['github', 'slack', 'images'];
for (const pool of EXAMPLE_POOLS) {
  BUNDLES.push({
    name: `example-pool-${pool}`,
    entry: `examples/pools/${pool}/main.ts`,
    outfile: `examples/pools/build/${pool}/main.js`,
    // The image's Node (node:22) runs it.
    options: { target: 'node22', minifyWhitespace: true, minifySyntax: true, keepNames: true, legalComments: 'external' },
  });
}

const results = [];
for (const spec of BUNDLES) results.push(await bundle(spec));
for (const pool of EXAMPLE_POOLS) copyFileSync(join(root, 'examples/pools/Dockerfile'), join(root, `examples/pools/build/${pool}/Dockerfile`));

for (const r of results) {
  console.log(`${r.name.padEnd(16)} ${relative(root, join(root, r.outfile)).padEnd(32)} ${kib(r.bytes).padStart(11)}  (gzip ${kib(r.gzip)})`);
}
// Sizes are printed, never judged here: an install is no place for a budget warning. `npm run bench`
// measures the bundle and its cold start against their targets (BENCHMARKS.md).
