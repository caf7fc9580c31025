import { isTraining } from "../profile/schema.js";
import grid from "../../catalog/grid-carbon.json" with { type: "json" };
import type { OptionEstimate } from "../estimate/option.js";
import type { Workload } from "../estimate/workload.js";
import { offGrid } from "./context.js";

const HOURS_PER_MONTH = 730.5;

/**
 * PUE of a hyperscale cloud region: 1.1–1.2 for hyperscale facilities (Uptime Institute via
 * data/reference/energy_prices.csv); the upper end, as GPU halls run denser than the fleet average.
 */
export const CLOUD_PUE = 1.2;

const COUNTRIES = grid.countries as Record<string, { g_per_kwh: number; year: number }>;

/** Grid intensity of a country, g CO₂e/kWh (catalog/grid-carbon.json), or undefined when not listed. */
export const countryIntensity = (country: string | undefined): number | undefined =>
  country ? COUNTRIES[country]?.g_per_kwh : undefined;

/** The world average the table falls back to, g CO₂e/kWh. */
export const WORLD_G_PER_KWH = grid.world_g_per_kwh;
export const GRID_SOURCE = grid.source;

export interface GridChoice {
  readonly gPerKwh: number;
  readonly pue: number;
  /** Where the figure comes from, for the breakdown. */
  readonly basis: string;
}

/**
 * The grid an option draws from and its intensity: a cloud option its region's country (location-based:
 * the provider's renewable purchases are not netted off); owned hardware the site (the profile's
 * `grid_carbon`, else its country, else the world average). An off-grid solar site emits nothing in
 * operation.
 */
export function gridOf(o: Pick<OptionEstimate, "offering" | "region">, w: Workload): GridChoice {
  const e = w.energy;
  if (o.offering.deployment === "cloud") {
    const c = o.region?.country;
    const g = countryIntensity(c);
    return g !== undefined
      ? { gPerKwh: g, pue: CLOUD_PUE, basis: `${o.region?.region} grid (${c}) ${g} g/kWh × cloud PUE ${CLOUD_PUE}` }
      : {
          gPerKwh: WORLD_G_PER_KWH,
          pue: CLOUD_PUE,
          basis: `world-average grid ${WORLD_G_PER_KWH} g/kWh (no figure for ${c ?? "the region"}) × cloud PUE ${CLOUD_PUE}`,
        };
  }
  const pue = o.offering.deployment === "edge" ? 1 : w.pue;
  if (e?.supply?.solarW !== undefined && offGrid(e.supply))
    return { gPerKwh: 0, pue, basis: "off-grid solar site: no operational emissions" };
  if (e?.gridCarbonG !== undefined)
    return { gPerKwh: e.gridCarbonG, pue, basis: `site grid ${e.gridCarbonG} g/kWh (profile) × PUE ${pue}` };
  const g = countryIntensity(e?.country);
  if (g !== undefined) return { gPerKwh: g, pue, basis: `${e!.country} grid ${g} g/kWh × PUE ${pue}` };
  return {
    gPerKwh: WORLD_G_PER_KWH,
    pue,
    basis: `world-average grid ${WORLD_G_PER_KWH} g/kWh (set energy.country or energy.grid_carbon) × PUE ${pue}`,
  };
}

export interface Carbon {
  /** Facility energy per month (all sites), kWh, PUE included. */
  readonly kwhPerMonth: number;
  readonly kgPerMonth: number;
  readonly gPer1m?: number;
  /** Training (and batch) runs: kg CO₂e per run. */
  readonly kgPerRun?: number;
  readonly grid: GridChoice;
}

/** Operational carbon of an option: energy × PUE × grid intensity. Undefined when it has no power figure. */
export function carbonOf(o: OptionEstimate, w: Workload): Carbon | undefined {
  const g = gridOf(o, w);
  const training = isTraining(w.kind);
  const sites = o.offering.deployment === "edge" ? w.sites : 1;
  if (training) {
    if (o.powerW === undefined || o.timeToTrainH === undefined) return undefined;
    const runKwh = (o.powerW * o.timeToTrainH * g.pue) / 1000;
    const kwhPerMonth = (o.powerW * Math.min(o.timeToTrainH, HOURS_PER_MONTH) * g.pue) / 1000;
    return {
      kwhPerMonth,
      kgPerMonth: (kwhPerMonth * g.gPerKwh) / 1000,
      kgPerRun: (runKwh * g.gPerKwh) / 1000,
      grid: g,
    };
  }
  const avg = o.avgPowerW ?? o.powerW;
  if (avg === undefined || !Number.isFinite(avg)) return undefined;
  let kwhPerMonth: number;
  let kgPerRun: number | undefined;
  const batch = w.kind === "batch-inference" && w.itemsPerRun !== undefined;
  if (batch && o.offering.deployment === "cloud" && o.throughputPerS && o.powerW !== undefined) {
    // A rented instance draws only while the job runs.
    const runH = w.itemsPerRun! / o.throughputPerS / 3600;
    kwhPerMonth = (o.powerW * runH * w.runsPerMonth * g.pue) / 1000;
    kgPerRun = (((o.powerW * runH * g.pue) / 1000) * g.gPerKwh) / 1000;
  } else {
    kwhPerMonth = (avg * sites * HOURS_PER_MONTH * g.pue) / 1000;
    if (batch) kgPerRun = (kwhPerMonth * g.gPerKwh) / 1000 / w.runsPerMonth;
  }
  const kgPerMonth = (kwhPerMonth * g.gPerKwh) / 1000;
  const perMonth = batch
    ? w.itemsPerRun! * w.runsPerMonth
    : w.averagePerS !== undefined
      ? w.averagePerS * w.sites * HOURS_PER_MONTH * 3600
      : undefined;
  const gPer1m = perMonth && perMonth > 0 ? ((kgPerMonth * 1000) / perMonth) * 1e6 : undefined;
  return { kwhPerMonth, kgPerMonth, gPer1m, kgPerRun, grid: g };
}

/** The figure `priorities.carbon` ranks by (lower is better): kg per run, else g per 1M inferences, else kg per month. */
export function carbonFigure(o: OptionEstimate, w: Workload): number | undefined {
  const c = carbonOf(o, w);
  return c ? (c.kgPerRun ?? c.gPer1m ?? c.kgPerMonth) : undefined;
}

/** Does the workload weigh carbon at least as much as cost? Then a cloud option rents in its cleanest region. */
export const prefersCleanGrid = (w: Workload): boolean =>
  (w.priorities.carbon ?? 0) > 0 && (w.priorities.carbon ?? 0) >= w.priorities.cost;

/** The region on the cleanest grid (the cheapest among equals), within the data-residency list when it allows any. */
export function cleanestRegion<R extends { country: string; usd_per_hour: number; region: string }>(
  regions: readonly R[],
  residency: readonly string[] | undefined,
): R | undefined {
  const allowed = residency ? regions.filter((r) => residency.includes(r.country)) : regions;
  const pool = allowed.length ? allowed : regions;
  let best: R | undefined;
  let bestG = Infinity;
  for (const r of pool) {
    const g = countryIntensity(r.country) ?? WORLD_G_PER_KWH;
    if (g < bestG || (g === bestG && best && r.usd_per_hour < best.usd_per_hour)) [best, bestG] = [r, g];
  }
  return best;
}
