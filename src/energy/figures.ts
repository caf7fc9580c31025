import { fig3 as r } from "../format/number.js";
import { isTraining } from "../profile/schema.js";
import type { OptionEstimate } from "../estimate/option.js";
import type { Workload } from "../estimate/workload.js";
import type { Estimates } from "../result.js";
import { carbonOf } from "./carbon.js";
import { offGrid } from "./context.js";
import { sitePowerW } from "./rules.js";
import { balanced, dayWord, energyBalance, upsSizing } from "./supply.js";

type Put = (k: keyof Estimates, v: number | string | undefined) => void;

/** The energy figures of one option for the JSON report: efficiency, cap, carbon, site supply. */
export function putEnergy(put: Put, o: OptionEstimate, w: Workload): void {
  const e = o.energyPerInferenceJ;
  put("inferences_per_j", e !== undefined && e > 0 ? 1 / e : undefined);
  put("tokens_per_j", o.outputTokensPerS !== undefined && o.powerW ? o.outputTokensPerS / o.powerW : undefined);
  put("power_cap_w", o.powerCap?.capW);
  put("avg_power_w", o.avgPowerW);
  const c = o.fits ? carbonOf(o, w) : undefined;
  if (c) {
    put("energy_kwh_per_month", c.kwhPerMonth);
    put("grid_g_co2_per_kwh", c.grid.gPerKwh);
    put("carbon_kg_per_month", c.kgPerMonth);
    put("carbon_g_per_1m", c.gPer1m);
    put("carbon_kg_per_run", c.kgPerRun);
  }
  const s = w.energy?.supply;
  const p = sitePowerW(o);
  if (!s || o.offering.deployment === "cloud" || !o.fits || p === undefined) return;
  if (offGrid(s)) {
    const b = energyBalance(p, s);
    put("site_wh_per_day", b.needWhPerDay);
    put("panel_wh_per_day", b.panelWhPerDay);
    put("battery_days", b.batteryDays);
  }
  const ups = upsSizing(o.powerW ?? p, s, s.batteryUsdPerKwh);
  if (ups) {
    put("ups_wh", ups.batteryWh);
    put("ups_usd", ups.costUsd);
  }
}

/** The energy lines of an option's breakdown (--explain): efficiency, carbon and its grid, the site's supply. */
export function energyLines(o: OptionEstimate, w: Workload): string[] {
  const out: string[] = [];
  if (!o.fits) return out;
  const e = o.energyPerInferenceJ;
  const eff: string[] = [];
  if (e !== undefined && e > 0) eff.push(`${r(1 / e)} inferences/J at the average load`);
  if (o.outputTokensPerS !== undefined && o.powerW)
    eff.push(`${r(o.outputTokensPerS / o.powerW)} tokens/J (tokens/s per W) at full load`);
  if (eff.length) out.push(`efficiency: ${eff.join(", ")}`);
  const c = carbonOf(o, w);
  if (c) {
    const per =
      c.kgPerRun !== undefined
        ? `, ${r(c.kgPerRun)} kg per run`
        : c.gPer1m !== undefined
          ? `, ${r(c.gPer1m)} g per 1M inferences`
          : "";
    out.push(
      `carbon: ${r(c.kwhPerMonth)} kWh/month × ${c.grid.basis.replace(/ × (cloud )?PUE [\d.]+$/, "")} = ` +
        `${r(c.kgPerMonth)} kg CO₂e/month${per} (PUE ${c.grid.pue} included)`,
    );
  }
  const s = w.energy?.supply;
  const p = sitePowerW(o);
  if (s && o.offering.deployment !== "cloud" && p !== undefined) {
    if (offGrid(s)) {
      const b = energyBalance(p, s);
      out.push(
        `site energy: ${r(p)} W × 24 h = ${r(b.needWhPerDay)} ` +
          `Wh/day${b.panelWhPerDay !== undefined ? `; panel ${s.solarW} W × ${s.sunHours} h × 0.774 (PVWatts 14% losses, 90% battery round trip) = ${r(b.panelWhPerDay)} Wh` : ""}${b.batteryDays !== undefined ? `; battery ${r(s.batteryWh!)} Wh = ${r(b.batteryDays)} days (needs ${r(b.autonomyDays)})` : ""}`,
      );
    }
    const ups = upsSizing(o.powerW ?? p, s, s.batteryUsdPerKwh);
    if (ups) out.push(ups.basis);
  }
  return out;
}

/** Notes on the ranking as a whole: a cap recommend chose for the top option, what the site needs for it. */
export function energyNotes(
  ranked: readonly { readonly option: OptionEstimate; readonly feasible: boolean }[],
  w: Workload,
): string[] {
  const out: string[] = [];
  const top = ranked[0];
  if (!top) return out;
  const o = top.option;
  if (o.powerCap && w.energy?.powerCapW === undefined)
    out.push(
      `the top option runs each device capped at ${r(o.powerCap.capW)} W to meet the power limit (${o.powerCap.basis})`,
    );
  if (w.energy?.window && (w.kind === "batch-inference" || isTraining(w.kind)))
    out.push(
      `owned hardware runs only in the window ${fmtH(w.energy.window.fromH)}–${fmtH(w.energy.window.toH)}: ` +
        `the deadline counts window hours only, energy is priced over the window; rented cloud capacity runs ` +
        `any time`,
    );
  const s = w.energy?.supply;
  const p = sitePowerW(o);
  if (s && offGrid(s) && o.offering.deployment !== "cloud" && o.fits && p !== undefined) {
    const b = energyBalance(p, s);
    const need = `the top option needs ${r(b.needWhPerDay)} Wh/day per site`;
    // What the profile states already carries it: say for how long, not a bigger size to buy.
    const stated = [
      s.solarW !== undefined ? `${r(s.solarW)} W panel` : "",
      s.batteryWh !== undefined ? `${r(s.batteryWh)} Wh battery` : "",
    ]
      .filter(Boolean)
      .join(" and ");
    const smallest = `a ${Number.isFinite(b.suggestPanelW) ? `${b.suggestPanelW} W panel (at ${s.sunHours ?? 0} peak-sun hours) and a ` : ""}${b.suggestBatteryWh} Wh battery (${dayWord(b.autonomyDays)})`;
    // A smaller kit is worth naming for a fleet; a bigger one than what already carries it is not.
    const smaller =
      (s.batteryWh === undefined || b.suggestBatteryWh < s.batteryWh) &&
      (s.solarW === undefined || !Number.isFinite(b.suggestPanelW) || b.suggestPanelW < s.solarW);
    out.push(
      balanced(b) && stated
        ? `${need}: the stated ${stated} ${stated.includes(" and ") ? "carry" : "carries"} it${batteryLasts(b.batteryDays)}${smaller ? `; ${smallest} would be enough` : ""}`
        : `${need}: ${smallest} carry it`,
    );
  }
  return out;
}

/** " (40 days on the battery alone)": beyond ten years a cell's self-discharge, not the load, empties it. */
const batteryLasts = (d: number | undefined) =>
  d === undefined || !Number.isFinite(d)
    ? ""
    : d > 3650
      ? " (over ten years on the battery alone, before its self-discharge)"
      : ` (${dayWord(d)} on the battery alone)`;

const fmtH = (h: number) =>
  `${String(Math.floor(h)).padStart(2, "0")}:${String(Math.round((h % 1) * 60)).padStart(2, "0")}`;
