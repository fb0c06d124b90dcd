import { diffLines, parseReference, searchRepos } from '../../../examples/pools/github/logic';

/** Longest common subsequence length by dynamic programming: the reference the diff must agree with. */
function lcsLength(a: string[], b: string[]): number {
  const row = new Array<number>(b.length + 1).fill(0);
  for (const x of a) {
    let diagonal = 0;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = x === b[j - 1] ? diagonal + 1 : Math.max(row[j]!, row[j - 1]!);
      diagonal = above;
    }
  }
  return row[b.length]!;
}

/** Applies the edit script to `before` and returns the result, to prove the script is right. */
function apply(before: string[], changes: ReturnType<typeof diffLines>['changes']): string[] {
  const removed = new Set(changes.filter((c) => c.op === '-').map((c) => c.line - 1));
  const kept = before.filter((_, i) => !removed.has(i));
  const out: string[] = [];
  const added = changes.filter((c) => c.op === '+');
  let k = 0;
  for (let line = 1; out.length < kept.length + added.length; line++) {
    const add = added.find((c) => c.line === line);
    out.push(add ? add.text : kept[k++]!);
  }
  return out;
}

describe('diffLines (Myers)', () => {
  test('GIVEN random texts WHEN diffed THEN the script is minimal (matches the LCS) and turns before into after', () => {
    let seed = 1;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let round = 0; round < 200; round++) {
      const a = Array.from({ length: Math.floor(random() * 30) }, () => 'abcde'[Math.floor(random() * 5)]!);
      const b = Array.from({ length: Math.floor(random() * 30) }, () => 'abcde'[Math.floor(random() * 5)]!);
      const stats = diffLines(a.join('\n'), b.join('\n'));
      const common = lcsLength(a, b);
      expect(stats.unchanged).toBe(common);
      expect(stats.removed).toBe(a.length - common);
      expect(stats.added).toBe(b.length - common);
      expect(apply(a, stats.changes)).toEqual(b);
    }
  });

  test('GIVEN empty texts and trailing newlines WHEN diffed THEN no phantom lines appear', () => {
    expect(diffLines('', '')).toEqual({ added: 0, removed: 0, unchanged: 0, changes: [] });
    expect(diffLines('a\n', 'a')).toMatchObject({ added: 0, removed: 0, unchanged: 1 });
    expect(diffLines('', 'x\r\ny\n')).toMatchObject({ added: 2, removed: 0 });
  });
});

describe('parseReference', () => {
  test.each([
    ['owner/repo', { owner: 'owner', repo: 'repo', kind: 'repository' }],
    ['aws/aws-cdk#123', { owner: 'aws', repo: 'aws-cdk', kind: 'issue', number: 123 }],
    ['evanw/esbuild@v0.28.2', { owner: 'evanw', repo: 'esbuild', kind: 'tree', ref: 'v0.28.2' }],
    ['https://github.com/pulumi/pulumi.git', { owner: 'pulumi', repo: 'pulumi', kind: 'repository' }],
    ['https://github.com/aws/aws-cdk/pull/9', { owner: 'aws', repo: 'aws-cdk', kind: 'pull', number: 9 }],
    ['https://github.com/a/b/commit/0123abc', { owner: 'a', repo: 'b', kind: 'commit', ref: '0123abc' }],
    ['https://github.com/a/b/blob/main/src/x.ts', { owner: 'a', repo: 'b', kind: 'blob', ref: 'main', path: 'src/x.ts' }],
    ['https://github.com/a/b/tree/dev', { owner: 'a', repo: 'b', kind: 'tree', ref: 'dev' }],
  ])('GIVEN %s WHEN parsed THEN its parts come out', (input, expected) => {
    expect(parseReference(input)).toEqual(expected);
  });

  test.each(['', 'just-a-word', '-bad/repo', 'https://gitlab.com/a/b', 'a/b#x'])('GIVEN %p WHEN parsed THEN the accepted forms are named', (input) => {
    expect(() => parseReference(input)).toThrow(/is not a GitHub reference: use owner\/repo/);
  });
});

describe('searchRepos', () => {
  test('GIVEN words and a language WHEN searched THEN every word must match and the most starred come first', () => {
    const { total, items } = searchRepos({ query: 'aws', sort: 'stars', limit: 3 });
    expect(total).toBe(4);
    expect(items.map((r) => r.fullName)).toEqual(['pulumi/pulumi', 'aws/aws-cdk', 'aws-powertools/powertools-lambda-typescript']);
    expect(searchRepos({ query: 'aws lambda', language: 'typescript', sort: 'name', limit: 10 }).items.map((r) => r.fullName)).toEqual(['aws-powertools/powertools-lambda-typescript']);
  });
});
