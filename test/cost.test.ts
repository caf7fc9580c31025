import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { billedHours, runBillingOf } from "../src/cost/billing.js";
import {
  canLease,
  HOURS_PER_MONTH,
  importShareOf,
  operationsUsdPerMonth,
  ownedTotal,
  perRunUsd,
  tenureOf,
  type Owned,
} from "../src/cost/index.js";
import { estimateOption } from "../src/estimate/option.js";
import { judge } from "../src/rules/index.js";
import { resolveCosts } from "../src/tco/assumptions.js";
import { estimateTco } from "../src/tco/index.js";
import { ProfileSchema, type ProfileInput } from "../src/profile/schema.js";
import { builtinData, makeChip, makeOffering, makeWorkload } from "./helpers/data.js";

const costs = (c: ProfileInput["costs"] = {}) =>
  resolveCosts(ProfileSchema().parse({ name: "t", workload: { kind: "training", model: "resnet50" }, costs: c }), 3);

// One $100,000 server drawing 100 W idle and 1,000 W flat out, bought with cash; energy $0.15/kWh × PUE 1.5.
const server: Owned = {
  id: "srv",
  units: 1,
  hosts: 1,
  price: { deviceUsd: 100_000, hostUsd: 0 },
  importShare: 0,
  idleW: 100,
  fullW: 1000,
  edge: false,
};

describe("ownership over time (hand-checked)", () => {
  const a = costs();

  it("a one-off 100 h run holds the server one month and pays purchase − resale + running: $31,150", () => {
    const t = tenureOf({ runHours: 100 }, 1, a);
    expect(t).toMatchObject({ months: 1, oneOff: true });
    expect(t.util).toBeCloseTo(100 / 730.5, 12);
    // energy: (100 + 900 × 0.136893) W = 223.20 W × 1.5 / 1000 × 730.5 h × $0.15 = $36.685
    // colocation 1 kW × $180 = $180; support 10% × 100,000 / 12 = $833.33; operations 1 kW × $100 = $100
    // resale: min(70%, 0.3^(1/36) = 96.7%) = 70% → −$70,000
    // 100,000 + 36.685 + 180 + 833.333 + 100 − 70,000 = 31,150.02
    const total = ownedTotal(server, a, "buy", t.util, t.months);
    expect(total).toBeCloseTo(31_150.02, 1);
    expect(perRunUsd(total, t)).toBe(total);
  });

  it("the same run twice a month for 3 years pays its amortised share: $1,557 a run", () => {
    const t = tenureOf({ runHours: 100, runsPerMonth: 2 }, 1, a);
    expect(t).toMatchObject({ months: 36, oneOff: false, runsPerMonth: 2 });
    // util 200 / 730.5 = 0.2737851; energy (100 + 900 × 0.2737851) = 346.4066 W × 1.5 / 1000 × 730.5 × 0.15 = $56.9363/mo
    // 100,000 + 36 × (56.9363 + 180 + 833.3333 + 100) − 30% × 100,000 = 100,000 + 42,129.705 − 30,000 = 112,129.705
    const total = ownedTotal(server, a, "buy", t.util, t.months);
    expect(total).toBeCloseTo(112_129.705, 2);
    // per run: 112,129.705 / 36 / 2 = 1,557.357
    expect(perRunUsd(total, t)).toBeCloseTo(1557.36, 1);
  });

  it("a stated utilisation stands for further use: runs a month are what that utilisation holds", () => {
    const t = tenureOf({ runHours: 100 }, 1, costs({ utilisation: "50%" }));
    // 730.5 h × 50% / 100 h = 3.6525 runs a month
    expect(t).toMatchObject({ months: 36, oneOff: false, util: 0.5 });
    expect(t.runsPerMonth).toBeCloseTo(3.6525, 9);
  });

  it("a one-off run loses at least 1 − resale_ceiling of the price, whatever the run's length", () => {
    for (const h of [0.5, 10, 700, 2000]) {
      const t = tenureOf({ runHours: h }, 1, a);
      expect(ownedTotal(server, a, "buy", t.util, t.months)).toBeGreaterThanOrEqual(0.3 * 100_000);
    }
  });
});

