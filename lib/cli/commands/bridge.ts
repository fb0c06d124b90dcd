/** `mcp-fleet bridge`: a stdio MCP server served over Streamable HTTP until SIGTERM, then drained. */
import { startBridge } from '../../bridge';
import { callerIdentityFromEnv } from '../../pool/identity-env';
import { POOL_ENV } from '../../spec/gateway-env';
import type { BridgeArgs } from '../args';
import { CliError, EXIT } from '../errors';
import type { CliIo } from '../io';

export async function runBridge(args: BridgeArgs, io: CliIo, stop: Promise<NodeJS.Signals>, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const [command, ...commandArgs] = args.server as [string, ...string[]];
  const fleet = env[POOL_ENV.fleet] || undefined;
  const pool = env[POOL_ENV.pool] || undefined;
  const warnings: string[] = [];
  let identity;
  try {
    identity = callerIdentityFromEnv(env, warnings);
  } catch (error) {
    throw new CliError(`bad environment: ${(error as Error).message}`, { cause: error });
  }
  let bridge;
  try {
    bridge = await startBridge({
      command,
      args: commandArgs,
      host: args.host,
      port: args.port,
      children: args.children,
      maxSessions: args.maxSessions,
      mcpPath: args.mcpPath ?? (env[POOL_ENV.mcpPath] || '/mcp'),
      healthPath: args.healthPath ?? (env[POOL_ENV.healthPath] || '/health'),
      ...(fleet && pool ? { connectionGauge: { fleet, pool } } : {}),
      ...(identity ? { identity } : {}),
    });
  } catch (error) {
    throw new CliError(`cannot start: ${(error as Error).message}`, { cause: error });
  }
  if (!(fleet && pool)) warnings.push(`OpenConnections is not published: ${POOL_ENV.fleet} and ${POOL_ENV.pool} must both be set`);
  for (const warning of warnings) io.err(`mcp-fleet bridge: ${warning}`);
  io.err(`mcp-fleet bridge: serving "${args.server.join(' ')}" at ${bridge.mcpUrl} (health ${bridge.healthUrl})`);
  const signal = await stop;
  io.err(`mcp-fleet bridge: ${signal}, draining`);
  await bridge.close();
  return EXIT.ok;
}
