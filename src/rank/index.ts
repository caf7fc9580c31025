import { isTraining } from "../profile/schema.js";
import type { OptionEstimate } from "../estimate/option.js";
import type { Workload } from "../estimate/workload.js";
import { measuredGap } from "../estimate/measured-gap.js";
import type { Chip } from "../catalog/schema.js";
import { deadlineOnTime, lifecycleOf, type Violation } from "../rules/index.js";
import { carbonFigure } from "../energy/carbon.js";

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
  /** Other packagings of the same chip × count (HAT vs kit vs bundle, DGX vs OEM server) folded into this row. */
  readonly alsoSoldAs?: readonly string[];
}

type Criterion = "latency" | "cost" | "power" | "throughput" | "carbon" | "portability" | "proportion";
const KEYS: readonly Criterion[] = ["latency", "cost", "power", "throughput", "carbon", "portability", "proportion"];
const PROPORTION = KEYS.indexOf("proportion");
const COST = KEYS.indexOf("cost");

/**
 * Portability: how many offerings of the catalog run the option's native software stack (its chip's
 * first listed runtime: CUDA, ROCm, Neuron, TT-Metal, HailoRT, CMSIS-NN …) among their runtimes: code
 * written for a stack that dozens of clouds, servers and boards run moves without a port. Per catalog,
 * from the chips of its offerings.
 */
export function stackBreadth(chips: readonly Chip[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const c of chips) for (const r of c.runtimes) out.set(r, (out.get(r) ?? 0) + 1);
  return out;
}

/**
 * Right-sizing: utilisation at or above this share of capacity is in proportion (headroom for peaks
 * is not waste); below it an option is compared by how idle it sits. Its weight beside the profile's
 * priorities: two, as much as cost by default for a service.
 */
export const PROPORTION_FLOOR = 0.25;
const PROPORTION_WEIGHT = 2;
/**
 * At the edge a device is bought per site whatever its load, and held to the best-fitting device of all:
 * one within this factor of that device's idleness is in proportion. Capacity estimates carry about ±35 %
 * at p90 (data/validation), so two devices idle within 2× of each other are not told apart by fit; the
 * power and cost criteria already price the bigger one. (A 130 W module where a 10 W board runs at 40 %
 * is 20× idler and still loses.)
 */
const EDGE_PROPORTION_BAND = 2;
/** An option outside the preferred residency countries keeps this share of its score. */
export const NOT_PREFERRED_FACTOR = 0.85;
/**
 * An option on a chip whose vendor calls its software unfinished (catalog `software_preview`) keeps this
 * share of its score: the same figures on a preview stack carry the risk of porting, re-tuning and
 * missing kernels that a mature one does not, so a mature option close behind it comes first. So does an
 * option whose chip has published runs of the workload's kind of model well below the estimate
 * (`measured_gaps`): its figures carry the same risk. A run with a deadline keeps instead the chance it
 * finishes in time at the estimate's typical error (deadlineOnTime): one that takes 23 of 24 hours misses
 * about half the time, and a team would rather pay a little more for one that finishes in 12.
 */
export const PREVIEW_FACTOR = 0.9;
/**
 * Hardware bought after its maker's end of life keeps this share of its score: a team that buys it for
 * years gets no new units to replace failures and a driver and support window that is closing, so a
 * current part close behind it comes first (an A100 80GB PCIe, end of life 2024, scored 97.8 against an
 * RTX PRO 6000's 97.6 for a 30B MoE at 32 streams). Rented, the provider carries that risk.
 */
export const EOL_BOUGHT_FACTOR = 0.9;
const PREVIEW_BIT = 1;
const EOL_BOUGHT_BIT = 2;

/** How a workload compares options: which figure each criterion reads. Once per workload. */
interface Basis {
  readonly training: boolean;
  /**
   * Cost per 1M only means something at a stated volume; otherwise an option's spare capacity would make it look cheap
   * per inference while it costs more each month.
   */
  readonly costPerVolume: boolean;
  /** With a stated need every feasible option meets it, so spare capacity earns nothing. */
  readonly throughput: boolean;
  /** A load is stated, so idle capacity can be counted against an option. */
  readonly proportion: boolean;
}

