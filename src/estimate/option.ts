import { PRECISION_BYTES, type Chip, type Deployment, type Offering, type Precision, type RegionPrice } from "../catalog/schema.js";
import { billedHours, runBillingOf } from "../cost/billing.js";
import { capexUsd, costItems, hardwareUsd, HOURS_PER_MONTH, monthlyUsd, optionCost, ownedOf, perRunUsd, primaryWay, tenureOf, type OptionCost, type Owned } from "../cost/index.js";
import { estimateInference, estimateTraining, type Bound, type Calibration, type LoadPoint, type PerfEstimate, type TrainEstimate } from "./perf.js";
import { isLlm, type Workload } from "./workload.js";
import { confidenceFor, provenanceLines, type Confidence } from "./confidence.js";
import { grouped } from "../report/format.js";
import type { CapEffect } from "../energy/power-cap.js";
import { dutyCycle, type DutyCycle } from "../energy/duty.js";
import { runHoursWithin, windowFor } from "../energy/window.js";
import { cleanestRegion, prefersCleanGrid } from "../energy/carbon.js";
import { upsSizing } from "../energy/supply.js";
import { describeLanded, landedCost, type Landed } from "../catalog/landed.js";
import { hostLine, hostPowerAt, resolveHost, type HostCandidate, type ResolvedHost } from "./host.js";

export { HOURS_PER_MONTH };
const SECONDS_PER_MONTH = HOURS_PER_MONTH * 3600;

/** Host power (CPU, memory, fans, NICs) of a server when the offering does not state it: ~150 W + 50 W per accelerator. */
export function hostPowerW(o: Offering, chip: Chip): number {
  if (o.host_w !== undefined) return o.host_w;
  if (o.power_w !== undefined) return Math.max(0, o.power_w - o.count * chip.tdp_w);
  if (o.deployment === "edge" || chip.class === "cpu" || chip.class === "mcu") return 0;
  return 150 + 50 * o.count;
}

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
  /** Average power over the month (per site at the edge, whole deployment otherwise), W. */
  readonly avgPowerW?: number;
  /** The power cap the devices run under, when one applies. */
  readonly powerCap?: CapEffect;
  /** Edge units that sleep between requests: their duty-cycled power and wake-up latency. */
  readonly duty?: DutyCycle;
  readonly costPer1mUsd?: number;
  readonly monthlyCostUsd?: number;
  readonly totalCostUsd?: number;
  readonly capexUsd?: number;
  /** How the cost was reached (way, tenure, line items on demand): the one cost every command reads. */
  readonly cost?: OptionCost;
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

/** Owned units of `o` as the cost module reads them: price, import share, lease quote and draw (host included). */
function ownedUnits(o: Offering, chip: Chip, units: number, w: Workload, dutyAvgW?: number, withHost?: HostPlan): Owned {
  // A resolved host (src/estimate/host.ts) replaces the offering's own host assumption: its units are
  // shared by slots, so each part carries its share of their price and draw.
  const h = withHost?.host;
  const hosts = h ? h.hosts * withHost!.sites : undefined;
  const share = h ? hosts! / Math.max(1, units) : 0;
  const fullW = h ? o.count * devicePowerW(chip, 1) + share * h.fullW : unitPower(o, chip, 1);
  const idleW = h ? o.count * devicePowerW(chip, 0) + share * h.idleW : unitPower(o, chip, 0);
  const supply = w.energy?.supply;
  const ups = supply ? upsSizing(units * fullW, supply, supply.batteryUsdPerKwh) : undefined;
  // A unit that sleeps between requests draws its duty-cycled average whatever the utilisation.
  const [idle, full] = dutyAvgW === undefined ? [idleW, fullW] : [dutyAvgW, dutyAvgW];
  // Bought hardware is priced where it stands: the site country's freight, duty and taxes (catalog/landed-cost.yaml),
  // unless the offering is a local quote (priced in a currency) or the profile states costs.import_duty.
  const landing = o.currency === undefined && w.costs.sources.import_duty !== "profile" && w.siteCountry && w.landing ? { country: w.siteCountry, rates: w.landing } : undefined;
  const hostPrice = h && hosts! > 0 ? { hosts: hosts!, hostUsd: (h.capexUsd * withHost!.sites) / hosts! } : undefined;
  return ownedOf(o, units, idle, full, w.costs, { ...(ups ? { ups: { usd: ups.costUsd, basis: ups.basis } } : {}), ...(landing ? { landing } : {}), ...(hostPrice ? { host: hostPrice } : {}) });
}

