import { fig3 as r2, grouped } from "../format/number.js";
import {
  canLease,
  costTotal,
  hardwareUsd,
  HOURS_PER_MONTH,
  optionCost,
  ownedOf,
  primaryWay,
  tenureOf,
  type LineItem,
  type OptionCost,
  type OwnedWay,
} from "../cost/index.js";
import { isGang, unitPower, type OptionEstimate } from "../estimate/option.js";
import type { Workload } from "../estimate/workload.js";
import { describeLanded, landedCost } from "../catalog/landed.js";
import type { CostAssumptions } from "./assumptions.js";

export type WayKind = "rent-on-demand" | "rent-1y" | "rent-3y" | "buy" | "lease";

export type { LineItem };

export interface Way {
  readonly way: WayKind;
  readonly label: string;
  readonly lineItems: readonly LineItem[];
  /** Cumulative cost at the end of month m (index 0 = start, before the first month). */
  readonly cumulativeUsd: readonly number[];
  readonly totalUsd: number;
  /** Total over the horizon at 0% and 100% utilisation (costs are linear in utilisation). */
  readonly totalAtZeroUsd: number;
  readonly totalAtFullUsd: number;
}

export interface TcoOption {
  readonly id: string;
  readonly name: string;
  readonly deployment: string;
  /** Units (instances, servers, boards) in the whole deployment. */
  readonly units: number;
  readonly devices: number;
  readonly utilisation: number;
  readonly utilisationSource: string;
  readonly ways: readonly Way[];
  readonly notes: readonly string[];
  /** The way recommend pays for this option, and its monthly cost there (that way's total ÷ the months it is paid). */
  readonly rankedWay?: WayKind;
  readonly monthlyUsd?: number;
  /** Months the option is paid for: the horizon, or the months a one-off run spans. */
  readonly months: number;
  readonly oneOff: boolean;
}

export interface BreakEven {
  readonly owned: string;
  readonly way: "buy" | "lease";
  readonly rented: string;
  /** Average utilisation above which owning is cheaper than renting on demand for the hours used; undefined if never. */
  readonly utilisation?: number;
  /** At the option's own utilisation, the first month from which owning has cost less, cumulatively, than renting as billed. */
  readonly month?: number;
  readonly statement: string;
}

export interface Crossover {
  /** First month-end at which `cheaper` costs less, cumulatively, than `than` (having cost more before). */
  readonly month: number;
  readonly cheaper: string;
  readonly than: string;
}

export interface TcoResult {
  readonly horizonMonths: number;
  readonly options: readonly TcoOption[];
  readonly breakEven: readonly BreakEven[];
  readonly crossovers: readonly Crossover[];
}

/** Average share of capacity in use: average demand ÷ provisioned throughput, or busy hours of a batch job ÷ hours in a month. */
export function estimateUtilisation(o: OptionEstimate, w: Workload): { utilisation: number; source: string } {
  const cap = o.throughputPerS;
  if (!cap || cap <= 0) return { utilisation: 1, source: "no capacity estimate: assumed 100%" };
  if (w.kind === "batch-inference" && w.itemsPerRun !== undefined) {
    const busyH = (w.itemsPerRun * w.runsPerMonth) / cap / 3600;
    return {
      utilisation: Math.min(1, busyH / HOURS_PER_MONTH),
      source: `batch: ${r2(busyH)} busy h of ${HOURS_PER_MONTH} h a month`,
    };
  }
  const scale = o.offering.deployment === "edge" ? 1 : w.sites;
  const demand = w.averagePerS ?? w.needPerS;
  if (demand === undefined) return { utilisation: 1, source: "no demand stated: assumed 100%" };
  const u = Math.min(1, (demand * scale) / cap);
  return {
    utilisation: u,
    source: `average ${r2(demand * scale)}/s of ${r2(cap)}/s provisioned${o.offering.deployment === "edge" ? " per site" : ""}`,
  };
}

function cumulative(items: readonly LineItem[], n: number): number[] {
  const perMonth = new Array<number>(n + 1).fill(0);
  for (const it of items) {
    if (it.when === "monthly") for (let m = it.fromMonth; m <= it.toMonth; m++) perMonth[m]! += it.perMonthUsd!;
    else perMonth[it.fromMonth]! += it.totalUsd;
  }
  let acc = 0;
  return perMonth.map((x) => (acc += x));
}

