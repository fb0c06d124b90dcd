/** `mcp-fleet gateway`: serves the gateway in front of pools that already run. */
import type { GatewayArgs } from '../args';
import { gatewayOptionsFromEnvironment } from '../env-gateway';
import { EXIT } from '../errors';
import type { CliIo } from '../io';
import { fleetFromPoolFlags, fleetFromSpec } from '../local-fleet';
import { startLocalGateway, type LocalGatewayOptions } from '../local-gateway';
import { outputFor } from '../request-log';
import { loadSpecFile } from '../spec-file';
import { GATEWAY_ENV } from '../../spec/gateway-env';

async function gatewayOptions(args: GatewayArgs, io: CliIo, env: NodeJS.ProcessEnv): Promise<LocalGatewayOptions> {
  const listen = { port: args.port, host: args.host, ...(args.drainSeconds !== undefined ? { drainTimeoutMs: args.drainSeconds * 1000 } : {}) };
  const output = outputFor(io.terminal, args.metrics, (line) => io.out(line));
  // The environment's drain (from the spec's stop timeout) wins over the flag's default.
  if (args.fromEnv) return { ...listen, ...gatewayOptionsFromEnvironment(env), ...output };
  // The fleet key pools' identity keys derive from (as `--from-env` reads it): pools refuse unsigned requests.
  const identityKey = env[GATEWAY_ENV.identityKey] || undefined;
  const fleet = args.config ? fleetFromSpec(loadSpecFile(args.config), args.config, args.pools, 'gateway') : await fleetFromPoolFlags(args.pools, undefined, identityKey);
  return {
    fleet,
    ...listen,
    region: args.region,
    ...(args.redis ? { redisUrl: args.redis } : {}),
    ...(args.queue ? { queueUrl: args.queue } : {}),
    ...(identityKey ? { identityKey } : {}),
    ...output,
  };
}

/** A URL without its password, for the start-up lines. */
function redactedUrl(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.href;
}

/** Runs until `stop` resolves (the first SIGINT or SIGTERM), then closes the gateway. */
export async function runGateway(args: GatewayArgs, io: CliIo, stop: Promise<NodeJS.Signals>, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const options = await gatewayOptions(args, io, env);
  const { fleet } = options;
  const gateway = await startLocalGateway(options);
  // One write, so a reader that sees the first line sees the pools too.
  io.out(
    [
      `mcp-fleet gateway: fleet "${fleet.spec.name}" at ${gateway.mcpUrl} (health ${gateway.healthUrl}; ${gateway.store} session store, region ${options.region ?? 'local'})`,
      ...fleet.spec.pools.map((pool) => {
        const tools = pool.discoveryOnly ? 'tools by discovery' : pool.tools.join(', ');
        const queueUrl = typeof options.queueUrl === 'string' ? options.queueUrl.replaceAll('{pool}', pool.name) : options.queueUrl?.[pool.name];
        const queued = pool.kind === 'queue' ? (queueUrl ? `; calls queued on ${redactedUrl(queueUrl)}` : '; queue pool without --queue: its calls are refused') : '';
        return `  pool ${pool.name}: ${fleet.poolUrls[pool.name] ?? 'no endpoint (its workers pull its jobs)'} (${tools}; MCP ${pool.protocolVersion}, ${pool.sessionMode}${queued})`;
      }),
    ].join('\n'),
  );
  const signal = await stop;
  io.out(`mcp-fleet gateway: ${signal}, stopping`);
  await gateway.close();
  return EXIT.ok;
}
