import { isTraining } from "../profile/schema.js";
import type { Chip, Deployment, Offering, RegionPrice } from "../catalog/schema.js";
import { capexUsd, HOURS_PER_MONTH, monthlyUsd, perRunUsd, type OptionCost } from "../cost/index.js";
import { estimateInference, type Bound, type Calibration, type LoadPoint, type PerfEstimate } from "./perf.js";
import { streamsPerUnit, unitsNeeded } from "./perf-types.js";
import { fmt } from "./roofline.js";
import { isLlm, type Workload } from "./workload.js";
import { confidenceFor, deadlineHeadroom, provenanceLines, type Confidence } from "./confidence.js";
import type { CapEffect } from "../energy/power-cap.js";
import { dutyCycle, type DutyCycle } from "../energy/duty.js";
import { runHoursWithin } from "../energy/window.js";
import { cleanestRegion, prefersCleanGrid } from "../energy/carbon.js";
import { hostLine, hostPowerAt, resolveHost, type ResolvedHost } from "./host.js";
import {
  utilisationText,
  factsOf,
  pickRegion,
  hostPowerW,
  isSocComputer,
  devicePowerW,
  MAX_UNITS,
  round,
  type OfferingFacts,
  type ExplainOptions,
  type OptionEstimate,
  failedOption,
} from "./unit.js";
import { rentedCost, ownedCost, costLines } from "./option-cost.js";
import type { PerfMemo } from "./perf-memo.js";
import { estimateTrainingOption } from "./training-option.js";
const SECONDS_PER_MONTH = HOURS_PER_MONTH * 3600;

/**
 * Estimate one offering for the workload: performance, provisioning, power and cost. Pure. Pass one
 * `memo` per workload when estimating many offerings: the chip × count performance is then computed once.
 * `explain()` writes the breakdown when called (most options of a large catalog are never explained).
 * `scratch`: an estimate the caller no longer needs, which may be overwritten and returned instead of
 * a new object (a screening pass over 10,000s of options then allocates almost nothing).
 *
 * A PCIe card sold alone may serve an LLM split over 2 or 4 cards in one host (tensor parallel over PCIe,
 * as vLLM and TensorRT-LLM run workstation cards), up to the largest host's slots: the unit is the
 * cheapest one that serves the profile. A model one card cannot hold runs on two; a 70B model that one
 * 96 GB card streams for one user at a time runs batched over two.
 */
export function estimateOption(
  o: Offering,
  chip: Chip,
  w: Workload,
  cal: Calibration,
  memo?: PerfMemo,
  facts: OfferingFacts = factsOf(o),
  scratch?: OptionEstimate,
): OptionEstimate {
  const one = estimateUnitOf(o, chip, w, cal, memo, facts, scratch);
  const most = cardsPerUnitAtMost(o, w, facts);
  if (most < 2) return one;
  // The cheapest way that serves the profile (fewer cards a unit on a tie); one that only holds the model
  // where nothing serves it; else the single card and why it fails.
  let best = serves(one) ? one : undefined;
  let held = one.fits ? one : undefined;
  for (let k = 2; k <= most; k *= 2) {
    const e = estimateUnitOf(gangOf(o, k), chip, w, cal, memo, facts);
    if (serves(e) && (!best || (e.monthlyCostUsd ?? Infinity) < (best.monthlyCostUsd ?? Infinity) * (1 - 1e-9)))
      best = e;
    if (e.fits) held ??= e;
  }
  return best ?? held ?? one;
}

/** Cards of a PCIe card sold alone that one unit may hold for an LLM: the most slots of a host of its kind (1: none). */
function cardsPerUnitAtMost(o: Offering, w: Workload, facts: OfferingFacts): number {
  if (o.requires_host !== "pcie" || o.count !== 1 || o.deployment === "cloud" || !isLlm(w.model)) return 1;
  let most = 1;
  for (const h of facts.hosts ?? []) if (h.offering.deployment === o.deployment) most = Math.max(most, h.slots);
  return most;
}
const serves = (e: OptionEstimate) => e.fits && (e.perf?.capacityPerS ?? 0) > 0;

