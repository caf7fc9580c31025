/**
 * Text a user controls (profile names, file paths, stage names, catalog ids and names from an overlay)
 * reaches terminals and raw CI logs. Shown as is, an ESC or OSC sequence can clear the screen, retitle
 * the window or overwrite the line a reviewer reads, and bidirectional overrides (Trojan Source,
 * CVE-2021-42574) can make text read differently from what it is. Every human format passes user text
 * through `sanitize`; JSON keeps the exact string (its escaping is already unambiguous).
 */

/**
 * C0 controls, DEL, C1 controls (U+0080–U+009F: U+009B is a one-character CSI on some terminals), the
 * bidirectional marks, embeddings, overrides and isolates, and the Unicode line and paragraph separators.
 */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const UNSAFE_ONE = new RegExp(UNSAFE.source);

const NAMED: Record<string, string> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };

function escapeChar(c: string): string {
  const code = c.charCodeAt(0);
  return (
    NAMED[c] ?? (code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`)
  );
}

/** `s` with every control, bidi and line-separator character shown as an escape (`\x1b`, `\u202e`, `\n`). */
export function sanitize(s: string): string {
  return UNSAFE_ONE.test(s) ? s.replace(UNSAFE, escapeChar) : s;
}

/**
 * A copy of a plain-data value (a report model) with `sanitize` applied to every string, object keys
 * included. Objects and arrays without such text are returned as they are (no copy), so a report of
 * thousands of clean options costs one walk.
 */
export function sanitizeDeep<T>(v: T): T {
  return walk(v) as T;
}

function walk(v: unknown): unknown {
  if (typeof v === "string") return sanitize(v);
  if (Array.isArray(v)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < v.length; i++) {
      const x = walk(v[i]);
      if (x !== v[i]) (out ??= v.slice())[i] = x;
    }
    return out ?? v;
  }
  if (
    v !== null &&
    typeof v === "object" &&
    (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null)
  ) {
    let out: Record<string, unknown> | undefined;
    for (const [k, x] of Object.entries(v)) {
      const sk = sanitize(k);
      const sx = walk(x);
      if (sk !== k || sx !== x) {
        out ??= { ...(v as Record<string, unknown>) };
        if (sk !== k) delete out[k];
        // defineProperty: a key named `__proto__` stays an own property, as the YAML parser made it.
        Object.defineProperty(out, sk, { value: sx, enumerable: true, writable: true, configurable: true });
      }
    }
    return out ?? v;
  }
  return v;
}
