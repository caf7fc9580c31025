import { logDomain, logTicks, type ParetoData } from "./pareto.js";

/**
 * Inline SVG charts for the HTML report: no script, no external font or image, a <title> and <desc>
 * that a screen reader announces, and data-* attributes on every mark so a test (or a reader's tool)
 * can read back what was drawn. Every string that reaches the markup goes through `esc`. Pure.
 */

/** Text for HTML and SVG content and attribute values: & < > " ' escaped. */
export function esc(s: string | number): string {
  return String(s).replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!,
  );
}

const f1 = (v: number) => (Math.round(v * 10) / 10).toString();

interface Frame {
  readonly width: number;
  readonly height: number;
  readonly left: number;
  readonly right: number;
  readonly top: number;
  readonly bottom: number;
}

const FRAME: Frame = { width: 760, height: 400, left: 72, right: 24, top: 24, bottom: 56 };

export interface ScatterOptions {
  /** Unique within the page: ids of the title and description derive from it. */
  readonly id: string;
  readonly fmtX: (v: number) => string;
  readonly fmtY: (v: number) => string;
  /** Draw each front point's 90th-percentile error band (default true). */
  readonly bands?: boolean;
}

/**
 * The cost–latency scatter: every feasible option a grey dot, the Pareto front a joined staircase of
 * larger dots labelled with their ranks, the SLO a dashed line, log scales on both axes.
 */
