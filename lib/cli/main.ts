/** `mcp-fleet`: parses the command line, runs one command, and maps errors to exit statuses. */
import { parseCommandLine, type CliArgs } from './args';
import { CliError, EXIT, UsageError } from './errors';
import { processIo, type CliIo } from './io';
import { untilShutdownSignal } from './signals';
import { USAGE } from './usage';
import { packageVersion } from './version';

/**
 * Each command's module is loaded only when that command runs: `validate` need not load the gateway,
 * the bridge and both MCP SDKs (half of its start-up), and a gateway process skips the bridge and dev.
 * Literal `require` calls, so the CLI bundle still contains every command (esbuild follows them).
 */
async function run(args: CliArgs, io: CliIo): Promise<number> {
  switch (args.command) {
    case 'help': {
      const text = USAGE[args.topic ?? 'main'];
      if (!text) throw new UsageError(`no help for "${args.topic}"`);
      io.out(text);
      return EXIT.ok;
    }
    case 'version':
      io.out(packageVersion());
      return EXIT.ok;
    case 'validate':
      return (require('./commands/validate') as typeof import('./commands/validate')).runValidate(args, io);
    // Long-running commands listen for signals before they start, so Ctrl-C during start-up still stops them cleanly.
    case 'gateway':
      return (require('./commands/gateway') as typeof import('./commands/gateway')).runGateway(args, io, untilShutdownSignal());
    case 'dev':
      return (require('./commands/dev') as typeof import('./commands/dev')).runDev(args, io, untilShutdownSignal());
    case 'worker':
      return (require('./commands/worker') as typeof import('./commands/worker')).runWorker(args, io, untilShutdownSignal());
    case 'bridge':
      return (require('./commands/bridge') as typeof import('./commands/bridge')).runBridge(args, io, untilShutdownSignal());
  }
}

/** Runs the CLI; resolves with the exit status. */
export async function main(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  let args: CliArgs | undefined;
  try {
    args = parseCommandLine(argv);
    return await run(args, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`mcp-fleet: ${error.message}\n`);
      io.err(USAGE[error.command ?? 'main']!);
      return EXIT.usage;
    }
    const prefix = args && args.command !== 'help' && args.command !== 'version' ? `mcp-fleet ${args.command}` : 'mcp-fleet';
    io.err(error instanceof CliError ? `${prefix}: ${error.message}` : `${prefix}: unexpected error: ${(error as Error).stack ?? String(error)}`);
    return EXIT.failure;
  }
}

/**
 * Runs the CLI as the process and exits with its status. Exit is forced shortly after the command
 * finishes, so a stray handle (a reconnecting client) can never keep a stopped gateway alive.
 */
export function runAsProcess(argv: readonly string[] = process.argv.slice(2)): void {
  void main(argv).then((code) => {
    process.exitCode = code;
    setTimeout(() => process.exit(code), 2000).unref();
  });
}

if (require.main === module) runAsProcess();