/** A way to pay built from the one cost of ownership: its line items at the option's utilisation, and its totals at 0% and 100%. */
function costWay(way: WayKind, label: string, c: Omit<OptionCost, "totalUsd">, a: CostAssumptions, n: number): Way {
  const items: LineItem[] = [];
  const totalUsd = costTotal(c, a, items);
  return {
    way,
    label,
    lineItems: items,
    cumulativeUsd: cumulative(items, n),
    totalUsd,
    totalAtZeroUsd: costTotal(c, a, undefined, 0),
    totalAtFullUsd: costTotal(c, a, undefined, 1),
  };
}

/** The option's cost as recommend computed it; rebuilt from its figures for an estimate made without one. */
function costOf(o: OptionEstimate, w: Workload, a: CostAssumptions): OptionCost | undefined {
  if (o.cost) return o.cost;
  const est = estimateUtilisation(o, w);
  const tenure = tenureOf(undefined, est.utilisation, a);
  if (o.offering.deployment === "cloud") {
    if (!o.region) return undefined;
    return optionCost("rent-on-demand", tenure, a, {
      rented: { units: o.units, usdPerHour: o.region.usd_per_hour, region: o.region.region },
    });
  }
  const x = ownedOf(
    o.offering,
    o.devices / o.offering.count,
    unitPower(o.offering, o.chip, 0),
    unitPower(o.offering, o.chip, 1),
    a,
  );
  return optionCost(primaryWay(x) ?? "buy", tenure, a, { owned: x });
}

function rentWays(o: OptionEstimate, c: OptionCost, a: CostAssumptions, n: number): Way[] {
  const ways: Way[] = [costWay("rent-on-demand", "rent on demand", c, a, n)];
  const region = o.region!;
  const t = c.tenure;
  const units = c.rented!.units;
  for (const [way, price, termMonths] of [
    ["rent-1y", region.usd_per_hour_1y, 12],
    ["rent-3y", region.usd_per_hour_3y, 36],
  ] as const) {
    if (price === undefined) continue;
    const items: LineItem[] = [];
    const per = units * price * HOURS_PER_MONTH;
    items.push({
      item: "committed instances",
      basis: `${units} × $${r2(price)}/h (${region.region}, ${termMonths / 12}y commitment) × ${HOURS_PER_MONTH} h/month, billed whether used or not`,
      when: "monthly",
      fromMonth: 1,
      toMonth: t.months,
      perMonthUsd: per,
      totalUsd: per * t.months,
    });
    const paidMonths = Math.ceil(t.months / termMonths) * termMonths;
    if (paidMonths > t.months)
      items.push({
        item: "commitment beyond horizon",
        basis: `the last ${termMonths / 12}y term runs ${paidMonths - t.months} months past month ${t.months}`,
        when: "end",
        fromMonth: t.months,
        toMonth: t.months,
        totalUsd: per * (paidMonths - t.months),
      });
    if (a.operationsRentedUsd > 0)
      items.push({
        item: "operations",
        basis: `staff share $${r2(a.operationsRentedUsd)}/month`,
        when: "monthly",
        fromMonth: 1,
        toMonth: t.months,
        perMonthUsd: a.operationsRentedUsd,
        totalUsd: a.operationsRentedUsd * t.months,
      });
    const totalUsd = total(items);
    ways.push({
      way,
      label: `rent ${termMonths / 12}y committed`,
      lineItems: items,
      cumulativeUsd: cumulative(items, n),
      totalUsd,
      totalAtZeroUsd: totalUsd,
      totalAtFullUsd: totalUsd,
    });
  }
  return ways;
}

