import { z } from "zod";
import { qty } from "../profile/quantity.js";
import { clockField, energyQty, parseCarbonGPerKwh, parseEnergyWh, parseHoursPerMonth, windowField } from "./units.js";

/**
 * The energy fields of a profile beyond price and PUE: grid carbon, time-of-use tariff and an off-grid
 * or weak-grid supply. Built on call (inside the profile schema's lazy definition).
 */
export function energyFields() {
  const TariffBand = z
    .strictObject({
      from: clockField('Start of the band, local time, e.g. "18:00".'),
      to: clockField('End of the band, local time, e.g. "22:00" (before `from` wraps past midnight).'),
      price_per_kwh: qty("usd", { min: 0, max: 100 }),
    })
    .describe("A time-of-use band: its local hours and price; hours outside every band pay `price_per_kwh`.");
  const Supply = z
    .strictObject({
      /** Solar panel peak power per site, e.g. 40W. */
      solar: qty("power_w", { min: 0 }).optional(),
      /** Peak-sun hours a day in the worst month, e.g. 4h (irradiance in kWh/m²/day). */
      sun_hours: qty("duration_h", { max: 24 }).optional(),
      /** Usable battery capacity per site, e.g. 150Wh. */
      battery: energyQty(parseEnergyWh, {
        min: 0,
        max: 1e9,
        description: "Usable battery capacity per site, e.g. 150Wh or 5kWh.",
      }).optional(),
      /** Days without sun the site must ride through on the battery, e.g. 2d. */
      autonomy: qty("duration_h", { min: 0, max: 24 * 60 }).optional(),
      /** Grid-down hours to ride through (grid sites), e.g. 30h/month or 2h/day. */
      outages: energyQty(parseHoursPerMonth, {
        min: 0,
        max: 730.5,
        description: "Grid-down hours to ride through, e.g. 30h/month or 2h/day.",
      }).optional(),
      /** Longest single outage the UPS must bridge. Default: the monthly outage hours spread over daily cuts (at least 1 h). */
      outage_duration: qty("duration_h", { max: 730.5 }).optional(),
      /** Installed battery and inverter cost for outage ride-through, USD per kWh. Default $600. */
      battery_cost: qty("usd", { min: 0, max: 1e5 }).optional(),
    })
    .refine((s) => s.solar === undefined || s.sun_hours !== undefined, {
      message: "solar needs sun_hours: the peak-sun hours a day in the worst month, e.g. 4h",
      path: ["sun_hours"],
    })
    .describe("An off-grid or weak-grid site: solar panel and sun hours, battery and autonomy, grid outages.");
  return {
    /** Grid carbon intensity at the site, e.g. 120g/kWh. Default: the site country's from catalog/grid-carbon.json. */
    grid_carbon: energyQty(parseCarbonGPerKwh, {
      min: 0,
      max: 2000,
      description:
        "Grid carbon intensity at the site, e.g. 120g/kWh. Default: the site country's (catalog/grid-carbon.json).",
    }).optional(),
    /** ISO 3166-1 alpha-2 country whose grid powers owned hardware. Default: the first data_residency country. */
    country: z
      .string()
      .regex(/^[A-Z]{2}$/, "expected an ISO 3166-1 alpha-2 country code such as CO")
      .optional(),
    /** Time-of-use prices, local time; hours outside every band pay `price_per_kwh`. */
    tariff: z.array(TariffBand).min(1).max(48).optional(),
    supply: Supply.optional(),
  };
}

/** When batch and training jobs may run on owned hardware. */
export function scheduleSchema() {
  return z
    .strictObject({
      /** Daily window for batch and training jobs on owned hardware, e.g. "22:00-06:00" (cheap or charging hours). */
      window: windowField(
        'Daily window, local time, e.g. "22:00-06:00": batch and training jobs on owned hardware run only then.',
      ).optional(),
    })
    .describe("When batch and training jobs may run on owned hardware.");
}
