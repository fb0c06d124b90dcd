/**
 * Tool name patterns: `*` matches any run of characters (also none), `?` exactly one. They are the
 * same wildcards an ALB header condition understands, so one pattern serves the gateway and the ALB.
 */

/** Characters allowed in MCP tool names (SEP-986), plus the two wildcards. */
export const TOOL_PATTERN_RE = /^[A-Za-z0-9_.\-*?]{1,128}$/;

const compiled = new Map<string, RegExp>();

/** A pattern as an anchored regular expression (cached: patterns come from a fixed spec). */
export function patternToRegExp(pattern: string): RegExp {
  let re = compiled.get(pattern);
  if (!re) {
    const body = pattern.replace(/[.+^${}()|[\]\\-]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
    re = new RegExp(`^${body}$`);
    compiled.set(pattern, re);
  }
  return re;
}

export function matchesPattern(toolName: string, pattern: string): boolean {
  return patternToRegExp(pattern).test(toolName);
}

export function matchesAnyPattern(toolName: string, patterns: readonly string[]): boolean {
  return patterns.some((p) => matchesPattern(toolName, p));
}

/**
 * Whether some name matches both patterns (search over the product of the two pattern automata).
 * With `ignoreCase`, as the ALB compares header values, `Foo_*` and `foo_x` overlap.
 */
export function patternsOverlap(a: string, b: string, ignoreCase = false): boolean {
  const p = ignoreCase ? a.toLowerCase() : a;
  const q = ignoreCase ? b.toLowerCase() : b;
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
