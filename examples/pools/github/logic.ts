/** What the github example tools compute, free of any MCP concern. */
import { REPO_CATALOG, type RepoRecord } from './catalog';

export interface RepoSearch {
  readonly query: string;
  readonly language?: string;
  readonly sort: 'stars' | 'name';
  readonly limit: number;
}

/** Repositories whose name, description, language or topics contain every word of the query. */
export function searchRepos(search: RepoSearch): { total: number; items: RepoRecord[] } {
  const words = search.query.toLowerCase().split(/\s+/).filter(Boolean);
  const language = search.language?.toLowerCase();
  const hits = REPO_CATALOG.filter((repo) => {
    if (language && repo.language.toLowerCase() !== language) return false;
    const haystack = `${repo.fullName} ${repo.description} ${repo.language} ${repo.topics.join(' ')}`.toLowerCase();
    return words.every((w) => haystack.includes(w));
  });
  hits.sort(search.sort === 'stars' ? (a, b) => b.stars - a.stars || a.fullName.localeCompare(b.fullName) : (a, b) => a.fullName.localeCompare(b.fullName));
  return { total: hits.length, items: hits.slice(0, search.limit) };
}

export interface RepoReference {
  readonly owner: string;
  readonly repo: string;
  readonly kind: 'repository' | 'issue' | 'pull' | 'commit' | 'tree' | 'blob';
  readonly number?: number;
  readonly ref?: string;
  readonly path?: string;
}

const OWNER = '([A-Za-z0-9](?:-?[A-Za-z0-9]){0,38})';
const REPO = '([A-Za-z0-9._-]{1,100})';
const SHORT_RE = new RegExp(`^${OWNER}/${REPO}(?:#(\\d+)|@([^\\s]+))?$`);
const URL_RE = new RegExp(`^https://github\\.com/${OWNER}/${REPO}(?:/(issues|pull)/(\\d+)|/(commit)/([0-9a-f]{7,40})|/(tree|blob)/([^/\\s]+)(?:/(\\S+))?)?/?$`);

/**
 * Parses `owner/repo`, `owner/repo#12`, `owner/repo@ref` and github.com URLs of repositories, issues,
 * pull requests, commits, trees and blobs.
 * @throws Error naming the accepted forms when `text` is none of them.
 */
export function parseReference(text: string): RepoReference {
  const input = text.trim();
  const short = SHORT_RE.exec(input);
  if (short) {
    const [, owner, repo, number, ref] = short as unknown as [string, string, string, string | undefined, string | undefined];
    if (number !== undefined) return { owner, repo: stripGit(repo), kind: 'issue', number: Number(number) };
    if (ref !== undefined) return { owner, repo: stripGit(repo), kind: 'tree', ref };
    return { owner, repo: stripGit(repo), kind: 'repository' };
  }
  const url = URL_RE.exec(input);
  if (url) {
    const [, owner, repo, issueKind, number, commit, sha, treeKind, ref, path] = url;
    const base = { owner: owner!, repo: stripGit(repo!) };
    if (issueKind) return { ...base, kind: issueKind === 'pull' ? 'pull' : 'issue', number: Number(number) };
    if (commit) return { ...base, kind: 'commit', ref: sha! };
    if (treeKind) return { ...base, kind: treeKind as 'tree' | 'blob', ref: ref!, ...(path ? { path } : {}) };
    return { ...base, kind: 'repository' };
  }
  throw new Error(`"${input.slice(0, 200)}" is not a GitHub reference: use owner/repo, owner/repo#123, owner/repo@ref or a https://github.com/... URL`);
}

function stripGit(repo: string): string {
  return repo.endsWith('.git') ? repo.slice(0, -4) : repo;
}

export interface LineChange {
  /** `+` added in `after`, `-` removed from `before`. */
  readonly op: '+' | '-';
  /** 1-based line number in `after` (for `+`) or `before` (for `-`). */
  readonly line: number;
  readonly text: string;
}

export interface DiffStats {
  readonly added: number;
  readonly removed: number;
  readonly unchanged: number;
  readonly changes: LineChange[];
}

function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split(/\r?\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/**
 * A shortest line edit script between two texts (Myers' O(ND) algorithm). The trace keeps only the
 * diagonals each step can reach, so memory grows with D², not with D × (N + M).
 */
export function diffLines(before: string, after: string): DiffStats {
  const a = splitLines(before);
  const b = splitLines(after);
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  let steps = -1;
  search: for (let d = 0; d <= max; d++) {
    trace.push(v.slice(offset - d, offset + d + 1));
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!) ? v[offset + k + 1]! : v[offset + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) {
        steps = d;
        break search;
      }
    }
  }

  const changes: LineChange[] = [];
  let x = n;
  let y = m;
  for (let d = steps; d > 0; d--) {
    const at = (k: number) => trace[d]![k + d]!;
    const k = x - y;
    const prevK = k === -d || (k !== d && at(k - 1) < at(k + 1)) ? k + 1 : k - 1;
    const prevX = at(prevK);
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      x--;
      y--;
    }
    if (prevK === k + 1) changes.push({ op: '+', line: prevY + 1, text: b[prevY]! });
    else changes.push({ op: '-', line: prevX + 1, text: a[prevX]! });
    x = prevX;
    y = prevY;
  }
  changes.reverse();
  const removed = changes.filter((c) => c.op === '-').length;
  return { added: changes.length - removed, removed, unchanged: n - removed, changes };
}
