import { landedCost, type LandingRates } from "../catalog/landed.js";
import type { Offering } from "../catalog/schema.js";
import { fig3 as r2, percent as pct } from "../format/number.js";
import type { CostAssumptions } from "../tco/assumptions.js";
import { annuityPayment, remainingBalance, residualShare } from "../tco/finance.js";
import { energyUsd, HOURS_PER_MONTH, importShareOf, type LineItem, type UnitPrice, unitPriceOf } from "./basics.js";

/** Owning hardware: buying or leasing it, running it, selling it on. Pure. */

export type OwnedWay = "buy" | "lease";

/** Owned units of one offering: what they cost and what they draw. */
export interface Owned {
  readonly id: string;
  /** Deployable units (servers, boards, cards with their host) in the whole deployment. */
  readonly units: number;
  /** Hosts bought with them (one per unit unless the host is resolved otherwise). */
  readonly hosts: number;
  readonly price?: UnitPrice;
  readonly importShare: number;
  /** Quoted lease per unit, USD a month. */
  readonly leaseUsdPerMonth?: number;
  /** One unit's draw idle and at full load (host included), W. */
  readonly idleW: number;
  readonly fullW: number;
  /** At the edge: no colocation, PUE 1. */
  readonly edge: boolean;
  /** A grid site with outages: the battery that carries the full load through the longest one, bought at the start. */
  readonly ups?: { readonly usd: number; readonly basis: string };
  /** Bought hardware landed in the site's country: each levy is its own line item (importShare is their sum). */
  readonly landing?: { readonly country: string; readonly rates: LandingRates };
}

export function ownedOf(
  o: Offering,
  units: number,
  idleW: number,
  fullW: number,
  a: CostAssumptions,
  extra: Pick<Owned, "ups" | "landing"> & { host?: { hosts: number; hostUsd: number } } = {},
): Owned {
  const { host, ...rest } = extra;
  const own = unitPriceOf(o);
  // A resolved host: its units (shared by slots) at its price replace the offering's own host price.
  const price = own && host ? { deviceUsd: own.deviceUsd, hostUsd: host.hostUsd } : own;
  const x: Owned = {
    id: o.id,
    units,
    hosts: host?.hosts ?? units,
    price,
    importShare: importShareOf(o, a),
    leaseUsdPerMonth: o.lease_usd_per_month,
    idleW,
    fullW,
    edge: o.deployment === "edge",
    ...rest,
  };
  if (!extra.landing) return x;
  // Levies are proportional to the price: their share of one dollar is their share of any price.
  const l = landedCost(1, extra.landing.country, extra.landing.rates);
  return l.lines.length ? { ...x, importShare: l.landedUsd - 1 } : { ...x, landing: undefined };
}

/** Hardware bought, before import costs, USD. */
export function hardwareUsd(x: Owned): number {
  return x.price ? x.price.deviceUsd * x.units + x.price.hostUsd * x.hosts : 0;
}

/** Capex: the hardware landed (import costs included) when bought, plus a UPS bought either way, USD. */
export function capexUsd(x: Owned, way: OwnedWay): number {
  return (way === "buy" ? hardwareUsd(x) * (1 + x.importShare) : 0) + (x.ups?.usd ?? 0);
}

/** How recommend pays for an owned option: buys it when the catalog has a price, else leases it at the quoted rate. */
export function primaryWay(x: Owned): OwnedWay | undefined {
  return x.price ? "buy" : x.leaseUsdPerMonth !== undefined ? "lease" : undefined;
}

/** Lessors finance servers, not boards: no lease is derived for a unit under this price (one can still be quoted). */
export const LEASE_MIN_UNIT_USD = 1000;

/** Can `x` be leased: a quoted lease, or a price a lease can be derived from. */
export function canLease(x: Owned): boolean {
  return (
    x.leaseUsdPerMonth !== undefined ||
    (x.price !== undefined && x.price.deviceUsd + x.price.hostUsd >= LEASE_MIN_UNIT_USD)
  );
}

