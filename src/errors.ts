import { sanitize } from "./report/sanitize.js";

/** A problem with something the user gave us: a file, a field, a flag. Rendered as one line, exit 2. */
export interface Problem {
  readonly file: string;
  readonly line?: number;
  readonly col?: number;
  /** Dotted field path inside the file, e.g. `slo.latency_p99` or `offerings[3].chip`. */
  readonly path?: string;
  readonly message: string;
}

export type Result<T> =
  | { readonly ok: true; readonly value: T; readonly warnings: readonly Problem[] }
  | { readonly ok: false; readonly problems: readonly Problem[] };

export function ok<T>(value: T, warnings: readonly Problem[] = []): Result<T> {
  return { ok: true, value, warnings };
}

export function fail<T>(problems: readonly Problem[]): Result<T> {
  return { ok: false, problems };
}

/** `file:line:col field: message` — the one format every input error uses. */
export function formatProblem(p: Problem): string {
  const where = p.line !== undefined ? `${p.file}:${p.line}:${p.col ?? 1}` : p.file;
  return oneLine(p.path ? `${where} ${p.path}: ${p.message}` : `${where}: ${p.message}`);
}

/** A key or value from the file may hold newlines or terminal escapes: show them escaped, keep one line per problem. */
const oneLine = sanitize;

/** Thrown for input or usage errors the CLI turns into exit 2. */
export class InputError extends Error {
  readonly problems: readonly Problem[];
  constructor(problems: readonly Problem[]) {
    super(problems.map(formatProblem).join("\n"));
    this.name = "InputError";
    this.problems = problems;
  }
}

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** Render a path array as `a.b[2].c`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const seg of path) {
    if (typeof seg === "number") out += `[${seg}]`;
    else out += out ? `.${String(seg)}` : String(seg);
  }
  return out;
}

/** Levenshtein distance, for "did you mean". */
export function editDistance(a: string, b: string): number {
  const m = a.length;
  const n = b.length;
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  for (let i = 1; i <= m; i++) {
    const cur = [i];
    for (let j = 1; j <= n; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[n]!;
}

/** The closest candidates to `word`, nearest first, within a distance that scales with its length. */
export function nearest(word: string, candidates: Iterable<string>, max = 3): string[] {
  const limit = Math.max(2, Math.floor(word.length / 3));
  const scored: [number, string][] = [];
  // The same words in another order (`p99_latency` for `latency_p99`) are as near as a typo.
  const words = (w: string) =>
    w
      .toLowerCase()
      .split(/[^a-z0-9]+/)
      .filter(Boolean)
      .sort()
      .join(" ");
  const mine = words(word);
  for (const c of candidates) {
    if (mine.includes(" ") && words(c) === mine) {
      scored.push([0, c]);
      continue;
    }
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    const contains = c.toLowerCase().includes(word.toLowerCase()) || word.toLowerCase().includes(c.toLowerCase());
    if (d <= limit || (contains && word.length >= 3)) scored.push([contains ? Math.min(d, 1) : d, c]);
  }
  scored.sort((x, y) => x[0] - y[0] || (x[1] < y[1] ? -1 : x[1] > y[1] ? 1 : 0));
  return scored.slice(0, max).map((s) => s[1]);
}