export function paretoSvg(d: ParetoData, o: ScatterOptions): string {
  const F = FRAME;
  const pw = F.width - F.left - F.right;
  const ph = F.height - F.top - F.bottom;
  const xd = logDomain(d.points.map((p) => p.x));
  const yd = logDomain([...d.points.map((p) => p.y), ...(d.slo !== undefined ? [d.slo] : [])]);
  const X = (v: number) =>
    F.left + ((Math.log10(v) - Math.log10(xd.lo)) / (Math.log10(xd.hi) - Math.log10(xd.lo))) * pw;
  const Y = (v: number) =>
    F.top + ph - ((Math.log10(v) - Math.log10(yd.lo)) / (Math.log10(yd.hi) - Math.log10(yd.lo))) * ph;
  const front = d.points.filter((p) => p.front).sort((a, b) => a.x - b.x || a.y - b.y || a.rank - b.rank);
  const title = `${d.axes.y.label} against ${d.axes.x.label} for ${d.points.length} feasible options`;
  const desc =
    `Log scales. The Pareto front (options no other option beats on both cost and ${d.axes.kind === "training" ? "time" : "latency"}), cheapest first: ` +
    front.map((p) => `rank ${p.rank} ${p.id} at ${o.fmtX(p.x)} and ${o.fmtY(p.y)}`).join("; ") +
    (d.slo !== undefined ? `. ${d.axes.kind === "training" ? "Deadline" : "SLO"}: ${o.fmtY(d.slo)}.` : ".") +
    (d.infeasible ? ` ${d.infeasible} infeasible options are not drawn.` : "");
  const out: string[] = [];
  out.push(
    `<svg class="chart" viewBox="0 0 ${F.width} ${F.height}" role="img" ` +
      `aria-labelledby="${esc(o.id)}-title ${esc(o.id)}-desc" data-chart="pareto" ` +
      `xmlns="http://www.w3.org/2000/svg">`,
  );
  out.push(`<title id="${esc(o.id)}-title">${esc(title)}</title>`, `<desc id="${esc(o.id)}-desc">${esc(desc)}</desc>`);
  out.push(`<rect class="plot" x="${F.left}" y="${F.top}" width="${pw}" height="${ph}"/>`);
  for (const t of logTicks(xd.lo, xd.hi, 7)) {
    const x = f1(X(t));
    out.push(
      `<line class="grid" x1="${x}" x2="${x}" y1="${F.top}" y2="${F.top + ph}"/>`,
      `<text class="tick" x="${x}" y="${F.top + ph + 18}" text-anchor="middle">${esc(o.fmtX(t))}</text>`,
    );
  }
  for (const t of logTicks(yd.lo, yd.hi, 6)) {
    const y = f1(Y(t));
    out.push(
      `<line class="grid" x1="${F.left}" x2="${F.left + pw}" y1="${y}" y2="${y}"/>`,
      `<text class="tick" x="${F.left - 8}" y="${y}" dy="0.32em" text-anchor="end">${esc(o.fmtY(t))}</text>`,
    );
  }
  out.push(
    `<text class="axis-label" x="${F.left + pw / 2}" y="${F.height - 12}" text-anchor="middle">${esc(d.axes.x.label)} (log scale)</text>`,
  );
  out.push(
    `<text class="axis-label" transform="translate(16 ${F.top + ph / 2}) rotate(-90)" text-anchor="middle">${esc(d.axes.y.label)} (log scale)</text>`,
  );
  if (d.slo !== undefined) {
    const y = f1(Y(d.slo));
    out.push(`<line class="slo" x1="${F.left}" x2="${F.left + pw}" y1="${y}" y2="${y}" data-slo="${d.slo}"/>`);
    out.push(
      `<text class="slo-label" x="${F.left + pw - 6}" y="${y}" dy="-0.45em" ` +
        `text-anchor="end">${d.axes.kind === "training" ? "deadline" : "SLO"} ${esc(o.fmtY(d.slo))}</text>`,
    );
  }
  if (front.length > 1) {
    // The staircase a buyer moves along: each step pays more for less latency.
    const pts: string[] = [];
    front.forEach((p, i) => {
      if (i > 0) pts.push(`${f1(X(p.x))},${f1(Y(front[i - 1]!.y))}`);
      pts.push(`${f1(X(p.x))},${f1(Y(p.y))}`);
    });
    out.push(`<polyline class="front-line" points="${pts.join(" ")}"/>`);
  }
  out.push(`<g class="points">`);
  const mark = (p: (typeof d.points)[number]) =>
    `<circle class="${p.front ? "pt front" : "pt"}" cx="${f1(X(p.x))}" cy="${f1(Y(p.y))}" ` +
    `r="${p.front ? 5 : 3.2}" data-rank="${p.rank}" data-id="${esc(p.id)}" data-x="${p.x}" ` +
    `data-y="${p.y}" data-front="${p.front}"><title>#${p.rank} ${esc(p.name)}: ${esc(o.fmtX(p.x))}, ` +
    `${esc(o.fmtY(p.y))}${p.front ? " (Pareto front)" : ""}</title></circle>`;
  for (const p of d.points) if (!p.front) out.push(mark(p));
  if (o.bands !== false) {
    for (const p of front) {
      const u = p.uncertaintyP90Pct;
      if (u === undefined) continue;
      const x = f1(X(p.x));
      // The latency (or time) estimate's 90th-percentile error either way.
      out.push(
        `<line class="band" x1="${x}" x2="${x}" y1="${f1(Y(Math.min(p.y * (1 + u / 100), yd.hi)))}" y2="${f1(Y(Math.max(p.y * (1 - u / 100), yd.lo)))}"/>`,
      );
    }
  }
  for (const p of front) out.push(mark(p));
  out.push(`</g>`);
  // Labels: ranks beside front points, skipped where one would overlap a label already placed.
  const placed: { x: number; y: number; w: number }[] = [];
  for (const p of [...front].sort((a, b) => a.rank - b.rank)) {
    const w = 7 * String(p.rank).length + 4;
    let x = X(p.x) + 7;
    const y = Y(p.y) - 6;
    if (x + w > F.left + pw) x = X(p.x) - 7 - w;
    if (placed.some((q) => Math.abs(q.x - x) < (q.w + w) / 2 + 2 && Math.abs(q.y - y) < 12)) continue;
    placed.push({ x, y, w });
    out.push(`<text class="rank" x="${f1(x)}" y="${f1(y)}" data-rank="${p.rank}">${p.rank}</text>`);
  }
  out.push(`</svg>`);
  return out.join("\n");
}

export interface LineSeries {
  readonly key: string;
  readonly name: string;
  /** Cumulative cost at the end of each month (index 0 = start). */
  readonly values: readonly number[];
}

const DASHES = ["", "6 3", "2 3", "8 3 2 3", "1 2", "10 4"];

