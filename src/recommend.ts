import { monthsBetween } from "./catalog/age.js";
import type { Catalog, Chip, Offering } from "./catalog/schema.js";
import { estimateOption, factsOf, PerfMemo, withBreakdown, type OfferingFacts, type OptionEstimate } from "./estimate/option.js";
import type { Calibration, LlmConfig } from "./estimate/perf.js";
import type { ApiPrice } from "./apiprices/schema.js";
import { compareApis } from "./apiprices/compare.js";
import { isLlm, type Workload } from "./estimate/workload.js";
import { Scorecard, type Judged, type Ranked } from "./rank/index.js";
import type { Estimates, ProfileResult, Recommendation, ServingConfig } from "./report/model.js";
import { failsPlacement, judge, tally, type Tally } from "./rules/index.js";

export interface RecommendOptions {
  /** ISO date (YYYY-MM-DD) the staleness check compares with; absent = no staleness flags. */
  readonly today?: string;
  readonly staleMonths?: number;
  /**
   * Build only these recommendations, each with its true rank: the first `top` options (feasible ones
   * rank first) and the options with these ids. For callers that read a few rows of a large catalog
   * (check, lock); absent = every option.
   */
  readonly keep?: { readonly top: number; readonly ids?: ReadonlySet<string> };
  /** Hosted endpoints' per-token prices: LLM results compare their top option with them. */
  readonly apiPrices?: readonly ApiPrice[];
}

/** The JSON form of an LLM configuration (per unit). */
function servingOf(c: LlmConfig, outputTokens: number): ServingConfig {
  return { tensor_parallel: c.tp, pipeline_parallel: c.pp, ...(c.sequentialLayers ? { sequential_layers: true } : {}), replicas: c.replicas, kv_cache: c.kvCache, slots: c.slots, chunked_prefill: c.chunkedPrefill, output_tokens_per_s: c.capacityPerS * outputTokens };
}

/** Copy only the defined, finite figures: fields that do not apply are absent, never null-as-zero. */
function estimatesOf(o: OptionEstimate): Estimates {
  const e: Record<string, number | string> = {};
  const put = (k: keyof Estimates, v: number | string | undefined) => {
    if (v === undefined) return;
    if (typeof v === "number" && !Number.isFinite(v)) return;
    e[k] = v;
  };
  put("latency_p99_ms", o.latencyP99Ms);
  put("throughput_per_s", o.throughputPerS);
  put("ttft_ms", o.ttftMs);
  put("tokens_per_s", o.tokensPerS);
  put("output_tokens_per_s", o.outputTokensPerS);
  put("time_to_train_h", o.timeToTrainH);
  put("power_w", o.powerW);
  put("energy_per_inference_j", o.energyPerInferenceJ);
  put("cost_per_1m_usd", o.costPer1mUsd);
  put("monthly_cost_usd", o.monthlyCostUsd);
  put("total_cost_usd", o.totalCostUsd);
  put("capex_usd", o.capexUsd);
  put("memory_needed_gb", o.memoryNeededGb);
  put("memory_available_gb", o.memoryAvailableGb);
  put("precision", o.perf?.precision ?? o.train?.precision);
  put("batch", o.perf?.batch);
  put("bound", o.bound);
  put("uncertainty_pct", o.confidence ? Math.round(o.confidence.median_pct) : undefined);
  put("uncertainty_p90_pct", o.confidence ? Math.round(o.confidence.p90_pct) : undefined);
  return e as Estimates;
}

/** A figure the report may carry: JSON has no NaN or Infinity (they would print as null). */
const shown = (v: number | string | undefined): v is number | string => v !== undefined && (typeof v === "string" || Number.isFinite(v));

const shortNames = new Map<string, string>();
/** "NVIDIA L4 (24 GB)" → "NVIDIA L4"; remembered per name, as thousands of options share a few. */
const short = (name: string) => {
  let s = shortNames.get(name);
  if (s === undefined) shortNames.set(name, (s = name.replace(/\s*\([^()]*(\([^()]*\)[^()]*)*\)\s*$/, "").trim() || name));
  return s;
};

/** "2× NVIDIA L4 (AWS g6.12xlarge, us-east-1)": devices (per site at the edge), chip, the unit and where. */
export function optionName(o: OptionEstimate, perSite: number): string {
  const unit = o.offering.provider && o.offering.instance_type ? `${o.offering.provider} ${o.offering.instance_type}` : short(o.offering.name);
  return `${perSite}× ${short(o.chip.name)} (${o.units > 1 ? `${o.units}× ` : ""}${unit}${o.region ? `, ${o.region.region}` : ""})`;
}

