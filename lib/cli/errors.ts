/** Errors the CLI turns into an exit status: 2 for a wrong command line, 1 for everything else. */

/** The command line is wrong; the usage text follows the message. */
export class UsageError extends Error {
  constructor(
    message: string,
    /** The command whose usage to print. */
    public readonly command?: string,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

/** A command could not do its work (bad spec, unreachable pool, port in use). */
export class CliError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CliError';
  }
}

export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;
