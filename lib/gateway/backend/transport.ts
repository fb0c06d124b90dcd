/**
 * The port through which the gateway reaches pools: one HTTP exchange (buffered, or an SSE answer
 * streamed as it arrives), optionally pinned to one task address. `adapters/node-backend.ts` implements it with keep-alive `node:http` agents.
 */
import type { HeaderMap } from '../http';

export interface BackendHttpRequest {
  readonly method: 'POST' | 'DELETE' | 'GET';
  /** The pool endpoint. */
  readonly url: URL;
  /**
   * Connect to this address instead of resolving `url`'s host (the `Host` header and TLS server name
   * stay those of `url`): how a backend session stays pinned to the task that created it.
   */
  readonly address?: string;
  readonly headers: HeaderMap;
  readonly body?: string;
  /** Time allowed until the answer's headers (a streamed answer) or its whole body (any other). */
  readonly timeoutMs: number;
  /**
   * Hand back a `text/event-stream` answer as it arrives (`stream`) instead of buffering it; other
   * answers are buffered as usual. @default false
   */
  readonly streamSse?: boolean;
  /**
   * Fires when the caller went away: the exchange is cut off (the pool sees its client go, which is
   * how a 2026-07-28 or stateless pool learns of a cancellation) and fails as `abandoned`.
   * @default - never
   */
  readonly signal?: AbortSignal;
}

/** A pool's SSE answer being received: its text in order, and a way to stop it. */
export interface BackendStream {
  readonly chunks: AsyncIterable<string>;
  /** Closes the connection: the pool sees the client go away. */
  abort(): void;
}

export interface BackendHttpResponse {
  readonly status: number;
  /** Lower-case names. */
  readonly headers: HeaderMap;
  /** The whole body ('' when `stream` is given). */
  readonly body: string;
  /** The body still arriving, for `streamSse` requests answered with SSE. */
  readonly stream?: BackendStream;
}

/** Why an exchange with a pool failed. */
export type BackendFailure =
  /** Nothing reached the pool (connection refused, unreachable, DNS): safe to resend anywhere. */
  | 'not-delivered'
  /** The connection broke after the request was written: the pool may have acted on it. */
  | 'connection-lost'
  /** No answer within the timeout: the pool may still act on it. */
  | 'timeout'
  /** The caller went away and the gateway cut the exchange off (`signal`): no fault of the pool. */
  | 'abandoned';

export class BackendError extends Error {
  constructor(
    public readonly failure: BackendFailure,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'BackendError';
  }
}

export interface BackendTransport {
  /** One exchange; rejects with `BackendError` when no HTTP answer arrived. */
  send(request: BackendHttpRequest): Promise<BackendHttpResponse>;
  /** Every address `host` resolves to now (Cloud Map gives one per healthy task). */
  resolve(host: string): Promise<string[]>;
  close(): Promise<void>;
}