/**
 * The breakdown of one option, as a function. Made outside recommendWorkload on purpose: a closure
 * written there would keep its whole scope alive (the scorecard, the memo of every estimate) for as
 * long as the recommendation lives — a check over 1,000 profiles held ~0.4 MB per profile that way.
 */
const explainerOf = (o: OptionEstimate) => () => o.explain();

/**
 * Copies of `items` that all have the same own keys in the same order (absent fields hold undefined).
 * Catalog entries parsed from files have as many shapes as combinations of optional fields, and code
 * that reads a field from many shapes runs several times slower in V8 than code that sees one.
 */
function uniform<T extends object>(items: readonly T[]): T[] {
  const keys = new Set<string>();
  for (const x of items) for (const k of Object.keys(x)) keys.add(k);
  const order = [...keys];
  return items.map((x) => {
    const out: Record<string, unknown> = {};
    for (const k of order) out[k] = (x as Record<string, unknown>)[k];
    return out as T;
  });
}

interface Prepared {
  readonly offerings: readonly Offering[];
  readonly chips: readonly Chip[];
  readonly facts: readonly OfferingFacts[];
}

/** Per catalog, whatever the workload: its offerings (one shape), each one's chip (one shape) and facts, by position. */
const preparedCache = new WeakMap<Catalog, Prepared>();
function prepared(catalog: Catalog): Prepared {
  let p = preparedCache.get(catalog);
  if (!p) {
    const chipList = [...catalog.chips.values()];
    const sameChips = uniform(chipList);
    const chipOf = new Map(chipList.map((c, i) => [c.id, sameChips[i]!]));
    const offerings = uniform(catalog.offerings).map((o) => (o.regions ? { ...o, regions: uniform(o.regions) } : o));
    p = { offerings, chips: offerings.map((o) => chipOf.get(o.chip)!), facts: offerings.map(factsOf) };
    preparedCache.set(catalog, p);
  }
  return p;
}

/**
 * Judge every offering into a scorecard, then rank: every row, or only those `keep` asks for (each
 * with its true rank). Each chip × count is estimated once (the memo). Without `keep` every option is
 * estimated and kept for the rows. With it, one estimate object is overwritten from option to option
 * (violations hold numbers and text, never the option), options that break a placement rule are
 * estimated only if the rows asked for reach them, and the few rows written out are estimated again:
 * screening 10,000s of options leaves next to no garbage.
 */
function rankOptions(p: Prepared, w: Workload, cal: Calibration, keep: RecommendOptions["keep"]): Ranked[] {
  const { offerings, chips, facts } = p;
  const n = offerings.length;
  const memo = new PerfMemo();
  const estimate = (i: number): Judged => {
    const option = estimateOption(offerings[i]!, chips[i]!, w, cal, memo, facts[i]);
    return { option, violations: judge(option, w) };
  };
  const card = new Scorecard(n, w, (i) => offerings[i]!.id);
  try {
    const kept: Judged[] | undefined = keep ? undefined : new Array(n);
    let scratch: OptionEstimate | undefined;
    const t: Tally = { broken: 0, distance: 0 };
    const screen = (i: number) => {
      const option = estimateOption(offerings[i]!, chips[i]!, w, cal, memo, facts[i], scratch);
      tally(option, w, t);
      card.record(i, option, t.broken, t.distance);
      scratch = option;
      return t.broken === 0;
    };
    if (kept) {
      for (let i = 0; i < n; i++) {
        const j = (kept[i] = estimate(i));
        card.record(i, j.option, j.violations.length, j.violations.reduce((d, v) => d + v.distance, 0));
      }
    } else {
      // Options that break a placement rule (deployment, residency, …) are infeasible whatever their
      // estimate: they are estimated only if the rows asked for reach past the feasible ones.
      const deferred: number[] = [];
      const placed = { offering: offerings[0]!, chip: chips[0]!, countries: facts[0]?.countries ?? [] };
      let feasible = 0;
      for (let i = 0; i < n; i++) {
        placed.offering = offerings[i]!;
        placed.chip = chips[i]!;
        placed.countries = facts[i]!.countries;
        if (failsPlacement(placed, w)) {
          deferred.push(i);
          card.recordInfeasible(i);
        } else if (screen(i)) feasible++;
      }
      const askedInfeasible = keep!.ids !== undefined && offerings.some((o, i) => keep!.ids!.has(o.id) && card.failed[i] !== 0);
      if (feasible < Math.max(1, keep!.top) || askedInfeasible) for (const i of deferred) screen(i);
    }
    const place = (slot: number, rank: number): Ranked => {
      const j = kept ? kept[slot]! : estimate(slot);
      const feasible = card.failed[slot] === 0;
      return { ...j, rank, feasible, score: feasible ? card.score[slot]! : 0, distance: card.distance[slot]! };
    };
    if (!keep) return Array.from(card.order(), (slot, r) => place(slot, r + 1));
    const slots = new Map<number, number>(); // slot → rank
    card.best(Math.max(1, keep.top)).forEach((slot, r) => slots.set(slot, r + 1));
    if (keep.ids) for (let i = 0; i < n; i++) if (keep.ids.has(offerings[i]!.id) && !slots.has(i)) slots.set(i, card.rankOf(i));
    return [...slots].sort((a, b) => a[1] - b[1]).map(([slot, r]) => place(slot, r));
  } finally {
    card.release(); // its arrays serve the next profile
  }
}