function ownedWays(
  o: OptionEstimate,
  c: OptionCost,
  a: CostAssumptions,
  n: number,
  notes: string[],
  w?: Workload,
): Way[] {
  const x = c.owned!;
  const ways: Way[] = [];
  if (x.edge) notes.push("edge devices sit in the sites: no colocation, PUE 1");
  if (x.landing)
    notes.push(
      `${o.offering.id} landed in ${x.landing.country} (catalog/landed-cost.yaml; costs.import_duty ` +
        `replaces it): ${describeLanded(landedCost(hardwareUsd(x), x.landing.country, x.landing.rates), (v) => `$${r2(v)}`)}`,
    );
  if (o.offering.currency !== undefined && a.importDuty > 0)
    notes.push(`${o.offering.id} is a local quote in ${o.offering.currency}: import duty not added again`);
  else if (o.offering.currency !== undefined && w?.siteCountry)
    notes.push(`${o.offering.id} is quoted in ${o.offering.currency}, a local price: no import costs added`);
  const as = (way: OwnedWay) => ({ way, tenure: c.tenure, owned: x });
  if (x.price) ways.push(costWay("buy", "buy", as("buy"), a, n));
  if (canLease(x)) {
    const derived = x.leaseUsdPerMonth === undefined;
    if (derived)
      notes.push(
        `lease derived: the catalog quotes no lease for ${o.offering.id}; ${r2(a.leaseFactor * 100)}% of the landed price a month (costs.lease_factor)`,
      );
    ways.push(costWay("lease", derived ? "lease (derived)" : "lease", as("lease"), a, n));
    notes.push("leased hardware: support assumed inside the lease (not charged again)");
  } else if (x.price)
    notes.push(
      `no lease: the catalog quotes none for ${o.offering.id} and a unit under $${grouped(1000)} is bought, not leased`,
    );
  if (!x.price && x.leaseUsdPerMonth === undefined)
    notes.push(`${o.offering.id} has no purchase or lease price: running costs only`);
  if (!ways.length) ways.push(costWay("buy", "running costs", as("buy"), a, n));
  return ways;
}

const total = (items: readonly LineItem[]) => items.reduce((s, x) => s + x.totalUsd, 0);

/**
 * Compare renting, buying and leasing each option over the time it is held: the horizon for a service or
 * a recurring job, the run for a one-off job. Every way is priced by the one cost of ownership recommend
 * ranks on (src/cost), so the way recommend chose costs the same here. Pure.
 */
export function estimateTco(options: readonly OptionEstimate[], w: Workload, a: CostAssumptions): TcoResult {
  const costs = options.map((o) => costOf(o, w, a));
  const n = Math.max(1, ...costs.map((c) => c?.tenure.months ?? 1));
  const out: TcoOption[] = options.map((o, i) => {
    const c = costs[i];
    const notes: string[] = [];
    const ways = !c ? [] : o.offering.deployment === "cloud" ? rentWays(o, c, a, n) : ownedWays(o, c, a, n, notes, w);
    if (!c) notes.push(o.error ? `no estimate: ${o.error}` : "no price to compare");
    if (o.offering.deployment === "cloud" && !o.region?.usd_per_hour_1y && !o.region?.usd_per_hour_3y)
      notes.push("no committed-use price in the catalog: on demand only");
    // Units of what the name names: instances, bought units, or the cards of a model split over several.
    const units =
      o.offering.deployment === "cloud" ? o.units : isGang(o.offering) ? o.devices : o.devices / o.offering.count;
    return {
      id: o.offering.id,
      name: o.offering.name,
      deployment: o.offering.deployment,
      units,
      devices: o.devices,
      utilisation: c?.tenure.util ?? 1,
      utilisationSource: c?.tenure.basis ?? "no estimate",
      ways,
      notes: [...new Set(notes)],
      ...(c ? { rankedWay: c.way, monthlyUsd: c.totalUsd / c.tenure.months } : {}),
      months: c?.tenure.months ?? n,
      oneOff: c?.tenure.oneOff ?? false,
    };
  });
  return { horizonMonths: n, options: out, breakEven: breakEvens(options, costs, out, a), crossovers: crossovers(out) };
}

const wayName = (o: TcoOption, wy: Way) => `${wy.label} ${o.id}`;

/**
 * Utilisation u at which owning equals renting on demand for only the hours used. Owning costs
 * T0 + (T1 − T0)·u (energy grows with use); elastic renting costs u × units × $/h × hours + operations. Both
 * are linear, so u = (T0 − c) / (d − (T1 − T0)) exactly.
 */
