import type { Chip, Offering, RegionPrice } from "../catalog/schema.js";
import { estimateInference, estimateTraining, type Bound, type Calibration, type LoadPoint, type PerfEstimate, type TrainEstimate } from "./perf.js";
import { isLlm, type Workload } from "./workload.js";
import { confidenceFor, provenanceLines, type Confidence } from "./confidence.js";
import { grouped } from "../report/format.js";
import { hostLine, hostPowerAt, resolveHost, type HostCandidate, type ResolvedHost } from "./host.js";

export const HOURS_PER_MONTH = 730.5;
const SECONDS_PER_MONTH = HOURS_PER_MONTH * 3600;

/** Host power (CPU, memory, fans, NICs) of a server when the offering does not state it: ~150 W + 50 W per accelerator. */
export function hostPowerW(o: Offering, chip: Chip): number {
  if (o.host_w !== undefined) return o.host_w;
  if (o.power_w !== undefined) return Math.max(0, o.power_w - o.count * chip.tdp_w);
  if (o.deployment === "edge" || chip.class === "cpu" || chip.class === "mcu") return 0;
  return 150 + 50 * o.count;
}

/** Maintenance and support of bought hardware per year, as a share of capex (typical vendor support 10–20%/yr; shared/reference/purchase_prices.csv DGX support line). */
export const MAINTENANCE_PER_YEAR = 0.1;

/** An option: an offering provisioned for the workload, with every figure the rules and ranking read. */
export interface OptionEstimate {
  readonly offering: Offering;
  readonly chip: Chip;
  /** The region rented in (cloud): the cheapest one the data-residency constraint allows, or the cheapest overall. */
  readonly region?: RegionPrice;
  /** Countries the offering can run in (cloud: its regions' countries). */
  readonly countries: readonly string[];
  /** Units (instances, servers, boards) per site at the edge, in total otherwise. */
  readonly units: number;
  /** Devices in the whole deployment (all sites). */
  readonly devices: number;
  readonly perf?: PerfEstimate;
  readonly train?: TrainEstimate;
  /** Why no estimate could be made (e.g. precision unsupported). */
  readonly error?: string;
  readonly precisionError?: string;
  readonly fits: boolean;
  readonly memoryNeededGb?: number;
  readonly memoryAvailableGb?: number;
  readonly latencyP99Ms?: number;
  readonly throughputPerS?: number;
  readonly ttftMs?: number;
  readonly tokensPerS?: number;
  readonly outputTokensPerS?: number;
  readonly timeToTrainH?: number;
  /** Power at the served load: per site at the edge, for the whole deployment otherwise. */
  readonly powerW?: number;
  /** Power of one unit at full load (edge power budgets are per device). */
  readonly unitPowerW?: number;
  readonly energyPerInferenceJ?: number;
  readonly costPer1mUsd?: number;
  readonly monthlyCostUsd?: number;
  readonly totalCostUsd?: number;
  readonly capexUsd?: number;
  /** The host a part that cannot run alone is deployed with (absent: it runs on its own). */
  readonly host?: ResolvedHost;
  /**
   * Share of the provisioned capacity the stated load uses on average (0–1): a service at its average
   * rate, owned hardware for a batch job its busy hours. Absent where idle capacity costs nothing
   * (cloud batch jobs pay their run time) or no load is stated.
   */
  readonly utilization?: number;
  readonly bound?: Bound;
  /** Error band of the estimate (cross-validated against published results for its class and family). */
  readonly confidence?: Confidence;
  /** The breakdown: how the figures were reached, written when called (most options are never explained). */
  readonly explain: () => readonly string[];
}


/** Power of one unit (all its devices and its host) at a utilisation between 0 and 1, W. */
export function unitPower(o: Offering, chip: Chip, util: number): number {
  return o.count * devicePowerW(chip, util) + hostPowerW(o, chip);
}

/**
 * One deployable unit's purchase price and draw, its share of a resolved host included: what the
 * cost-of-ownership module prices per unit (a card's host, shared by slots, split over its cards).
 */
