/** Tool results as every example pool shapes them, for both SDK generations (plain objects). */

/** A JSON value as text for any client, and as `structuredContent` for clients that read it. */
export function jsonResult<T extends object>(value: T): { content: Array<{ type: 'text'; text: string }>; structuredContent: T } {
  return { content: [{ type: 'text', text: JSON.stringify(value) }], structuredContent: value };
}

/** A tool-level error (`isError`): the call reached the tool, which explains why it could not do it. */
export function toolError(error: unknown): { isError: true; content: Array<{ type: 'text'; text: string }> } {
  return { isError: true, content: [{ type: 'text', text: error instanceof Error ? error.message : String(error) }] };
}