const gangs = new WeakMap<Offering, Map<number, Offering>>();
const ganged = new WeakSet<Offering>();
/** Whether an offering is k cards of a card sold alone (its name names one card). */
export const isGang = (o: Offering): boolean => ganged.has(o);
/**
 * k cards of a card offering as one unit in one host: its price, lease and power k times over (one host:
 * its price stays one). Cached: one object per offering and k.
 */
function gangOf(o: Offering, k: number): Offering {
  let byK = gangs.get(o);
  if (!byK) gangs.set(o, (byK = new Map()));
  let g = byK.get(k);
  if (!g) {
    const times = (x: number | undefined) => (x === undefined ? undefined : x * k);
    byK.set(
      k,
      (g = {
        ...o,
        count: k,
        capex_usd: times(o.capex_usd),
        lease_usd_per_month: times(o.lease_usd_per_month),
        power_w: times(o.power_w),
      }),
    );
    ganged.add(g);
  }
  return g;
}

function estimateUnitOf(
  o: Offering,
  chip: Chip,
  w: Workload,
  cal: Calibration,
  memo: PerfMemo | undefined,
  facts: OfferingFacts,
  scratch?: OptionEstimate,
): OptionEstimate {
  // Carbon weighed at least as much as cost: rent where the grid is cleanest (src/energy/carbon.ts).
  const region =
    o.deployment === "cloud"
      ? prefersCleanGrid(w)
        ? cleanestRegion(facts.regions, w.dataResidency)
        : pickRegion(o, w.dataResidency, facts, w.residencyPrefer)
      : undefined;
  const countries = facts.countries;
  if (isTraining(w.kind)) return estimateTrainingOption(o, chip, region, countries, w, cal, memo, scratch, facts);

  const perf = memo ? memo.inference(chip, o.count, w, cal) : estimateInference(chip, o.count, w, cal);
  if ("error" in perf) {
    return failedOption(o, chip, region, countries, perf.error, perf.error);
  }
  const edge = o.deployment === "edge";
  // The error band sizes a deadline's headroom (planUnits applies it only to a batch run's deadline).
  const confidence = memo ? memo.confidence(cal, chip, w.model) : confidenceFor(cal, chip, w.model);
  const headroom = deadlineHeadroom(confidence);
  const plan = memo
    ? memo.plan(perf, edge, w, o.deployment, headroom)
    : planUnits(perf, edge, w, o.deployment, headroom);
  const { u, cap, util, avgUtil, avgPerS, sites } = plan;
  const batchJob = plan.batchJob;
  // A part that needs a host brings it (hosts shared by slots); the host's draw replaces the offering's own host share.
  const host = o.requires_host ? resolveHost(o, facts.hosts, u, w.hostExisting) : undefined;
  // unitPower(o, chip, util) three times over, with the host's share worked out once.
  const hostW = host ? 0 : hostPowerW(o, chip);
  // A host with a stated idle draw (a Raspberry Pi under a HAT) rises from it with the load like the device.
  // What a system-on-chip computer's stated power adds to its package (a Mac Studio's 370 W against its
  // M2 Ultra's 215) is headroom at full load (fans, ports), not a server's standing draw: it idles with the chip.
  const hostIdleW = Math.min(hostW, o.host_idle_w ?? (isSocComputer(chip) ? 0 : hostW));
  const hostAt = (x: number) => hostIdleW + (hostW - hostIdleW) * x;
  // Whole deployable unit at full load: one host with the parts it carries, or one unit with its host share.
  const unitPowerFull = host
    ? host.fullW + Math.min(host.slots, u) * o.count * devicePowerW(chip, 1)
    : o.count * devicePowerW(chip, 1) + hostW;
  const powerAtLoad = u * (o.count * devicePowerW(chip, util) + hostAt(util)) + (host ? hostPowerAt(host, util) : 0);
  let avgPower =
    u * (o.count * devicePowerW(chip, avgUtil) + hostAt(avgUtil)) + (host ? hostPowerAt(host, avgUtil) : 0);
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
  const cost =
    o.deployment === "cloud"
      ? rentedCost(o, region, u, w, job, avgUtil)
      : ownedCost(o, chip, u * sites, w, avgUtil, job?.hours, duty?.avgPowerW, host && { host, sites });
  const monthly = monthlyUsd(cost);
  const capex = cost.owned ? capexUsd(cost.owned, cost.way as "buy" | "lease") : undefined;
  const totalCost = job ? perRunUsd(cost.totalUsd, cost.tenure) : undefined;
  const per1m = job
    ? (totalCost! / w.itemsPerRun!) * 1e6
    : plan.perMonth > 0
      ? (monthly / plan.perMonth) * 1e6
      : undefined;
  const option = scratch instanceof InferenceOption ? scratch : new InferenceOption();
  option.set({
    offering: o,
    chip,
    region,
    countries,
    confidence,
    perf,
    plan,
    w,
    powerW: powerAtLoad,
    devicesPowerW: u * o.count * devicePowerW(chip, util),
    unitPowerW: unitPowerFull,
    avgPowerW: avgPower,
    per1m,
    monthlyCostUsd: monthly,
    totalCostUsd: totalCost,
    capexUsd: capex,
    cost,
    host,
  });
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
    return Math.min(1, w.slo.concurrency / (plan.u * streamsPerUnit(perf)));
  }
  return Math.min(1, plan.avgPerS / (plan.cap * plan.u));
}