export function unitEconomics(o: OptionEstimate): { readonly priceUsd: number; readonly hostPriceUsd: number; readonly idleW: number; readonly fullW: number } {
  const off = o.offering;
  const h = o.host;
  if (!h) return { priceUsd: (off.capex_usd ?? 0) + (off.host_capex_usd ?? 0), hostPriceUsd: off.host_capex_usd ?? 0, idleW: unitPower(off, o.chip, 0), fullW: unitPower(off, o.chip, 1) };
  // host.hosts and host.capexUsd are per site; units per site is o.units.
  const perUnit = 1 / Math.max(1, o.units);
  const hostPriceUsd = h.capexUsd * perUnit;
  return {
    priceUsd: (off.capex_usd ?? 0) + hostPriceUsd,
    hostPriceUsd,
    idleW: off.count * devicePowerW(o.chip, 0) + h.hosts * h.idleW * perUnit,
    fullW: off.count * devicePowerW(o.chip, 1) + h.hosts * h.fullW * perUnit,
  };
}

/** One device's power at a utilisation between 0 and 1: idle + (TDP − idle) × utilisation, W. */
export function devicePowerW(chip: Chip, util: number): number {
  return chip.idle_w + (chip.tdp_w - chip.idle_w) * util;
}

/** What an offering implies whatever the workload: its regions by price and the countries it runs in. */
export interface OfferingFacts {
  readonly regions: readonly RegionPrice[];
  readonly countries: readonly string[];
  /** Per country, the position in `regions` of its cheapest region. */
  readonly firstIn: ReadonlyMap<string, number>;
  /** Parts that need a host: the catalog's hosts that take them, cheapest first (see host.ts). */
  readonly hosts?: readonly HostCandidate[];
}

// Per offering, not per workload: worked out once and shared by every profile evaluated against it.
const factsCache = new WeakMap<Offering, OfferingFacts>();

export function factsOf(o: Offering): OfferingFacts {
  let f = factsCache.get(o);
  if (!f) {
    const regions = [...(o.regions ?? [])].sort((a, b) => a.usd_per_hour - b.usd_per_hour || (a.region < b.region ? -1 : 1));
    const countries = o.deployment === "cloud" ? [...new Set(regions.map((r) => r.country))].sort() : (o.countries ?? ["*"]);
    const firstIn = new Map<string, number>();
    regions.forEach((r, i) => {
      if (!firstIn.has(r.country)) firstIn.set(r.country, i);
    });
    factsCache.set(o, (f = { regions, countries, firstIn }));
  }
  return f;
}

/** Cheapest region, preferring those in the preferred countries, then those inside the data-residency list. */
export function pickRegion(o: Offering, residency: readonly string[] | undefined, facts = factsOf(o), prefer?: readonly string[]): RegionPrice | undefined {
  const regions = facts.regions;
  if (prefer) {
    let best = Infinity;
    for (const c of prefer) {
      const i = facts.firstIn.get(c);
      if (i !== undefined && i < best && (!residency || residency.includes(c))) best = i;
    }
    if (best !== Infinity) return regions[best];
  }
  if (residency) {
    // The first region in price order whose country is allowed: the smallest position among the allowed countries' cheapest.
    let best = Infinity;
    for (const c of residency) {
      const i = facts.firstIn.get(c);
      if (i !== undefined && i < best) best = i;
    }
    if (best !== Infinity) return regions[best];
  }
  return regions[0];
}

const MAX_UNITS = 100_000;

const leased = (o: Offering) => o.capex_usd === undefined && o.lease_usd_per_month !== undefined;
const ownedPue = (o: Offering, w: Workload) => (o.deployment === "edge" ? 1 : w.pue);
const ownedEnergy = (o: Offering, avgPowerW: number, w: Workload) => ((avgPowerW * ownedPue(o, w)) / 1000) * HOURS_PER_MONTH * w.energyUsdPerKwh;
/**
 * Purchase price of `units` bought units with their hosts: a resolved host's price (`hostCapexUsd`, all
 * sites) replaces the offering's own host assumption (`host_capex_usd` per unit).
 */