function basisOf(w: Workload): Basis {
  const training = isTraining(w.kind);
  return {
    training,
    costPerVolume: w.averagePerS !== undefined || w.itemsPerRun !== undefined,
    throughput: !(
      w.needPerS !== undefined ||
      w.slo.concurrency !== undefined ||
      (w.itemsPerRun !== undefined && w.slo.deadlineH !== undefined) ||
      training
    ),
    proportion:
      !training &&
      (w.needPerS !== undefined ||
        w.averagePerS !== undefined ||
        w.itemsPerRun !== undefined ||
        w.slo.concurrency !== undefined),
  };
}

/** The figure criterion `k` compares (lower is better; NaN when the option has none). */
function figure(k: number, o: OptionEstimate, b: Basis, w: Workload, breadth?: ReadonlyMap<string, number>): number {
  let x: number | undefined;
  switch (k) {
    case 0:
      x = b.training
        ? o.timeToTrainH
        : o.ttftMs !== undefined && w.slo.ttftMs !== undefined
          ? o.ttftMs
          : o.latencyP99Ms;
      break;
    case 1:
      x = b.training ? o.totalCostUsd : b.costPerVolume ? (o.costPer1mUsd ?? o.monthlyCostUsd) : o.monthlyCostUsd;
      break;
    case 2:
      // A run of fixed work is held to the energy it takes, not its draw: one 8× H100 node draws 2.8× what
      // eight single-L4 VMs do, for a seventh of their hours, and uses 2.6× less (an 8B full fine-tune).
      // Energy per inference, like cost per 1M, only means something at a stated load: with none it is read
      // at each option's own capacity, where a 72-GPU rack looks as frugal per answer as one card while it
      // draws 180× the power. Without a load an option is held to its draw.
      x =
        b.training && o.powerW !== undefined && o.timeToTrainH !== undefined
          ? o.powerW * o.timeToTrainH
          : b.proportion
            ? (o.energyPerInferenceJ ?? o.powerW)
            : o.powerW;
      break;
    case 4:
      // Only read when priorities.carbon weighs it: per run (training, batch), per 1M inferences, or per month.
      x = w.priorities.carbon ? carbonFigure(o, w) : undefined;
      break;
    case 3:
      x = b.throughput && o.throughputPerS && o.throughputPerS > 0 ? 1 / o.throughputPerS : undefined;
      break;
    case 5: {
      // Fewer offerings on the same stack, less portable (breadth is only given where portability weighs).
      const native = o.chip.runtimes[0];
      x = breadth && native ? 1 / Math.max(1, breadth.get(native) ?? 1) : undefined;
      break;
    }
    default:
      // How many times more capacity than the load needs (1/utilisation); at or above the floor all tie.
      x = b.proportion ? 1 / Math.max(1e-9, Math.min(o.utilization ?? 1, PROPORTION_FLOOR)) : undefined;
  }
  return x ?? NaN;
}

/**
 * The SLO the latency criterion is held to (training: the deadline; LLMs with a TTFT SLO: that; LLMs held
 * only to a per-stream rate: the answer's time at that rate).
 */
function latencySlo(o: OptionEstimate, b: Basis, w: Workload): number | undefined {
  if (b.training) return w.slo.deadlineH;
  if (o.ttftMs !== undefined && w.slo.ttftMs !== undefined) return w.slo.ttftMs;
  // An LLM held only to a per-stream rate: the answer's time that rate implies is the latency asked for
  // (a faster stream is worth something, not as much as the price of a bigger device).
  if (o.ttftMs !== undefined && w.slo.latencyMs === undefined && w.slo.tokensPerS)
    return (w.outputTokens / w.slo.tokensPerS) * 1000;
  return w.slo.latencyMs;
}

/**
 * Score of one figure in [0, 1]. Held to an SLO: 1 at zero, 0.5 at the SLO (meeting it with margin is
 * worth something, beating it tenfold little more). Otherwise relative to the best feasible option on a
 * log scale: 1 / (1 + log2(x / best)), so 2× worse scores 0.5 and 100× worse 0.13.
 */
