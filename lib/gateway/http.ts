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
}

export interface GatewayResponse {
  readonly status: number;
  readonly headers: HeaderMap;
  /** The whole body: ALB→Lambda is buffered, so SSE bodies are relayed whole. */
  readonly body: string;
}
