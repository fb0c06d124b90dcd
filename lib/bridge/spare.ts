/**
 * A started, not yet initialized server process kept ready for the next session, so `initialize`
 * does not wait for the process to start (`npx`, `uvx` and interpreters take from a few hundred
 * milliseconds to seconds). Taking it starts the next one in the background.
 */
import type { StructuredLogger } from '../gateway/telemetry/logger';
import { StdioChild, type ChildCommand } from './child';

export class SpareProcess {
  private next?: Promise<StdioChild | undefined>;
  private closed = false;

  constructor(
    private readonly command: ChildCommand,
    private readonly logger: StructuredLogger,
    /** Whether to keep one ready at all. */
    private readonly enabled: boolean,
  ) {}

  /** Starts the first spare. */
  start(): void {
    if (this.enabled) this.refill();
  }

  /** A started process for a new session: the spare if it is alive, else a new one. */
  async take(): Promise<StdioChild> {
    // Taken before any await, so two sessions starting at once never get the same process.
    const next = this.next;
    this.next = undefined;
    if (!this.closed && this.enabled) this.refill();
    const spare = await next;
    if (spare?.alive) return spare;
    return StdioChild.start({ ...this.command, logger: this.logger });
  }

  /** Ends the spare (shutdown). */
  async close(): Promise<void> {
    this.closed = true;
    const spare = await this.next?.catch(() => undefined);
    await spare?.close();
  }

  private refill(): void {
    // A spare that cannot start is not an error yet: `take` starts one itself and reports that failure.
    this.next = StdioChild.start({ ...this.command, logger: this.logger }).catch(() => undefined);
  }
}
