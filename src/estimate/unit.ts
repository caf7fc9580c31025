import type { Chip, Offering, RegionPrice } from "../catalog/schema.js";
import { HOURS_PER_MONTH, type OptionCost } from "../cost/index.js";
import type { Bound, PerfEstimate, TrainEstimate } from "./perf.js";
import type { Confidence } from "./confidence.js";
import { grouped } from "../format/number.js";
import type { CapEffect } from "../energy/power-cap.js";
import type { DutyCycle } from "../energy/duty.js";
import type { HostCandidate, ResolvedHost } from "./host.js";

export { HOURS_PER_MONTH };

/**
 * A system-on-chip computer (a Mac, a DGX Spark, a Jetson, a mini PC on an NPU SoC): CPU, GPU and memory
 * share one package, whose stated power is nearly the whole computer's.
 */
export const isSocComputer = (chip: Chip): boolean => chip.class === "edge-gpu" || chip.class === "npu";

/**
 * Host power (CPU, memory, fans, NICs) of a server when the offering does not state it: ~150 W + 50 W per
 * accelerator. A CPU, a microcontroller or a system-on-chip computer has none beyond its chip's.
 */
export function hostPowerW(o: Offering, chip: Chip): number {
  if (o.host_w !== undefined) return o.host_w;
  if (o.power_w !== undefined) return Math.max(0, o.power_w - o.count * chip.tdp_w);
  if (o.deployment === "edge" || chip.class === "cpu" || chip.class === "mcu" || isSocComputer(chip)) return 0;
  return 150 + 50 * o.count;
}

export interface ExplainOptions {
  readonly costs?: boolean;
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
  /** The devices' part of `powerW` (accelerators alone, at the same load); the rest is their hosts'. */
  readonly devicesPowerW?: number;
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
  /**
   * The breakdown: how the figures were reached, written when called (most options are never explained).
   * `costs: false` leaves out the cost arithmetic (for a unit priced at nothing, as `estimate` makes).
   */
  readonly explain: (opts?: ExplainOptions) => readonly string[];
}

/** Power of one unit (all its devices and its host) at a utilisation between 0 and 1, W. */
export function unitPower(o: Offering, chip: Chip, util: number): number {
  return o.count * devicePowerW(chip, util) + hostPowerW(o, chip);
}

/**
 * One deployable unit's purchase price and draw, its share of a resolved host included: what the
 * cost-of-ownership module prices per unit (a card's host, shared by slots, split over its cards).
 */
export function unitEconomics(o: OptionEstimate): {
  readonly priceUsd: number;
  readonly hostPriceUsd: number;
  readonly idleW: number;
  readonly fullW: number;
} {
  const off = o.offering;
  const h = o.host;
  if (!h)
    return {
      priceUsd: (off.capex_usd ?? 0) + (off.host_capex_usd ?? 0),
      hostPriceUsd: off.host_capex_usd ?? 0,
      idleW: unitPower(off, o.chip, 0),
      fullW: unitPower(off, o.chip, 1),
    };
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
    const regions = [...(o.regions ?? [])].sort(
      (a, b) => a.usd_per_hour - b.usd_per_hour || (a.region < b.region ? -1 : 1),
    );
    const countries =
      o.deployment === "cloud" ? [...new Set(regions.map((r) => r.country))].sort() : (o.countries ?? ["*"]);
    const firstIn = new Map<string, number>();
    regions.forEach((r, i) => {
      if (!firstIn.has(r.country)) firstIn.set(r.country, i);
    });
    factsCache.set(o, (f = { regions, countries, firstIn }));
  }
  return f;
}

/** Cheapest region, preferring those in the preferred countries, then those inside the data-residency list. */
export function pickRegion(
  o: Offering,
  residency: readonly string[] | undefined,
  facts = factsOf(o),
  prefer?: readonly string[],
): RegionPrice | undefined {
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

/** Most units one option is provisioned with: a bigger need is an unservable one, not a bigger fleet. */
export const MAX_UNITS = 100_000;

export function round(x: number): string {
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
export function withBreakdown<T extends object>(
  obj: T,
  explain: () => readonly string[],
): T & { readonly breakdown: readonly string[] } {
  (obj as Record<symbol, unknown>)[EXPLAIN] = explain;
  return Object.defineProperty(obj, "breakdown", LAZY_BREAKDOWN) as T & { readonly breakdown: readonly string[] };
}

/** "0.3 %", "42 %": a share in per cent with two significant figures below 10 %. */
export function utilisationText(u: number): string {
  const pct = u * 100;
  return `${pct >= 10 ? Math.round(pct) : pct >= 1 ? pct.toFixed(1) : pct.toPrecision(1)} %`;
}

/** An option no estimate could be made for: one unit, the reason as its whole breakdown. */
export function failedOption(
  offering: Offering,
  chip: Chip,
  region: RegionPrice | undefined,
  countries: readonly string[],
  error: string,
  precisionError: string | undefined,
): OptionEstimate {
  return {
    offering,
    chip,
    region,
    countries,
    units: 1,
    devices: offering.count,
    error,
    precisionError,
    fits: false,
    explain: () => [error],
  };
}
