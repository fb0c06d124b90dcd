/**
 * Server-sent events: an incremental decoder for pool streams read chunk by chunk, a whole-body
 * parser on top of it, and the writer. Pools answer POSTs with SSE streams that carry notifications
 * and server-to-client requests before the JSON-RPC response; the gateway relays them as they come.
 */

export interface SseEvent {
  readonly event?: string;
  readonly id?: string;
  readonly data: string;
}

/**
 * Splits SSE text fed in arbitrary chunks into events (the HTML living-standard field rules;
 * comments and `retry` dropped). A line is only read once its end has arrived.
 */
export class SseDecoder {
  private buffer = '';
  private data: string[] = [];
  private event: string | undefined;
  private id: string | undefined;

  /** The events completed by this chunk. */
  push(chunk: string): SseEvent[] {
    const events: SseEvent[] = [];
    this.buffer += chunk;
    let start = 0;
    for (;;) {
      const end = lineEnd(this.buffer, start);
      if (end === -1) break;
      // A CR at the very end may be the first half of CRLF: wait for the next chunk.
      if (this.buffer[end] === '\r' && end + 1 === this.buffer.length) break;
      this.line(this.buffer.slice(start, end), events);
      start = end + (this.buffer[end] === '\r' && this.buffer[end + 1] === '\n' ? 2 : 1);
    }
    this.buffer = this.buffer.slice(start);
    return events;
  }

  /** The end of the text: a last line without a line break, and a last event without a blank line. */
  end(): SseEvent[] {
    const events: SseEvent[] = [];
    if (this.buffer !== '') this.line(this.buffer, events);
    this.buffer = '';
    this.flush(events);
    return events;
  }

  private line(line: string, events: SseEvent[]): void {
    if (line === '') {
      this.flush(events);
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') this.data.push(value);
    else if (field === 'event') this.event = value;
    else if (field === 'id') this.id = value;
  }

  private flush(events: SseEvent[]): void {
    if (this.data.length > 0) events.push({ data: this.data.join('\n'), ...(this.event !== undefined ? { event: this.event } : {}), ...(this.id !== undefined ? { id: this.id } : {}) });
    this.data = [];
    this.event = undefined;
    this.id = undefined;
  }
}

function lineEnd(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) return i;
  }
  return -1;
}

/** Parses a complete SSE body. */
export function parseSse(body: string): SseEvent[] {
  const decoder = new SseDecoder();
  return [...decoder.push(body), ...decoder.end()];
}

export function writeSse(events: readonly SseEvent[]): string {
  let out = '';
  for (const e of events) out += writeSseEvent(e);
  return out;
}

export function writeSseEvent(e: SseEvent): string {
  let out = '';
  if (e.event !== undefined) out += `event: ${e.event}\n`;
  if (e.id !== undefined) out += `id: ${e.id}\n`;
  for (const line of e.data.split('\n')) out += `data: ${line}\n`;
  return `${out}\n`;
}