/** A resolved host and the sites it is bought for (edge: per site). */
interface HostPlan {
  readonly host: ResolvedHost;
  readonly sites: number;
}

/** What `units` bought units cost landed in the workload's site country, line by line (pure). */
export function landedCapex(o: Offering, units: number, w: Pick<Workload, "siteCountry" | "landing">): Landed {
  const price = ((o.capex_usd ?? 0) + (o.host_capex_usd ?? 0)) * units;
  if (!w.siteCountry || o.currency !== undefined) return landedCost(price, w.siteCountry ?? "", undefined);
  return landedCost(price, w.siteCountry, w.landing);
}

/** Weights read at the start of each run, bytes. */
function weightBytes(w: Workload, precision: Precision): number {
  return w.model.params * PRECISION_BYTES[precision];
}

/** The cost of a job or service on a cloud offering: `units` instances, billed per run for a job. */
function rentedCost(o: Offering, region: RegionPrice | undefined, units: number, w: Workload, run: { hours: number; precision: Precision } | undefined, serviceUtil = 1): OptionCost {
  const usdPerHour = region?.usd_per_hour ?? NaN;
  const regionName = region?.region ?? "no region";
  if (!run) return optionCost("rent-on-demand", tenureOf(undefined, serviceUtil, w.costs), w.costs, { rented: { units, usdPerHour, region: regionName } });
  const b = runBillingOf(o, w.costs, weightBytes(w, run.precision));
  const billed = billedHours(run.hours, b);
  const tenure = tenureOf({ runHours: billed, runsPerMonth: w.runsPerMonthStated }, 1, w.costs);
  return optionCost("rent-on-demand", tenure, w.costs, { rented: { units, usdPerHour, region: regionName, billedHoursPerRun: billed, runHours: run.hours, startupS: b.startupS, loadS: b.loadS, granularityS: b.granularityS, minimumS: b.minimumS } });
}

/** The cost of owning `units` of `o` for a service (util = its average) or a job's runs. */
function ownedCost(o: Offering, chip: Chip, units: number, w: Workload, serviceUtil: number, runHours: number | undefined, dutyAvgW?: number, withHost?: HostPlan): OptionCost {
  const x = ownedUnits(o, chip, units, w, dutyAvgW, withHost);
  const tenure = tenureOf(runHours === undefined ? undefined : { runHours, runsPerMonth: w.runsPerMonthStated }, serviceUtil, w.costs);
  return optionCost(primaryWay(x) ?? "buy", tenure, w.costs, { owned: x });
}