/** Operations staff cost a month: a stated flat figure, else per unit plus per kW of nameplate power. */
export function operationsUsdPerMonth(x: Owned, a: CostAssumptions): number {
  return (
    a.operationsOwnedUsd ??
    x.units * a.operationsPerUnitMonthUsd + ((x.units * x.fullW) / 1000) * a.operationsPerKwMonthUsd
  );
}

/** Resale share at the end of `months`: the geometric decline through `residual_value`, never above `resale_ceiling`. */
export function resaleShare(a: CostAssumptions, months: number): number {
  return Math.min(a.resaleCeiling, residualShare(a.residualValue, a.residualAfterMonths, months));
}

/**
 * What owning `x` costs over `months` at average utilisation `util` (0–1), paid `way`: the total in USD.
 * When `items` is given each line item is pushed into it; the arithmetic is the same either way, so the
 * figure a ranking reads and the lines a report shows cannot disagree.
 */
export function ownedTotal(
  x: Owned,
  a: CostAssumptions,
  way: OwnedWay,
  util: number,
  months: number,
  items?: LineItem[],
): number {
  const n = months;
  const hw = hardwareUsd(x);
  const landed = hw * (1 + x.importShare);
  let total = 0;
  if (way === "buy") {
    const cash = 1 - a.financed;
    if (cash > 0) {
      total += hw * cash;
      const hosts = x.price?.hostUsd ? ` + ${x.hosts} host(s) × $${r2(x.price.hostUsd)}` : "";
      const inCash = a.financed > 0 ? ` × ${pct(cash)} paid in cash` : "";
      items?.push({
        item: "hardware",
        basis: `${x.units} × $${r2(x.price?.deviceUsd ?? 0)}${hosts}${inCash}`,
        when: "start",
        fromMonth: 0,
        toMonth: 0,
        totalUsd: hw * cash,
      });
      if (x.landing) {
        // One line item per levy, on its legal base (catalog/landed-cost.yaml).
        for (const l of landedCost(hw * cash, x.landing.country, x.landing.rates).lines) {
          total += l.usd;
          items?.push({
            item: `landed in ${x.landing.country}: ${l.label}`,
            basis: `${r2(l.rate * 100)}% × $${r2(l.baseUsd)}${l.creditable ? " (creditable if your entity recovers VAT)" : ""}`,
            when: "start",
            fromMonth: 0,
            toMonth: 0,
            totalUsd: l.usd,
          });
        }
      } else if (x.importShare > 0) {
        total += hw * x.importShare * cash;
        items?.push({
          item: "import duty and taxes",
          basis: `${pct(x.importShare)} × $${r2(hw * cash)}`,
          when: "start",
          fromMonth: 0,
          toMonth: 0,
          totalUsd: hw * x.importShare * cash,
        });
      }
    }
    if (a.financed > 0) {
      const loan = landed * a.financed;
      const term = a.financingTermMonths;
      const pay = annuityPayment(loan, a.financingRate, term);
      const last = Math.min(term, n);
      total += pay * last;
      items?.push({
        item: "loan instalments",
        basis:
          `annuity on $${r2(loan)} (${pct(a.financed)} of $${r2(landed)} landed) at ${pct(a.financingRate)}/yr ` +
          `over ${term} months: P·r/(1−(1+r)^−n), r = rate/12`,
        when: "monthly",
        fromMonth: 1,
        toMonth: last,
        perMonthUsd: pay,
        totalUsd: pay * last,
      });
      if (term > n) {
        const owed = remainingBalance(loan, a.financingRate, term, n);
        total += owed;
        items?.push({
          item: "loan payoff at the end",
          basis: `balance still owed after ${n} of ${term} instalments`,
          when: "end",
          fromMonth: n,
          toMonth: n,
          totalUsd: owed,
        });
      }
    }
  } else {
    const quoted = x.leaseUsdPerMonth;
    const per = quoted !== undefined ? quoted * x.units : landed * a.leaseFactor;
    total += per * n;
    const rate =
      quoted !== undefined
        ? `${x.units} × $${r2(quoted)}/month quoted`
        : `lease factor ${pct(a.leaseFactor)}/month × $${r2(landed)} landed price`;
    const renewed = n > a.leaseTermMonths ? ", renewed at the same rate" : "";
    items?.push({
      item: "lease payments",
      basis: `${rate}; ${a.leaseTermMonths}-month term${renewed}`,
      when: "monthly",
      fromMonth: 1,
      toMonth: n,
      perMonthUsd: per,
      totalUsd: per * n,
    });
    const rest = (Math.ceil(n / a.leaseTermMonths) * a.leaseTermMonths - n) * per;
    if (rest > 0) {
      total += rest;
      items?.push({
        item: "lease term still owed",
        basis: `the ${a.leaseTermMonths}-month term runs ${Math.ceil(n / a.leaseTermMonths) * a.leaseTermMonths - n} months past month ${n}`,
        when: "end",
        fromMonth: n,
        toMonth: n,
        totalUsd: rest,
      });
    }
  }
  if (x.ups) {
    total += x.ups.usd;
    items?.push({
      item: "UPS battery for outages",
      basis: x.ups.basis,
      when: "start",
      fromMonth: 0,
      toMonth: 0,
      totalUsd: x.ups.usd,
    });
  }
  // Running costs, paid every month the hardware is held.
  const pue = x.edge ? 1 : a.pue;
  const avgW = x.units * (x.idleW + (x.fullW - x.idleW) * util);
  const energy = energyUsd(avgW, HOURS_PER_MONTH, a.energyUsdPerKwh, pue);
  total += energy * n;
  items?.push({
    item: "energy",
    basis:
      `${x.units} × (${r2(x.idleW)} W idle + ${r2(x.fullW - x.idleW)} W × ${r2(util * 100)}% utilisation) ` +
      `× PUE ${pue} × ${HOURS_PER_MONTH} h × $${a.energyUsdPerKwh}/kWh`,
    when: "monthly",
    fromMonth: 1,
    toMonth: n,
    perMonthUsd: energy,
    totalUsd: energy * n,
  });
  const kw = (x.units * x.fullW) / 1000;
  if (!x.edge && a.colocationPerKwMonthUsd > 0) {
    const colo = kw * a.colocationPerKwMonthUsd;
    total += colo * n;
    items?.push({
      item: "colocation (space, cooling)",
      basis: `${r2(kw)} kW nameplate × $${r2(a.colocationPerKwMonthUsd)}/kW-month`,
      when: "monthly",
      fromMonth: 1,
      toMonth: n,
      perMonthUsd: colo,
      totalUsd: colo * n,
    });
  }
  if (way === "buy" && a.supportPerYear > 0) {
    const support = (hw * a.supportPerYear) / 12;
    total += support * n;
    items?.push({
      item: "support contract",
      basis: `${pct(a.supportPerYear)}/year × $${r2(hw)} hardware ÷ 12`,
      when: "monthly",
      fromMonth: 1,
      toMonth: n,
      perMonthUsd: support,
      totalUsd: support * n,
    });
  }
  const ops = operationsUsdPerMonth(x, a);
  if (ops > 0) {
    total += ops * n;
    const basis =
      a.operationsOwnedUsd !== undefined
        ? `stated $${r2(a.operationsOwnedUsd)}/month`
        : `${perUnitOps(x, a)}${r2(kw)} kW nameplate × $${r2(a.operationsPerKwMonthUsd)}/kW-month`;
    items?.push({
      item: "operations",
      basis,
      when: "monthly",
      fromMonth: 1,
      toMonth: n,
      perMonthUsd: ops,
      totalUsd: ops * n,
    });
  }
  if (way === "buy") {
    const share = resaleShare(a, n);
    if (share > 0 && hw > 0) {
      total -= hw * share;
      items?.push({
        item: "residual value (resale)",
        basis:
          `${pct(a.residualValue)} at ${a.residualAfterMonths} months, geometric, at most ` +
          `${pct(a.resaleCeiling)} → ${pct(share)} at ${n} months × $${r2(hw)}`,
        when: "end",
        fromMonth: n,
        toMonth: n,
        totalUsd: -hw * share,
      });
    }
  }
  return total;
}

/** The per-unit part of the operations line, when the assumptions charge one. */
const perUnitOps = (x: Owned, a: CostAssumptions) =>
  a.operationsPerUnitMonthUsd > 0 ? `${x.units} unit(s) × $${r2(a.operationsPerUnitMonthUsd)} + ` : "";
