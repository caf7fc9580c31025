import type { Profile } from "../profile/schema.js";
import type { TariffBand } from "./tariff.js";
import type { Window } from "./units.js";

/** An off-grid or weak-grid site, per site, in canonical units. */
export interface Supply {
  readonly solarW?: number;
  readonly sunHours?: number;
  readonly batteryWh?: number;
  readonly autonomyDays?: number;
  readonly outagesHPerMonth?: number;
  readonly outageDurationH?: number;
  readonly batteryUsdPerKwh?: number;
}

/** What the energy stages read of a profile: cap, prices over time, site supply and grid carbon. */
export interface EnergyContext {
  /** Per-accelerator power cap, W. */
  readonly powerCapW?: number;
  /** The flat price: hours outside every tariff band pay it. */
  readonly baseUsdPerKwh: number;
  readonly tariff?: readonly TariffBand[];
  /** Daily window batch and training jobs on owned hardware must run in. */
  readonly window?: Window;
  readonly supply?: Supply;
  /** Grid intensity the profile states for its site, g CO₂e/kWh. */
  readonly gridCarbonG?: number;
  /** Country whose grid powers owned hardware. */
  readonly country?: string;
}

/** The profile's energy sections in canonical units. Pure. */
export function resolveEnergy(
  profile: Pick<Profile, "constraints" | "energy" | "schedule">,
  baseUsdPerKwh: number,
): EnergyContext {
  const e = profile.energy;
  const s = e?.supply;
  return {
    powerCapW: profile.constraints?.power_cap,
    baseUsdPerKwh,
    tariff: e?.tariff?.map((b) => ({ fromH: b.from, toH: b.to, usdPerKwh: b.price_per_kwh })),
    window: profile.schedule?.window,
    supply: s
      ? {
          solarW: s.solar,
          sunHours: s.sun_hours,
          batteryWh: s.battery,
          autonomyDays: s.autonomy !== undefined ? s.autonomy / 24 : undefined,
          outagesHPerMonth: s.outages,
          outageDurationH: s.outage_duration,
          batteryUsdPerKwh: s.battery_cost,
        }
      : undefined,
    gridCarbonG: e?.grid_carbon,
    country: e?.country ?? firstCountry(profile.constraints?.data_residency),
  };
}

/** Off-grid: the site has a panel or battery and no grid outages stated (a grid site states `outages`). */
export const offGrid = (s: Supply | undefined): boolean =>
  s !== undefined && (s.solarW !== undefined || s.batteryWh !== undefined) && s.outagesHPerMonth === undefined;

/** The first country data may be processed in (the plain list, or the required tier, else the preferred one). */
function firstCountry(
  r: readonly string[] | { readonly require?: readonly string[]; readonly prefer?: readonly string[] } | undefined,
): string | undefined {
  if (!r) return undefined;
  if (Array.isArray(r)) return r[0];
  const t = r as { readonly require?: readonly string[]; readonly prefer?: readonly string[] };
  return t.require?.[0] ?? t.prefer?.[0];
}
