import { LineCounter, parseDocument, isAlias, isMap, isScalar, isPair, visit, type Document, type Node } from "yaml";
import type { z } from "zod";
import { fail, ok, formatPath, nearest, type Problem, type Result } from "./errors.js";

/** Files larger than this are refused before parsing. */
export const MAX_INPUT_BYTES = 1024 * 1024;

export interface YamlSource {
  readonly file: string;
  readonly doc: Document.Parsed;
  readonly lines: LineCounter;
  readonly value: unknown;
}

/** Parse YAML text keeping positions. Never throws. */
export function parseYamlSource(file: string, text: string): Result<YamlSource> {
  if (text.length > MAX_INPUT_BYTES) {
    return fail([{ file, message: `file is larger than ${MAX_INPUT_BYTES / 1024} KiB; refusing to parse it` }]);
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.includes("\u0000"))
    return fail([{ file, message: "file holds binary data (NUL bytes), expected YAML text" }]);
  if (text.includes("\uFFFD")) return fail([{ file, message: "file is not valid UTF-8 text" }]);
  const lines = new LineCounter();
  let doc: Document.Parsed;
  try {
    // logLevel "error": the library would otherwise print warnings (odd keys, unknown tags) to stderr itself.
    doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false, logLevel: "error" });
  } catch (e) {
    return fail([{ file, message: `YAML could not be parsed: ${(e as Error).message}` }]);
  }
  if (doc.errors.length > 0) {
    return fail(
      doc.errors.map((e) => {
        const pos = lines.linePos(e.pos[0]);
        let msg = e.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "");
        if (e.code === "DUPLICATE_KEY") {
          const key = /^\s*("[^"\n]*"|'[^'\n]*'|[^:\n]+?)\s*:/.exec(text.slice(e.pos[0]))?.[1];
          if (key) msg = `duplicate key \`${key.replace(/^["']|["']$/g, "")}\` (keys must be unique in a mapping)`;
        }
        return { file, line: pos.line, col: pos.col, message: `invalid YAML: ${msg}` };
      }),
    );
  }
  // A key that is a list or mapping (`? [a, b]: x`) would be stringified into a key nobody wrote.
  const odd: Problem[] = [];
  visit(doc, {
    Pair(_, pair) {
      if (pair.key !== null && !isScalar(pair.key) && !isAlias(pair.key) && odd.length < 10) {
        const r = (pair.key as Node).range;
        odd.push({
          file,
          ...(r ? lines.linePos(r[0]) : {}),
          message: "invalid YAML: a key must be plain text, not a list or mapping",
        });
      }
    },
  });
  if (odd.length) return fail(odd);
  // Warnings the parser collected (e.g. an unresolved tag such as !!js/function) make the value unreliable.
  if (doc.warnings.length > 0) {
    return fail(
      doc.warnings.slice(0, 10).map((e) => {
        const pos = lines.linePos(e.pos[0]);
        return {
          file,
          line: pos.line,
          col: pos.col,
          message: `invalid YAML: ${e.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "")}`,
        };
      }),
    );
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    // An alias bomb ("billion laughs") throws here without a position: point at the first alias.
    let at: { line: number; col: number } | undefined;
    visit(doc, {
      Alias(_, node) {
        if (node.range) at = lines.linePos(node.range[0]);
        return visit.BREAK;
      },
    });
    return fail([{ file, ...at, message: `YAML could not be read: ${(e as Error).message.split("\n")[0]}` }]);
  }
  return ok({ file, doc, lines, value });
}

/** Position of the node at `path`, or of the nearest ancestor that exists. */
export function locate(
  src: YamlSource,
  path: readonly PropertyKey[],
  key = false,
): { line: number; col: number } | undefined {
  for (let n = path.length; n >= 0; n--) {
    const sub = path.slice(0, n).map((p) => (typeof p === "symbol" ? String(p) : p));
    let node: unknown;
    if (key && n === path.length && n > 0) {
      const parent = sub.length === 1 ? src.doc.contents : src.doc.getIn(sub.slice(0, -1), true);
      if (isMap(parent)) {
        const pair = parent.items.find(
          (it) => isPair(it) && isScalar(it.key) && String(it.key.value) === String(sub[sub.length - 1]),
        );
        node = pair && isPair(pair) ? pair.key : undefined;
      }
    } else {
      node = sub.length === 0 ? src.doc.contents : src.doc.getIn(sub, true);
    }
    const range = (node as Node | undefined)?.range;
    if (range) {
      const p = src.lines.linePos(range[0]);
      return { line: p.line, col: p.col };
    }
  }
  return undefined;
}

