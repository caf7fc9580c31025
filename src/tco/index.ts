import { grouped } from "../report/format.js";
import { HOURS_PER_MONTH, unitEconomics, type OptionEstimate } from "../estimate/option.js";
import type { Workload } from "../estimate/workload.js";
import type { CostAssumptions } from "./assumptions.js";
import { annuityPayment, remainingBalance, residualShare } from "./finance.js";

export type WayKind = "rent-on-demand" | "rent-1y" | "rent-3y" | "buy" | "lease";

/** One line of a way's cost: paid once at the start, every month over a range, or once at the end. */
export interface LineItem {
  readonly item: string;
  /** How the amount was reached, with every factor. */
  readonly basis: string;
  readonly when: "start" | "monthly" | "end";
  /** Months it is paid in (monthly items): fromMonth..toMonth inclusive. One-offs: the month they fall in. */
  readonly fromMonth: number;
  readonly toMonth: number;
  readonly perMonthUsd?: number;
  readonly totalUsd: number;
}

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
}

export interface BreakEven {
  readonly owned: string;
  readonly way: "buy" | "lease";
  readonly rented: string;
  /** Average utilisation above which owning is cheaper than renting on demand for the hours used; undefined if never. */
  readonly utilisation?: number;
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

const r2 = (x: number) => (Math.abs(x) >= 100 ? grouped(x) : Number(x.toPrecision(3)).toString());

/** Average share of capacity in use: average demand ÷ provisioned throughput, or busy hours of a batch job ÷ hours in a month. */
export function estimateUtilisation(o: OptionEstimate, w: Workload): { utilisation: number; source: string } {
  const cap = o.throughputPerS;
  if (!cap || cap <= 0) return { utilisation: 1, source: "no capacity estimate: assumed 100%" };
  if (w.kind === "batch-inference" && w.itemsPerRun !== undefined) {
    const busyH = (w.itemsPerRun * w.runsPerMonth) / cap / 3600;
    return { utilisation: Math.min(1, busyH / HOURS_PER_MONTH), source: `batch: ${r2(busyH)} busy h of ${HOURS_PER_MONTH} h a month` };
  }
  const scale = o.offering.deployment === "edge" ? 1 : w.sites;
  const demand = (w.averagePerS ?? w.needPerS);
  if (demand === undefined) return { utilisation: 1, source: "no demand stated: assumed 100%" };
  const u = Math.min(1, (demand * scale) / cap);
  return { utilisation: u, source: `average ${r2(demand * scale)}/s of ${r2(cap)}/s provisioned${o.offering.deployment === "edge" ? " per site" : ""}` };
}

interface Builder {
  items: LineItem[];
}

function monthly(b: Builder, item: string, perMonthUsd: number, from: number, to: number, basis: string): void {
  if (to < from) return;
  b.items.push({ item, basis, when: "monthly", fromMonth: from, toMonth: to, perMonthUsd, totalUsd: perMonthUsd * (to - from + 1) });
}
function once(b: Builder, item: string, when: "start" | "end", month: number, totalUsd: number, basis: string): void {
  b.items.push({ item, basis, when, fromMonth: month, toMonth: month, totalUsd });
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

const total = (items: readonly LineItem[]) => items.reduce((s, x) => s + x.totalUsd, 0);

/** Line items of one way at utilisation `u` (only energy and elastic renting depend on it). */
type Build = (u: number) => LineItem[];

function makeWay(way: WayKind, label: string, build: Build, u: number, n: number): Way {
  const items = build(u);
  return { way, label, lineItems: items, cumulativeUsd: cumulative(items, n), totalUsd: total(items), totalAtZeroUsd: total(build(0)), totalAtFullUsd: total(build(1)) };
}

function rentWays(o: OptionEstimate, a: CostAssumptions, u: number): Way[] {
  const n = a.horizonMonths;
  const region = o.region!;
  const units = o.units;
  const ways: Way[] = [];
  const ops = (b: Builder) => {
    if (a.operationsRentedUsd > 0) monthly(b, "operations", a.operationsRentedUsd, 1, n, `staff share $${r2(a.operationsRentedUsd)}/month`);
  };
  // On demand: what recommend charges (always-on for a service, billed run hours for a batch job).
  const onDemandMonthly = o.monthlyCostUsd ?? units * region.usd_per_hour * HOURS_PER_MONTH;
  const hoursBilled = onDemandMonthly / (units * region.usd_per_hour);
  ways.push(
    makeWay("rent-on-demand", "rent on demand", () => {
      const b: Builder = { items: [] };
      monthly(b, "instances", onDemandMonthly, 1, n, `${units} × $${r2(region.usd_per_hour)}/h (${region.region}) × ${r2(hoursBilled)} h/month`);
      ops(b);
      return b.items;
    }, u, n),
  );
  for (const [way, price, termMonths] of [
    ["rent-1y", region.usd_per_hour_1y, 12],
    ["rent-3y", region.usd_per_hour_3y, 36],
  ] as const) {
    if (price === undefined) continue;
    ways.push(
      makeWay(way, `rent ${termMonths / 12}y committed`, () => {
        const b: Builder = { items: [] };
        const per = units * price * HOURS_PER_MONTH;
        monthly(b, "committed instances", per, 1, n, `${units} × $${r2(price)}/h (${region.region}, ${termMonths / 12}y commitment) × ${HOURS_PER_MONTH} h/month, billed whether used or not`);
        const paidMonths = Math.ceil(n / termMonths) * termMonths;
        if (paidMonths > n) once(b, "commitment beyond horizon", "end", n, per * (paidMonths - n), `the last ${termMonths / 12}y term runs ${paidMonths - n} months past the horizon`);
        ops(b);
        return b.items;
      }, u, n),
    );
  }
  return ways;
}

function ownedWays(o: OptionEstimate, a: CostAssumptions, u: number, notes: string[]): Way[] {
  const n = a.horizonMonths;
  const edge = o.offering.deployment === "edge";
  const units = o.devices / o.offering.count;
  // A part that needs a host is priced and powered with its share of the resolved host.
  const { priceUsd: price, hostPriceUsd, idleW, fullW } = unitEconomics(o);
  const hw = price * units;
  const landed = hw * (1 + a.importDuty);
  const pue = edge ? 1 : a.pue;
  const running = (b: Builder, uu: number, withSupport: boolean) => {
    const avgW = units * (idleW + (fullW - idleW) * uu);
    const energy = (avgW * pue) / 1000 * HOURS_PER_MONTH * a.energyUsdPerKwh;
    monthly(b, "energy", energy, 1, n, `${units} × (${r2(idleW)} W idle + ${r2(fullW - idleW)} W × ${r2(uu * 100)}% utilisation) × PUE ${pue} × ${HOURS_PER_MONTH} h × $${a.energyUsdPerKwh}/kWh`);
    if (!edge && a.colocationPerKwMonthUsd > 0) {
      const kw = (units * fullW) / 1000;
      monthly(b, "colocation (space, cooling)", kw * a.colocationPerKwMonthUsd, 1, n, `${r2(kw)} kW nameplate × $${r2(a.colocationPerKwMonthUsd)}/kW-month`);
    }
    if (withSupport && a.supportPerYear > 0) monthly(b, "support contract", (hw * a.supportPerYear) / 12, 1, n, `${r2(a.supportPerYear * 100)}%/year × $${r2(hw)} hardware ÷ 12`);
    if (a.operationsOwnedUsd > 0) monthly(b, "operations", a.operationsOwnedUsd, 1, n, `staff share $${r2(a.operationsOwnedUsd)}/month`);
  };
  if (edge) notes.push("edge devices sit in the sites: no colocation, PUE 1");
  const ways: Way[] = [];
  if (price > 0) {
    ways.push(
      makeWay("buy", "buy", (uu) => {
        const b: Builder = { items: [] };
        const cash = 1 - a.financed;
        const priceBasis = `${units} × $${r2(price)}${hostPriceUsd ? ` (incl. host $${r2(hostPriceUsd)})` : ""}`;
        if (cash > 0) {
          once(b, "hardware", "start", 0, hw * cash, `${priceBasis}${a.financed > 0 ? ` × ${r2(cash * 100)}% paid in cash` : ""}`);
          if (a.importDuty > 0) once(b, "import duty and taxes", "start", 0, hw * a.importDuty * cash, `${r2(a.importDuty * 100)}% × $${r2(hw * cash)}`);
        }
        if (a.financed > 0) {
          const loan = landed * a.financed;
          const term = a.financingTermMonths;
          const pay = annuityPayment(loan, a.financingRate, term);
          const last = Math.min(term, n);
          monthly(b, "loan instalments", pay, 1, last, `annuity on $${r2(loan)} (${r2(a.financed * 100)}% of $${r2(landed)} landed) at ${r2(a.financingRate * 100)}%/yr over ${term} months: P·r/(1−(1+r)^−n), r = rate/12`);
          if (term > n) once(b, "loan payoff at horizon", "end", n, remainingBalance(loan, a.financingRate, term, n), `balance still owed after ${n} of ${term} instalments`);
        }
        running(b, uu, true);
        const share = residualShare(a.residualValue, a.residualAfterMonths, n);
        if (share > 0) once(b, "residual value (resale)", "end", n, -hw * share, `${r2(a.residualValue * 100)}% at ${a.residualAfterMonths} months, geometric → ${r2(share * 100)}% at ${n} months × $${r2(hw)}`);
        return b.items;
      }, u, n),
    );
  }
  const quoted = o.offering.lease_usd_per_month;
  if (quoted !== undefined || price > 0) {
    if (quoted === undefined) notes.push(`lease derived: the catalog quotes no lease for ${o.offering.id}; ${r2(a.leaseFactor * 100)}% of the landed price a month (costs.lease_factor)`);
    ways.push(
      makeWay("lease", quoted === undefined ? "lease (derived)" : "lease", (uu) => {
        const b: Builder = { items: [] };
        const per = quoted !== undefined ? quoted * units : landed * a.leaseFactor;
        const basis = quoted !== undefined ? `${units} × $${r2(quoted)}/month quoted` : `lease factor ${r2(a.leaseFactor * 100)}%/month × $${r2(landed)} landed price${a.importDuty > 0 ? ` (incl. ${r2(a.importDuty * 100)}% duty)` : ""}`;
        monthly(b, "lease payments", per, 1, n, `${basis}; ${a.leaseTermMonths}-month term${n > a.leaseTermMonths ? ", renewed at the same rate" : ""}`);
        running(b, uu, false);
        return b.items;
      }, u, n),
    );
    notes.push("leased hardware: support assumed inside the lease (not charged again)");
  }
  return ways;
}

/** Compare renting, buying and leasing each option over the horizon. Pure. */
export function estimateTco(options: readonly OptionEstimate[], w: Workload, a: CostAssumptions): TcoResult {
  const out: TcoOption[] = options.map((o) => {
    const est = estimateUtilisation(o, w);
    const u = a.utilisation ?? est.utilisation;
    const notes: string[] = [];
    const ways = o.offering.deployment === "cloud" ? (o.region ? rentWays(o, a, u) : []) : ownedWays(o, a, u, notes);
    if (o.offering.deployment === "cloud" && !o.region?.usd_per_hour_1y && !o.region?.usd_per_hour_3y) notes.push("no committed-use price in the catalog: on demand only");
    const units = o.offering.deployment === "cloud" ? o.units : o.devices / o.offering.count;
    return {
      id: o.offering.id,
      name: o.offering.name,
      deployment: o.offering.deployment,
      units,
      devices: o.devices,
      utilisation: u,
      utilisationSource: a.utilisation !== undefined ? "costs.utilisation" : est.source,
      ways,
      notes: [...new Set(notes)],
    };
  });
  return { horizonMonths: a.horizonMonths, options: out, breakEven: breakEvens(options, out, a), crossovers: crossovers(out) };
}

const wayName = (o: TcoOption, wy: Way) => `${wy.label} ${o.id}`;

/**
 * Utilisation u at which owning equals renting on demand for only the hours used. Owning costs
 * T0 + (T1 − T0)·u (energy grows with use); elastic renting costs u × units × $/h × hours + operations. Both
 * are linear, so u = (T0 − c) / (d − (T1 − T0)) exactly.
 */
function breakEvens(ests: readonly OptionEstimate[], opts: readonly TcoOption[], a: CostAssumptions): BreakEven[] {
  const rented = opts
    .map((o, i) => ({ o, e: ests[i]! }))
    .filter((x) => x.o.deployment === "cloud" && x.e.region);
  if (!rented.length) return [];
  const out: BreakEven[] = [];
  const years = Number((a.horizonMonths / 12).toPrecision(3));
  for (const [i, o] of opts.entries()) {
    if (o.deployment === "cloud") continue;
    const chip = ests[i]!.chip.id;
    // Compare with the same chip rented where the comparison has it, else the cheapest rental.
    const ref = [...rented].sort((x, y) => Number(y.e.chip.id === chip) - Number(x.e.chip.id === chip) || x.e.units * x.e.region!.usd_per_hour - y.e.units * y.e.region!.usd_per_hour || (x.o.id < y.o.id ? -1 : 1))[0]!;
    const d = ref.e.units * ref.e.region!.usd_per_hour * HOURS_PER_MONTH * a.horizonMonths;
    const c = a.operationsRentedUsd * a.horizonMonths;
    for (const wy of o.ways) {
      if (wy.way !== "buy" && wy.way !== "lease") continue;
      const t0 = wy.totalAtZeroUsd;
      const slope = wy.totalAtFullUsd - t0;
      const verb = wy.way === "buy" ? "buying" : "leasing";
      const what = `${verb} ${o.units}× ${o.id}`;
      const vs = `renting ${ref.o.units}× ${ref.o.id} on demand`;
      let u: number | undefined;
      let statement: string;
      if (d - slope <= 0) statement = `${what} never beats ${vs} over ${years} years`;
      else {
        u = (t0 - c) / (d - slope);
        if (u <= 0) statement = `${what} beats ${vs} at any utilisation over ${years} years`;
        else if (u > 1) statement = `${what} does not beat ${vs} even at 100% utilisation over ${years} years (it would need ${Number((u * 100).toPrecision(3))}%)`;
        else statement = `${what} beats ${vs} above ${Number((u * 100).toPrecision(3))}% average utilisation over ${years} years`;
      }
      out.push({ owned: o.id, way: wy.way, rented: ref.o.id, ...(u !== undefined ? { utilisation: u } : {}), statement });
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
  return out.sort((x, y) => x.month - y.month || (x.cheaper < y.cheaper ? -1 : x.cheaper > y.cheaper ? 1 : x.than < y.than ? -1 : 1));
}

export { wayName };
