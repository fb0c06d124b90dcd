/**
 * The answer to one MCP POST, chosen late: if the answers arrive before anything else, one JSON body
 * (cheapest, and what most calls need); as soon as the server sends something tied to the request
 * first (progress, a log line, a sampling or elicitation request), the answer becomes an SSE stream
 * and that message is written at once, so the caller sees it live.
 */
import type { ServerResponse } from 'node:http';
import type { JsonRpcMessage, JsonRpcResponse } from '../gateway/protocol/jsonrpc';

/** An SSE stream of JSON-RPC messages over one HTTP response (a POST's answer or a GET stream). */
export class SseWriter {
  private started = false;

  constructor(
    private readonly res: ServerResponse,
    private readonly headers: Readonly<Record<string, string>> = {},
  ) {}

  get open(): boolean {
    return !this.res.writableEnded && !this.res.destroyed;
  }

  write(message: JsonRpcMessage): void {
    if (!this.open) return;
    if (!this.started) this.begin();
    this.res.write(`event: message\ndata: ${JSON.stringify(message)}\n\n`);
  }

  /** Sends the headers (a GET stream is opened before any message). */
  begin(): void {
    if (this.started) return;
    this.started = true;
    this.res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache, no-transform', connection: 'keep-alive', ...this.headers });
    this.res.flushHeaders();
  }

  end(): void {
    if (this.open) this.res.end();
  }
}

export class PostReply {
  private buffered: JsonRpcResponse[] = [];
  private received = 0;
  private sse?: SseWriter;

  constructor(
    private readonly res: ServerResponse,
    /** Answers to wait for (the requests of the POST). */
    private readonly expected: number,
    /** Whether the body was a batch (the JSON answer is then an array). */
    private readonly batch: boolean,
    private readonly headers: Readonly<Record<string, string>> = {},
  ) {}

  /** Whether the caller is still connected and waiting. */
  get open(): boolean {
    return !this.res.writableEnded && !this.res.destroyed;
  }

  /** A message tied to one of the requests: switches to SSE and writes it now. */
  relay(message: JsonRpcMessage): void {
    if (!this.open) return;
    if (!this.sse) {
      this.sse = new SseWriter(this.res, this.headers);
      for (const answer of this.buffered) this.sse.write(answer);
      this.buffered = [];
    }
    this.sse.write(message);
  }

  /** One answer; the reply ends with the last. */
  answer(message: JsonRpcResponse): void {
    if (!this.open) return;
    this.received += 1;
    if (this.sse) this.sse.write(message);
    else this.buffered.push(message);
    if (this.received < this.expected) return;
    if (this.sse) return this.sse.end();
    const body = JSON.stringify(this.batch ? this.buffered : this.buffered[0]);
    this.res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), ...this.headers });
    this.res.end(body);
  }
}