function describeFound(v: unknown): string {
  if (v === undefined) return "nothing";
  if (v === null) return "null";
  if (Array.isArray(v)) return "a list";
  if (typeof v === "object") return "a mapping";
  if (typeof v === "string") return JSON.stringify(v.length > 40 ? v.slice(0, 40) + "…" : v);
  return String(v);
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let cur: unknown = root;
  for (const seg of path) {
    if (cur === null || typeof cur !== "object") return undefined;
    if (!Object.hasOwn(cur, seg as string)) return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[seg as string];
  }
  return cur;
}

/** Keys a zod object schema accepts at `path` (for "did you mean"). */
export type KnownKeys = (path: readonly PropertyKey[]) => readonly string[];

/** Validate a parsed YAML value with zod and map every issue to `file:line:col path: message`. */
export function validate<S extends z.ZodType>(src: YamlSource, schema: S, knownKeys?: KnownKeys): Result<z.output<S>> {
  return validateAt(src, [], src.value, schema, knownKeys);
}

/**
 * Validate `value` — the part of the file at `base` (or a value built from it, such as an override merged
 * onto a built-in entry) — and locate every issue in the file under `base`. knownKeys is relative to value.
 */
export function validateAt<S extends z.ZodType>(
  src: YamlSource,
  base: readonly PropertyKey[],
  value: unknown,
  schema: S,
  knownKeys?: KnownKeys,
): Result<z.output<S>> {
  const r = schema.safeParse(value);
  if (r.success) return ok(r.data);
  const problems: Problem[] = [];
  for (const issue of flattenUnions(r.error.issues as unknown as ZodIssueLike[])) {
    const rel = issue.path;
    const path = [...base, ...rel];
    if (issue.code === "unrecognized_keys") {
      for (const k of issue.keys ?? []) {
        const full = [...path, k];
        const pos = locate(src, full, true);
        const cands = knownKeys ? nearest(k, knownKeys(rel)) : [];
        const hint = cands.length ? ` — did you mean \`${cands[0]}\`?` : "";
        problems.push({ file: src.file, ...pos, path: formatPath(full), message: `unknown key \`${k}\`${hint}` });
      }
      continue;
    }
    const pos = locate(src, path);
    const found = valueAt(value, rel);
    let message = issue.message;
    if (issue.code === "invalid_type") {
      const expected = (issue as { expected?: string }).expected ?? "a value";
      message =
        found === undefined ? `required ${expected} is missing` : `expected ${expected}, found ${describeFound(found)}`;
      if (expected === "number" && typeof found === "number")
        message = `expected a finite number, found ${describeFound(found)}`;
      else if (
        expected === "number" &&
        typeof found === "string" &&
        found.trim() !== "" &&
        Number.isFinite(Number(found))
      )
        message += " — write the number without quotes";
      else if (expected === "string" && (typeof found === "number" || typeof found === "boolean"))
        message += ` — quote it if you mean the text: "${String(found)}"`;
      else if (expected === "object" && found !== null && typeof found !== "object" && knownKeys) {
        // A scalar where a mapping goes: say which keys it takes, and show the first in use.
        const keys = knownKeys(rel);
        const field = String(rel[rel.length - 1] ?? "this");
        if (keys.length)
          message =
            `expected a mapping, found ${describeFound(found)} — ${field} takes ${keys.join(", ")} (e.g. ` +
            `${field}: { ${keys[0]}: ${typeof found === "string" ? found : String(found)} })`;
      }
    } else if (issue.code === "invalid_value") {
      const values = (issue as { values?: unknown[] }).values ?? [];
      if (found === undefined) {
        problems.push({
          file: src.file,
          ...pos,
          path: formatPath(path) || undefined,
          message: `required field is missing; expected one of ${values.map((v) => JSON.stringify(v)).join(", ")}`,
        });
        continue;
      }
      const near = typeof found === "string" ? nearest(found, values.map(String)) : [];
      message =
        `expected one of ${values.map((v) => JSON.stringify(v)).join(", ")}, found ` +
        `${describeFound(found)}${near.length ? ` — did you mean ${JSON.stringify(near[0])}?` : ""}`;
    } else if (issue.code === "too_small" || issue.code === "too_big") {
      message = `${issue.message.replace(/^Too (small|big): /, "")}, found ${describeFound(found)}`;
    } else if (issue.code === "invalid_union") {
      message =
        found === undefined
          ? `required field is missing; expected ${unionExpected(issue)}`
          : `expected ${unionExpected(issue)}, found ${describeFound(found)}`;
      if (typeof found === "number" && !Number.isFinite(found))
        message = `expected a finite number, found ${describeFound(found)}`;
    }
    problems.push({ file: src.file, ...pos, path: formatPath(path) || undefined, message });
  }
  // In file order, as a reader scans it (zod reports nested issues in schema order).
  return fail(dedupe(problems).sort((x, y) => (x.line ?? 0) - (y.line ?? 0) || (x.col ?? 0) - (y.col ?? 0)));
}

