/**
 * A stdio server's stderr is its log: each line becomes one structured JSON log line of the bridge
 * (tagged by the caller's logger with the child's role and pid), so CloudWatch sees one stream of
 * JSON instead of raw text interleaved from many processes.
 */
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import type { StructuredLogger } from '../gateway/telemetry/logger';

/** Longest stderr line logged whole; longer ones are cut (a runaway dump must not flood the log). */
const MAX_LINE_CHARS = 8192;

/** Logs each line of `stderr` with the logger `logger()` returns at that time. */
export function pipeStderrToLog(stderr: Readable, logger: () => StructuredLogger): void {
  const lines = createInterface({ input: stderr, crlfDelay: Infinity });
  lines.on('line', (line) => {
    if (line.trim() === '') return;
    logger().info('server stderr', { stderr: line.length > MAX_LINE_CHARS ? `${line.slice(0, MAX_LINE_CHARS)}…` : line });
  });
}