/** Cumulative cost over the horizon: one line per way (colour and dash both tell them apart), crossovers ringed. */
export function tcoSvg(
  series: readonly LineSeries[],
  crossovers: readonly { month: number; cheaper: string; than: string }[],
  o: { id: string; money: (usd: number) => string; months: number },
): string {
  const F = FRAME;
  const pw = F.width - F.left - F.right;
  const ph = F.height - F.top - F.bottom;
  const all = series.flatMap((s) => s.values);
  const lo = Math.min(0, ...all);
  const hi = Math.max(lo + 1, ...all) * 1.04;
  const n = Math.max(1, o.months);
  const X = (m: number) => F.left + (m / n) * pw;
  const Y = (v: number) => F.top + ph - ((v - lo) / (hi - lo)) * ph;
  const title = `Cumulative cost over ${n} months of ${series.length} ways to pay`;
  const desc = `${series.map((s) => `${s.key}: ${s.name}, ${o.money(s.values[s.values.length - 1] ?? 0)} at the end`).join("; ")}.${crossovers.length ? ` Crossovers: ${crossovers.map((c) => `month ${c.month}, ${c.cheaper} becomes cheaper than ${c.than}`).join("; ")}.` : " No crossovers."}`;
  const out: string[] = [];
  out.push(
    `<svg class="chart" viewBox="0 0 ${F.width} ${F.height}" role="img" ` +
      `aria-labelledby="${esc(o.id)}-title ${esc(o.id)}-desc" data-chart="tco" ` +
      `xmlns="http://www.w3.org/2000/svg">`,
  );
  out.push(`<title id="${esc(o.id)}-title">${esc(title)}</title>`, `<desc id="${esc(o.id)}-desc">${esc(desc)}</desc>`);
  out.push(`<rect class="plot" x="${F.left}" y="${F.top}" width="${pw}" height="${ph}"/>`);
  const step = niceStep((hi - lo) / 5);
  for (let v = Math.ceil(lo / step) * step; v <= hi; v += step) {
    const y = f1(Y(v));
    out.push(
      `<line class="grid" x1="${F.left}" x2="${F.left + pw}" y1="${y}" y2="${y}"/>`,
      `<text class="tick" x="${F.left - 8}" y="${y}" dy="0.32em" text-anchor="end">${esc(o.money(v))}</text>`,
    );
  }
  const mStep = n <= 3 ? 1 : n <= 12 ? 3 : n <= 36 ? 6 : 12;
  for (let m = 0; m <= n; m += mStep) {
    const x = f1(X(m));
    out.push(
      `<line class="grid" x1="${x}" x2="${x}" y1="${F.top}" y2="${F.top + ph}"/>`,
      `<text class="tick" x="${x}" y="${F.top + ph + 18}" text-anchor="middle">${m}</text>`,
    );
  }
  out.push(`<text class="axis-label" x="${F.left + pw / 2}" y="${F.height - 12}" text-anchor="middle">months</text>`);
  out.push(
    `<text class="axis-label" transform="translate(16 ${F.top + ph / 2}) rotate(-90)" text-anchor="middle">cumulative cost</text>`,
  );
  series.forEach((s, i) => {
    const pts = s.values.map((v, m) => `${f1(X(m))},${f1(Y(v))}`).join(" ");
    const dash = DASHES[i % DASHES.length]!;
    out.push(
      `<polyline class="series s${i % 8}" points="${pts}"${dash ? ` stroke-dasharray="${dash}"` : ""} ` +
        `data-way="${esc(s.name)}"><title>${esc(s.key)}: ${esc(s.name)}</title></polyline>`,
    );
  });
  // Keys at the lines' ends, moved apart where lines end close together (13 px, a line of key text).
  const ends = series
    .map((s, i) => ({ i, key: s.key, x: X(s.values.length - 1), y: Y(s.values[s.values.length - 1] ?? 0) }))
    .sort((a, b) => a.y - b.y || a.i - b.i);
  for (let k = 1; k < ends.length; k++) if (ends[k]!.y - ends[k - 1]!.y < 13) ends[k]!.y = ends[k - 1]!.y + 13;
  for (const e of ends)
    out.push(`<text class="series-key s${e.i % 8}" x="${f1(e.x + 4)}" y="${f1(e.y)}" dy="0.32em">${esc(e.key)}</text>`);
  const byName = new Map(series.map((s) => [s.name, s]));
  for (const c of crossovers) {
    const s = byName.get(c.cheaper);
    const v = s?.values[c.month];
    if (v === undefined) continue;
    out.push(
      `<circle class="crossover" cx="${f1(X(c.month))}" cy="${f1(Y(v))}" r="6" ` +
        `data-month="${c.month}"><title>month ${c.month}: ${esc(c.cheaper)} becomes cheaper than ` +
        `${esc(c.than)}</title></circle>`,
    );
  }
  out.push(`</svg>`);
  return out.join("\n");
}

/** 1, 2 or 5 times a power of ten, at least `raw`. */
function niceStep(raw: number): number {
  const e = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5, 10]) if (m * e >= raw) return m * e;
  return 10 * e;
}
