import { roundDeep } from "./format.js";
import type { ProfileResult, Recommendation } from "../result.js";

/**
 * The cost–latency trade-off of one ranked profile as plain data: which figures are the axes, every
 * feasible option that has both, and which of them are on the Pareto front (no other option is at
 * least as cheap and at least as fast, and better in one). The terminal chart and the HTML report
 * both draw this; neither computes a front of its own. Pure.
 */
export interface ParetoData {
  readonly axes: ParetoAxes;
  /** Feasible options with both figures, in rank order. */
  readonly points: readonly ParetoPoint[];
  /** Ranks of the front's points, cheapest first. */
  readonly front: readonly number[];
  /** Feasible options without one of the two figures (not drawn). */
  readonly unplotted: number;
  /** Infeasible options (not drawn). */
  readonly infeasible: number;
  /** The limit on the y figure (latency SLO or deadline), in the y figure's unit, when the profile states one. */
  readonly slo?: number;
}

export interface ParetoAxes {
  /** `inference`: cost per 1M inferences (or requests) against p99 latency; `training`: run cost against time to train. */
  readonly kind: "inference" | "training";
  readonly x: { readonly field: "cost_per_1m_usd" | "total_cost_usd"; readonly label: string };
  readonly y: { readonly field: "latency_p99_ms" | "time_to_train_h"; readonly label: string };
}

export interface ParetoPoint {
  readonly rank: number;
  readonly id: string;
  readonly name: string;
  readonly x: number;
  readonly y: number;
  readonly front: boolean;
  /** Typical and 90th-percentile relative error of the estimate, % (the confidence band), when known. */
  readonly uncertaintyPct?: number;
  readonly uncertaintyP90Pct?: number;
}

const isTraining = (r: ProfileResult) => r.profile.kind === "training" || r.profile.kind === "fine-tuning";
const isLlm = (r: ProfileResult) => r.model.family === "decoder-llm" || r.model.family === "moe-llm";

export function paretoAxes(r: ProfileResult): ParetoAxes {
  if (isTraining(r))
    return {
      kind: "training",
      x: { field: "total_cost_usd", label: "cost per run" },
      y: { field: "time_to_train_h", label: "time to train" },
    };
  return {
    kind: "inference",
    x: { field: "cost_per_1m_usd", label: isLlm(r) ? "cost per 1M requests" : "cost per 1M inferences" },
    y: { field: "latency_p99_ms", label: "p99 latency" },
  };
}

/**
 * Indices of the non-dominated points when both coordinates are minimised. Sorted by x then y, a point
 * is on the front when it has the least y among points with its x and that y is below every y seen at a
 * smaller x (an equal y at a smaller x dominates it). Points with identical coordinates are all on the
 * front: neither is better. O(n log n).
 */
export function nonDominated(points: readonly { readonly x: number; readonly y: number }[]): Set<number> {
  const order = points
    .map((_, i) => i)
    .sort((a, b) => points[a]!.x - points[b]!.x || points[a]!.y - points[b]!.y || a - b);
  const out = new Set<number>();
  let bestY = Infinity;
  for (let i = 0; i < order.length; ) {
    const x = points[order[i]!]!.x;
    const groupMinY = points[order[i]!]!.y;
    let j = i;
    for (; j < order.length && points[order[j]!]!.x === x; j++) {
      if (points[order[j]!]!.y === groupMinY && groupMinY < bestY) out.add(order[j]!);
    }
    bestY = Math.min(bestY, groupMinY);
    i = j;
  }
  return out;
}

/**
 * The trade-off of `r`. Figures are taken as the JSON output writes them (six significant figures), so
 * the front a reader rebuilds from `--format json` is exactly the one drawn. `slo` is the profile's limit
 * on the y figure (p99 latency in ms, or the deadline in hours for training).
 */
