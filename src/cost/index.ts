import { fig3 as r2, percent as pct } from "../format/number.js";
import type { CostAssumptions } from "../tco/assumptions.js";

import { HOURS_PER_MONTH, type LineItem } from "./basics.js";

import { type Owned, type OwnedWay, ownedTotal } from "./owned.js";

export * from "./basics.js";
export * from "./owned.js";

/** What renting costs over `months` at `instancesUsdPerMonth` (plus the rented operations share): the total; items pushed when given. */
export function rentedTotal(
  instancesUsdPerMonth: number,
  basis: string,
  a: CostAssumptions,
  months: number,
  items?: LineItem[],
): number {
  let total = instancesUsdPerMonth * months;
  items?.push({
    item: "instances",
    basis,
    when: "monthly",
    fromMonth: 1,
    toMonth: months,
    perMonthUsd: instancesUsdPerMonth,
    totalUsd: instancesUsdPerMonth * months,
  });
  if (a.operationsRentedUsd > 0) {
    total += a.operationsRentedUsd * months;
    items?.push({
      item: "operations",
      basis: `staff share $${r2(a.operationsRentedUsd)}/month`,
      when: "monthly",
      fromMonth: 1,
      toMonth: months,
      perMonthUsd: a.operationsRentedUsd,
      totalUsd: a.operationsRentedUsd * months,
    });
  }
  return total;
}

/** How long an option is paid for, how busy it is over that time, and how many runs share the cost. */
export interface Tenure {
  /** Whole months held (owned) or paid for (rented). */
  readonly months: number;
  /** Average utilisation over them, 0–1. */
  readonly util: number;
  /** Runs a month the cost is spread over (recurring jobs). */
  readonly runsPerMonth?: number;
  /** A job run once with no stated further use: owned hardware is bought for it and sold after. */
  readonly oneOff: boolean;
  readonly basis: string;
}

/** A job's run: busy hours per run, and the runs a month the profile states (absent: no stated further use). */
export interface JobRun {
  readonly runHours: number;
  readonly runsPerMonth?: number;
}

/**
 * The time an option is paid for. A service, or a job that recurs (stated runs a month, or a stated
 * `costs.utilisation`), is held over the horizon at its average utilisation and each run pays its share;
 * a one-off job holds the hardware for the whole months the run spans and no longer. Pure.
 */
export function tenureOf(job: JobRun | undefined, serviceUtil: number, a: CostAssumptions): Tenure {
  const horizon = a.horizonMonths;
  if (!job)
    return {
      months: horizon,
      util: a.utilisation ?? serviceUtil,
      oneOff: false,
      basis: a.utilisation !== undefined ? "costs.utilisation" : "the estimate's average utilisation",
    };
  const h = job.runHours;
  if (!(h > 0) || !Number.isFinite(h))
    return {
      months: job.runsPerMonth !== undefined || a.utilisation !== undefined ? horizon : 1,
      util: 1,
      oneOff: job.runsPerMonth === undefined && a.utilisation === undefined,
      basis: "no run time estimate: assumed 100%",
    };
  if (job.runsPerMonth !== undefined) {
    const busy = job.runsPerMonth * h;
    return {
      months: horizon,
      util: a.utilisation ?? Math.min(1, busy / HOURS_PER_MONTH),
      runsPerMonth: job.runsPerMonth,
      oneOff: false,
      basis: `${r2(job.runsPerMonth)} runs/month × ${r2(h)} h = ${r2(busy)} busy h of ${HOURS_PER_MONTH}`,
    };
  }
  if (a.utilisation !== undefined && a.utilisation > 0) {
    return {
      months: horizon,
      util: a.utilisation,
      runsPerMonth: (HOURS_PER_MONTH * a.utilisation) / h,
      oneOff: false,
      basis: `costs.utilisation: busy ${pct(a.utilisation)} of the time with runs of ${r2(h)} h`,
    };
  }
  const months = Math.max(1, Math.ceil(h / HOURS_PER_MONTH - 1e-9));
  return {
    months,
    util: Math.min(1, h / (months * HOURS_PER_MONTH)),
    oneOff: true,
    basis: `one run of ${r2(h)} h and no stated further use (volume.runs_per_month or costs.utilisation): paid for the ${months} month(s) it spans`,
  };
}

