/** Where commands write: stdout for results, stderr for diagnostics. Tests may pass their own. */
export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  /** Whether a person reads stdout (a TTY): the long-running commands then log requests readably, without EMF. */
  readonly terminal?: boolean;
}

export const processIo: CliIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  terminal: process.stdout.isTTY === true,
};