const ownedCapex = (o: Offering, units: number, hostCapexUsd?: number) =>
  leased(o) ? 0 : (o.capex_usd ?? 0) * units + (hostCapexUsd ?? (o.host_capex_usd ?? 0) * units);

/** Monthly cost of owning (or leasing) `units` bought units drawing `avgPowerW` (energy at the site's PUE). */
function ownedMonthly(o: Offering, units: number, avgPowerW: number, w: Workload, hostCapexUsd?: number): number {
  const energy = ownedEnergy(o, avgPowerW, w);
  if (leased(o)) return o.lease_usd_per_month! * units + energy;
  const capex = ownedCapex(o, units, hostCapexUsd);
  return capex / (w.horizonYears * 12) + (capex * MAINTENANCE_PER_YEAR) / 12 + energy;
}

/** The arithmetic of ownedMonthly, for the breakdown. */
function ownedLine(o: Offering, units: number, avgPowerW: number, w: Workload, hostCapexUsd?: number): string {
  const energy = ownedEnergy(o, avgPowerW, w);
  if (leased(o)) return `lease $${round(o.lease_usd_per_month!)}/mo × ${units} + energy $${round(energy)}/mo`;
  const capex = ownedCapex(o, units, hostCapexUsd);
  const amort = capex / (w.horizonYears * 12);
  const maint = (capex * MAINTENANCE_PER_YEAR) / 12;
  return `capex $${round(capex)} over ${round(w.horizonYears)} y = $${round(amort)}/mo + maintenance ${MAINTENANCE_PER_YEAR * 100}%/y $${round(maint)}/mo + energy ${round(avgPowerW)} W × PUE ${ownedPue(o, w)} × $${w.energyUsdPerKwh}/kWh = $${round(energy)}/mo`;
}

function round(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  return a >= 100 ? grouped(Math.round(x)) : a >= 1 ? x.toFixed(2) : x.toPrecision(3);
}


const EXPLAIN = Symbol("explain");
function readBreakdown(this: { [EXPLAIN]: () => readonly string[] }): readonly string[] {
  return this[EXPLAIN]();
}
const LAZY_BREAKDOWN: PropertyDescriptor = { get: readBreakdown, enumerable: true, configurable: true };

/**
 * Give `obj` an enumerable `breakdown` computed when read. One shared getter keeps every such object
 * on the same hidden class (a getter written in each object literal would turn each into a slow
 * dictionary object), so building thousands stays cheap; the text is built only for what is shown.
 */
export function withBreakdown<T extends object>(obj: T, explain: () => readonly string[]): T & { readonly breakdown: readonly string[] } {
  (obj as Record<symbol, unknown>)[EXPLAIN] = explain;
  return Object.defineProperty(obj, "breakdown", LAZY_BREAKDOWN) as T & { readonly breakdown: readonly string[] };
}

/**
 * Estimates of one chip × count for one workload, shared by the offerings that have both (a catalog
 * of thousands of offerings holds far fewer distinct pairs). Create one per workload: the entries
 * depend on it.
 */
export class PerfMemo {
  private readonly byChip = new Map<Chip, Map<number, unknown>>();
  private readonly bands = new Map<Chip, Confidence | undefined>();
  private readonly plans = new Map<PerfEstimate, [UnitPlan | undefined, UnitPlan | undefined]>();
  /** planUnits(perf, edge, w), once per estimate and deployment kind. */
  plan(perf: PerfEstimate, edge: boolean, w: Workload): UnitPlan {
    let p = this.plans.get(perf);
    if (!p) this.plans.set(perf, (p = [undefined, undefined]));
    const i = edge ? 1 : 0;
    return (p[i] ??= planUnits(perf, edge, w));
  }
  /** confidenceFor(cal, chip, model), once per chip. */
  confidence(cal: Calibration, chip: Chip, model: Workload["model"]): Confidence | undefined {
    if (this.bands.has(chip)) return this.bands.get(chip);
    const c = confidenceFor(cal, chip, model);
    this.bands.set(chip, c);
    return c;
  }
  /** estimateInference(chip, count, w, cal), once per chip × count. */
  inference(chip: Chip, count: number, w: Workload, cal: Calibration): ReturnType<typeof estimateInference> {
    const byCount = this.forChip(chip);
    let v = byCount.get(count) as ReturnType<typeof estimateInference> | undefined;
    if (v === undefined) byCount.set(count, (v = estimateInference(chip, count, w, cal)));
    return v;
  }
  /** planTraining(chip, count, w, cal), once per chip × count. */
  training(chip: Chip, count: number, w: Workload, cal: Calibration): TrainingPlan {
    const byCount = this.forChip(chip);
    let v = byCount.get(count) as TrainingPlan | undefined;
    if (v === undefined) byCount.set(count, (v = planTraining(chip, count, w, cal)));
    return v;
  }
  // A memo serves one workload, so a chip's entries are all inference estimates or all training plans.
  private forChip(chip: Chip): Map<number, unknown> {
    let byCount = this.byChip.get(chip);
    if (!byCount) this.byChip.set(chip, (byCount = new Map()));
    return byCount;
  }
}