/** How many units of one chip × count serve the workload, and at what load: the same for every offering of that pair. */
export interface UnitPlan {
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

/**
 * The request rate of an LLM given only its concurrent streams: each stream sends its next request when
 * the last one has ended, so C streams make r = C / T(r) requests a second, T(r) being a request's time
 * (first token plus the answer at the rate a stream sees) at the load r puts on the units; at most what
 * the units sustain. T grows with r, so r·T(r) does: the rate is found by bisection. Undefined for
 * anything else.
 */
export function streamsRate(perf: PerfEstimate, w: Workload, u: number): number | undefined {
  const c = w.slo.concurrency;
  if (c === undefined || !isLlm(w.model) || !perf.fits || !(perf.capacityPerS > 0)) return undefined;
  const flatOut = perf.capacityPerS * u;
  const requestS = (r: number) => {
    const pt = perf.atLoad(r / u);
    return pt?.tokensPerS ? (pt.ttftMs ?? 0) / 1000 + w.outputTokens / pt.tokensPerS : Infinity;
  };
  if (flatOut * requestS(flatOut) <= c) return flatOut;
  let lo = 0;
  let hi = flatOut;
  for (let i = 0; i < 24; i++) {
    const mid = (lo + hi) / 2;
    if (mid * requestS(mid) < c) lo = mid;
    else hi = mid;
  }
  return lo;
}

export function planUnits(
  perf: PerfEstimate,
  edge: boolean,
  w: Workload,
  deployment: Deployment = edge ? "edge" : "cloud",
  /** How much faster than its deadline a batch run is provisioned to finish (deadlineHeadroom). */
  headroom = 1,
): UnitPlan {
  const sites = edge ? w.sites : 1;
  const scale = edge ? 1 : w.sites; // central options serve every site
  const batchJob = w.kind === "batch-inference" && w.itemsPerRun !== undefined;
  const cap = perf.capacityPerS;
  // A recurring batch job must finish before the next run starts, deadline or not; a job window
  // (schedule.window) counts only its own hours. A deadline is provisioned with headroom for the estimate's
  // error, so the run makes it nine times in ten, unless that would take more devices than the profile allows.
  const withinH = runHoursWithin(w, deployment);
  const sized = (h: number) => {
    const runH =
      (withinH !== undefined ? withinH / h : undefined) ??
      (batchJob && w.runsPerMonthStated !== undefined ? HOURS_PER_MONTH / w.runsPerMonthStated : undefined);
    let need = w.needPerS !== undefined ? w.needPerS * scale : undefined;
    if (batchJob && runH !== undefined) need = Math.max(need ?? 0, w.itemsPerRun! / (runH * 3600));
    // Units for the requests a second (where the estimate carries any) and, for an LLM, a slot for every stream.
    const units = !perf.fits
      ? 1
      : Math.min(
          MAX_UNITS,
          unitsNeeded(perf, cap > 0 ? need : undefined, isLlm(w.model) ? w.slo.concurrency : undefined),
        );
    return { need, units };
  };
  let { need, units: u } = sized(headroom);
  if (headroom > 1 && w.maxDevices !== undefined && u * perf.count > w.maxDevices) ({ need, units: u } = sized(1));
  const served = need ?? streamsRate(perf, w, u) ?? cap * u;
  const load = perf.fits && cap > 0 ? perf.atLoad(served / u) : undefined;
  const util = load?.utilization ?? 1;
  const avgPerS = (w.averagePerS !== undefined ? w.averagePerS * scale : undefined) ?? served;
  const avgUtil = Math.min(1, load ? util * (avgPerS / Math.max(served, 1e-12)) : 1);
  const hoursPerRun = batchJob && cap > 0 ? w.itemsPerRun! / (cap * u) / 3600 : NaN;
  const perMonth = batchJob ? w.itemsPerRun! * w.runsPerMonth : avgPerS * sites * SECONDS_PER_MONTH;
  return { u, need, cap, load, util, avgUtil, avgPerS, sites, batchJob, hoursPerRun, perMonth };
}

/** What an option is built from: set() copies these into the option (one object, not 16 positional arguments). */
interface InferenceParts {
  readonly offering: Offering;
  readonly chip: Chip;
  readonly region: RegionPrice | undefined;
  readonly countries: readonly string[];
  readonly confidence: Confidence | undefined;
  readonly perf: PerfEstimate;
  readonly plan: UnitPlan;
  readonly w: Workload;
  readonly powerW: number;
  readonly devicesPowerW: number;
  readonly unitPowerW: number;
  readonly avgPowerW: number;
  readonly per1m: number | undefined;
  readonly monthlyCostUsd: number;
  readonly totalCostUsd: number | undefined;
  readonly capexUsd: number | undefined;
  readonly cost: OptionCost;
  readonly host: ResolvedHost | undefined;
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
  devicesPowerW!: number;
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