/** The breakdown lines of a cost: each line item, then the monthly figure and, for a job, the run's. */
function costLines(c: OptionCost, w: Workload): string[] {
  const items = costItems(c, w.costs);
  const t = c.tenure;
  const usd = (x: number) => (x < 0 ? `−$${round(-x)}` : `$${round(x)}`);
  const lines = items.map((x) => `${x.item}: ${x.when === "monthly" ? `${usd(x.perMonthUsd!)}/mo × ${x.toMonth - x.fromMonth + 1} mo` : `${usd(x.totalUsd)} at ${x.when === "start" ? "purchase" : `month ${x.toMonth}`}`} (${x.basis})`);
  if (c.owned && c.way === "buy") {
    const landed = c.owned.landing ? landedCost(hardwareUsd(c.owned), c.owned.landing.country, c.owned.landing.rates) : undefined;
    const how = landed?.lines.length ? `capex ${describeLanded(landed, (x) => `$${round(x)}`)}; ` : "";
    lines.unshift(`${how}capex $${round(capexUsd(c.owned, "buy"))}: the hardware landed${c.owned.importShare > 0 ? ` (${round(c.owned.importShare * 100)}% import costs included)` : ""}, what budget.capex reads`);
  }
  lines.push(`${c.way === "rent-on-demand" ? "rent on demand" : c.way} over ${t.months} month(s) at ${round(t.util * 100)}% utilisation (${t.basis}): $${round(c.totalUsd)} ÷ ${t.months} = $${round(monthlyUsd(c))}/mo`);
  if (t.oneOff && c.way !== "rent-on-demand") lines.push(`one run on owned hardware costs its purchase less resale plus running costs: $${round(c.totalUsd)}`);
  else if (t.runsPerMonth !== undefined) lines.push(`per run: $${round(monthlyUsd(c))}/mo ÷ ${round(t.runsPerMonth)} runs/mo = $${round(perRunUsd(c.totalUsd, t))}`);
  return lines;
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
  private readonly plans = new Map<PerfEstimate, [UnitPlan | undefined, UnitPlan | undefined, UnitPlan | undefined]>();
  /** planUnits(perf, edge, w, deployment), once per estimate and deployment kind. */
  plan(perf: PerfEstimate, edge: boolean, w: Workload, deployment: Deployment = edge ? "edge" : "cloud"): UnitPlan {
    let p = this.plans.get(perf);
    if (!p) this.plans.set(perf, (p = [undefined, undefined, undefined]));
    // On-premises plans differ from cloud ones only when a job window binds owned hardware.
    const i = edge ? 1 : deployment === "on-prem" && windowFor(w, deployment) ? 2 : 0;
    return (p[i] ??= planUnits(perf, edge, w, deployment));
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
  /** planTraining(chip, count, w, cal), once per chip × count (and per deadline, when a job window binds owned hardware). */
  training(chip: Chip, count: number, w: Workload, cal: Calibration, deadlineH = w.slo.deadlineH): TrainingPlan {
    const byCount = this.forChip(chip);
    const key = deadlineH === w.slo.deadlineH ? count : -count;
    let v = byCount.get(key) as TrainingPlan | undefined;
    if (v === undefined) byCount.set(key, (v = planTraining(chip, count, w, cal, deadlineH)));
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
  // Carbon weighed at least as much as cost: rent where the grid is cleanest (src/energy/carbon.ts).
  const region = o.deployment === "cloud" ? (prefersCleanGrid(w) ? cleanestRegion(facts.regions, w.dataResidency) : pickRegion(o, w.dataResidency, facts, w.residencyPrefer)) : undefined;
  const countries = facts.countries;
  if (w.kind === "training" || w.kind === "fine-tuning") return estimateTrainingOption(o, chip, region, countries, w, cal, memo, scratch, facts);

  const perf = memo ? memo.inference(chip, o.count, w, cal) : estimateInference(chip, o.count, w, cal);
  if ("error" in perf) {
    const error = perf.error;
    return { offering: o, chip, region, countries, units: 1, devices: o.count, error, precisionError: error, fits: false, explain: () => [error] };
  }
  const edge = o.deployment === "edge";
  const plan = memo ? memo.plan(perf, edge, w, o.deployment) : planUnits(perf, edge, w, o.deployment);
  const { u, cap, util, avgUtil, avgPerS, sites } = plan;
  const batchJob = plan.batchJob;
  // A part that needs a host brings it (hosts shared by slots); the host's draw replaces the offering's own host share.
  const host = o.requires_host ? resolveHost(o, facts.hosts, u, w.hostExisting) : undefined;
  // unitPower(o, chip, util) three times over, with the host's share worked out once.
  const hostW = host ? 0 : hostPowerW(o, chip);
  // A host with a stated idle draw (a Raspberry Pi under a HAT) rises from it with the load like the device.
  const hostIdleW = Math.min(hostW, o.host_idle_w ?? hostW);
  const hostAt = (x: number) => hostIdleW + (hostW - hostIdleW) * x;
  // Whole deployable unit at full load: one host with the parts it carries, or one unit with its host share.
  const unitPowerFull = host ? host.fullW + Math.min(host.slots, u) * o.count * devicePowerW(chip, 1) : o.count * devicePowerW(chip, 1) + hostW;
  const powerAtLoad = u * (o.count * devicePowerW(chip, util) + hostAt(util)) + (host ? hostPowerAt(host, util) : 0);
  let avgPower = u * (o.count * devicePowerW(chip, avgUtil) + hostAt(avgUtil)) + (host ? hostPowerAt(host, avgUtil) : 0);
  // An edge unit that can sleep between requests draws sleep power plus each request's energy.
  const duty =
    edge && o.sleep_w !== undefined && plan.load && perf.fits
      ? dutyCycle({
          sleepW: o.sleep_w,
          wakeMs: o.wake_ms ?? 0,
          idleW: o.count * chip.idle_w + hostIdleW + (host ? (host.hosts * host.idleW) / u : 0),
          activeW: unitPowerFull,
          busySPerRequest: avgPerS > 0 ? avgUtil / (avgPerS / u) : 0,
          ratePerS: avgPerS / u,
          p99Ms: plan.load.latencyP99Ms ?? perf.unloadedLatencyMs,
          latencySloMs: w.slo.latencyMs,
        })
      : undefined;
  if (duty) avgPower = u * duty.avgPowerW;
  // A unit that cannot meet the latency SLO at any load (cap 0) never finishes a batch run: costed as a service.
  const job = batchJob && cap > 0 ? { hours: plan.hoursPerRun, precision: perf.precision } : undefined;
  const cost = o.deployment === "cloud" ? rentedCost(o, region, u, w, job, avgUtil) : ownedCost(o, chip, u * sites, w, avgUtil, job?.hours, duty?.avgPowerW, host && { host, sites });
  const monthly = monthlyUsd(cost);
  const capex = cost.owned ? capexUsd(cost.owned, cost.way as "buy" | "lease") : undefined;
  const totalCost = job ? perRunUsd(cost.totalUsd, cost.tenure) : undefined;
  const per1m = job ? (totalCost! / w.itemsPerRun!) * 1e6 : plan.perMonth > 0 ? (monthly / plan.perMonth) * 1e6 : undefined;
  const confidence = memo ? memo.confidence(cal, chip, w.model) : confidenceFor(cal, chip, w.model);
  const option = scratch instanceof InferenceOption ? scratch : new InferenceOption();
  option.set(o, chip, region, countries, confidence, perf, plan, w, powerAtLoad, unitPowerFull, avgPower, per1m, monthly, totalCost, capex, cost, host);
  option.duty = duty;
  option.powerCap = undefined;
  if (duty && option.latencyP99Ms !== undefined) option.latencyP99Ms += duty.wakeMs;
  return option;
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

function planUnits(perf: PerfEstimate, edge: boolean, w: Workload, deployment: Deployment = edge ? "edge" : "cloud"): UnitPlan {
  const sites = edge ? w.sites : 1;
  const scale = edge ? 1 : w.sites; // central options serve every site
  let need = w.needPerS !== undefined ? w.needPerS * scale : undefined;
  const batchJob = w.kind === "batch-inference" && w.itemsPerRun !== undefined;
  // A recurring batch job must finish before the next run starts, deadline or not; a job window
  // (schedule.window) counts only its own hours.
  const runH = runHoursWithin(w, deployment) ?? (batchJob && w.runsPerMonthStated !== undefined ? HOURS_PER_MONTH / w.runsPerMonthStated : undefined);
  if (batchJob && runH !== undefined) need = Math.max(need ?? 0, w.itemsPerRun! / (runH * 3600));
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
  avgPowerW!: number;
  powerCap: CapEffect | undefined = undefined;
  duty: DutyCycle | undefined = undefined;
  monthlyCostUsd!: number;
  totalCostUsd: number | undefined;
  capexUsd: number | undefined;
  cost!: OptionCost;
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
    cost: OptionCost,
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
    this.cost = cost;
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
    const { offering: o, w, plan, units: u } = this;
    const { need, cap } = plan;
    const edge = o.deployment === "edge";
    const d = this.duty;
    return [
      ...(this.powerCap ? [`power cap: ${this.powerCap.basis}`] : []),
      ...this.perf.breakdown,
      ...(d ? [`sleeps between requests: ${round(d.sleepW)} W asleep + ${round(d.ratePerS)}/s × (${round(d.activeJ)} J active + ${round(d.wakeJ)} J wake-up) = ${round(d.avgPowerW)} W per unit (awake: ${round(d.awakeW)} W); a wake-up adds ${round(d.wakeMs)} ms to p99`] : []),
      `${need !== undefined ? `need ${round(need)}/s${edge && w.sites > 1 ? " per site" : ""}` : "no throughput need stated"} → ${u} unit(s) of ${o.count} (${round(cap)}/s each)${edge && w.sites > 1 ? ` at each of ${w.sites} sites` : ""}`,
      ...(this.host ? [hostLine(this.host, plan.sites)] : []),
      ...costLines(this.cost, w),
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
function planTraining(chip: Chip, count: number, w: Workload, cal: Calibration, deadlineH = w.slo.deadlineH): TrainingPlan {
  const first = estimateTraining(chip, count, count, w, cal);
  if ("error" in first) return { error: first.error, units: 1 };
  const maxUnits = w.maxDevices !== undefined ? Math.max(1, Math.floor(w.maxDevices / count)) : Math.ceil(16384 / count);
  let units = Math.max(1, Math.ceil(first.minDevices / count));
  const at = (u: number) => estimateTraining(chip, u * count, count, w, cal) as TrainEstimate;
  let est = at(units);
  if (deadlineH !== undefined && est.timeToTrainH > deadlineH) {
    // Time falls monotonically with units while scaling holds; search the fewest that meet the deadline.
    let lo = units;
    let hi = units;
    while (hi < maxUnits && at(hi).timeToTrainH > deadlineH) hi = Math.min(maxUnits, hi * 2);
    if (at(hi).timeToTrainH <= deadlineH) {
      while (lo < hi) {
        const mid = Math.floor((lo + hi) / 2);
        if (at(mid).timeToTrainH <= deadlineH) hi = mid;
        else lo = mid + 1;
      }
    }
    units = hi;
    est = at(units);
  }
  return { units, est };
}

function estimateTrainingOption(o: Offering, chip: Chip, region: RegionPrice | undefined, countries: readonly string[], w: Workload, cal: Calibration, memo?: PerfMemo, scratch?: OptionEstimate, facts?: OfferingFacts): OptionEstimate {
  const deadlineH = runHoursWithin(w, o.deployment);
  const plan = memo ? memo.training(chip, o.count, w, cal, deadlineH) : planTraining(chip, o.count, w, cal, deadlineH);
  const error = plan.error;
  if (error !== undefined) return { offering: o, chip, region, countries, units: 1, devices: o.count, error, precisionError: error.startsWith("runs") ? error : undefined, fits: false, explain: () => [error] };
  const { units } = plan;
  const hours = plan.est!.timeToTrainH;
  const host = o.requires_host ? resolveHost(o, facts?.hosts, units, w.hostExisting) : undefined;
  const unitPowerW = host ? host.fullW + Math.min(host.slots, units) * o.count * devicePowerW(chip, 1) : unitPower(o, chip, 1);
  const powerW = host ? units * o.count * devicePowerW(chip, 1) + hostPowerAt(host, 1) : units * unitPowerW;
  const run = { hours, precision: plan.est!.precision };
  const cost = o.deployment === "cloud" ? rentedCost(o, region, units, w, run) : ownedCost(o, chip, units, w, 1, hours, undefined, host && { host, sites: 1 });
  const monthly = monthlyUsd(cost);
  const total = perRunUsd(cost.totalUsd, cost.tenure);
  const capex = cost.owned ? capexUsd(cost.owned, cost.way as "buy" | "lease") : undefined;
  const confidence = memo ? memo.confidence(cal, chip, w.model) : confidenceFor(cal, chip, w.model);
  const option = scratch instanceof TrainingOption ? scratch : new TrainingOption();
  option.powerCap = undefined;
  return option.set(o, chip, region, countries, confidence, plan.est!, units, w, powerW, unitPowerW, monthly, total, capex, cost, host);
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
  cost!: OptionCost;
  devices!: number;
  fits!: boolean;
  memoryNeededGb!: number;
  memoryAvailableGb!: number;
  timeToTrainH!: number;
  unitPowerW!: number;
  host: ResolvedHost | undefined;
  bound!: Bound;
  powerCap: CapEffect | undefined = undefined;
  get avgPowerW(): number {
    return this.powerW;
  }

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
    cost: OptionCost,
    host: ResolvedHost | undefined,
  ): this {
    this.cost = cost;
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
    const cost = [...(this.host ? [hostLine(this.host, 1)] : []), ...costLines(this.cost, this.w)];
    return [...(this.powerCap ? [`power cap: ${this.powerCap.basis}`] : []), ...this.train.breakdown, ...cost, ...provenanceLines(this.chip, this.confidence)];
  }
}