/** Does the option run in one of the preferred countries? (Bought hardware placed anywhere does.) */
function inPreferred(o: OptionEstimate, prefer: readonly string[] | undefined): boolean {
  if (!prefer) return true;
  if (o.region) return prefer.includes(o.region.country);
  return o.countries.includes("*") || o.countries.some((c) => prefer.includes(c));
}

export function criterionScore(x: number | undefined, best: number | undefined, slo?: number): number {
  if (x === undefined || !Number.isFinite(x) || x < 0) return 0;
  if (slo !== undefined && slo > 0) return Math.max(0, Math.min(1, 1 - 0.5 * (x / slo)));
  if (best === undefined || best <= 0 || x <= 0) return 1;
  return 1 / (1 + Math.log2(Math.max(1, x / best)));
}

/**
 * Bought or rented capacity comes in sizes: idle capacity counts against an option only where an option
 * that costs no more fits the load better, since headroom that comes with the cheapest way to meet the
 * SLOs is not paid for. For each feasible slot, the best (lowest) proportion figure among the feasible
 * slots at or below its cost, equal costs sharing one bound. (An edge site takes one device whatever its
 * load: there the caller keeps the best-fitting device of all, a 130 W module where a small board fits.)
 */
function bestFitAtOrBelowCost(fig: Float64Array, n: number, feasible: Int32Array): Float64Array {
  const costOf = (i: number) => {
    const c = fig[COST * n + i]!;
    return Number.isNaN(c) ? Infinity : c;
  };
  const byCost = Int32Array.from(feasible).sort((a, b) => costOf(a) - costOf(b) || a - b);
  const out = new Float64Array(n);
  let running = Infinity;
  for (let j = 0; j < byCost.length; ) {
    const c0 = costOf(byCost[j]!);
    let e = j;
    do {
      const v = fig[PROPORTION * n + byCost[e]!]!;
      if (v > 0 && v < running) running = v;
      e++;
    } while (e < byCost.length && costOf(byCost[e]!) === c0);
    for (; j < e; j++) out[byCost[j]!] = running;
  }
  return out;
}

type Column =
  | "failed"
  | "distance"
  | "fig"
  | "latencySlo"
  | "monthly"
  | "score"
  | "preferred"
  | "edge"
  | "risk"
  | "onTime";
/** A scorecard's arrays, sized for the largest catalog seen (a scorecard reads a prefix of them). */
type Buffers = Pick<Scorecard, Column> & { inUse: boolean };

// One set of arrays reused from profile to profile: a check over 1,000 profiles would otherwise leave
// ~0.5 MB of array memory per profile for the garbage collector (freed only by a full collection).
let pool: Buffers | undefined;
function acquire(n: number): Buffers {
  if (pool && !pool.inUse && pool.score.length >= n) {
    pool.inUse = true;
    return pool;
  }
  const cap = Math.max(n, pool?.score.length ?? 0);
  const fresh: Buffers = {
    failed: new Uint8Array(cap),
    distance: new Float64Array(cap),
    fig: new Float64Array(KEYS.length * cap),
    latencySlo: new Float64Array(cap),
    monthly: new Float64Array(cap),
    score: new Float64Array(cap),
    preferred: new Uint8Array(cap),
    edge: new Uint8Array(cap),
    risk: new Uint8Array(cap),
    onTime: new Float64Array(cap),
    inUse: true,
  };
  // A scorecard still in use (never released) keeps its arrays; the next free one goes to the pool.
  if (!pool?.inUse) pool = fresh;
  return fresh;
}

/**
 * What ranking reads of each option, in flat arrays (slot i = option i): whether and how far it fails,
 * the figure of each criterion and its monthly cost. Filled one option at a time, so the options
 * themselves need not outlive their estimate: ranking a catalog of 10,000 offerings keeps 10,000 rows
 * of numbers, not 10,000 objects.
 */