  set(f: InferenceParts): this {
    const {
      offering,
      chip,
      region,
      countries,
      confidence,
      perf,
      plan,
      w,
      powerW,
      devicesPowerW,
      unitPowerW,
      avgPowerW,
      per1m,
      monthlyCostUsd,
      totalCostUsd,
      capexUsd,
      cost,
      host,
    } = f;
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
    this.devicesPowerW = devicesPowerW;
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
  explain(opts?: ExplainOptions): readonly string[] {
    const { offering: o, w, plan, units: u } = this;
    const { need, cap } = plan;
    const edge = o.deployment === "edge";
    const d = this.duty;
    return [
      ...(this.powerCap ? [`power cap: ${this.powerCap.basis}`] : []),
      ...this.perf.breakdown,
      // The breakdown's decode step is the copy's flat-out one; the stated load may run fewer streams a step.
      ...(plan.load?.tokensPerS !== undefined && plan.load.batch !== this.perf.batch
        ? [
            `at the stated load: ${plan.load.batch} concurrent a copy, ${fmt(plan.load.tokensPerS)} tokens/s per` +
              ` stream, time to first token ${fmt(plan.load.ttftMs ?? 0)} ms at p99`,
          ]
        : []),
      ...(d
        ? [
            `sleeps between requests: ${round(d.sleepW)} W asleep + ${round(d.ratePerS)}/s × ` +
              `(${round(d.activeJ)} J active + ${round(d.wakeJ)} J wake-up) = ${round(d.avgPowerW)} W per unit ` +
              `(awake: ${round(d.awakeW)} W); a wake-up adds ${round(d.wakeMs)} ms to p99`,
          ]
        : []),
      `${needText(need, edge && w.sites > 1)} → ${u} unit(s) of ${o.count} (${round(cap)}/s each)` +
        `${edge && w.sites > 1 ? ` at each of ${w.sites} sites` : ""}`,
      ...(this.host ? [hostLine(this.host, plan.sites)] : []),
      ...(opts?.costs === false ? [] : costLines(this.cost, w)),
      ...(this.utilization !== undefined
        ? [`utilisation at the stated load: ${utilisationText(this.utilization)}`]
        : []),
      ...provenanceLines(this.chip, this.confidence),
    ];
  }
}

/** "need 30/s per site", or that no rate was stated. */
const needText = (need: number | undefined, perSite: boolean) =>
  need !== undefined ? `need ${round(need)}/s${perSite ? " per site" : ""}` : "no throughput need stated";
