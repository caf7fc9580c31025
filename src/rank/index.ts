import type { OptionEstimate } from "../estimate/option.js";
import type { Workload } from "../estimate/workload.js";
import type { Violation } from "../rules/index.js";

export interface Judged {
  readonly option: OptionEstimate;
  readonly violations: readonly Violation[];
}

export interface Ranked extends Judged {
  readonly rank: number;
  readonly feasible: boolean;
  /** 0–100 for feasible options (relative to the best feasible one on each criterion); 0 for infeasible. */
  readonly score: number;
  /** Infeasible options: how far from passing (sum of rule distances). */
  readonly distance: number;
}

type Criterion = "latency" | "cost" | "power" | "throughput";

/** The figure each priority compares (lower is better) and the SLO it is held to, if any. */
function criteria(o: OptionEstimate, w: Workload): Record<Criterion, { x?: number; slo?: number }> {
  const training = w.kind === "training" || w.kind === "fine-tuning";
  const llmTtft = o.ttftMs !== undefined && w.slo.ttftMs !== undefined;
  return {
    latency: training
      ? { x: o.timeToTrainH, slo: w.slo.deadlineH }
      : llmTtft
        ? { x: o.ttftMs, slo: w.slo.ttftMs }
        : { x: o.latencyP99Ms, slo: w.slo.latencyMs },
    // Per 1M inferences only means something at a stated volume; otherwise an option's spare capacity
    // would make it look cheap per inference while it costs more each month.
    cost: { x: training ? o.totalCostUsd : w.averagePerS !== undefined || w.itemsPerRun !== undefined ? (o.costPer1mUsd ?? o.monthlyCostUsd) : o.monthlyCostUsd },
    power: { x: o.energyPerInferenceJ ?? o.powerW },
    // With a stated need every feasible option meets it, so spare capacity earns nothing.
    throughput: w.needPerS !== undefined || w.slo.concurrency !== undefined || (w.itemsPerRun !== undefined && w.slo.deadlineH !== undefined) || training ? {} : { x: o.throughputPerS && o.throughputPerS > 0 ? 1 / o.throughputPerS : undefined },
  };
}

/**
 * Score of one figure in [0, 1]. Held to an SLO: 1 at zero, 0.5 at the SLO (meeting it with margin is
 * worth something, beating it tenfold little more). Otherwise relative to the best feasible option on a
 * log scale: 1 / (1 + log2(x / best)), so 2× worse scores 0.5 and 100× worse 0.13.
 */
export function criterionScore(x: number | undefined, best: number | undefined, slo?: number): number {
  if (x === undefined || !Number.isFinite(x) || x < 0) return 0;
  if (slo !== undefined && slo > 0) return Math.max(0, Math.min(1, 1 - 0.5 * (x / slo)));
  if (best === undefined || best <= 0 || x <= 0) return 1;
  return 1 / (1 + Math.log2(Math.max(1, x / best)));
}

const byId = (a: Judged, b: Judged) => (a.option.offering.id < b.option.offering.id ? -1 : a.option.offering.id > b.option.offering.id ? 1 : 0);

/**
 * Feasible options first, by a weighted score of how they compare with the best feasible option on
 * each criterion (best/x, so 1 is best); then infeasible ones, nearest to feasible first. Ties break
 * on monthly cost, then id, so the order is deterministic.
 */
export function rank(judged: readonly Judged[], w: Workload): Ranked[] {
  const keys: readonly Criterion[] = ["latency", "cost", "power", "throughput"];
  // Criteria once per feasible option: they are read for the best figures and again for the scores.
  const feasible: { j: Judged; c: Record<Criterion, { x?: number; slo?: number }> }[] = [];
  const infeasible: Judged[] = [];
  for (const j of judged) {
    if (j.violations.length === 0) feasible.push({ j, c: criteria(j.option, w) });
    else infeasible.push(j);
  }
  const best: Partial<Record<Criterion, number>> = {};
  for (const k of keys) {
    let min = Infinity;
    for (const { c } of feasible) {
      const x = c[k].x;
      if (x !== undefined && Number.isFinite(x) && x > 0 && x < min) min = x;
    }
    if (min !== Infinity) best[k] = min;
  }
  const scored: Omit<Ranked, "rank">[] = feasible.map(({ j, c }) => {
    let sum = 0;
    let weight = 0;
    for (const k of keys) {
      const wt = w.priorities[k];
      if (!wt || (best[k] === undefined && c[k].slo === undefined)) continue;
      weight += wt;
      sum += wt * criterionScore(c[k].x, best[k], c[k].slo);
    }
    return { option: j.option, violations: j.violations, feasible: true, score: weight ? (100 * sum) / weight : 100, distance: 0 };
  });
  const monthly = (j: Judged) => j.option.monthlyCostUsd ?? Infinity;
  scored.sort((a, b) => b.score - a.score || monthly(a) - monthly(b) || byId(a, b));
  const far: Omit<Ranked, "rank">[] = infeasible.map((j) => {
    let distance = 0;
    for (const v of j.violations) distance += v.distance;
    return { option: j.option, violations: j.violations, feasible: false, score: 0, distance };
  });
  far.sort((a, b) => a.violations.length - b.violations.length || a.distance - b.distance || monthly(a) - monthly(b) || byId(a, b));
  const out: Ranked[] = new Array(scored.length + far.length);
  let i = 0;
  for (const r of [scored, far].flat()) {
    out[i] = { ...r, rank: i + 1 };
    i++;
  }
  return out;
}