/**
 * Estimate one offering for the workload: performance, provisioning, power and cost. Pure. Pass one
 * `memo` per workload when estimating many offerings: the chip × count performance is then computed once.
 * `explain()` writes the breakdown when called (most options of a large catalog are never explained).
 * `scratch`: an estimate the caller no longer needs, which may be overwritten and returned instead of
 * a new object (a screening pass over 10,000s of options then allocates almost nothing).
 */
export function estimateOption(o: Offering, chip: Chip, w: Workload, cal: Calibration, memo?: PerfMemo, facts: OfferingFacts = factsOf(o), scratch?: OptionEstimate): OptionEstimate {
  const region = o.deployment === "cloud" ? pickRegion(o, w.dataResidency, facts, w.residencyPrefer) : undefined;
  const countries = facts.countries;
  if (w.kind === "training" || w.kind === "fine-tuning") return estimateTrainingOption(o, chip, region, countries, w, cal, memo, scratch, facts);

  const perf = memo ? memo.inference(chip, o.count, w, cal) : estimateInference(chip, o.count, w, cal);
  if ("error" in perf) {
    const error = perf.error;
    return { offering: o, chip, region, countries, units: 1, devices: o.count, error, precisionError: error, fits: false, explain: () => [error] };
  }
  const edge = o.deployment === "edge";
  const plan = memo ? memo.plan(perf, edge, w) : planUnits(perf, edge, w);
  const { u, cap, util, avgUtil, avgPerS, sites } = plan;
  const batchJob = plan.batchJob;
  // A part that needs a host brings it (hosts shared by slots); the host's draw replaces the offering's own host share.
  const host = o.requires_host ? resolveHost(o, facts.hosts, u, w.hostExisting) : undefined;
  const hostCapex = host ? host.capexUsd * sites : undefined;
  // unitPower(o, chip, util) three times over, with the host's share worked out once.
  const hostW = host ? 0 : hostPowerW(o, chip);
  // Whole deployable unit at full load: one host with the parts it carries, or one unit with its host share.
  const unitPowerFull = host ? host.fullW + Math.min(host.slots, u) * o.count * devicePowerW(chip, 1) : o.count * devicePowerW(chip, 1) + hostW;
  const powerAtLoad = u * (o.count * devicePowerW(chip, util) + hostW) + (host ? hostPowerAt(host, util) : 0);
  const avgPower = u * (o.count * devicePowerW(chip, avgUtil) + hostW) + (host ? hostPowerAt(host, avgUtil) : 0);
  let monthly: number;
  let capex: number | undefined;
  let per1m: number | undefined;
  let totalCost: number | undefined;
  // Hours billed per batch run (cloud); a unit that cannot meet the latency SLO at any load (cap 0)
  // never finishes a run: no per-run cost.
  let billed: number | undefined;
  if (o.deployment === "cloud") {
    const hourly = (region?.usd_per_hour ?? NaN) * u;
    if (batchJob && cap > 0) {
      const gran = o.billing_granularity_s ?? 60;
      billed = Math.max(gran, Math.ceil((plan.hoursPerRun * 3600) / gran) * gran) / 3600;
      monthly = billed * w.runsPerMonth * hourly;
      totalCost = billed * hourly;
      per1m = ((billed * hourly) / w.itemsPerRun!) * 1e6;
    } else {
      monthly = hourly * HOURS_PER_MONTH;
    }
  } else {
    monthly = ownedMonthly(o, u * sites, avgPower * sites, w, hostCapex);
    capex = ownedCapex(o, u * sites, hostCapex);
    if (batchJob && cap > 0) totalCost = (monthly / HOURS_PER_MONTH) * plan.hoursPerRun;
  }
  if (per1m === undefined) per1m = plan.perMonth > 0 ? (monthly / plan.perMonth) * 1e6 : undefined;
  const confidence = memo ? memo.confidence(cal, chip, w.model) : confidenceFor(cal, chip, w.model);
  const option = scratch instanceof InferenceOption ? scratch : new InferenceOption();
  return option.set(o, chip, region, countries, confidence, perf, plan, w, powerAtLoad, unitPowerFull, avgPower, per1m, monthly, totalCost, capex, billed, host);
}

