/**
 * Small pieces of Node HTTP the bridge's handlers share: the header map the protocol checks read,
 * the body read with a size limit, and JSON-RPC error answers (built by the gateway's one builder).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { GatewayError } from '../gateway/errors';
import type { GatewayRequest, HeaderMap } from '../gateway/http';
import { errorResponse, RPC, type JsonRpcId } from '../gateway/protocol/jsonrpc';

/** Lower-case headers, repeated ones joined with `, `. */
export function headerMap(req: IncomingMessage): HeaderMap {
  const out: HeaderMap = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

/** The request as the gateway's protocol checks see it (only headers matter to them). */
export function protocolView(req: IncomingMessage, headers: HeaderMap): GatewayRequest {
  return { method: req.method ?? 'GET', path: '', query: '', headers, body: '' };
}

/** Reads the whole body as UTF-8; 413 beyond `limitBytes`. */
export function readBody(req: IncomingMessage, limitBytes: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limitBytes) {
        reject(new GatewayError(413, RPC.invalidRequest, `Payload Too Large: the body exceeds ${limitBytes} bytes`));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Writes the JSON-RPC error answer for `error` (status, headers and body from the error). */
export function sendError(res: ServerResponse, error: unknown, id: JsonRpcId | null = null, headers: HeaderMap = {}): void {
  if (res.headersSent) {
    if (!res.writableEnded) res.end();
    return;
  }
  const answer = errorResponse(error, id, headers);
  res.writeHead(answer.status, answer.headers);
  res.end(answer.body);
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: HeaderMap = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)), ...headers });
  res.end(text);
}

/** 202 Accepted without a body: the answer to a POST of notifications or responses only. */
export function sendAccepted(res: ServerResponse, headers: HeaderMap = {}): void {
  res.writeHead(202, headers);
  res.end();
}