describe("operations scale with what is run", () => {
  it("per kW of nameplate power plus per unit, unless a flat figure is stated", () => {
    const board: Owned = {
      id: "b",
      units: 50,
      hosts: 50,
      price: { deviceUsd: 70, hostUsd: 0 },
      importShare: 0,
      idleW: 1,
      fullW: 5,
      edge: true,
    };
    // 50 × 5 W = 0.25 kW × $100 = $25/month (was a flat $1,000 for any deployment)
    expect(operationsUsdPerMonth(board, costs())).toBeCloseTo(25, 9);
    // + 50 × $2 = $100 → $125
    expect(operationsUsdPerMonth(board, costs({ operations_per_unit_month: "$2" }))).toBeCloseTo(125, 9);
    expect(operationsUsdPerMonth(board, costs({ operations_owned: "$1000" }))).toBe(1000);
    // a rack draws more than a board and costs more to run
    expect(operationsUsdPerMonth(server, costs())).toBeGreaterThan(
      operationsUsdPerMonth({ ...board, units: 1 }, costs()),
    );
  });

  it("no lease is derived for a $70 board; one is for a server; a quoted lease always counts", () => {
    const board: Owned = {
      id: "b",
      units: 50,
      hosts: 50,
      price: { deviceUsd: 70, hostUsd: 0 },
      importShare: 0,
      idleW: 1,
      fullW: 5,
      edge: true,
    };
    expect(canLease(board)).toBe(false);
    expect(canLease(server)).toBe(true);
    expect(canLease({ ...board, leaseUsdPerMonth: 3 })).toBe(true);
    const chip = makeChip({ class: "npu", tdp_w: 5, idle_w: 1 });
    const o = makeOffering({
      id: "pi-hat",
      deployment: "edge",
      class: "edge-npu",
      capex_usd: 70,
      regions: undefined,
      provider: undefined,
      instance_type: undefined,
    });
    const w = makeWorkload({
      workload: { kind: "edge-inference", model: "mobilenet-v2" },
      slo: { throughput: "1/s" },
      volume: { sites: 50 },
    });
    const t = estimateTco([estimateOption(o, chip, w, builtinData().calibration)], w, w.costs);
    expect(t.options[0]!.ways.map((x) => x.way)).toEqual(["buy"]);
    expect(t.options[0]!.notes.join("\n")).toMatch(/no lease: the catalog quotes none for pi-hat/);
  });
});

describe("import costs", () => {
  it("apply to a USD catalog price, never to a local quote already landed", () => {
    const a = costs({ import_duty: "19%" });
    expect(importShareOf(makeOffering({ deployment: "on-prem", capex_usd: 1000 }), a)).toBe(0.19);
    expect(
      importShareOf(makeOffering({ deployment: "on-prem", capex_usd: 1000, currency: "COP", fx_per_usd: 4000 }), a),
    ).toBe(0);
  });
});

describe("billing as billed", () => {
  const aws = makeOffering({ provider: "AWS" });
  const lambda = makeOffering({ provider: "Lambda" });

  it("a 0.15 s nightly job pays start-up, model load and the provider's minimum, not 0.15 s", () => {
    const b = runBillingOf(aws, costs(), 25.6e6); // ResNet-50 at 1 byte/param: 0.0256 s to load at 1 GB/s
    // 0.15 + 120 + 0.0256 = 120.1756 s, per second → 121 s
    expect(billedHours(0.15 / 3600, b) * 3600).toBeCloseTo(121, 9);
    // without start-up: 0.1756 s → the 60 s minimum
    expect(billedHours(0.15 / 3600, runBillingOf(aws, costs({ startup: "0s" }), 25.6e6)) * 3600).toBeCloseTo(60, 9);
  });

  it("per-minute providers round up to the minute; the profile overrides the provider", () => {
    // Lambda: 61 s + 120 s start-up = 181 s → 4 minutes
    expect(billedHours(61 / 3600, runBillingOf(lambda, costs(), 0)) * 3600).toBeCloseTo(240, 9);
    // an hourly provider, as stated in costs:
    expect(
      billedHours(61 / 3600, runBillingOf(aws, costs({ billing_granularity: "1h", billing_minimum: "1h" }), 0)),
    ).toBeCloseTo(1, 9);
  });

  it("a nightly batch job on a cloud instance costs 30 runs × billed hours × price", () => {
    const chip = makeChip();
    const w = makeWorkload({
      workload: { kind: "batch-inference", model: "resnet50", precision: "int8" },
      volume: { items_per_run: 10, runs_per_month: 30 },
      costs: { startup: "0s", model_load_gb_per_s: 1000 },
    });
    const o = estimateOption(makeOffering({ provider: "AWS" }), chip, w, builtinData().calibration);
    // a few ms of work, billed the 60 s minimum: 30 × 60/3600 h × $1/h = $0.50 a month, $0.0167 a run
    expect(o.monthlyCostUsd).toBeCloseTo(0.5, 9);
    expect(o.totalCostUsd).toBeCloseTo(1 / 60, 9);
  });

  it("a batch profile with requests a day runs once a day over them (not an always-on service)", () => {
    const w = makeWorkload({
      workload: { kind: "batch-inference", model: "resnet50" },
      volume: { requests_per_day: "1M" },
    });
    expect(w.itemsPerRun).toBe(1e6);
    expect(w.runsPerMonthStated).toBeCloseTo(30.4375, 9);
    expect(w.needPerS).toBeUndefined();
  });

  it("a batch job with items per run and no runs a month is a one-off: one run's energy, as its cost is one run's", () => {
    const w = makeWorkload({
      workload: { kind: "batch-inference", model: "resnet50" },
      slo: { deadline: "72h" },
      volume: { items_per_run: "5M" },
    });
    expect(w.runsPerMonthStated).toBeUndefined();
    // Not 30 runs a month: a run given 72 hours cannot start every day, and nobody pays for the other 29.
    expect(w.runsPerMonth).toBe(1);
  });
});