export class Scorecard {
  readonly n: number;
  readonly failed: Uint8Array;
  readonly distance: Float64Array;
  /** Criterion-major figures: fig[k * n + i]; NaN where the option has none. */
  readonly fig: Float64Array;
  readonly latencySlo: Float64Array;
  readonly monthly: Float64Array;
  readonly score: Float64Array;
  /** 1 where the option runs in a preferred residency country (or no preference is stated). */
  readonly preferred: Uint8Array;
  /** 1 where the option is provisioned per site at the edge. */
  readonly edge: Uint8Array;
  /**
   * Risks that cost an option a share of its score: PREVIEW_BIT where its chip runs software its vendor
   * calls a preview or has a measured gap for this model, EOL_BOUGHT_BIT where it is bought past its end of life.
   */
  readonly risk: Uint8Array;
  /** The chance its run meets the deadline at the estimate's typical error (deadlineOnTime); 1 without one. */
  readonly onTime: Float64Array;
  private readonly basis: Basis;
  private scored = false;
  /** Slots of the feasible options, in slot order (set by scoreAll). */
  private feasible: Int32Array = new Int32Array(0);

  private readonly buffers: Buffers;

  constructor(
    n: number,
    private readonly w: Workload,
    /** Offering id of slot i: the last tie-breaker. */
    private readonly idOf: (i: number) => string,
    /** Offerings per software stack in the catalog (stackBreadth), for priorities.portability. */
    private readonly breadth?: ReadonlyMap<string, number>,
  ) {
    this.n = n;
    this.buffers = acquire(n);
    const { failed, distance, fig, latencySlo, monthly, score, preferred, edge, risk, onTime } = this.buffers;
    this.preferred = preferred.subarray(0, n);
    this.edge = edge.subarray(0, n);
    this.risk = risk.subarray(0, n);
    this.onTime = onTime.subarray(0, n);
    this.failed = failed.subarray(0, n);
    this.distance = distance.subarray(0, n);
    this.fig = fig.subarray(0, KEYS.length * n);
    this.latencySlo = latencySlo.subarray(0, n);
    this.monthly = monthly.subarray(0, n);
    this.score = score.subarray(0, n);
    this.basis = basisOf(w);
  }

  /** Hand the arrays back for the next scorecard; this one must not be read after. */
  release(): void {
    this.buffers.inUse = false;
  }

  /**
   * A slot known to be infeasible, not estimated: it ranks below every feasible slot, and its order
   * among infeasible ones is unknown until it is recorded in full.
   */
  recordInfeasible(i: number): void {
    this.failed[i] = 1;
    this.distance[i] = Infinity;
    this.monthly[i] = Infinity;
  }

  /**
   * Every slot is recorded before the scorecard is read: record writes each field that is read for
   * it. `broken` rules and their summed `distance` are what judge/tally found for the option.
   */
  record(i: number, o: OptionEstimate, broken: number, distance: number): void {
    const n = this.n;
    this.monthly[i] = o.monthlyCostUsd ?? Infinity;
    if (broken) {
      this.failed[i] = Math.min(255, broken);
      this.distance[i] = distance;
      return;
    }
    this.failed[i] = 0;
    this.distance[i] = 0;
    for (let k = 0; k < KEYS.length; k++) this.fig[k * n + i] = figure(k, o, this.basis, this.w, this.breadth);
    this.latencySlo[i] = latencySlo(o, this.basis, this.w) ?? NaN;
    this.preferred[i] = inPreferred(o, this.w.residencyPrefer) ? 1 : 0;
    this.edge[i] = o.offering.deployment === "edge" ? 1 : 0;
    this.risk[i] =
      (o.chip.software_preview || measuredGap(o.chip, this.w) ? PREVIEW_BIT : 0) |
      (o.offering.deployment !== "cloud" && lifecycleOf(o)?.status === "eol" ? EOL_BOUGHT_BIT : 0);
    this.onTime[i] = deadlineOnTime(o, this.w);
  }