const TYPE_WORDS: Record<string, string> = {
  number: "a number",
  string: "a string",
  object: "a mapping",
  array: "a list",
  boolean: "true or false",
};

/** What the branches of a union accept, in words: "a number or a quantity with a unit", "a string or a mapping". */
function unionExpected(issue: ZodIssueLike): string {
  const types = [
    ...new Set(
      (issue.errors ?? []).flatMap((b) =>
        b.filter((x) => x.code === "invalid_type" && x.path.length === 0).map((x) => x.expected ?? ""),
      ),
    ),
  ];
  if (types.length === 2 && types.includes("number") && types.includes("string"))
    return "a number or a quantity with a unit";
  if (types.length === 2 && types.includes("string") && types.includes("object"))
    return "a preset id (a string) or a mapping";
  const words = types.map((t) => TYPE_WORDS[t]).filter(Boolean);
  return words.length ? words.join(" or ") : "a valid value";
}

interface ZodIssueLike {
  code: string;
  path: PropertyKey[];
  message: string;
  keys?: string[];
  errors?: ZodIssueLike[][];
  expected?: string;
  values?: unknown[];
}

/**
 * A union (number | "30ms", preset id | inline model) reports "invalid_union" with each branch's issues.
 * Report the issues of the branch the value's type chose, so an inline model's bad field is named.
 */
function flattenUnions(issues: readonly ZodIssueLike[]): ZodIssueLike[] {
  const out: ZodIssueLike[] = [];
  for (const issue of issues) {
    if (issue.code === "invalid_union" && issue.errors?.length) {
      const chosen = issue.errors.find(
        (branch) => branch.length > 0 && !branch.some((b) => b.code === "invalid_type" && b.path.length === 0),
      );
      if (chosen) {
        out.push(...flattenUnions(chosen.map((b) => ({ ...b, path: [...issue.path, ...b.path] }))));
        continue;
      }
    }
    out.push(issue);
  }
  return out;
}

function dedupe(ps: Problem[]): Problem[] {
  const seen = new Set<string>();
  return ps.filter((p) => {
    const k = `${p.line}:${p.col}:${p.path}:${p.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** A helper to list the keys of the zod object schema reached by `path` from `root`. */
export function keysOf(root: z.ZodType): KnownKeys {
  return (path) => {
    let s: unknown = root;
    for (const seg of path) {
      s = unwrap(s);
      const def = (s as { def?: { type?: string; shape?: Record<string, unknown>; element?: unknown } }).def;
      if (!def) return [];
      if (def.type === "object" && typeof seg === "string") s = def.shape?.[seg];
      else if (def.type === "array" && typeof seg === "number") s = def.element;
      else if (def.type === "record") s = (def as { valueType?: unknown }).valueType;
      else return [];
    }
    s = unwrap(s);
    const def = (s as { def?: { type?: string; shape?: Record<string, unknown> } } | undefined)?.def;
    return def?.type === "object" && def.shape ? Object.keys(def.shape) : [];
  };
}

function unwrap(s: unknown): unknown {
  for (let i = 0; i < 10; i++) {
    const def = (s as { def?: { type?: string; innerType?: unknown; in?: unknown; options?: unknown[] } } | undefined)
      ?.def;
    if (!def) return s;
    if (
      def.type === "optional" ||
      def.type === "default" ||
      def.type === "nullable" ||
      def.type === "prefault" ||
      def.type === "readonly"
    )
      s = def.innerType;
    else if (def.type === "pipe") s = def.in;
    else if (def.type === "union" && def.options) {
      const obj = def.options.find((o) => (o as { def?: { type?: string } }).def?.type === "object");
      if (!obj) return s;
      s = obj;
    } else return s;
  }
  return s;
}
