import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { combinationStatus } from "../src/baseline/compare.js";
import type { LockCombination } from "../src/baseline/lock.js";
import {
  compareFigures,
  crosses,
  mergeThresholds,
  parseThresholdFlag,
  DEFAULT_THRESHOLDS,
  MATERIAL_FIGURE_NAMES,
  MATERIAL_FIGURES,
} from "../src/baseline/thresholds.js";

describe("material-change thresholds", () => {
  it("crosses at the documented defaults, hand-checked", () => {
    // +25%: 800 × 1.25 = 1000, so 1000 crosses and 999 does not.
    expect(crosses("monthly_cost", 800, 1000, "+25%")).toBe(true);
    expect(crosses("monthly_cost", 800, 999, "+25%")).toBe(false);
    // x2: 3 devices → 6 crosses (doubled), → 5 does not.
    expect(crosses("devices", 3, 6, "x2")).toBe(true);
    expect(crosses("devices", 3, 5, "2x")).toBe(false);
    // tokens/s is worse downwards: -20% of 40 = 32.
    expect(crosses("tokens_per_s", 40, 32, "-20%")).toBe(true);
    expect(crosses("tokens_per_s", 40, 33, "20%")).toBe(false);
    expect(crosses("tokens_per_s", 40, 400, "-20%")).toBe(false);
    // From nothing to something (a cloud option had no capex) is material; off never is.
    expect(crosses("capex", 0, 5599, "+25%")).toBe(true);
    expect(crosses("capex", 0, 5599, "off")).toBe(false);
  });

  it("never flags an improvement, and a pair that crosses a threshold crosses every smaller one", () => {
    const figure = fc.constantFrom(...MATERIAL_FIGURE_NAMES);
    const pos = fc.double({ min: 0.001, max: 1e7, noNaN: true });
    fc.assert(
      fc.property(
        figure,
        pos,
        pos,
        fc.integer({ min: 1, max: 500 }),
        fc.integer({ min: 1, max: 500 }),
        (f, a, b, p1, p2) => {
          const up = MATERIAL_FIGURES[f].worse === "up";
          const better = up ? Math.min(a, b) : Math.max(a, b);
          const before = up ? Math.max(a, b) : Math.min(a, b);
          expect(crosses(f, before, better, `+${p1}%`)).toBe(false);
          expect(crosses(f, before, better, `x${1 + p1 / 100}`)).toBe(false);
          const [lo, hi] = p1 <= p2 ? [p1, p2] : [p2, p1];
          if (f === "tokens_per_s" && hi >= 100) return; // a 100 % drop is only zero
          if (crosses(f, a, b, `+${hi}%`)) expect(crosses(f, a, b, `+${lo}%`)).toBe(true);
        },
      ),
    );
  });

  it("compareFigures lists the figures that moved, with the change in %", () => {
    const rows = compareFigures(
      { monthly_cost_usd: 840, devices: 3, power_w: 1000, latency_p99_ms: 50 },
      { monthly_cost_usd: 15400, capex_usd: 415000, devices: 8, power_w: 1000, latency_p99_ms: 40 },
      DEFAULT_THRESHOLDS,
    );
    expect(rows).toEqual([
      // 15400 / 840 − 1 = 17.333… → 1733.3 %
      { figure: "monthly_cost", before: 840, after: 15400, change_pct: 1733.3, threshold: "+25%", crossed: true },
      { figure: "capex", before: 0, after: 415000, threshold: "+25%", crossed: true },
      // 8 / 3 − 1 = 166.7 %, beyond ×2
      { figure: "devices", before: 3, after: 8, change_pct: 166.7, threshold: "x2", crossed: true },
      { figure: "latency_p99", before: 50, after: 40, change_pct: -20, threshold: "+25%", crossed: false },
    ]);
  });

  it("layers: later wins figure by figure; flags are parsed with a named fix", () => {
    expect(mergeThresholds({ monthly_cost: "+10%", devices: "x4" }, { monthly_cost: "off" })).toMatchObject({
      monthly_cost: "off",
      devices: "x4",
      capex: "+25%",
    });
    expect(parseThresholdFlag("power=+50%")).toEqual({ ok: true, figure: "power", value: "+50%" });
    expect(parseThresholdFlag("power=lots")).toEqual({
      ok: false,
      message: '--threshold "power=lots": expected power=+25%, power=x2 or power=off',
    });
  });
});

describe("pipeline combination status", () => {
  const combo = (
    verify: string,
    cls: LockCombination["options"][number]["class"],
    feasible = true,
  ): LockCombination => ({
    feasible,
    options: [
      { stage: "screen", id: "hailo", name: "1× Hailo", class: "edge-npu", devices: 400 },
      { stage: "verify", id: verify, name: verify, class: cls, devices: 1 },
    ],
    figures: {},
  });
  it("a stage on another class is a class change; another option of the same class an option change", () => {
    expect(combinationStatus(combo("l4", "cloud-gpu"), combo("l4", "cloud-gpu"))).toBe("unchanged");
    expect(combinationStatus(combo("l4", "cloud-gpu"), combo("t4", "cloud-gpu"))).toBe("option-changed");
    expect(combinationStatus(combo("l4", "cloud-gpu"), combo("inf2", "asic"))).toBe("class-changed");
    expect(combinationStatus(combo("l4", "cloud-gpu"), combo("l4", "cloud-gpu", false))).toBe("no-feasible");
    expect(combinationStatus(combo("l4", "cloud-gpu", false), combo("l4", "cloud-gpu"))).toBe("class-changed");
    expect(combinationStatus(undefined, combo("l4", "cloud-gpu"))).toBe("new");
  });
});