  /** Scores of the feasible options (0–100): each criterion against the best feasible option's figure. */
  private scoreAll(): void {
    if (this.scored) return;
    this.scored = true;
    const { n, fig, failed } = this;
    // The feasible slots, once: in a large catalog most options fail a rule.
    let nf = 0;
    const feasible = new Int32Array(n);
    for (let i = 0; i < n; i++) if (!failed[i]) feasible[nf++] = i;
    this.feasible = feasible.subarray(0, nf);
    const best: (number | undefined)[] = [];
    for (let k = 0; k < KEYS.length; k++) {
      let min = Infinity;
      for (let j = 0; j < nf; j++) {
        const v = fig[k * n + feasible[j]!]!;
        if (v > 0 && v < min) min = v;
      }
      best.push(min === Infinity ? undefined : min);
    }
    // Proportion, where it is a criterion: each option held to the best fit at or below its cost.
    const propBest = best[PROPORTION] === undefined ? undefined : bestFitAtOrBelowCost(fig, n, this.feasible);
    const weights = KEYS.map((k) => (k === "proportion" ? PROPORTION_WEIGHT : (this.w.priorities[k] ?? 0)));
    for (let j = 0; j < nf; j++) {
      const i = feasible[j]!;
      let sum = 0;
      let weight = 0;
      for (let k = 0; k < KEYS.length; k++) {
        const wt = weights[k]!;
        const slo = k === 0 && !Number.isNaN(this.latencySlo[i]!) ? this.latencySlo[i] : undefined;
        const bk =
          k === PROPORTION && propBest && !this.edge[i] && Number.isFinite(propBest[i]!)
            ? propBest[i]
            : k === PROPORTION && this.edge[i] && best[k] !== undefined
              ? best[k]! * EDGE_PROPORTION_BAND
              : best[k];
        if (!wt || (bk === undefined && slo === undefined)) continue;
        const v = fig[k * n + i]!;
        weight += wt;
        sum += wt * criterionScore(Number.isNaN(v) ? undefined : v, bk, slo);
      }
      this.score[i] =
        (weight ? (100 * sum) / weight : 100) *
        (this.preferred[i] ? 1 : NOT_PREFERRED_FACTOR) *
        (this.risk[i]! & PREVIEW_BIT ? PREVIEW_FACTOR : 1) *
        (this.risk[i]! & EOL_BOUGHT_BIT ? EOL_BOUGHT_FACTOR : 1) *
        this.onTime[i]!;
    }
  }

  /**
   * The order: feasible options first, by score (higher first); then infeasible ones, fewest broken
   * rules and nearest to passing first. Ties break on monthly cost, then id, so it is total and
   * deterministic. Negative when slot a ranks above slot b.
   */
  compare(a: number, b: number): number {
    const fa = this.failed[a]!;
    const fb = this.failed[b]!;
    if (fa === 0 && fb !== 0) return -1;
    if (fb === 0 && fa !== 0) return 1;
    // Infeasible options: nearest to passing first (the summed normalised distance to every violated
    // limit), then fewest broken rules.
    const d = fa === 0 ? this.score[b]! - this.score[a]! : this.distance[a]! - this.distance[b]! || fa - fb;
    if (d) return d;
    const m = this.monthly[a]! - this.monthly[b]!;
    if (m) return m; // NaN (both unpriced) falls through
    const ia = this.idOf(a);
    const ib = this.idOf(b);
    return ia < ib ? -1 : ia > ib ? 1 : 0;
  }

  /** Every slot, best first. */
  order(): Int32Array {
    this.scoreAll();
    const order = new Int32Array(this.n);
    for (let i = 0; i < this.n; i++) order[i] = i;
    return order.sort((a, b) => this.compare(a, b));
  }

  /** The `k` best slots, best first, in one pass (k small): no sort of the whole catalog. */
  best(k: number): number[] {
    this.scoreAll();
    // Feasible options rank above every other: with k of them, the others need no look.
    const among = this.feasible.length >= k ? this.feasible : undefined;
    const count = among ? among.length : this.n;
    const top: number[] = [];
    for (let x = 0; x < count; x++) {
      const i = among ? among[x]! : x;
      if (top.length === k && this.compare(i, top[k - 1]!) >= 0) continue;
      let j = Math.min(top.length, k - 1);
      if (top.length < k) top.push(i);
      while (j > 0 && this.compare(i, top[j - 1]!) < 0) {
        top[j] = top[j - 1]!;
        j--;
      }
      top[j] = i;
    }
    return top;
  }

  /** 1-based rank of one slot: how many slots rank above it, plus one. */
  rankOf(slot: number): number {
    this.scoreAll();
    let above = 0;
    for (let i = 0; i < this.n; i++) if (i !== slot && this.compare(i, slot) < 0) above++;
    return above + 1;
  }
}
