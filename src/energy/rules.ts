import type { OptionEstimate } from "../estimate/option.js";
import type { Workload } from "../estimate/workload.js";
import type { Rule, Violation } from "../rules/index.js";
import { offGrid } from "./context.js";
import { balanced, describeBalance, energyBalance } from "./supply.js";

const dist = (measured: number, limit: number) =>
  limit > 0 && measured > 0 ? Math.abs(Math.log10(measured / limit)) : 1;

/** Power the site's supply must carry: per site at the edge, the whole deployment on premises. */
export const sitePowerW = (o: OptionEstimate): number | undefined => o.avgPowerW ?? o.powerW;

/** The energy rules, in the order their findings are reported (after the power budget). */
export const ENERGY_RULES: readonly Rule[] = [
  {
    id: "power_cap",
    appliesTo: (w) => w.energy?.powerCapW !== undefined,
    describe: "Each device can run within the profile's power cap (a published power mode or a limit above idle).",
    check: (o: OptionEstimate, w: Workload): Violation | undefined => {
      const cap = w.energy?.powerCapW;
      const e = o.powerCap;
      if (cap === undefined || !e || !(e.tdpW > cap * (1 + 1e-9))) return undefined;
      const what = e.basis.includes("no power cap setting")
        ? "no power cap setting: draws up to"
        : "lowest power setting draws";
      return {
        rule: "power_cap",
        message: `${what} ${Number(e.tdpW.toPrecision(3))} W > cap ${cap} W`,
        measured: e.tdpW,
        limit: cap,
        distance: dist(e.tdpW, cap),
      };
    },
  },
  {
    id: "energy_balance",
    appliesTo: (w) => offGrid(w.energy?.supply),
    describe:
      "Off-grid sites: the panel covers a day's energy (worst month, after losses) and the battery the days without sun.",
    check: (o: OptionEstimate, w: Workload): Violation | undefined => {
      const s = w.energy?.supply;
      if (!s || o.offering.deployment === "cloud" || !o.fits) return undefined;
      const p = sitePowerW(o);
      if (p === undefined || !Number.isFinite(p)) return undefined;
      const b = energyBalance(p, s);
      if (balanced(b)) return undefined;
      // How far: the larger of the panel and battery shortfalls, as a ratio.
      const panelRatio =
        b.panelWhPerDay !== undefined && b.panelWhPerDay > 0
          ? b.needWhPerDay / b.panelWhPerDay
          : b.panelShortWh > 0
            ? 10
            : 1;
      const batteryRatio = b.batteryShortDays > 0 ? b.autonomyDays / Math.max(1e-9, b.batteryDays ?? 0) : 1;
      const distance = Math.min(3, Math.max(dist(panelRatio, 1), dist(Math.min(batteryRatio, 1e3), 1), 0.01));
      return {
        rule: "energy_balance",
        message: describeBalance(b),
        measured: Math.round(b.needWhPerDay * 10) / 10,
        limit: b.panelWhPerDay !== undefined ? Math.round(b.panelWhPerDay * 10) / 10 : (b.batteryWh ?? 0),
        distance,
      };
    },
  },
];
