/** Reads a JSON request body for pools that must look at it before the SDK transport does. */
import type { IncomingMessage } from 'node:http';

/** A request the pool answers itself, with an HTTP status and a JSON-RPC error code. */
export class RequestRejection extends Error {
  constructor(
    public readonly status: number,
    public readonly code: number,
    message: string,
  ) {
    super(message);
    this.name = 'RequestRejection';
  }
}

/**
 * The parsed body.
 * @throws RequestRejection 413 past `limitBytes`, 400 (-32700) for malformed JSON.
 */
export async function readJsonBody(req: IncomingMessage, limitBytes: number): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limitBytes) throw new RequestRejection(413, -32600, `request body exceeds ${limitBytes} bytes`);
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch (error) {
    throw new RequestRejection(400, -32700, `Parse error: ${(error as Error).message}`);
  }
}
