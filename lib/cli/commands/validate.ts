/** `mcp-fleet validate FILE`: every problem as `path: message`, exit status 1 if any. */
import type { ValidateArgs } from '../args';
import { EXIT } from '../errors';
import type { CliIo } from '../io';
import { checkSpecFile, formatProblems } from '../spec-file';

export function runValidate(args: ValidateArgs, io: CliIo): number {
  const { problems, spec } = checkSpecFile(args.file);
  if (!spec) {
    io.out(`${args.file}: ${problems.length} problem${problems.length === 1 ? '' : 's'}`);
    for (const line of formatProblems(problems)) io.out(`  ${line}`);
    return EXIT.failure;
  }
  io.out(`${args.file}: valid fleet "${spec.name}" with ${spec.pools.length} pool${spec.pools.length === 1 ? '' : 's'}`);
  for (const pool of spec.pools) {
    const tools = pool.discoveryOnly ? '(tools by discovery)' : pool.tools.join(', ');
    const route = pool.priorityRoute ? `, priority for ${pool.priorityRoute.header}: ${pool.priorityRoute.value}` : '';
    io.out(`  ${pool.name}: ${tools} — MCP ${pool.protocolVersion}, ${pool.sessionMode}${route}`);
  }
  return EXIT.ok;
}
