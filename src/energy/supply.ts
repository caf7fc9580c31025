import type { Supply } from "./context.js";

/**
 * Share of a panel's nameplate energy (peak W × peak-sun hours) a site can use: PVWatts' default
 * system losses of 14% (soiling, wiring, mismatch, inverter or charge controller, ageing; NREL
 * PVWatts v5 manual, Dobos 2014, https://docs.nrel.gov/docs/fy14osti/62641.pdf) times a 90% battery
 * round trip (LiFePO4 92–95%, lead-acid ~80%) for the energy a round-the-clock load draws after dark.
 * 0.86 × 0.90 = 0.774.
 */
export const SOLAR_DERATE = 0.86 * 0.9;

/** Installed battery and inverter cost for outage ride-through, USD per usable kWh (assumption; override with energy.supply.battery_cost). */
export const BATTERY_USD_PER_KWH = 600;
/**
 * Sources behind BATTERY_USD_PER_KWH: NREL ATB 2024 commercial Li-ion (LFP) storage; California's installed average
 * was $1,090/kWh in June 2024 (residential, EnergySage).
 */
export const BATTERY_COST_SOURCE = "https://atb.nrel.gov/electricity/2024/commercial_battery_storage";
/** Inverter efficiency when a UPS carries the load from its battery (double-conversion UPS ~90–95%). */
export const INVERTER_EFFICIENCY = 0.9;

export interface EnergyBalance {
  /** Energy the option needs per day at the site, Wh. */
  readonly needWhPerDay: number;
  /** What the panel yields per day in the worst month after losses, Wh (absent: no panel). */
  readonly panelWhPerDay?: number;
  readonly batteryWh?: number;
  /** Days the battery carries the load without sun. */
  readonly batteryDays?: number;
  /** Days it must carry: `autonomy`, or the hours without sun when none is stated. */
  readonly autonomyDays: number;
  readonly panelShortWh: number;
  readonly batteryShortDays: number;
  /** The smallest standard panel and battery that would carry this load. */
  readonly suggestPanelW: number;
  readonly suggestBatteryWh: number;
}

/** Round up to a size people buy: 5 W (or Wh) steps to 100, 10 to 1,000, 50 above. */
export function standardSize(x: number): number {
  const step = x <= 100 ? 5 : x <= 1000 ? 10 : 50;
  return Math.max(step, Math.ceil(x / step - 1e-9) * step);
}

/**
 * Daily energy balance of an off-grid site drawing `avgPowerW` around the clock. Worked example:
 * 4 W → 96 Wh/day; a 40 W panel with 4 peak-sun hours gives 40 × 4 × 0.774 = 124 Wh; a 105 Wh
 * battery covers 105 / 96 = 1.1 of 2 days.
 */
export function energyBalance(avgPowerW: number, s: Supply): EnergyBalance {
  const need = Math.max(0, avgPowerW) * 24;
  const sun = s.sunHours ?? 0;
  const panel = s.solarW !== undefined ? s.solarW * sun * SOLAR_DERATE : undefined;
  const autonomyDays = s.autonomyDays ?? (s.solarW !== undefined ? Math.max(0, 24 - sun) / 24 : 1);
  const batteryDays = s.batteryWh !== undefined ? (need > 0 ? s.batteryWh / need : Infinity) : undefined;
  const panelShortWh = panel !== undefined ? Math.max(0, need - panel) : 0;
  const batteryShortDays = Math.max(0, autonomyDays - (batteryDays ?? 0));
  return {
    needWhPerDay: need,
    panelWhPerDay: panel,
    batteryWh: s.batteryWh,
    batteryDays,
    autonomyDays,
    panelShortWh,
    batteryShortDays,
    suggestPanelW: sun > 0 ? standardSize(need / (sun * SOLAR_DERATE)) : NaN,
    suggestBatteryWh: standardSize(need * autonomyDays),
  };
}

/** Does the balance hold: the panel (if any) covers a day's need and the battery (if any or needed) the autonomy? */
export const balanced = (b: EnergyBalance): boolean => b.panelShortWh <= 1e-9 && b.batteryShortDays <= 1e-9;

const wh = (x: number) =>
  x >= 10000 ? `${(x / 1000).toFixed(1)} kWh` : x >= 100 ? `${Math.round(x)} Wh` : `${Number(x.toPrecision(2))} Wh`;
export const dayWord = (x: number) => `${days(x)} ${days(x) === "1" ? "day" : "days"}`;
const days = (x: number) => (x >= 10 || Math.abs(x - Math.round(x)) < 0.05 ? x.toFixed(0) : x.toFixed(1));

/** "needs 96 Wh/day, the panel gives 124 Wh; battery covers 1.1 of 2 days — a 35 W panel and a 195 Wh battery would do". */
export function describeBalance(b: EnergyBalance): string {
  const parts = [`needs ${wh(b.needWhPerDay)}/day`];
  if (b.panelWhPerDay !== undefined) parts[0] += `, the panel gives ${wh(b.panelWhPerDay)}`;
  const battery =
    b.batteryDays !== undefined
      ? `battery covers ${days(b.batteryDays)} of ${dayWord(b.autonomyDays)}`
      : `no battery for ${dayWord(b.autonomyDays)} without sun`;
  const fix: string[] = [];
  if (b.panelShortWh > 1e-9 && Number.isFinite(b.suggestPanelW)) fix.push(`a ${b.suggestPanelW} W panel`);
  if (b.batteryShortDays > 1e-9) fix.push(`a ${wh(b.suggestBatteryWh)} battery`);
  return `${parts[0]}; ${battery}${fix.length ? ` — ${fix.join(" and ")} would do` : ""}`;
}

export interface UpsSizing {
  /** Longest outage bridged, h. */
  readonly hours: number;
  /** Usable battery energy, Wh. */
  readonly batteryWh: number;
  readonly costUsd: number;
  readonly usdPerKwh: number;
  readonly basis: string;
}

/**
 * Battery (UPS) that carries `powerW` through the longest outage: W × h ÷ inverter efficiency, at
 * `usdPerKwh` installed. The longest outage defaults to the monthly outage hours spread over daily
 * cuts (30 h/month → ~1 h a day), at least 1 h.
 */
export function upsSizing(powerW: number, s: Supply, usdPerKwh = BATTERY_USD_PER_KWH): UpsSizing | undefined {
  if (s.outagesHPerMonth === undefined || s.outagesHPerMonth <= 0) return undefined;
  const hours = s.outageDurationH ?? Math.max(1, s.outagesHPerMonth / 30.4375);
  const batteryWh = (powerW * hours) / INVERTER_EFFICIENCY;
  const costUsd = (batteryWh / 1000) * usdPerKwh;
  return {
    hours,
    batteryWh,
    costUsd,
    usdPerKwh,
    basis:
      `UPS for ${Number(hours.toPrecision(3))} h outages: ${Math.round(powerW)} W × ` +
      `${Number(hours.toPrecision(3))} h ÷ ${INVERTER_EFFICIENCY} inverter = ${wh(batteryWh)} at ` +
      `$${usdPerKwh}/kWh = $${Math.round(costUsd)}`,
  };
}
