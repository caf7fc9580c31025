import { PRECISION_BYTES, type Chip, type Offering, type Precision, type RegionPrice } from "../catalog/schema.js";
import { billedHours, runBillingOf } from "../cost/billing.js";
import {
  capexUsd,
  costItems,
  hardwareUsd,
  monthlyUsd,
  optionCost,
  ownedOf,
  perRunUsd,
  primaryWay,
  tenureOf,
  type OptionCost,
  type Owned,
} from "../cost/index.js";
import type { Workload } from "./workload.js";
import { upsSizing } from "../energy/supply.js";
import { describeLanded, landedCost, type Landed } from "../catalog/landed.js";
import type { ResolvedHost } from "./host.js";
import { round, unitPower, devicePowerW } from "./unit.js";

/** Owned units of `o` as the cost module reads them: price, import share, lease quote and draw (host included). */
export function ownedUnits(
  o: Offering,
  chip: Chip,
  units: number,
  w: Workload,
  dutyAvgW?: number,
  withHost?: HostPlan,
): Owned {
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
  const landing =
    o.currency === undefined && w.costs.sources.import_duty !== "profile" && w.siteCountry && w.landing
      ? { country: w.siteCountry, rates: w.landing }
      : undefined;
  const hostPrice = h && hosts! > 0 ? { hosts: hosts!, hostUsd: (h.capexUsd * withHost!.sites) / hosts! } : undefined;
  return ownedOf(o, units, idle, full, w.costs, {
    ...(ups ? { ups: { usd: ups.costUsd, basis: ups.basis } } : {}),
    ...(landing ? { landing } : {}),
    ...(hostPrice ? { host: hostPrice } : {}),
  });
}

/** A resolved host and the sites it is bought for (edge: per site). */
export interface HostPlan {
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
export function weightBytes(w: Workload, precision: Precision): number {
  return w.model.params * PRECISION_BYTES[precision];
}

/** The cost of a job or service on a cloud offering: `units` instances, billed per run for a job. */
export function rentedCost(
  o: Offering,
  region: RegionPrice | undefined,
  units: number,
  w: Workload,
  run: { hours: number; precision: Precision } | undefined,
  serviceUtil = 1,
): OptionCost {
  const usdPerHour = region?.usd_per_hour ?? NaN;
  const regionName = region?.region ?? "no region";
  if (!run)
    return optionCost("rent-on-demand", tenureOf(undefined, serviceUtil, w.costs), w.costs, {
      rented: { units, usdPerHour, region: regionName },
    });
  const b = runBillingOf(o, w.costs, weightBytes(w, run.precision));
  const billed = billedHours(run.hours, b);
  const tenure = tenureOf({ runHours: billed, runsPerMonth: w.runsPerMonthStated }, 1, w.costs);
  return optionCost("rent-on-demand", tenure, w.costs, {
    rented: {
      units,
      usdPerHour,
      region: regionName,
      billedHoursPerRun: billed,
      runHours: run.hours,
      startupS: b.startupS,
      loadS: b.loadS,
      granularityS: b.granularityS,
      minimumS: b.minimumS,
    },
  });
}

/** The cost of owning `units` of `o` for a service (util = its average) or a job's runs. */
export function ownedCost(
  o: Offering,
  chip: Chip,
  units: number,
  w: Workload,
  serviceUtil: number,
  runHours: number | undefined,
  dutyAvgW?: number,
  withHost?: HostPlan,
): OptionCost {
  const x = ownedUnits(o, chip, units, w, dutyAvgW, withHost);
  const tenure = tenureOf(
    runHours === undefined ? undefined : { runHours, runsPerMonth: w.runsPerMonthStated },
    serviceUtil,
    w.costs,
  );
  return optionCost(primaryWay(x) ?? "buy", tenure, w.costs, { owned: x });
}

/** The breakdown lines of a cost: each line item, then the monthly figure and, for a job, the run's. */
export function costLines(c: OptionCost, w: Workload): string[] {
  const items = costItems(c, w.costs);
  const t = c.tenure;
  const usd = (x: number) => (x < 0 ? `−$${round(-x)}` : `$${round(x)}`);
  const lines = items.map(
    (x) =>
      `${x.item}: ${
        x.when === "monthly"
          ? `${usd(x.perMonthUsd!)}/mo × ${x.toMonth - x.fromMonth + 1} mo`
          : `${usd(x.totalUsd)} at ${x.when === "start" ? "purchase" : `month ${x.toMonth}`}`
      } (${x.basis})`,
  );
  if (c.owned && c.way === "buy") {
    const landed = c.owned.landing
      ? landedCost(hardwareUsd(c.owned), c.owned.landing.country, c.owned.landing.rates)
      : undefined;
    const how = landed?.lines.length ? `capex ${describeLanded(landed, (x) => `$${round(x)}`)}; ` : "";
    lines.unshift(
      `${how}capex $${round(capexUsd(c.owned, "buy"))}: the hardware ` +
        `landed${c.owned.importShare > 0 ? ` (${round(c.owned.importShare * 100)}% import costs included)` : ""}, what budget.capex reads`,
    );
  }
  lines.push(
    `${c.way === "rent-on-demand" ? "rent on demand" : c.way} over ${t.months} month(s) at ` +
      `${round(t.util * 100)}% utilisation (${t.basis}): $${round(c.totalUsd)} ÷ ${t.months} = ` +
      `$${round(monthlyUsd(c))}/mo`,
  );
  if (t.oneOff && c.way !== "rent-on-demand")
    lines.push(`one run on owned hardware costs its purchase less resale plus running costs: $${round(c.totalUsd)}`);
  else if (t.runsPerMonth !== undefined)
    lines.push(
      `per run: $${round(monthlyUsd(c))}/mo ÷ ${round(t.runsPerMonth)} runs/mo = $${round(perRunUsd(c.totalUsd, t))}`,
    );
  return lines;
}
