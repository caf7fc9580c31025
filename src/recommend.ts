import type { Assumption } from "./estimate/assumed.js";
import { monthsBetween } from "./catalog/age.js";
import type { Catalog, Chip, Offering } from "./catalog/schema.js";
import {
  estimateOption,
  factsOf,
  PerfMemo,
  utilisationText,
  withBreakdown,
  type OfferingFacts,
  type OptionEstimate,
} from "./estimate/option.js";
import type { Calibration, LlmConfig } from "./estimate/perf.js";
import type { ApiPrice } from "./apiprices/schema.js";
import { compareApis } from "./apiprices/compare.js";
import { optionName, shortNames } from "./option-name.js";
import { grouped } from "./format/number.js";
import { hostCandidates, hostJson } from "./estimate/host.js";
import { isLlm, type Workload } from "./estimate/workload.js";
import { measuredGap } from "./estimate/measured-gap.js";
import { Scorecard, stackBreadth, type Judged, type Ranked } from "./rank/index.js";
import type { Estimates, ProfileResult, Recommendation, ServingConfig, ViolationJson } from "./result.js";
import {
  deadlineAtRisk,
  failsPlacement,
  judge,
  lifecycleOf,
  RULES,
  tally,
  useOf,
  type Tally,
  RULE_REFS,
  type Violation,
} from "./rules/index.js";
import { estimateUnderCap } from "./energy/choose-cap.js";
import { CapContext } from "./energy/power-cap.js";
import { offGrid } from "./energy/context.js";
import { energyLines, energyNotes, putEnergy } from "./energy/figures.js";

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
  /** Defaults the profile left to hwadvise that move the answer (assumedDefaults), shown under the table. */
  readonly assumed?: readonly Assumption[];
  /** Hosted endpoints' per-token prices: LLM results compare their top option with them. */
  readonly apiPrices?: readonly ApiPrice[];
}

/** The JSON form of an LLM configuration (per unit). */
export function servingOf(c: LlmConfig, outputTokens: number): ServingConfig {
  return {
    tensor_parallel: c.tp,
    pipeline_parallel: c.pp,
    ...(c.sequentialLayers ? { sequential_layers: true } : {}),
    replicas: c.replicas,
    kv_cache: c.kvCache,
    slots: c.slots,
    chunked_prefill: c.chunkedPrefill,
    ...(c.prefillCopies !== undefined ? { prefill_copies: c.prefillCopies } : {}),
    output_tokens_per_s: c.capacityPerS * outputTokens,
  };
}

/** Copy only the defined, finite figures: fields that do not apply are absent, never null-as-zero. */
export function estimatesOf(o: OptionEstimate, w: Workload): Estimates {
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
  put("full_load_power_w", o.unitPowerW);
  put("energy_per_inference_j", o.energyPerInferenceJ);
  put("cost_per_1m_usd", o.costPer1mUsd);
  put("monthly_cost_usd", o.monthlyCostUsd);
  put("total_cost_usd", o.totalCostUsd);
  put("capex_usd", o.capexUsd);
  put("memory_needed_gb", o.memoryNeededGb);
  put("memory_available_gb", o.memoryAvailableGb);
  put("precision", o.perf?.precision ?? o.train?.precision);
  put("weights_precision", o.perf?.weightsPrecision);
  put("batch", o.perf?.batch);
  put("bound", o.bound);
  putEnergy(put, o, w);
  put("uncertainty_pct", o.confidence ? Math.round(o.confidence.median_pct) : undefined);
  put("uncertainty_p90_pct", o.confidence ? Math.round(o.confidence.p90_pct) : undefined);
  put("utilization_pct", o.utilization !== undefined ? o.utilization * 100 : undefined);
  return e as Estimates;
}

/** Below this average utilisation a feasible option is flagged over-provisioned. */
const OVER_PROVISIONED = 0.1;

