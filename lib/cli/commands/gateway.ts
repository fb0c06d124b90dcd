/** `mcp-fleet gateway`: serves the gateway in front of pools that already run. */
import type { GatewayArgs } from '../args';
import { EXIT } from '../errors';
import type { CliIo } from '../io';
import { fleetFromPoolFlags, fleetFromSpec } from '../local-fleet';
import { startLocalGateway } from '../local-gateway';
import { outputFor } from '../request-log';
import { loadSpecFile } from '../spec-file';

/** Runs until `stop` resolves (the first SIGINT or SIGTERM), then closes the gateway. */
export async function runGateway(args: GatewayArgs, io: CliIo, stop: Promise<NodeJS.Signals>): Promise<number> {
  const fleet = args.config ? fleetFromSpec(loadSpecFile(args.config), args.config, args.pools, 'gateway') : await fleetFromPoolFlags(args.pools);
  const gateway = await startLocalGateway({
    fleet,
    port: args.port,
    host: args.host,
    region: args.region,
    ...(args.redis ? { redisUrl: args.redis } : {}),
    ...outputFor(io.terminal, args.metrics, (line) => io.out(line)),
  });
  // One write, so a reader that sees the first line sees the pools too.
  io.out(
    [
      `mcp-fleet gateway: fleet "${fleet.spec.name}" at ${gateway.mcpUrl} (health ${gateway.healthUrl}; ${gateway.store} session store, region ${args.region})`,
      ...fleet.spec.pools.map((pool) => {
        const tools = pool.discoveryOnly ? 'tools by discovery' : pool.tools.join(', ');
        return `  pool ${pool.name}: ${fleet.poolUrls[pool.name]} (${tools}; MCP ${pool.protocolVersion}, ${pool.sessionMode})`;
      }),
    ].join('\n'),
  );
  const signal = await stop;
  io.out(`mcp-fleet gateway: ${signal}, stopping`);
  await gateway.close();
  return EXIT.ok;
}