/** What one run costs under a tenure whose whole cost is `totalUsd`: all of it for a one-off, its share for a recurring job. */
export function perRunUsd(totalUsd: number, t: Tenure): number {
  return t.runsPerMonth !== undefined ? totalUsd / t.months / t.runsPerMonth : totalUsd;
}

/** Rented instances: how many, at what price, and (jobs) the hours billed per run. */
export interface Rented {
  readonly units: number;
  readonly usdPerHour: number;
  readonly region: string;
  /** Batch and training jobs: hours billed per instance per run (start-up, load and rounding included). */
  readonly billedHoursPerRun?: number;
  /** The run itself, hours (what the billed hours were rounded up from). */
  readonly runHours?: number;
  readonly startupS?: number;
  readonly loadS?: number;
  readonly granularityS?: number;
  readonly minimumS?: number;
}

/** How an option is paid for and over what time: what recommend ranks on, tco lays out and --explain prints. */
export interface OptionCost {
  readonly way: "rent-on-demand" | OwnedWay;
  readonly tenure: Tenure;
  readonly rented?: Rented;
  readonly owned?: Owned;
  /** The whole cost over the tenure, USD. */
  readonly totalUsd: number;
}

/** Instances a month: always on for a service; for a job, its runs a month (or one run over the months it spans). */
export function rentedUsdPerMonth(r: Rented, t: Tenure): number {
  if (r.billedHoursPerRun === undefined) return r.units * r.usdPerHour * HOURS_PER_MONTH;
  const run = r.units * r.usdPerHour * r.billedHoursPerRun;
  return t.runsPerMonth !== undefined ? run * t.runsPerMonth : run / t.months;
}

function rentedBasis(r: Rented, t: Tenure): string {
  const each = `${r.units} × $${r2(r.usdPerHour)}/h (${r.region})`;
  if (r.billedHoursPerRun === undefined) return `${each} × ${HOURS_PER_MONTH} h/month`;
  const run =
    `${r2(r.billedHoursPerRun)} h billed per run (run ${r2(r.runHours ?? NaN)} h + start-up ` +
    `${r2(r.startupS ?? 0)} s + model load ${r2(r.loadS ?? 0)} s, in ${r2(r.granularityS ?? 1)} s steps, ` +
    `at least ${r2(r.minimumS ?? 0)} s)`;
  return t.runsPerMonth !== undefined
    ? `${each} × ${run} × ${r2(t.runsPerMonth)} runs/month`
    : `${each} × ${run}, one run${t.months > 1 ? ` spread over ${t.months} months` : ""}`;
}

/** Build the cost of an option paid `way` over `tenure`. Pure. */
export function optionCost(
  way: OptionCost["way"],
  tenure: Tenure,
  a: CostAssumptions,
  x: { rented?: Rented; owned?: Owned },
): OptionCost {
  const c = { way, tenure, ...x, totalUsd: 0 };
  c.totalUsd = costTotal(c, a);
  return c;
}

/** The total of a cost at utilisation `util` (default its tenure's); items pushed when given. Pure. */
export function costTotal(
  c: Omit<OptionCost, "totalUsd">,
  a: CostAssumptions,
  items?: LineItem[],
  util = c.tenure.util,
): number {
  const t = c.tenure;
  if (c.way === "rent-on-demand") {
    const r = c.rented!;
    // Renting on demand is billed by the busy hours of a job, not by utilisation: a service pays every hour.
    return rentedTotal(rentedUsdPerMonth(r, t), items ? rentedBasis(r, t) : "", a, t.months, items);
  }
  return ownedTotal(c.owned!, a, c.way, util, t.months, items);
}

/** The line items of a cost, in the order they are paid. */
export function costItems(c: OptionCost, a: CostAssumptions): LineItem[] {
  const items: LineItem[] = [];
  costTotal(c, a, items);
  return items;
}

/** Monthly cost: the whole cost over the months it is paid. */
export const monthlyUsd = (c: OptionCost): number => c.totalUsd / c.tenure.months;
