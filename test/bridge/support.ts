/** Shared pieces of the bridge tests: the official stdio servers, a recording logger, small waits. */
import * as path from 'node:path';
import type { LogFields, StructuredLogger } from '../../lib/gateway/telemetry/logger';

const ROOT = path.join(__dirname, '..', '..');

/** `@modelcontextprotocol/server-everything` in stdio mode, run by this Node. */
export const EVERYTHING_STDIO = {
  command: process.execPath,
  args: [path.join(ROOT, 'node_modules/@modelcontextprotocol/server-everything/dist/index.js'), 'stdio'],
};

/** `@modelcontextprotocol/server-filesystem` serving `dir`. */
export function filesystemStdio(dir: string) {
  return { command: process.execPath, args: [path.join(ROOT, 'node_modules/@modelcontextprotocol/server-filesystem/dist/index.js'), dir] };
}

export interface LogLine {
  readonly level: string;
  readonly message: string;
  readonly fields: Record<string, unknown>;
}

/** A logger that keeps its lines in `lines` instead of printing them. */
export function quietLogger(lines: LogLine[] = [], base: LogFields = {}): StructuredLogger & { lines: LogLine[] } {
  const at = (level: string) => (message: string, fields?: LogFields) => void lines.push({ level, message, fields: { ...base, ...fields } });
  return { lines, debug: at('DEBUG'), info: at('INFO'), warn: at('WARN'), error: at('ERROR'), child: (fields) => quietLogger(lines, { ...base, ...fields }) };
}

/** The text of a tool result's first text content. */
export function textOf(result: unknown): string {
  const content = (result as { content?: Array<{ type: string; text?: string }> }).content ?? [];
  const text = content.find((c) => c.type === 'text')?.text;
  if (text === undefined) throw new Error(`no text content in ${JSON.stringify(result)}`);
  return text;
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function waitFor(condition: () => boolean, ms = 5000): Promise<void> {
  const until = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > until) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
