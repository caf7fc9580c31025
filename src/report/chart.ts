import { fmtHours, fmtMs, fmtUsd } from "./format.js";
import type { ProfileResult } from "../result.js";
import { NO_PAINT, type Paint } from "./paint.js";
import { logDomain, logTicks, paretoOf, type ParetoData } from "./pareto.js";
import { sanitizeDeep } from "./sanitize.js";

export interface ChartOptions {
  readonly paint?: Paint;
  /** Terminal width (the chart uses at most 120 columns, at least 60). */
  readonly width?: number;
  /** Box-drawing and bullet characters; ASCII only when false (a terminal or log that cannot show them). */
  readonly unicode?: boolean;
  /** The profile's limit on the y figure: p99 SLO in ms, or the deadline in hours for training (else taken from the rules' findings). */
  readonly slo?: number;
  /** Plot rows (default 14). */
  readonly height?: number;
}

interface Glyphs {
  readonly front: string;
  readonly other: string;
  readonly slo: string;
  readonly vAxis: string;
  readonly vTick: string;
  readonly corner: string;
  readonly hAxis: string;
  readonly hTick: string;
}

const UNICODE: Glyphs = {
  front: "•",
  other: "·",
  slo: "─",
  vAxis: "│",
  vTick: "┤",
  corner: "└",
  hAxis: "─",
  hTick: "┬",
};
const ASCII: Glyphs = { front: "*", other: ".", slo: "-", vAxis: "|", vTick: "+", corner: "+", hAxis: "-", hTick: "+" };

type Kind = "empty" | "slo" | "other" | "front" | "label";

/**
 * The cost–latency trade-off of one profile as a terminal scatter: feasible options on log–log axes
 * (cost across, latency or time to train up), the Pareto front marked and labelled with the table's
 * ranks, the SLO as a horizontal line; infeasible options are left out (and counted). Under the plot, the
 * front listed cheapest first, so a rank whose label found no room is still there. Pure.
 */
export function renderParetoChart(r: ProfileResult, opts: ChartOptions = {}): string {
  r = sanitizeDeep(r);
  if (r.pipeline) {
    return r.pipeline.stages
      .map((s) => `Stage ${s.name}:\n${renderParetoChart(s.result, { ...opts, slo: undefined })}`)
      .join("\n\n");
  }
  return drawChart(paretoOf(r, opts.slo), opts);
}