function breakEvens(
  ests: readonly OptionEstimate[],
  costs: readonly (OptionCost | undefined)[],
  opts: readonly TcoOption[],
  a: CostAssumptions,
): BreakEven[] {
  const rented = opts
    .map((o, i) => ({ o, e: ests[i]!, c: costs[i] }))
    .filter((x) => x.o.deployment === "cloud" && x.e.region && x.c);
  if (!rented.length) return [];
  const out: BreakEven[] = [];
  const money = (x: number) => `$${grouped(Math.round(x))}`;
  for (const [i, o] of opts.entries()) {
    const own = costs[i];
    if (o.deployment === "cloud" || !own) continue;
    const chip = ests[i]!.chip.id;
    // Compare with the same chip rented where the comparison has it, else the cheapest rental.
    const ref = [...rented].sort(
      (x, y) =>
        Number(y.e.chip.id === chip) - Number(x.e.chip.id === chip) ||
        x.e.units * x.e.region!.usd_per_hour - y.e.units * y.e.region!.usd_per_hour ||
        (x.o.id < y.o.id ? -1 : 1),
    )[0]!;
    const refWay = ref.o.ways.find((x) => x.way === "rent-on-demand")!;
    const months = own.tenure.months;
    const years = Number((months / 12).toPrecision(3));
    const d = ref.e.units * ref.e.region!.usd_per_hour * HOURS_PER_MONTH * months;
    const c = a.operationsRentedUsd * months;
    for (const wy of o.ways) {
      if (wy.way !== "buy" && wy.way !== "lease") continue;
      const verb = wy.way === "buy" ? "buying" : "leasing";
      const what = `${verb} ${o.units}× ${o.id}`;
      const vs = `renting ${ref.o.units}× ${ref.o.id} on demand`;
      if (own.tenure.oneOff) {
        const cheaper = wy.totalUsd < refWay.totalUsd ? verb : "renting";
        out.push({
          owned: o.id,
          way: wy.way,
          rented: ref.o.id,
          statement:
            `for one run, ${what} costs ` +
            `${money(wy.totalUsd)}${wy.way === "buy" ? " (purchase less resale, plus running costs)" : ""} ` +
            `against ${money(refWay.totalUsd)} ${vs}: ${cheaper} is cheaper`,
        });
        continue;
      }
      const t0 = wy.totalAtZeroUsd;
      const slope = wy.totalAtFullUsd - t0;
      let u: number | undefined;
      let elastic: string;
      if (d - slope <= 0) elastic = `never beats ${vs} billed only for busy hours`;
      else {
        u = (t0 - c) / (d - slope);
        if (u <= 0) elastic = `beats ${vs} at any utilisation`;
        else if (u > 1)
          elastic = `would need ${Number((u * 100).toPrecision(3))}% utilisation to beat ${vs} billed only for busy hours`;
        else
          elastic = `beats ${vs} billed only for busy hours above ${Number((u * 100).toPrecision(3))}% average utilisation`;
      }
      // The chart's story, at the utilisation the comparison uses and the rental billed as recommend bills it.
      const own_ = wy.cumulativeUsd;
      const rent = refWay.cumulativeUsd;
      let last = -1;
      for (let m = 0; m <= months && m < own_.length; m++) if (own_[m]! > rent[m]! + 1e-9) last = m;
      const at = `at ${Number((o.utilisation * 100).toPrecision(3))}% utilisation`;
      const chart =
        last < 0
          ? `it costs no more than renting from the start`
          : last >= months
            ? `it costs more than renting in every month of the ${months}`
            : `its cumulative cost falls below renting's in month ${last + 1}`;
      out.push({
        owned: o.id,
        way: wy.way,
        rented: ref.o.id,
        ...(u !== undefined ? { utilisation: u } : {}),
        ...(last >= 0 && last < months ? { month: last + 1 } : {}),
        statement: `${what} ${elastic} over ${years} years; ${at}, ${chart}`,
      });
    }
  }
  return out;
}

/** Months where one way's cumulative cost drops below another's, for every pair of ways. */
function crossovers(opts: readonly TcoOption[]): Crossover[] {
  const series = opts.flatMap((o) => o.ways.map((wy) => ({ name: wayName(o, wy), c: wy.cumulativeUsd })));
  const out: Crossover[] = [];
  for (let i = 0; i < series.length; i++) {
    for (let j = 0; j < series.length; j++) {
      if (i === j) continue;
      const a = series[i]!;
      const b = series[j]!;
      for (let m = 1; m < a.c.length; m++) {
        if (a.c[m - 1]! > b.c[m - 1]! && a.c[m]! < b.c[m]!) out.push({ month: m, cheaper: a.name, than: b.name });
      }
    }
  }
  return out.sort(
    (x, y) => x.month - y.month || (x.cheaper < y.cheaper ? -1 : x.cheaper > y.cheaper ? 1 : x.than < y.than ? -1 : 1),
  );
}

export { wayName };