/** Worth knowing without ruling an option out: end of life, discontinued, preview software, a measured gap, a tight deadline, idle capacity. */
function flagsOf(o: OptionEstimate, w: Workload): { flags?: string[] } {
  const flags: string[] = [];
  const life = lifecycleOf(o);
  if (life?.status === "eol")
    flags.push(`end of life${life.date ? ` since ${life.date}` : ""}: buy spares now or pick a successor`);
  if (life?.status === "discontinued" && w.allowDiscontinued)
    flags.push(`discontinued${life.date ? ` since ${life.date}` : ""} (allowed by the profile)`);
  const preview = o.chip.software_preview;
  if (preview) flags.push(`software in preview: ${preview.note}`);
  const gap = measuredGap(o.chip, w);
  if (gap)
    flags.push(
      `${gap.decode_rate ? `decode at ${gap.decode_rate} of the roofline, as measured` : "measured slower than estimated"}: ${gap.note} (${gap.source}, ${gap.as_of})`,
    );
  if (o.offering.dev_kit)
    flags.push(
      `development board: ${w.sites > 1 ? `for ${grouped(w.sites)} sites, ` : ""}price the module or your own board (overlay)`,
    );
  if (useOf(o) === "consumer" && o.offering.deployment !== "edge" && w.allowConsumer)
    flags.push(`consumer ${o.offering.requires_host ? "card" : "computer"} (allowed by the profile)`);
  const tight = deadlineAtRisk(o, w);
  if (tight)
    flags.push(
      `deadline tight: the run takes ${Math.round(tight.share * 100)} % of the deadline, and estimates like this one are typically off by ±${Math.round(tight.errorPct)} %`,
    );
  if (o.utilization !== undefined && o.utilization < OVER_PROVISIONED)
    flags.push(`over-provisioned: ${utilisationText(o.utilization)} utilised`);
  return flags.length ? { flags } : {};
}

/** A figure the report may carry: JSON has no NaN or Infinity (they would print as null). */
const shown = (v: number | string | undefined): v is number | string =>
  v !== undefined && (typeof v === "string" || Number.isFinite(v));

/** A broken rule as JSON: its figures where they are finite, the profile field to relax and their unit. */
export const violationJson = (v: Violation): ViolationJson => ({
  rule: v.rule,
  message: v.message,
  ...(shown(v.measured) ? { measured: v.measured } : {}),
  ...(shown(v.limit) ? { limit: v.limit } : {}),
  ...(v.ref ?? RULE_REFS[v.rule]),
});

/**
 * The breakdown of one option, as a function. Made outside recommendWorkload on purpose: a closure
 * written there would keep its whole scope alive (the scorecard, the memo of every estimate) for as
 * long as the recommendation lives — a check over 1,000 profiles held ~0.4 MB per profile that way.
 */
const explainerOf = (o: OptionEstimate, w: Workload) => () => [...o.explain(), ...energyLines(o, w)];

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
  /** Packaging group of each slot (-1: none), and each group's slots. */
  readonly group: Int32Array;
  readonly members: readonly (readonly number[])[];
}

/**
 * Packaging variants: bought offerings of the same chip × count, deployment and class (an AI HAT+, the
 * AI Kit and a Pi bundle of one Hailo chip; a DGX and an OEM server of the same eight GPUs) perform
 * alike and differ in price and packaging. A ranking shows the best of them once. Cloud instances are
 * not grouped: their host CPUs, memory and regions differ.
 */
function packagingGroups(offerings: readonly Offering[]): { group: Int32Array; members: number[][] } {
  const byKey = new Map<string, number>();
  const members: number[][] = [];
  const group = new Int32Array(offerings.length).fill(-1);
  offerings.forEach((o, i) => {
    if (o.deployment === "cloud") return;
    const key = `${o.chip}|${o.count}|${o.deployment}|${o.class}`;
    let g = byKey.get(key);
    if (g === undefined) {
      byKey.set(key, (g = members.length));
      members.push([]);
    }
    members[g]!.push(i);
  });
  members.forEach((m, g) => {
    if (m.length > 1) for (const i of m) group[i] = g;
  });
  return { group, members };
}

/** Per catalog, whatever the workload: its offerings (one shape), each one's chip (one shape) and facts, by position. */
const preparedCache = new WeakMap<Catalog, Prepared>();
function prepared(catalog: Catalog): Prepared {
  let p = preparedCache.get(catalog);
  if (!p) {
    const chipList = [...catalog.chips.values()];
    const sameChips = uniform(chipList);
    const chipOf = new Map(chipList.map((c, i) => [c.id, sameChips[i]!]));
    // Hosts sold only to carry other parts are not options of their own; they come with the parts.
    const all = uniform(catalog.offerings).map((o) => (o.regions ? { ...o, regions: uniform(o.regions) } : o));
    const offerings = all.filter((o) => !o.host_only);
    const facts = offerings.map((o) => {
      const hosts = hostCandidates(o, all, catalog.chips);
      return hosts ? { ...factsOf(o), hosts } : factsOf(o);
    });
    p = { offerings, chips: offerings.map((o) => chipOf.get(o.chip)!), facts, ...packagingGroups(offerings) };
    preparedCache.set(catalog, p);
  }
  return p;
}