/**
 * The share of provisioned capacity the stated load keeps busy (see OptionEstimate.utilization): a
 * service's average rate over what its units sustain; bought hardware running a batch job, its busy
 * hours over the month. Undefined where idle capacity is not paid for or no load is stated.
 */
function utilizationOf(o: Offering, perf: PerfEstimate, plan: UnitPlan, w: Workload): number | undefined {
  if (!(plan.cap > 0)) return undefined;
  if (plan.batchJob) {
    if (o.deployment === "cloud") return undefined;
    return Math.min(1, (plan.hoursPerRun * w.runsPerMonth) / HOURS_PER_MONTH);
  }
  if (plan.need === undefined && w.averagePerS === undefined) {
    // An LLM sized by its concurrent streams: the share of stream slots the stated concurrency fills.
    if (!isLlm(w.model) || w.slo.concurrency === undefined) return undefined;
    return Math.min(1, w.slo.concurrency / (plan.u * perf.batch * perf.replicas));
  }
  return Math.min(1, plan.avgPerS / (plan.cap * plan.u));
}

/** How many units of one chip × count serve the workload, and at what load: the same for every offering of that pair. */
interface UnitPlan {
  readonly u: number;
  readonly need: number | undefined;
  readonly cap: number;
  readonly load: LoadPoint | undefined;
  readonly util: number;
  readonly avgUtil: number;
  readonly avgPerS: number;
  /** Sites the units are deployed at (edge: every site; otherwise one central deployment). */
  readonly sites: number;
  readonly batchJob: boolean;
  readonly hoursPerRun: number;
  /** Inferences per month the cost is spread over. */
  readonly perMonth: number;
}

function planUnits(perf: PerfEstimate, edge: boolean, w: Workload): UnitPlan {
  const sites = edge ? w.sites : 1;
  const scale = edge ? 1 : w.sites; // central options serve every site
  let need = w.needPerS !== undefined ? w.needPerS * scale : undefined;
  const batchJob = w.kind === "batch-inference" && w.itemsPerRun !== undefined;
  if (batchJob && w.slo.deadlineH !== undefined) need = Math.max(need ?? 0, w.itemsPerRun! / (w.slo.deadlineH * 3600));
  const cap = perf.capacityPerS;
  const units = !perf.fits || cap <= 0 ? 1 : need !== undefined ? Math.min(MAX_UNITS, Math.max(1, Math.ceil(need / cap - 1e-9))) : 1;
  // LLM concurrency: every stream needs a slot.
  const unitsForConc = perf.fits && isLlm(w.model) && w.slo.concurrency !== undefined ? Math.ceil(w.slo.concurrency / (perf.batch * perf.replicas)) : 1;
  const u = Math.min(MAX_UNITS, Math.max(units, unitsForConc));
  const served = need ?? cap * u;
  const load = perf.fits && cap > 0 ? perf.atLoad(served / u) : undefined;
  const util = load?.utilization ?? 1;
  const avgPerS = (w.averagePerS !== undefined ? w.averagePerS * scale : undefined) ?? served;
  const avgUtil = Math.min(1, load ? util * (avgPerS / Math.max(served, 1e-12)) : 1);
  const hoursPerRun = batchJob && cap > 0 ? w.itemsPerRun! / (cap * u) / 3600 : NaN;
  const perMonth = batchJob ? w.itemsPerRun! * w.runsPerMonth : avgPerS * sites * SECONDS_PER_MONTH;
  return { u, need, cap, load, util, avgUtil, avgPerS, sites, batchJob, hoursPerRun, perMonth };
}

