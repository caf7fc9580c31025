import type { Offering } from "../catalog/schema.js";
import type { CostAssumptions } from "../tco/assumptions.js";

/** The units and line items every cost is written in, and the prices an offering states. Pure. */

/** Hours in an average month (365.25 × 24 ÷ 12). */
export const HOURS_PER_MONTH = 730.5;

/** One line of a cost: paid once at the start, every month over a range, or once at the end. */
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

/** What one deployable unit costs to buy, the part and the host it needs apart (host resolution and landed cost feed these). */
export interface UnitPrice {
  readonly deviceUsd: number;
  readonly hostUsd: number;
}

/** The one place an offering's purchase price is read: `capex_usd` for the unit, `host_capex_usd` for its host. */
export function unitPriceOf(o: Offering): UnitPrice | undefined {
  if (o.capex_usd === undefined) return undefined;
  return { deviceUsd: o.capex_usd, hostUsd: o.host_capex_usd ?? 0 };
}

/**
 * Import costs (duty, taxes, freight) as a share of the hardware price. A local quote (an entry priced in
 * its own `currency`) is already landed and is never taxed again.
 */
export function importShareOf(o: Offering, a: CostAssumptions): number {
  return o.currency !== undefined ? 0 : a.importDuty;
}

/** Energy bought for `hours` at an average draw of `avgPowerW`, through a facility of `pue`, USD. */
export function energyUsd(avgPowerW: number, hours: number, usdPerKwh: number, pue: number): number {
  return ((avgPowerW * pue) / 1000) * hours * usdPerKwh;
}
