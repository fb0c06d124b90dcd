/**
 * SEP-2243 (2026-07-28) request headers that mirror values of the body: `Mcp-Name`, and the
 * `Mcp-Param-*` headers for tool arguments a tool declares with `x-mcp-header` in its input schema.
 * The gateway writes them when it turns a 2025-era call into a 2026 one.
 */
import { isRecord } from './jsonrpc';

const SENTINEL_PREFIX = '=?base64?';
const SENTINEL_SUFFIX = '?=';

/** A header value as SEP-2243 encodes it: plain printable ASCII, otherwise Base64 in a sentinel. */
export function encodeHeaderValue(value: string): string {
  const plain = value.length > 0 && value.trim() === value && !(value.startsWith(SENTINEL_PREFIX) && value.endsWith(SENTINEL_SUFFIX)) && /^[\t\x20-\x7e]*$/.test(value);
  return plain ? value : `${SENTINEL_PREFIX}${Buffer.from(value, 'utf8').toString('base64')}${SENTINEL_SUFFIX}`;
}

/** The inverse; undefined for a malformed sentinel. */
export function decodeHeaderValue(value: string): string | undefined {
  if (!value.startsWith(SENTINEL_PREFIX) || !value.endsWith(SENTINEL_SUFFIX)) return value;
  const encoded = value.slice(SENTINEL_PREFIX.length, -SENTINEL_SUFFIX.length);
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(encoded) || encoded.length % 4 !== 0) return undefined;
  return Buffer.from(encoded, 'base64').toString('utf8');
}

function primitiveText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number' && Number.isFinite(value) && (!Number.isInteger(value) || Number.isSafeInteger(value))) return String(value);
  return undefined;
}

/**
 * `mcp-param-<name>` headers for `args`, from the `x-mcp-header` declarations on properties reachable
 * through `properties` chains of `inputSchema` (where the spec allows them). Absent arguments get no header.
 */
export function paramHeadersFor(inputSchema: unknown, args: unknown): Record<string, string> {
  const headers: Record<string, string> = {};
  const visit = (schema: unknown, value: unknown) => {
    if (!isRecord(schema) || !isRecord(schema.properties)) return;
    for (const [key, child] of Object.entries(schema.properties)) {
      const argument = isRecord(value) ? value[key] : undefined;
      const header = isRecord(child) ? child['x-mcp-header'] : undefined;
      if (typeof header === 'string' && header !== '') {
        const text = primitiveText(argument);
        if (text !== undefined) headers[`mcp-param-${header.toLowerCase()}`] = encodeHeaderValue(text);
      }
      visit(child, argument);
    }
  };
  visit(inputSchema, args);
  return headers;
}
