/**
 * JSON with object keys sorted at every level and no whitespace: the same value gives the same bytes
 * on every machine, so its hash can fingerprint a profile or a catalog. `undefined` members are dropped
 * (as JSON.stringify does) and -0 is written as 0.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortDeep(value));
}

/** The value with object keys in code-point order at every level (arrays keep their order). */
export function sortDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortDeep);
  if (value instanceof Map) return sortDeep(Object.fromEntries(value));
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort(byCodePoint)) {
      const v = (value as Record<string, unknown>)[k];
      if (v !== undefined) out[k] = sortDeep(v);
    }
    return out;
  }
  if (typeof value === "number" && Object.is(value, -0)) return 0;
  return value;
}

export const byCodePoint = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** node:crypto when first needed: loading it costs start-up time that only lock and check use. */
const sha256Hex = (text: string): string =>
  process.getBuiltinModule("node:crypto").createHash("sha256").update(text).digest("hex");

/** `sha256:<64 hex>` of the canonical JSON of a value. */
export function fingerprint(value: unknown): string {
  return `sha256:${sha256Hex(canonicalJson(value))}`;
}

/** A 12-hex-digit hash for per-entry bookkeeping, where only "did it change" matters. */
export function shortHash(value: unknown): string {
  return sha256Hex(canonicalJson(value)).slice(0, 12);
}

/**
 * Round an estimate to 4 significant figures so float noise from a refactor (1e-12 relative) does not
 * churn the baseline, while real changes (a different device count, price or batch) still show.
 * Whole numbers below a million stay exact (batch sizes, device counts).
 */
export function roundFigure(x: number): number {
  if (!Number.isFinite(x) || x === 0) return 0;
  if (Number.isInteger(x) && Math.abs(x) < 1e6) return x;
  const r = Number(x.toPrecision(4));
  return Object.is(r, -0) ? 0 : r;
}