/**
 * An inference option. A class, not a literal: one fixed shape for the 10,000s built per check, and
 * the breakdown is a method that reads the figures back instead of a closure over them.
 */
class InferenceOption implements OptionEstimate {
  // Written by set() only: once for a new option, again and again when a screening pass reuses it.
  offering!: Offering;
  chip!: Chip;
  region: RegionPrice | undefined;
  countries!: readonly string[];
  confidence: Confidence | undefined;
  perf!: PerfEstimate;
  private plan!: UnitPlan;
  private w!: Workload;
  powerW!: number;
  unitPowerW!: number;
  private avgPowerW!: number;
  monthlyCostUsd!: number;
  totalCostUsd: number | undefined;
  capexUsd: number | undefined;
  private billedH: number | undefined;
  host: ResolvedHost | undefined;
  utilization: number | undefined;
  units!: number;
  devices!: number;
  fits!: boolean;
  memoryNeededGb!: number;
  memoryAvailableGb!: number;
  latencyP99Ms: number | undefined;
  throughputPerS: number | undefined;
  ttftMs: number | undefined;
  tokensPerS: number | undefined;
  outputTokensPerS: number | undefined;
  energyPerInferenceJ: number | undefined;
  costPer1mUsd: number | undefined;
  bound!: Bound;

  set(
    offering: Offering,
    chip: Chip,
    region: RegionPrice | undefined,
    countries: readonly string[],
    confidence: Confidence | undefined,
    perf: PerfEstimate,
    plan: UnitPlan,
    w: Workload,
    powerW: number,
    unitPowerW: number,
    avgPowerW: number,
    per1m: number | undefined,
    monthlyCostUsd: number,
    totalCostUsd: number | undefined,
    capexUsd: number | undefined,
    billedH: number | undefined,
    host: ResolvedHost | undefined,
  ): this {
    const { u, cap, load, avgPerS } = plan;
    const fits = perf.fits;
    const llm = isLlm(w.model);
    this.offering = offering;
    this.chip = chip;
    this.region = region;
    this.countries = countries;
    this.confidence = confidence;
    this.perf = perf;
    this.plan = plan;
    this.w = w;
    this.powerW = powerW;
    this.unitPowerW = unitPowerW;
    this.avgPowerW = avgPowerW;
    this.monthlyCostUsd = monthlyCostUsd;
    this.totalCostUsd = totalCostUsd;
    this.capexUsd = capexUsd;
    this.billedH = billedH;
    this.host = host;
    this.utilization = perf.fits ? utilizationOf(offering, perf, plan, w) : undefined;
    this.units = u;
    this.devices = u * offering.count * plan.sites;
    this.fits = fits;
    this.memoryNeededGb = perf.memoryNeededGb;
    this.memoryAvailableGb = perf.memoryAvailableGb;
    this.latencyP99Ms = fits ? (load?.latencyP99Ms ?? perf.unloadedLatencyMs) : undefined;
    this.throughputPerS = fits ? cap * u : undefined;
    this.ttftMs = llm && fits ? (load?.ttftMs ?? perf.prefillMs) : undefined;
    this.tokensPerS = llm && fits ? (load?.tokensPerS ?? perf.unloadedTokensPerS) : undefined;
    this.outputTokensPerS = llm && fits ? cap * u * w.outputTokens * w.model.beams : undefined;
    this.energyPerInferenceJ = fits && avgPerS > 0 ? avgPowerW / avgPerS : undefined;
    this.costPer1mUsd = fits ? per1m : undefined;
    this.bound = perf.bound;
    return this;
  }