/** What an offering implies in this catalog (its regions, and the hosts it can be deployed with), for estimating it alone. */
export function offeringFacts(catalog: Catalog, o: Offering): OfferingFacts {
  const hosts = hostCandidates(o, catalog.offerings, catalog.chips);
  return hosts ? { ...factsOf(o), hosts } : factsOf(o);
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
  const estimateOne = energyLimited(w)
    ? underCap(w, cal, memo)
    : (o: Offering, chip: Chip, f: OfferingFacts, scratch?: OptionEstimate) =>
        estimateOption(o, chip, w, cal, memo, f, scratch);
  const estimate = (i: number): Judged => {
    const option = estimateOne(offerings[i]!, chips[i]!, facts[i]!);
    return { option, violations: judge(option, w) };
  };
  const card = new Scorecard(n, w, (i) => offerings[i]!.id, w.priorities.portability ? stackBreadth(chips) : undefined);
  try {
    const kept: Judged[] | undefined = keep ? undefined : new Array(n);
    let scratch: OptionEstimate | undefined;
    const t: Tally = { broken: 0, distance: 0 };
    const screen = (i: number) => {
      const option = estimateOne(offerings[i]!, chips[i]!, facts[i]!, scratch);
      tally(option, w, t);
      card.record(i, option, t.broken, t.distance);
      scratch = option;
      return t.broken === 0;
    };
    if (kept) {
      for (let i = 0; i < n; i++) {
        const j = (kept[i] = estimate(i));
        card.record(
          i,
          j.option,
          j.violations.length,
          j.violations.reduce((d, v) => d + v.distance, 0),
        );
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
      const askedInfeasible =
        keep!.ids !== undefined && offerings.some((o, i) => keep!.ids!.has(o.id) && card.failed[i] !== 0);
      if (feasible < Math.max(1, keep!.top) || askedInfeasible) for (const i of deferred) screen(i);
    }
    const { group, members } = p;
    // The other packagings of a shown row's chip × count: the feasible ones beside a feasible row.
    const variantsOf = (slot: number): string[] | undefined => {
      const g = group[slot]!;
      if (g < 0) return undefined;
      const names = members[g]!.filter((i) => i !== slot && (card.failed[slot] !== 0 || card.failed[i] === 0)).map(
        (i) => offerings[i]!.name,
      );
      return names.length ? names : undefined;
    };
    const place = (slot: number, rank: number): Ranked => {
      const j = kept ? kept[slot]! : estimate(slot);
      const feasible = card.failed[slot] === 0;
      const alsoSoldAs = variantsOf(slot);
      return {
        ...j,
        rank,
        feasible,
        score: feasible ? card.score[slot]! : 0,
        distance: card.distance[slot]!,
        ...(alsoSoldAs ? { alsoSoldAs } : {}),
      };
    };
    // Walk slots best first, keeping the first of each packaging group.
    const seen = new Set<number>();
    const leads = (slot: number) => {
      const g = group[slot]!;
      if (g < 0) return true;
      if (seen.has(g)) return false;
      seen.add(g);
      return true;
    };
    if (!keep) {
      const rows: Ranked[] = [];
      for (const slot of card.order()) if (leads(slot)) rows.push(place(slot, rows.length + 1));
      return rows;
    }
    const slots = new Map<number, number>(); // slot → rank
    const want = Math.max(1, keep.top);
    for (let k = want; ; k *= 2) {
      const best = card.best(Math.min(k, n));
      seen.clear();
      slots.clear();
      for (const slot of best) if (slots.size < want && leads(slot)) slots.set(slot, slots.size + 1);
      if (slots.size >= want || k >= n) break;
    }
    if (keep.ids)
      for (let i = 0; i < n; i++)
        if (keep.ids.has(offerings[i]!.id) && !slots.has(i)) slots.set(i, groupedRank(card, group, i));
    return [...slots].sort((a, b) => a[1] - b[1]).map(([slot, r]) => place(slot, r));
  } finally {
    card.release(); // its arrays serve the next profile
  }
}

/** Does the workload set a power cap or a power limit a cap could meet (a budget, an off-grid supply)? */
const energyLimited = (w: Workload) =>
  w.energy?.powerCapW !== undefined || w.powerBudgetW !== undefined || offGrid(w.energy?.supply);

const POWER_RULES = RULES.filter((r) => r.id === "power_budget" || r.id === "energy_balance");

/** Estimates under the profile's power cap, or under the highest cap that meets its power limits (src/energy/choose-cap.ts). */
function underCap(w: Workload, cal: Calibration, memo: PerfMemo) {
  const caps = new CapContext();
  const breaksPower = (o: OptionEstimate) =>
    POWER_RULES.some((r) => (!r.appliesTo || r.appliesTo(w)) && r.check(o, w) !== undefined);
  const broken = (o: OptionEstimate) => judge(o, w).length;
  return (o: Offering, chip: Chip, f: OfferingFacts, scratch?: OptionEstimate) =>
    estimateUnderCap(o, chip, w, cal, memo, f, caps, breaksPower, broken, scratch);
}

/**
 * One offering estimated exactly as the ranking estimates it (under the power cap recommend would
 * choose), for commands that lay out a few options again (tco): they then show the same option. Pure.
 */
export function estimateAsRanked(
  o: Offering,
  chip: Chip,
  w: Workload,
  cal: Calibration,
  facts: OfferingFacts = factsOf(o),
): OptionEstimate {
  const memo = new PerfMemo();
  return energyLimited(w) ? underCap(w, cal, memo)(o, chip, facts) : estimateOption(o, chip, w, cal, memo, facts);
}

/** 1-based rank of a slot among rows with packaging variants folded: one per group ranks above it. */
function groupedRank(card: Scorecard, group: Int32Array, slot: number): number {
  let above = 0;
  const groups = new Set<number>();
  for (let i = 0; i < card.n; i++) {
    if (i === slot || card.compare(i, slot) >= 0) continue;
    const g = group[i]!;
    if (g < 0) above++;
    else if (g !== group[slot]) groups.add(g);
  }
  return above + groups.size + 1;
}

/**
 * Estimate, judge and rank every offering of the catalog for one workload. Pure. The recommendations
 * carry their breakdown as text written when first read (or at once for the few rows `keep` asks for).
 */
export function recommendWorkload(
  file: string,
  w: Workload,
  catalog: Catalog,
  cal: Calibration,
  opts: RecommendOptions = {},
): ProfileResult {
  const ranked = rankOptions(prepared(catalog), w, cal, opts.keep);
  const staleAfter = opts.staleMonths ?? 12;
  const today = opts.today;
  const ageCache = new Map<string, number>();
  const short = shortNames();
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
      name: optionName(o, perSite, short),
      class: o.offering.class,
      deployment: o.offering.deployment,
      chip: o.chip.id,
      ...(o.offering.provider ? { provider: o.offering.provider } : {}),
      ...(o.region ? { region: o.region.region } : {}),
      units: o.units,
      devices: o.devices,
      feasible: r.feasible,
      score: r.score,
      ...(o.host ? { host: hostJson(o.host, o.offering.deployment === "edge" ? w.sites : 1) } : {}),
      ...(r.alsoSoldAs ? { also_sold_as: r.alsoSoldAs } : {}),
      ...flagsOf(o, w),
      estimates: estimatesOf(o, w),
      violations: r.violations.map(violationJson),
      ...(o.perf?.llmConfig && o.fits
        ? {
            serving: {
              ...servingOf(o.perf.llmConfig, w.outputTokens * w.model.beams),
              ...(o.perf.runnerUp ? { runner_up: servingOf(o.perf.runnerUp, w.outputTokens * w.model.beams) } : {}),
            },
          }
        : {}),
    };
    // breakdown keeps its place in the JSON field order (after violations, before stale). Written when
    // read for a full ranking (most rows are never explained); written now for the few rows `keep`
    // asks for, so they hold text instead of the estimate behind it (a check keeps 1,000s of them).
    const withText: Recommendation = opts.keep
      ? { ...rec, breakdown: [...o.explain(), ...energyLines(o, w)] }
      : withBreakdown(rec, explainerOf(o, w));
    if (stale) (withText as { stale?: string[] }).stale = stale;
    return withText;
  });
  const notes: string[] = energyNotes(ranked, w);
  if (w.deployments.includes("edge") && w.sites > 1)
    notes.push(`edge options are provisioned per site (${w.sites} sites); cloud and on-prem options serve all sites`);
  const apiComparison =
    opts.apiPrices && isLlm(w.model) && w.kind !== "training" && w.kind !== "fine-tuning"
      ? compareApis(w, recommendations, opts.apiPrices)
      : undefined;
  return {
    profile: { file, name: w.name, kind: w.kind },
    model: {
      id: w.model.id,
      name: w.model.name,
      family: w.model.family,
      params: w.model.params,
      precision: w.precision,
      ...(w.model.sample ? { sample: w.model.sample } : {}),
    },
    recommendations,
    notes,
    ...(opts.assumed?.length ? { assumed: opts.assumed } : {}),
    ...(apiComparison ? { api_comparison: apiComparison } : {}),
  };
}
