/** Number formatting for people: engineering units, three significant figures. Pure. */

import { grouped } from "../format/number.js";

export { grouped };

export function sig(x: number, digits = 3): string {
  if (!Number.isFinite(x)) return "—";
  if (x === 0) return "0";
  const a = Math.abs(x);
  if (a >= 10 ** digits) return Math.round(x).toString();
  return Number(x.toPrecision(digits)).toString();
}

export function fmtMs(ms: number | undefined): string {
  if (ms === undefined) return "—";
  if (ms < 1) return `${sig(ms * 1000)} µs`;
  if (ms < 1000) return `${sig(ms)} ms`;
  if (ms < 120_000) return `${sig(ms / 1000)} s`;
  return `${sig(ms / 60_000)} min`;
}

export function fmtHours(h: number | undefined): string {
  if (h === undefined) return "—";
  if (h < 1) return `${sig(h * 60)} min`;
  if (h < 72) return `${sig(h)} h`;
  return `${sig(h / 24)} d`;
}

const SUFFIX: [number, string][] = [
  [1e12, "T"],
  [1e9, "G"],
  [1e6, "M"],
  [1e3, "k"],
];

export function fmtCount(x: number | undefined): string {
  if (x === undefined) return "—";
  for (const [f, s] of SUFFIX) if (Math.abs(x) >= f) return `${sig(x / f)}${s}`;
  return sig(x);
}

/** Parameter counts as people write model sizes: 70.6B, 671B, 1.2T, 11.2M (never "G" for billions). */
export function fmtParams(x: number | undefined): string {
  if (x === undefined) return "—";
  for (const [f, s] of [
    [1e12, "T"],
    [1e9, "B"],
    [1e6, "M"],
    [1e3, "K"],
  ] as const)
    if (Math.abs(x) >= f) return `${sig(x / f)}${s}`;
  return sig(x);
}

export function fmtRate(x: number | undefined, unit = "/s"): string {
  return x === undefined ? "—" : `${fmtCount(x)}${unit}`;
}

export function fmtW(w: number | undefined): string {
  if (w === undefined) return "—";
  if (w >= 1e6) return `${sig(w / 1e6)} MW`;
  if (w >= 1e3) return `${sig(w / 1e3)} kW`;
  if (w < 1) return `${sig(w * 1000)} mW`;
  return `${sig(w)} W`;
}

export function fmtUsd(x: number | undefined): string {
  if (x === undefined || !Number.isFinite(x)) return "—";
  const a = Math.abs(x);
  if (a >= 1e6) return `$${sig(x / 1e6)}M`;
  if (a >= 1e4) return `$${sig(x / 1e3)}k`;
  if (a >= 100) return `$${grouped(x)}`;
  if (a >= 1) return `$${x.toFixed(2)}`;
  if (a === 0) return "$0";
  return `$${sig(x, 2)}`;
}

export function fmtJ(j: number | undefined): string {
  if (j === undefined) return "—";
  if (j >= 1e3) return `${sig(j / 1e3)} kJ`;
  if (j < 1e-3) return `${sig(j * 1e6)} µJ`;
  if (j < 1) return `${sig(j * 1e3)} mJ`;
  return `${sig(j)} J`;
}

/** Round every number in a JSON-bound value to `digits` significant figures (stable, compact output). */
export function roundDeep(v: unknown, digits = 6): unknown {
  if (typeof v === "number") return Number.isInteger(v) ? v : Number(v.toPrecision(digits));
  if (Array.isArray(v)) return v.map((x) => roundDeep(x, digits));
  if (v && typeof v === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = roundDeep(x, digits);
    return out;
  }
  return v;
}

/** Visible width of a string: ANSI colour codes take none. */
const visible = (s: string) => s.replace(/\u001b\[[0-9;]*m/g, "").length;

/**
 * A plain column list (like `kubectl get`): a header, then one line per row, columns padded to their
 * widest cell and separated by two spaces. For long listings, where box tables cost time and width.
 */
export function renderColumns(
  head: readonly string[],
  rows: readonly (readonly string[])[],
  numeric: ReadonlySet<number> = new Set(),
): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => visible(r[i] ?? ""))));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => {
        const pad = " ".repeat(Math.max(0, widths[i]! - visible(c)));
        return numeric.has(i) ? pad + c : i === cells.length - 1 ? c : c + pad;
      })
      .join("  ")
      .trimEnd();
  return [line(head.map((h) => h.toUpperCase())), ...rows.map(line)].join("\n");
}

/** " + host …" after an option's name: the team's own, or the hosts bought with it (their count when more than one). */
export function hostSuffix(
  host: { readonly existing: true } | { readonly name: string; readonly units: number } | undefined,
  name: (n: string) => string = (n) => n,
): string {
  if (!host) return "";
  if ("existing" in host) return " + own host";
  return ` + host ${host.units > 1 ? `${grouped(host.units)}× ` : ""}${name(host.name)}`;
}