export function paretoOf(r: ProfileResult, slo?: number): ParetoData {
  const axes = paretoAxes(r);
  slo ??= sloFromViolations(r, axes);
  const feasible = r.recommendations.filter((x) => x.feasible);
  const fig = (rec: Recommendation, f: string) => {
    const v = (rec.estimates as Readonly<Record<string, unknown>>)[f];
    return typeof v === "number" && Number.isFinite(v) && v > 0 ? (roundDeep(v) as number) : undefined;
  };
  const plotted = feasible.flatMap((rec) => {
    const x = fig(rec, axes.x.field);
    const y = fig(rec, axes.y.field);
    return x === undefined || y === undefined ? [] : [{ rec, x, y }];
  });
  const front = nonDominated(plotted);
  const points: ParetoPoint[] = plotted.map((p, i) => ({
    rank: p.rec.rank,
    id: p.rec.id,
    name: p.rec.name,
    x: p.x,
    y: p.y,
    front: front.has(i),
    ...(p.rec.estimates.uncertainty_pct !== undefined ? { uncertaintyPct: p.rec.estimates.uncertainty_pct } : {}),
    ...(p.rec.estimates.uncertainty_p90_pct !== undefined
      ? { uncertaintyP90Pct: p.rec.estimates.uncertainty_p90_pct }
      : {}),
  }));
  const frontRanks = points
    .filter((p) => p.front)
    .sort((a, b) => a.x - b.x || a.y - b.y || a.rank - b.rank)
    .map((p) => p.rank);
  return {
    axes,
    points,
    front: frontRanks,
    unplotted: feasible.length - plotted.length,
    infeasible: r.recommendations.length - feasible.length,
    ...(slo !== undefined && slo > 0 ? { slo } : {}),
  };
}

/** The limit the latency or deadline rule checked against, where some option broke it (pipeline stages state their own). */
function sloFromViolations(r: ProfileResult, axes: ParetoAxes): number | undefined {
  const rule = axes.kind === "training" ? "deadline" : "latency_p99";
  for (const rec of r.recommendations)
    for (const v of rec.violations) if (v.rule === rule && typeof v.limit === "number") return v.limit;
  return undefined;
}

/** A log-scale domain around `values` (at least a factor of 4 wide, padded a little either side). */
export function logDomain(values: readonly number[]): { lo: number; hi: number } {
  const pos = values.filter((v) => v > 0 && Number.isFinite(v));
  if (!pos.length) return { lo: 1, hi: 10 };
  let lo = Math.log10(Math.min(...pos));
  let hi = Math.log10(Math.max(...pos));
  const span = hi - lo;
  if (span < 0.6) {
    const mid = (lo + hi) / 2;
    lo = mid - 0.35;
    hi = mid + 0.35;
  } else {
    lo -= span * 0.07;
    hi += span * 0.07;
  }
  return { lo: 10 ** lo, hi: 10 ** hi };
}

/** Tick values for a log axis: powers of ten inside the domain, with 2× and 5× steps when there are few, at most `max`. */
export function logTicks(lo: number, hi: number, max = 6): number[] {
  const decades: number[] = [];
  for (let e = Math.ceil(Math.log10(lo) - 1e-9); 10 ** e <= hi * (1 + 1e-9); e++) decades.push(10 ** e);
  if (decades.length >= 3) {
    const step = Math.ceil(decades.length / max);
    return decades.filter((_, i) => i % step === 0);
  }
  const fine: number[] = [];
  for (let e = Math.floor(Math.log10(lo)) - 1; 10 ** e <= hi; e++)
    for (const m of [1, 2, 5]) {
      const v = m * 10 ** e;
      if (v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9)) fine.push(Number(v.toPrecision(3)));
    }
  return fine.length >= 2
    ? fine.slice(0, max * 2).filter((_, i, a) => a.length <= max || i % 2 === 0)
    : [Number(lo.toPrecision(2)), Number(hi.toPrecision(2))];
}