/**
 * Estimate, judge and rank every offering of the catalog for one workload. Pure. The recommendations
 * carry their breakdown as text written when first read (or at once for the few rows `keep` asks for).
 */
export function recommendWorkload(file: string, w: Workload, catalog: Catalog, cal: Calibration, opts: RecommendOptions = {}): ProfileResult {
  const ranked = rankOptions(prepared(catalog), w, cal, opts.keep);
  const staleAfter = opts.staleMonths ?? 12;
  const today = opts.today;
  const ageCache = new Map<string, number>();
  const isStale = (date: string) => {
    let months = ageCache.get(date);
    if (months === undefined) ageCache.set(date, (months = monthsBetween(date, today!)));
    return months > staleAfter;
  };
  const recommendations: Recommendation[] = ranked.map((r) => {
    const o = r.option;
    let stale: string[] | undefined;
    if (today) {
      if (isStale(o.chip.as_of)) (stale ??= []).push(`chip ${o.chip.id} as of ${o.chip.as_of}`);
      const priceDate = o.region?.as_of ?? o.offering.as_of;
      if (isStale(priceDate)) (stale ??= []).push(`price as of ${priceDate}`);
    }
    const perSite = o.offering.deployment === "edge" ? o.units * o.offering.count : o.devices;
    const rec = {
      rank: r.rank,
      id: o.offering.id,
      name: optionName(o, perSite),
      class: o.offering.class,
      deployment: o.offering.deployment,
      chip: o.chip.id,
      ...(o.offering.provider ? { provider: o.offering.provider } : {}),
      ...(o.region ? { region: o.region.region } : {}),
      units: o.units,
      devices: o.devices,
      feasible: r.feasible,
      score: r.score,
      estimates: estimatesOf(o),
      violations: r.violations.map((v) => ({ rule: v.rule, message: v.message, ...(shown(v.measured) ? { measured: v.measured } : {}), ...(shown(v.limit) ? { limit: v.limit } : {}) })),
      ...(o.perf?.llmConfig && o.fits ? { serving: { ...servingOf(o.perf.llmConfig, w.outputTokens * w.model.beams), ...(o.perf.runnerUp ? { runner_up: servingOf(o.perf.runnerUp, w.outputTokens * w.model.beams) } : {}) } } : {}),
    };
    // breakdown keeps its place in the JSON field order (after violations, before stale). Written when
    // read for a full ranking (most rows are never explained); written now for the few rows `keep`
    // asks for, so they hold text instead of the estimate behind it (a check keeps 1,000s of them).
    const withText: Recommendation = opts.keep ? { ...rec, breakdown: o.explain() } : withBreakdown(rec, explainerOf(o));
    if (stale) (withText as { stale?: string[] }).stale = stale;
    return withText;
  });
  const notes: string[] = [];
  if (w.deployments.includes("edge") && w.sites > 1) notes.push(`edge options are provisioned per site (${w.sites} sites); cloud and on-prem options serve all sites`);
  const apiComparison = opts.apiPrices && isLlm(w.model) && w.kind !== "training" && w.kind !== "fine-tuning" ? compareApis(w, recommendations, opts.apiPrices) : undefined;
  return {
    profile: { file, name: w.name, kind: w.kind },
    model: { id: w.model.id, name: w.model.name, family: w.model.family, params: w.model.params },
    recommendations,
    notes,
    ...(apiComparison ? { api_comparison: apiComparison } : {}),
  };
}