  /** The explanation, in the order the figures are reached. */
  explain(): readonly string[] {
    const { offering: o, region, w, plan, units: u } = this;
    const { need, cap, sites } = plan;
    const edge = o.deployment === "edge";
    const m = this.monthlyCostUsd;
    const cost =
      o.deployment !== "cloud"
        ? ownedLine(o, u * sites, this.avgPowerW * sites, w, this.host ? this.host.capexUsd * sites : undefined)
        : this.billedH !== undefined
          ? `${u} × $${round(region?.usd_per_hour ?? NaN)}/h (${region?.region}) × ${round(this.billedH)} h per run × ${round(w.runsPerMonth)} runs/mo = $${round(m)}/mo`
          : `${u} × $${round(region?.usd_per_hour ?? NaN)}/h (${region?.region}) × ${HOURS_PER_MONTH} h = $${round(m)}/mo`;
    return [
      ...this.perf.breakdown,
      `${need !== undefined ? `need ${round(need)}/s${edge && w.sites > 1 ? " per site" : ""}` : "no throughput need stated"} → ${u} unit(s) of ${o.count} (${round(cap)}/s each)${edge && w.sites > 1 ? ` at each of ${w.sites} sites` : ""}`,
      ...(this.host ? [hostLine(this.host, sites)] : []),
      cost,
      ...(this.utilization !== undefined ? [`utilisation at the stated load: ${utilisationText(this.utilization)}`] : []),
      ...provenanceLines(this.chip, this.confidence),
    ];
  }
}

/** "0.3 %", "42 %": a share in per cent with two significant figures below 10 %. */
export function utilisationText(u: number): string {
  const pct = u * 100;
  return `${pct >= 10 ? Math.round(pct) : pct >= 1 ? pct.toFixed(1) : pct.toPrecision(1)} %`;
}

interface TrainingPlan {
  readonly error?: string;
  readonly units: number;
  readonly est?: TrainEstimate;
}

/** The fewest units of `count` devices that meet the deadline (or fit), and the estimate there. */
function planTraining(chip: Chip, count: number, w: Workload, cal: Calibration): TrainingPlan {
  const first = estimateTraining(chip, count, count, w, cal);
  if ("error" in first) return { error: first.error, units: 1 };
  const maxUnits = w.maxDevices !== undefined ? Math.max(1, Math.floor(w.maxDevices / count)) : Math.ceil(16384 / count);
  let units = Math.max(1, Math.ceil(first.minDevices / count));
  const at = (u: number) => estimateTraining(chip, u * count, count, w, cal) as TrainEstimate;
  let est = at(units);
  if (w.slo.deadlineH !== undefined && est.timeToTrainH > w.slo.deadlineH) {
    // Time falls monotonically with units while scaling holds; search the fewest that meet the deadline.
    let lo = units;
    let hi = units;
    while (hi < maxUnits && at(hi).timeToTrainH > w.slo.deadlineH) hi = Math.min(maxUnits, hi * 2);
    if (at(hi).timeToTrainH <= w.slo.deadlineH) {
      while (lo < hi) {
        const mid = Math.floor((lo + hi) / 2);
        if (at(mid).timeToTrainH <= w.slo.deadlineH) hi = mid;
        else lo = mid + 1;
      }
    }
    units = hi;
    est = at(units);
  }
  return { units, est };
}

