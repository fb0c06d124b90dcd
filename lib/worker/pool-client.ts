/**
 * The worker's MCP client to its pool's server (on localhost in the worker task): the official SDK
 * client, any protocol era, one connection reused for every job and re-opened after a failure.
 */
import { Client, ProtocolError, SdkError, SdkErrorCode, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import type { JobOutcome, JobProgress } from './job-store';

const CLIENT_INFO = { name: 'mcp-fleet-worker', version: '1.0.0' };

export interface ToolCall {
  readonly tool: string;
  readonly arguments: Readonly<Record<string, unknown>>;
  /** Longest run, in milliseconds; a longer run fails the job. */
  readonly timeoutMs: number;
  readonly signal: AbortSignal;
  readonly onProgress: (progress: JobProgress) => void;
}

/** The server could not be reached or broke the connection: worth another try (another receive). */
export class PoolUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PoolUnavailableError';
  }
}

/** JSON-RPC code of a job that ran longer than the pool's `maxRunSeconds`. */
export const JOB_TIMEOUT_CODE = -32001;

export class PoolClient {
  private client?: Promise<Client>;

  constructor(
    /** The pool server's MCP endpoint. */
    readonly url: string,
    private readonly connectTimeoutMs = 10_000,
  ) {}

  private connect(): Promise<Client> {
    if (!this.client) {
      const client = new Client(CLIENT_INFO, { versionNegotiation: { mode: 'auto', probe: { timeoutMs: this.connectTimeoutMs } } });
      this.client = client.connect(new StreamableHTTPClientTransport(new URL(this.url)), { timeout: this.connectTimeoutMs }).then(
        () => client,
        (error: unknown) => {
          this.client = undefined;
          throw new PoolUnavailableError(`cannot connect to the pool server at ${this.url}: ${(error as Error).message}`, { cause: error });
        },
      );
    }
    return this.client;
  }

  /**
   * Runs the tool. Resolves with the outcome to store: the tool's result, or the server's JSON-RPC
   * error, or a timeout failure.
   * @throws PoolUnavailableError when the server could not be asked (retry later).
   * @throws the abort reason when `signal` aborts.
   */
  async call(call: ToolCall): Promise<JobOutcome> {
    const client = await this.connect();
    try {
      const result = await client.callTool(
        { name: call.tool, arguments: { ...call.arguments } },
        {
          signal: call.signal,
          timeout: call.timeoutMs,
          maxTotalTimeout: call.timeoutMs,
          onprogress: (p) => call.onProgress({ progress: p.progress, ...(p.total !== undefined ? { total: p.total } : {}), ...(p.message ? { message: p.message } : {}) }),
        },
      );
      return { status: 'completed', result: result as Record<string, unknown> };
    } catch (error) {
      if (call.signal.aborted) throw call.signal.reason;
      if (error instanceof ProtocolError) return { status: 'failed', error: { code: error.code, message: error.message, ...(error.data !== undefined ? { data: error.data } : {}) } };
      if (error instanceof SdkError && error.code === SdkErrorCode.RequestTimeout) {
        return { status: 'failed', error: { code: JOB_TIMEOUT_CODE, message: `tool ${call.tool} ran longer than ${call.timeoutMs / 1000} s (the pool's maxRunSeconds)` } };
      }
      // The connection is suspect: open a new one for the next job.
      await this.close();
      throw new PoolUnavailableError(`calling ${call.tool} on ${this.url} failed: ${(error as Error).message}`, { cause: error });
    }
  }

  async close(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client) await client.then((c) => c.close(), () => undefined).catch(() => undefined);
  }
}
