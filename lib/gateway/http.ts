/**
 * The gateway's own request and response: plain objects, so the core is one `Request → Response`
 * function that adapters (ALB→Lambda, Node `http`) feed without building WHATWG objects on the hot path.
 */

/** Header names are lower case; repeated headers are joined with `, ` by the adapter. */
export type HeaderMap = Record<string, string>;

export interface GatewayRequest {
  /** Upper-case HTTP method. */
  readonly method: string;
  /** URL path without the query string. */
  readonly path: string;
  /** Raw query string without `?` ('' when absent). */
  readonly query: string;
  readonly headers: Readonly<HeaderMap>;
  /** The body as UTF-8 text ('' when absent). */
  readonly body: string;
  /** The peer address as the adapter saw it (after the load balancer: `x-forwarded-for`). */
  readonly remoteAddress?: string;
  /**
   * Whether the host can hold the answer open as a live SSE stream (the Node server can; ALB→Lambda
   * cannot). Without it the core answers buffered and refuses at once what needs a live stream.
   * @default false
   */
  readonly streaming?: boolean;
  /**
   * Fires when the client goes away before its answer is complete (a host that streams knows it):
   * the pool request behind it is cut off, which is how a 2026-07-28 caller's cancellation (closing
   * the stream) reaches 2026 and stateless pools. @default - never
   */
  readonly signal?: AbortSignal;
}

/**
 * A live `text/event-stream` body: SSE text chunks, each one or more whole events, in order. The
 * host writes them as they come, adds keep-alive comments when the stream is quiet, and calls
 * `cancel()` when the client goes away (the pool requests behind the stream are then aborted).
 */
export interface ResponseStream extends AsyncIterable<string> {
  /** Why the stream is open: a call's answer (`call`) or a listener that only ends when closed (`listen`). */
  readonly purpose: 'call' | 'listen';
  /** How often the host writes an SSE comment while nothing else is sent (below the load balancer's idle timeout). */
  readonly keepaliveMs: number;
  cancel(reason: string): void;
  /**
   * Ends the stream early with a final event that says why (a call gets its JSON-RPC error, a
   * listener a reconnect hint): how a stopping gateway closes what is still open.
   */
  shutdown(reason: string): void;
}

export interface GatewayResponse {
  readonly status: number;
  readonly headers: HeaderMap;
  /** The whole body, or a live SSE stream (only a host with `request.streaming` gets one). */
  readonly body: string | ResponseStream;
}

/** A response whose body is all there (JSON answers, errors, whatever a buffered host sends). */
export interface BufferedResponse extends GatewayResponse {
  readonly body: string;
}