describe("budgets on the whole cost", () => {
  it("a $500-per-run fine-tuning budget refuses a bought GB200 rack: owning it for the run costs its purchase less resale", () => {
    const b = builtinData();
    const w = makeWorkload({
      workload: { kind: "fine-tuning", model: "llama-3-8b", method: "lora", dataset: { tokens: "50M", epochs: 3 } },
      slo: { deadline: "48h" },
      constraints: { budget: { total: "$500" } },
    });
    const o = b.catalog.offerings.find((x) => x.id === "onprem-gb200-nvl72")!;
    const e = estimateOption(o, b.catalog.chips.get(o.chip)!, w, b.calibration);
    // at least 30% of the rack's price is lost by selling it after one run
    expect(e.totalCostUsd!).toBeGreaterThan(0.3 * e.capexUsd!);
    expect(judge(e, w).map((v) => v.rule)).toContain("budget_total");
    // the capex budget reads the purchase
    const wc = makeWorkload({
      workload: { kind: "fine-tuning", model: "llama-3-8b", method: "lora", dataset: { tokens: "50M", epochs: 3 } },
      constraints: { budget: { capex: "$100k" } },
    });
    expect(judge(estimateOption(o, b.catalog.chips.get(o.chip)!, wc, b.calibration), wc).map((v) => v.rule)).toContain(
      "budget_capex",
    );
  });

  it("with stated recurring runs the same rack pays only its share a run", () => {
    const b = builtinData();
    const base = {
      workload: {
        kind: "fine-tuning" as const,
        model: "llama-3-8b",
        method: "lora" as const,
        dataset: { tokens: "50M", epochs: 3 },
      },
    };
    const o = b.catalog.offerings.find((x) => x.id === "onprem-gb200-nvl72")!;
    const once = estimateOption(o, b.catalog.chips.get(o.chip)!, makeWorkload(base), b.calibration);
    const daily = estimateOption(
      o,
      b.catalog.chips.get(o.chip)!,
      makeWorkload({ ...base, volume: { runs_per_month: 30 } }),
      b.calibration,
    );
    expect(daily.totalCostUsd!).toBeLessThan(once.totalCostUsd! / 10);
    expect(daily.capexUsd).toBe(once.capexUsd);
    // and the monthly cost is 30 runs' shares
    expect(daily.monthlyCostUsd!).toBeCloseTo(daily.totalCostUsd! * 30, 6);
  });
});

describe("hours", () => {
  it("a month is 730.5 h", () => expect(HOURS_PER_MONTH).toBe((365.25 * 24) / 12));
});

describe("laws of the cost of ownership", () => {
  const owned = fc.record({
    units: fc.integer({ min: 1, max: 500 }),
    device: fc.double({ min: 10, max: 5e6, noNaN: true }),
    host: fc.double({ min: 0, max: 5e4, noNaN: true }),
    idleW: fc.double({ min: 0, max: 500, noNaN: true }),
    dynW: fc.double({ min: 0, max: 1e4, noNaN: true }),
    edge: fc.boolean(),
    importShare: fc.double({ min: 0, max: 0.6, noNaN: true }),
  });
  const toOwned = (x: {
    units: number;
    device: number;
    host: number;
    idleW: number;
    dynW: number;
    edge: boolean;
    importShare: number;
  }): Owned => ({
    id: "x",
    units: x.units,
    hosts: x.units,
    price: { deviceUsd: x.device, hostUsd: x.host },
    importShare: x.importShare,
    idleW: x.idleW,
    fullW: x.idleW + x.dynW,
    edge: x.edge,
  });

  it("every way is linear in utilisation (what makes the break-even exact)", () => {
    const a = costs({ financed: "50%" });
    fc.assert(
      fc.property(
        owned,
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 1, max: 120 }),
        fc.constantFrom("buy" as const, "lease" as const),
        (x, u, n, way) => {
          const o = toOwned(x);
          const t0 = ownedTotal(o, a, way, 0, n);
          const t1 = ownedTotal(o, a, way, 1, n);
          expect(ownedTotal(o, a, way, u, n)).toBeCloseTo(t0 + (t1 - t0) * u, 3);
        },
      ),
      { seed: 16, numRuns: 300 },
    );
  });

  it("a one-off run on bought hardware never costs less than the share resale cannot recover", () => {
    const a = costs();
    fc.assert(
      fc.property(owned, fc.double({ min: 0.01, max: 5000, noNaN: true }), (x, h) => {
        const o = toOwned(x);
        const t = tenureOf({ runHours: h }, 1, a);
        const hw = x.units * (x.device + x.host);
        expect(ownedTotal(o, a, "buy", t.util, t.months)).toBeGreaterThanOrEqual(
          hw * (1 - a.resaleCeiling) - 1e-6 * hw,
        );
      }),
      { seed: 16, numRuns: 300 },
    );
  });
});
