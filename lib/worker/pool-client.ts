/**
 * The worker's MCP client to its pool's server (on localhost in the worker task): the official SDK
 * client, any protocol era, one connection reused for every job and re-opened after a failure.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { Client, ProtocolError, SdkError, SdkErrorCode, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import type { JobOutcome, JobProgress } from './job-store';

const CLIENT_INFO = { name: 'mcp-fleet-worker', version: '1.0.0' };

/** Signs the caller identity pools verify (the header the gateway sends them). */
export interface PoolIdentity {
  readonly header: string;
  /** A token naming `principal` (the job's caller) for this pool. */
  tokenFor(principal: string): Promise<string>;
}

export interface ToolCall {
  /** Whom the job runs for: named to the pool in the signed identity header. */
  readonly principal: string;
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
  /** The principal of the call in progress, so that the shared connection signs each request for its own job. */
  private readonly principal = new AsyncLocalStorage<string>();

  constructor(
    /** The pool server's MCP endpoint. */
    readonly url: string,
    private readonly connectTimeoutMs = 10_000,
    /** @default - no identity header (pools that verify callers refuse the worker) */
    private readonly identity?: PoolIdentity,
  ) {}

  /** fetch with the identity header of the current job's principal (the gateway's own for the handshake). */
  private signedFetch(): typeof fetch | undefined {
    const identity = this.identity;
    if (!identity) return undefined;
    return async (input, init) => {
      const headers = new Headers(init?.headers);
      headers.set(identity.header, await identity.tokenFor(this.principal.getStore() ?? 'mcp-fleet:worker'));
      return fetch(input, { ...init, headers });
    };
  }

  private connect(): Promise<Client> {
    if (!this.client) {
      const client = new Client(CLIENT_INFO, { versionNegotiation: { mode: 'auto', probe: { timeoutMs: this.connectTimeoutMs } } });
      const signed = this.signedFetch();
      this.client = client.connect(new StreamableHTTPClientTransport(new URL(this.url), signed ? { fetch: signed } : {}), { timeout: this.connectTimeoutMs }).then(
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
   * The server's tools, every page (what the worker publishes for the gateway's catalog).
   * @throws PoolUnavailableError when the server could not be asked.
   */
  async listTools(): Promise<Array<Record<string, unknown>>> {
    const client = await this.connect();
    try {
      return (await client.listTools()).tools as Array<Record<string, unknown>>;
    } catch (error) {
      await this.close();
      throw new PoolUnavailableError(`listing the tools of ${this.url} failed: ${(error as Error).message}`, { cause: error });
    }
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
      const result = await this.principal.run(call.principal, () =>
        client.callTool(
          { name: call.tool, arguments: { ...call.arguments } },
          {
            signal: call.signal,
            timeout: call.timeoutMs,
            maxTotalTimeout: call.timeoutMs,
            onprogress: (p) => call.onProgress({ progress: p.progress, ...(p.total !== undefined ? { total: p.total } : {}), ...(p.message ? { message: p.message } : {}) }),
          },
        ),
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
    if (client)
      await client
        .then(
          (c) => c.close(),
          () => undefined,
        )
        .catch(() => undefined);
  }
}