function estimateTrainingOption(o: Offering, chip: Chip, region: RegionPrice | undefined, countries: readonly string[], w: Workload, cal: Calibration, memo?: PerfMemo, scratch?: OptionEstimate, facts?: OfferingFacts): OptionEstimate {
  const plan = memo ? memo.training(chip, o.count, w, cal) : planTraining(chip, o.count, w, cal);
  const error = plan.error;
  if (error !== undefined) return { offering: o, chip, region, countries, units: 1, devices: o.count, error, precisionError: error.startsWith("runs") ? error : undefined, fits: false, explain: () => [error] };
  const { units } = plan;
  const hours = plan.est!.timeToTrainH;
  const host = o.requires_host ? resolveHost(o, facts?.hosts, units, w.hostExisting) : undefined;
  const hostCapex = host?.capexUsd;
  const unitPowerW = host ? host.fullW + Math.min(host.slots, units) * o.count * devicePowerW(chip, 1) : unitPower(o, chip, 1);
  const powerW = host ? units * o.count * devicePowerW(chip, 1) + hostPowerAt(host, 1) : units * unitPowerW;
  let monthly: number;
  let total: number;
  let capex: number | undefined;
  if (o.deployment === "cloud") {
    const hourly = (region?.usd_per_hour ?? NaN) * units;
    total = hourly * hours;
    monthly = hourly * Math.min(hours, HOURS_PER_MONTH);
  } else {
    capex = ownedCapex(o, units, hostCapex);
    monthly = ownedMonthly(o, units, powerW, w, hostCapex);
    // The run's share of owning the hardware, plus its energy.
    total = (monthly / HOURS_PER_MONTH) * hours;
  }
  const confidence = memo ? memo.confidence(cal, chip, w.model) : confidenceFor(cal, chip, w.model);
  const option = scratch instanceof TrainingOption ? scratch : new TrainingOption();
  return option.set(o, chip, region, countries, confidence, plan.est!, units, w, powerW, unitPowerW, monthly, total, capex, host);
}

/** A training option: one class, like InferenceOption, with the breakdown as a method. */
class TrainingOption implements OptionEstimate {
  // Written by set() only, like InferenceOption's.
  offering!: Offering;
  chip!: Chip;
  region: RegionPrice | undefined;
  countries!: readonly string[];
  confidence: Confidence | undefined;
  train!: TrainEstimate;
  units!: number;
  private w!: Workload;
  powerW!: number;
  monthlyCostUsd!: number;
  totalCostUsd!: number;
  capexUsd: number | undefined;
  devices!: number;
  fits!: boolean;
  memoryNeededGb!: number;
  memoryAvailableGb!: number;
  timeToTrainH!: number;
  unitPowerW!: number;
  host: ResolvedHost | undefined;
  bound!: Bound;

  set(
    offering: Offering,
    chip: Chip,
    region: RegionPrice | undefined,
    countries: readonly string[],
    confidence: Confidence | undefined,
    train: TrainEstimate,
    units: number,
    w: Workload,
    powerW: number,
    unitPowerW: number,
    monthlyCostUsd: number,
    totalCostUsd: number,
    capexUsd: number | undefined,
    host: ResolvedHost | undefined,
  ): this {
    this.host = host;
    this.offering = offering;
    this.chip = chip;
    this.region = region;
    this.countries = countries;
    this.confidence = confidence;
    this.train = train;
    this.units = units;
    this.w = w;
    this.powerW = powerW;
    this.monthlyCostUsd = monthlyCostUsd;
    this.totalCostUsd = totalCostUsd;
    this.capexUsd = capexUsd;
    this.devices = units * offering.count;
    this.fits = train.fits;
    this.memoryNeededGb = train.memoryPerDeviceGb;
    this.memoryAvailableGb = train.memoryAvailableGb;
    this.timeToTrainH = train.timeToTrainH;
    this.unitPowerW = unitPowerW;
    this.bound = train.bound;
    return this;
  }

  explain(): readonly string[] {
    const { offering: o, region, units, w, totalCostUsd: t } = this;
    const hours = this.timeToTrainH;
    const cost =
      o.deployment === "cloud"
        ? [`${units} × $${round(region?.usd_per_hour ?? NaN)}/h (${region?.region}) × ${round(hours)} h = $${round(t)}`]
        : [...(this.host ? [hostLine(this.host, 1)] : []), ownedLine(o, units, this.powerW, w, this.host?.capexUsd), `run share: ${round(hours)} h of ${HOURS_PER_MONTH} h/mo → $${round(t)}`];
    return [...this.train.breakdown, ...cost, ...provenanceLines(this.chip, this.confidence)];
  }
}
