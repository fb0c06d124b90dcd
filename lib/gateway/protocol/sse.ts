/**
 * Server-sent events, as far as a buffered relay needs them: split a whole `text/event-stream` body
 * into events, and write events back. Pools may answer a POST with an SSE stream that carries
 * notifications before the JSON-RPC response; the gateway relays such bodies whole.
 */

export interface SseEvent {
  readonly event?: string;
  readonly id?: string;
  readonly data: string;
}

/** Parses a complete SSE body (the HTML living-standard field rules; comments and `retry` dropped). */
export function parseSse(body: string): SseEvent[] {
  const events: SseEvent[] = [];
  let data: string[] = [];
  let event: string | undefined;
  let id: string | undefined;
  const flush = () => {
    if (data.length > 0) events.push({ data: data.join('\n'), ...(event !== undefined ? { event } : {}), ...(id !== undefined ? { id } : {}) });
    data = [];
    event = undefined;
    id = undefined;
  };
  for (const line of body.split(/\r\n|\r|\n/)) {
    if (line === '') {
      flush();
      continue;
    }
    if (line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') data.push(value);
    else if (field === 'event') event = value;
    else if (field === 'id') id = value;
  }
  flush();
  return events;
}

export function writeSse(events: readonly SseEvent[]): string {
  let out = '';
  for (const e of events) {
    if (e.event !== undefined) out += `event: ${e.event}\n`;
    if (e.id !== undefined) out += `id: ${e.id}\n`;
    for (const line of e.data.split('\n')) out += `data: ${line}\n`;
    out += '\n';
  }
  return out;
}