/** The chart of already-computed trade-off data (the HTML report and the tests share paretoOf). */
export function drawChart(d: ParetoData, opts: ChartOptions = {}): string {
  const paint = opts.paint ?? NO_PAINT;
  const g = opts.unicode === false ? ASCII : UNICODE;
  const fmtX = fmtUsd;
  const fmtY = d.axes.kind === "training" ? fmtHours : fmtMs;
  const out: string[] = [];
  out.push(paint.bold(`Trade-off: ${d.axes.y.label} against ${d.axes.x.label}, log scales`));
  if (!d.points.length) {
    out.push(`No feasible option has both figures to plot (${d.infeasible} infeasible, ${d.unplotted} without them).`);
    return out.join("\n");
  }
  const width = Math.max(60, Math.min(120, opts.width ?? 80));
  const height = Math.max(6, opts.height ?? 14);
  const xd = logDomain(d.points.map((p) => p.x));
  const yd = logDomain([...d.points.map((p) => p.y), ...(d.slo !== undefined ? [d.slo] : [])]);
  const yTicks = logTicks(yd.lo, yd.hi, 5);
  const yLabels = yTicks.map(fmtY);
  const lw = Math.max(...yLabels.map((l) => l.length), 4);
  const plotW = width - lw - 2 - 1;
  const lx = (v: number) => (Math.log10(v) - Math.log10(xd.lo)) / (Math.log10(xd.hi) - Math.log10(xd.lo));
  const ly = (v: number) => (Math.log10(v) - Math.log10(yd.lo)) / (Math.log10(yd.hi) - Math.log10(yd.lo));
  const colOf = (v: number) => Math.min(plotW - 1, Math.max(0, Math.round(lx(v) * (plotW - 1))));
  const rowOf = (v: number) => Math.min(height - 1, Math.max(0, height - 1 - Math.round(ly(v) * (height - 1))));

  const ch: string[][] = Array.from({ length: height }, () => new Array<string>(plotW).fill(" "));
  const kind: Kind[][] = Array.from({ length: height }, () => new Array<Kind>(plotW).fill("empty"));
  const put = (row: number, col: number, c: string, k: Kind) => {
    ch[row]![col] = c;
    kind[row]![col] = k;
  };
  const sloRow = d.slo !== undefined ? rowOf(d.slo) : undefined;
  if (sloRow !== undefined) for (let c = 0; c < plotW; c++) put(sloRow, c, g.slo, "slo");
  for (const p of d.points) if (!p.front) put(rowOf(p.y), colOf(p.x), g.other, "other");
  const front = d.points.filter((p) => p.front).sort((a, b) => a.rank - b.rank);
  for (const p of front) put(rowOf(p.y), colOf(p.x), g.front, "front");
  // Labels: best ranks first, right of the point where the cells are free (or only the SLO line), else left.
  const free = (row: number, from: number, len: number) => {
    if (from < 0 || from + len > plotW) return false;
    for (let c = from; c < from + len; c++) if (kind[row]![c] !== "empty" && kind[row]![c] !== "slo") return false;
    return true;
  };
  const labelled = new Set<number>();
  for (const p of front) {
    const row = rowOf(p.y);
    const col = colOf(p.x);
    const text = String(p.rank);
    // One free cell either side keeps two labels from reading as one number.
    const at = free(row, col + 1, text.length + 1)
      ? col + 1
      : free(row, col - text.length - 1, text.length + 1)
        ? col - text.length
        : undefined;
    if (at === undefined) continue;
    for (let k = 0; k < text.length; k++) put(row, at + k, text[k]!, "label");
    labelled.add(p.rank);
  }
  const sloText = d.slo !== undefined ? ` ${d.axes.kind === "training" ? "deadline" : "SLO"} ${fmtY(d.slo)}` : "";
  const colour = (row: number) => {
    let s = "";
    let run = "";
    let runKind: Kind | undefined;
    const flush = () => {
      if (!run) return;
      s +=
        runKind === "front"
          ? paint.ok(run)
          : runKind === "label"
            ? paint.bold(run)
            : runKind === "other"
              ? paint.dim(run)
              : runKind === "slo"
                ? paint.warn(run)
                : run;
      run = "";
    };
    for (let c = 0; c < plotW; c++) {
      if (kind[row]![c] !== runKind) {
        flush();
        runKind = kind[row]![c];
      }
      run += ch[row]![c];
    }
    flush();
    return s;
  };
  const tickRows = new Map<number, string>();
  yTicks.forEach((t, i) => tickRows.set(rowOf(t), yLabels[i]!));
  if (sloRow !== undefined && !tickRows.has(sloRow) && fmtY(d.slo!).length <= lw) tickRows.set(sloRow, fmtY(d.slo!));
  for (let row = 0; row < height; row++) {
    const label = tickRows.get(row);
    out.push(`${(label ?? "").padStart(lw)} ${label !== undefined ? g.vTick : g.vAxis}${colour(row)}`.trimEnd());
  }
  const xTicks = logTicks(xd.lo, xd.hi, 6);
  const axis = new Array<string>(plotW).fill(g.hAxis);
  const tickLine = new Array<string>(plotW + lw).fill(" ");
  let lastEnd = -1;
  for (const t of xTicks) {
    const c = colOf(t);
    axis[c] = g.hTick;
    const text = fmtX(t).replace(/\.00$/, "");
    const start = Math.max(0, Math.min(plotW - text.length, c - Math.floor(text.length / 2)));
    if (start <= lastEnd + 1) continue;
    for (let k = 0; k < text.length; k++) tickLine[start + k] = text[k]!;
    lastEnd = start + text.length - 1;
  }
  out.push(`${" ".repeat(lw)} ${g.corner}${axis.join("")}`);
  out.push(`${" ".repeat(lw + 2)}${tickLine.join("").trimEnd()}`);
  out.push(`${" ".repeat(lw + 2)}${d.axes.x.label} ${opts.unicode === false ? "->" : "→"}`);
  const legend = [
    `${paint.ok(g.front)} Pareto front (labelled with its rank)`,
    `${paint.dim(g.other)} other feasible option`,
    ...(sloRow !== undefined ? [`${paint.warn(g.slo.repeat(2))}${sloText}`] : []),
  ];
  const left = [
    d.infeasible ? `${d.infeasible} infeasible not drawn` : "",
    d.unplotted ? `${d.unplotted} without both figures not drawn` : "",
  ].filter(Boolean);
  out.push(...pack([...legend, ...left], "   ", width, ""));
  const items = d.points
    .filter((p) => p.front)
    .sort((a, b) => a.x - b.x || a.y - b.y || a.rank - b.rank)
    .map((p) => `#${p.rank} ${fmtX(p.x)} ${fmtY(p.y)}`);
  out.push(...pack([`Pareto front, cheapest first: ${items[0]}`, ...items.slice(1)], ", ", width, "  "));
  return out.join("\n");
}

/** Items joined by `sep` on lines of at most `width` visible columns (an item is never broken). */
function pack(items: readonly string[], sep: string, width: number, indent: string): string[] {
  const visible = (s: string) => s.replace(/\u001b\[[0-9;]*m/g, "").length;
  const lines: string[] = [];
  let line = "";
  for (const [i, item] of items.entries()) {
    const tail = i < items.length - 1 ? sep.trimEnd() : "";
    if (line && visible(line + sep.slice(sep.trimEnd().length) + item + tail) > width) {
      lines.push(line.trimEnd());
      line = indent + item + tail;
    } else line = line ? line + sep.slice(sep.trimEnd().length) + item + tail : item + tail;
  }
  if (line) lines.push(line.trimEnd());
  return lines;
}
