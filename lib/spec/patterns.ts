/**
 * Tool name patterns: `*` matches any run of characters (also none), `?` exactly one. They are the
 * same wildcards an ALB header condition understands, so one pattern serves the gateway and the ALB.
 *
 * There is ONE matching rule, used for routing, ownership, overlap checks and authorization alike:
 * names are compared ignoring case, because the ALB compares `Mcp-Name` header values that way. A
 * case-sensitive check anywhere would let `Echo_Admin` dodge a scope written for `echo_*` while the
 * load balancer still routes it to the pool that owns `echo_*`.
 */

/** Characters allowed in MCP tool names (SEP-986), plus the two wildcards. */
export const TOOL_PATTERN_RE = /^[A-Za-z0-9_.\-*?]{1,128}$/;

const compiled = new Map<string, RegExp>();

/** A pattern as an anchored, case-insensitive regular expression (cached: patterns come from a fixed spec). */
export function patternToRegExp(pattern: string): RegExp {
  let re = compiled.get(pattern);
  if (!re) {
    const body = pattern
      .replace(/[.+^${}()|[\]\\-]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.');
    re = new RegExp(`^${body}$`, 'i');
    compiled.set(pattern, re);
  }
  return re;
}

/** Whether `toolName` matches `pattern`, ignoring case (the fleet's one matching rule). */
export function matchesPattern(toolName: string, pattern: string): boolean {
  return patternToRegExp(pattern).test(toolName);
}

export function matchesAnyPattern(toolName: string, patterns: readonly string[]): boolean {
  return patterns.some((p) => matchesPattern(toolName, p));
}

/**
 * Whether some name matches both patterns (search over the product of the two pattern automata),
 * ignoring case as `matchesPattern` does: `Foo_*` and `foo_x` overlap.
 */
export function patternsOverlap(a: string, b: string): boolean {
  const p = a.toLowerCase();
  const q = b.toLowerCase();
  const seen = new Set<number>();
  const stack: Array<[number, number]> = [[0, 0]];
  const width = q.length + 1;
  while (stack.length > 0) {
    const [i, j] = stack.pop()!;
    const key = i * width + j;
    if (seen.has(key)) continue;
    seen.add(key);
    if (i === p.length && j === q.length) return true;
    const pc = p[i];
    const qc = q[j];
    if (pc === '*') stack.push([i + 1, j]); // the star stands for nothing
    if (qc === '*') stack.push([i, j + 1]);
    if (pc === '*' && qc !== undefined && qc !== '*') stack.push([i, j + 1]); // p's star absorbs q's char
    if (qc === '*' && pc !== undefined && pc !== '*') stack.push([i + 1, j]);
    if (pc !== undefined && qc !== undefined && pc !== '*' && qc !== '*' && (pc === qc || pc === '?' || qc === '?')) {
      stack.push([i + 1, j + 1]);
    }
  }
  return false;
}
