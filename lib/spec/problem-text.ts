/** How a structural problem reads: its path in the spec's terms and the value the user wrote. */

/** `['pools', 2, 'tools', 0]` → `pools[2].tools[0]`. */
export function formatSpecPath(segments: ReadonlyArray<PropertyKey>): string {
  return segments.reduce<string>((acc, s) => (typeof s === 'number' ? `${acc}[${s}]` : acc ? `${acc}.${String(s)}` : String(s)), '');
}

/** The value at a path of the input, as the user wrote it. */
function valueAt(input: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  return path.reduce<unknown>((value, key) => (typeof value === 'object' && value !== null ? (value as Record<PropertyKey, unknown>)[key] : undefined), input);
}

/**
 * A structural message that names the offending value: `… (got 300)`; a missing field is "missing"
 * (zod says "expected string, received undefined").
 */
export function withValue(message: string, issue: { code?: string; path: ReadonlyArray<PropertyKey> }, input: unknown): string {
  if (issue.code === 'unrecognized_keys') return message;
  const value = valueAt(input, issue.path);
  if (value === undefined) return message.replace(/^Invalid input: expected (\w+), received undefined$/, 'missing (must be a $1)');
  const shown = JSON.stringify(value);
  if (shown === undefined || message.includes('(got ')) return message;
  return `${message} (got ${shown.length > 80 ? `${shown.slice(0, 77)}...` : shown})`;
}
