import { describe, expect, it } from "vitest";
import type { OptionEstimate } from "../src/estimate/option.js";
import type { Workload } from "../src/estimate/workload.js";
import {
  deadlineOnTime,
  failsPlacement,
  judge,
  RULES,
  tally,
  type RuleId,
  type Violation,
} from "../src/rules/index.js";
import { violationJson } from "../src/recommend.js";
import { makeChip, makeOffering, makeWorkload } from "./helpers/data.js";

/**
 * Each rule at its boundaries, on a hand-made estimate (no estimator in between): the exact message
 * with its units, measured and limit, the distance that orders infeasible options, and when the rule
 * applies. Written to kill the mutants of src/rules/index.ts that the scenario tests let live.
 */

const base = makeWorkload({ workload: { kind: "realtime-inference", model: "resnet50" } });
const llm = makeWorkload({ workload: { kind: "streaming", model: "llama-3-8b" } });

/** The workload with fields replaced (slo and budget merged). */
function wl(
  over: Partial<Omit<Workload, "slo" | "budget">> & {
    slo?: Partial<Workload["slo"]>;
    budget?: Partial<Workload["budget"]>;
  } = {},
  from: Workload = base,
): Workload {
  return {
    ...from,
    ...over,
    slo: { ...from.slo, ...over.slo },
    budget: { ...from.budget, ...over.budget },
  } as Workload;
}

const cloud = makeOffering();
const edge = makeOffering({
  id: "board",
  deployment: "edge",
  class: "edge-npu",
  regions: undefined,
  capex_usd: 500,
  count: 2,
});

/** A feasible-looking estimate; fields replaced as a test needs. */
function opt(over: Partial<OptionEstimate> = {}): OptionEstimate {
  return {
    offering: cloud,
    chip: makeChip(),
    countries: ["US"],
    units: 1,
    devices: 1,
    fits: true,
    perf: { capacityPerS: 100, batch: 1, replicas: 1 } as OptionEstimate["perf"],
    explain: () => [],
    ...over,
  } as OptionEstimate;
}

const rule = (id: RuleId) => RULES.find((r) => r.id === id)!;
const check = (id: RuleId, o: OptionEstimate, w: Workload) => rule(id).check(o, w);
const plain = (v: Violation | undefined) => (v === undefined ? undefined : JSON.parse(JSON.stringify(v)));

describe("numeric rules: the limit itself passes, just past it fails, with the distance |log10(measured/limit)|", () => {
  it("latency p99 (over) — messages in ms and s", () => {
    const w = wl({ slo: { latencyMs: 50 } });
    expect(check("latency_p99", opt({ latencyP99Ms: 50 }), w)).toBeUndefined();
    expect(check("latency_p99", opt({ latencyP99Ms: 50 * (1 + 1e-10) }), w)).toBeUndefined(); // within rounding
    expect(plain(check("latency_p99", opt({ latencyP99Ms: 500 }), w))).toEqual({
      rule: "latency_p99",
      message: "p99 500 ms > SLO 50.0 ms",
      measured: 500,
      limit: 50,
      distance: 1,
    });
    expect(check("latency_p99", opt({ latencyP99Ms: 2500 }), wl({ slo: { latencyMs: 1000 } }))!.message).toBe(
      "p99 2.5 s > SLO 1 s",
    ); // 1–10: two decimals, trailing zeros dropped
    expect(check("latency_p99", opt({ latencyP99Ms: undefined }), w)).toBeUndefined();
    expect(check("latency_p99", opt({ latencyP99Ms: 60 }), base)).toBeUndefined(); // no SLO
    expect([rule("latency_p99").appliesTo!(w), rule("latency_p99").appliesTo!(base)]).toEqual([true, false]);
  });
  it("tokens per second (under): the floor itself passes", () => {
    const w = wl({ slo: { tokensPerS: 20 } }, llm);
    expect(check("tokens_per_s", opt({ tokensPerS: 20 }), w)).toBeUndefined();
    expect(check("tokens_per_s", opt({ tokensPerS: 20 * (1 - 1e-10) }), w)).toBeUndefined();
    expect(plain(check("tokens_per_s", opt({ tokensPerS: 2 }), w))).toEqual({
      rule: "tokens_per_s",
      message: "2 tokens/s per stream < SLO 20.0",
      measured: 2,
      limit: 20,
      distance: 1,
    });
    expect(check("tokens_per_s", opt({ tokensPerS: undefined }), w)).toBeUndefined();
    expect([rule("tokens_per_s").appliesTo!(w), rule("tokens_per_s").appliesTo!(llm)]).toEqual([true, false]);
  });
  it("TTFT, deadline (hours and days), max devices, budgets", () => {
    expect(check("ttft", opt({ ttftMs: 0.5 }), wl({ slo: { ttftMs: 0.25 } }))!.message).toBe(
      "TTFT 0.50 ms > SLO 0.25 ms",
    );
    expect(check("deadline", opt({ timeToTrainH: 96 }), wl({ slo: { deadlineH: 12 } }))!.message).toBe(
      "takes 4 d > deadline 12.0 h",
    );
    expect(check("deadline", opt({ timeToTrainH: 12 }), wl({ slo: { deadlineH: 12 } }))).toBeUndefined();
    expect(check("max_devices", opt({ devices: 9 }), wl({ maxDevices: 8 }))!.message).toBe("needs 9 devices > max 8");
    expect(check("max_devices", opt({ devices: 8 }), wl({ maxDevices: 8 }))).toBeUndefined();
    expect(check("budget_monthly", opt({ monthlyCostUsd: 1234.5 }), wl({ budget: { monthlyUsd: 999 } }))!.message).toBe(
      "$1,235/month > budget $999.00",
    );
    expect(check("budget_capex", opt({ capexUsd: 0.5 }), wl({ budget: { capexUsd: 0.25 } }))!.message).toBe(
      "capex $0.50 > budget $0.25",
    );
    expect(check("budget_per_1m", opt({ costPer1mUsd: 3 }), wl({ budget: { per1mUsd: 1 } }))!.message).toBe(
      "$3.00 per 1M > budget $1.00",
    );
    expect(check("budget_total", opt({ totalCostUsd: 2000 }), wl({ budget: { totalUsd: 1000 } }))).toMatchObject({
      message: "run costs $2,000 > budget $1,000",
      distance: Math.log10(2),
    });
    for (const id of [
      "ttft",
      "deadline",
      "max_devices",
      "budget_monthly",
      "budget_capex",
      "budget_per_1m",
      "budget_total",
      "power_budget",
    ] as const)
      expect([id, rule(id).appliesTo!(base)]).toEqual([id, false]);
  });
  it("a zero or negative figure cannot be put on a log scale: distance 1", () => {
    expect(check("budget_monthly", opt({ monthlyCostUsd: 5 }), wl({ budget: { monthlyUsd: 0 } }))!.distance).toBe(1);
    expect(check("tokens_per_s", opt({ tokensPerS: 0 }), wl({ slo: { tokensPerS: 5 } }, llm))!.distance).toBe(1);
  });
  it("memory: sizes in GB, MB and kB; nothing to say when it fits or no estimate was made", () => {
    expect(plain(check("memory", opt({ fits: false, memoryNeededGb: 30, memoryAvailableGb: 18 }), base))).toEqual({
      rule: "memory",
      message: "needs 30.0 GB, has 18.0 GB",
      measured: 30,
      limit: 18,
      distance: Math.log10(30 / 18),
    });
    expect(check("memory", opt({ fits: false, memoryNeededGb: 0.011, memoryAvailableGb: 0.0005 }), base)!.message).toBe(
      "needs 11.0 MB, has 500 kB",
    );
    expect(check("memory", opt({ fits: true, memoryNeededGb: 30, memoryAvailableGb: 18 }), base)).toBeUndefined();
    expect(
      check("memory", opt({ fits: false, error: "x", memoryNeededGb: 30, memoryAvailableGb: 18 }), base),
    ).toBeUndefined();
    expect(check("memory", opt({ fits: false, memoryAvailableGb: 18 }), base)).toBeUndefined();
    expect(check("memory", opt({ fits: false, memoryNeededGb: 30 }), base)).toBeUndefined();
  });
  it("power: per unit at the edge, the whole deployment elsewhere", () => {
    const w = wl({ powerBudgetW: 100 });
    expect(check("power_budget", opt({ offering: edge, unitPowerW: 150, powerW: 50 }), w)!.message).toBe(
      "draws 150 W at full load > budget 100 W",
    );
    expect(check("power_budget", opt({ offering: edge, unitPowerW: 50, powerW: 500 }), w)).toBeUndefined();
    expect(check("power_budget", opt({ unitPowerW: 50, powerW: 1500 }), w)!.message).toBe(
      "deployment draws 1,500 W at the stated load > budget 100 W",
    );
    expect(check("power_budget", opt({ unitPowerW: 500, powerW: 50 }), w)).toBeUndefined();
  });
  it("max devices: per site at the edge (units × devices per unit), the whole deployment elsewhere", () => {
    const w = wl({ maxDevices: 4 });
    expect(check("max_devices", opt({ offering: edge, units: 3, devices: 3000 }), w)!.message).toBe(
      "needs 6 devices > max 4",
    ); // 3 units × 2 per board
    expect(check("max_devices", opt({ offering: edge, units: 2, devices: 3000 }), w)).toBeUndefined();
    expect(check("max_devices", opt({ units: 1, devices: 5 }), w)!.message).toBe("needs 5 devices > max 4");
  });
  it("deadline of a batch run: items / throughput, in hours", () => {
    const w = wl({ kind: "batch-inference", itemsPerRun: 3_600_000, slo: { deadlineH: 0.5 } });
    // 3.6M items at 1,000/s = 3,600 s = 1 h > 0.5 h
    expect(plain(check("deadline", opt({ throughputPerS: 1000 }), w))).toMatchObject({
      measured: 1,
      limit: 0.5,
      message: "takes 1 h > deadline 0.50 h",
    });
    expect(check("deadline", opt({ throughputPerS: 2000 }), w)).toBeUndefined(); // exactly 0.5 h
    expect(check("deadline", opt({ throughputPerS: 0 }), w)).toBeUndefined(); // no rate: the throughput rule speaks
    expect(
      check("deadline", opt({ throughputPerS: 1000 }), wl({ itemsPerRun: 3_600_000, slo: { deadlineH: 0.5 } })),
    ).toBeUndefined(); // not a batch run
  });
});

describe("throughput", () => {
  it("need × sites for options that serve every site; per site at the edge", () => {
    const w = wl({ needPerS: 100, sites: 3 });
    expect(plain(check("throughput", opt({ throughputPerS: 250 }), w))).toEqual({
      rule: "throughput",
      message: "1 unit(s) sustain 250/s < need 300/s",
      measured: 250,
      limit: 300,
      distance: Math.log10(300 / 250),
    });
    expect(check("throughput", opt({ throughputPerS: 300 }), w)).toBeUndefined();
    expect(check("throughput", opt({ offering: edge, throughputPerS: 100 }), w)).toBeUndefined();
    expect(check("throughput", opt({ offering: edge, throughputPerS: 99, units: 4 }), w)!.message).toBe(
      "4 unit(s) sustain 99.0/s < need 100/s",
    );
  });
  it("the chance a run makes its deadline, were the estimate off as estimates of its kind are", () => {
    const at = (hours: number, errorPct?: number) =>
      deadlineOnTime(
        opt({
          timeToTrainH: hours,
          ...(errorPct !== undefined ? { confidence: { median_pct: errorPct } as OptionEstimate["confidence"] } : {}),
        }),
        wl({ kind: "training", slo: { deadlineH: 6 } }),
      );
    // 94% of a 6-hour window at ±27% typical error: σ = ln 1.27 / 0.674 = 0.354, Φ(ln(1/0.94) / σ) = Φ(0.175).
    expect(at(0.94 * 6, 27)).toBeCloseTo(0.569, 2);
    expect(at(3, 27)).toBeCloseTo(0.975, 2);
    // Exactly the provisioning target (deadline / e^(1.2816 σ)) makes it nine times in ten.
    expect(at(6 / Math.exp(1.2816 * (Math.log(1.27) / 0.6745)), 27)).toBeCloseTo(0.9, 3);
    expect(at(6.5, 27)).toBe(0);
    expect(at(5.9)).toBe(1);
    expect(deadlineOnTime(opt({ timeToTrainH: 5 }), wl({ kind: "training" }))).toBe(1);
  });
  it("no capacity at the latency SLO: an error only when a rate or concurrency is asked", () => {
    const none = opt({ perf: { capacityPerS: 0, batch: 1, replicas: 1 } as OptionEstimate["perf"] });
    expect(check("throughput", none, base)).toBeUndefined();
    expect(plain(check("throughput", none, wl({ needPerS: 10 })))).toEqual({
      rule: "throughput",
      message: "cannot meet the latency SLOs at any load",
      measured: 0,
      limit: 10,
      distance: 2,
    });
    expect(check("throughput", none, wl({ slo: { concurrency: 7 } }))).toMatchObject({
      limit: 7,
      distance: 2,
      ref: { field: "slo.concurrency", unit: "streams" },
    });
    // Its unloaded figures pass (TTFT 900 ms against 1 s) and only a queue breaks them: a near miss, log10 2.
    const near = opt({ perf: none.perf, ttftMs: 900 });
    expect(check("throughput", near, wl({ needPerS: 10, slo: { ttftMs: 1000 } }))).toMatchObject({
      distance: Math.log10(2),
      message:
        "meets TTFT 1 s unloaded but at no load it can carry: queued prompts, and other requests' prompts pausing streams, break it",
    });
    expect(check("throughput", none, wl({ needPerS: 10, slo: { ttftMs: 1000 } }))).toMatchObject({ distance: 2 });
    expect(check("throughput", opt({ fits: false, perf: none.perf }), wl({ needPerS: 10 }))).toBeUndefined();
    expect(check("throughput", opt({ perf: undefined }), wl({ needPerS: 10 }))).toBeUndefined();
  });
  it("LLM concurrency: units × batch × replicas streams", () => {
    const w = wl({ slo: { concurrency: 64 } }, llm);
    const streams = (units: number, batch: number, replicas: number) =>
      opt({ units, perf: { capacityPerS: 10, batch, replicas } as OptionEstimate["perf"] });
    expect(plain(check("throughput", streams(2, 8, 2), w))).toEqual({
      rule: "throughput",
      message: "2 unit(s) serve 32.0 streams < concurrency 64.0",
      measured: 32,
      limit: 64,
      distance: Math.log10(2),
      ref: { field: "slo.concurrency", unit: "streams" },
    });
    // The JSON names the field to relax and the unit of its figures: streams, not requests a second.
    expect(violationJson(check("throughput", streams(2, 8, 2), w)!)).toMatchObject({
      field: "slo.concurrency",
      unit: "streams",
    });
    expect(check("throughput", streams(2, 16, 2), w)).toBeUndefined(); // exactly 64
    expect(check("throughput", streams(1, 1, 1), wl({ slo: { concurrency: 64 } }))).toBeUndefined(); // not an LLM
  });
});

describe("placement rules", () => {
  it("data residency: listed country, the wildcard, or a violation naming both lists", () => {
    const w = wl({ dataResidency: ["CO", "BR"] });
    expect(check("data_residency", opt({ countries: ["BR"] }), w)).toBeUndefined();
    expect(check("data_residency", opt({ countries: ["US", "CO"] }), w)).toBeUndefined();
    expect(check("data_residency", opt({ countries: ["*"] }), w)).toBeUndefined();
    expect(plain(check("data_residency", opt({ countries: ["US", "MX"] }), w))).toEqual({
      rule: "data_residency",
      message: "runs in US, MX; data must stay in CO, BR",
      measured: "US,MX",
      limit: "CO,BR",
      distance: 1,
    });
    expect(check("data_residency", opt({ countries: [] }), w)!.message).toBe(
      "runs in no listed region; data must stay in CO, BR",
    );
    expect(check("data_residency", opt({ countries: ["US"] }), base)).toBeUndefined();
    expect([rule("data_residency").appliesTo!(w), rule("data_residency").appliesTo!(base)]).toEqual([true, false]);
  });
  it("data residency judges the region the option is priced in, not every region its offering has", () => {
    const at = (region: string, country: string) => ({
      region,
      country,
      usd_per_hour: 1,
      source: "https://example.com",
      as_of: "2026-01-01",
    });
    const usEast = at("us-east-1", "US");
    const saoPaulo = at("sa-east-1", "BR");
    const both = makeOffering({ regions: [usEast, saoPaulo] });
    const w = wl({ dataResidency: ["BR"] });
    // The offering could run in Brazil, but this option was priced in Virginia: the data would leave Brazil.
    expect(plain(check("data_residency", opt({ offering: both, countries: ["BR", "US"], region: usEast }), w))).toEqual(
      {
        rule: "data_residency",
        message: "runs in us-east-1 (US); data must stay in BR",
        measured: "US",
        limit: "BR",
        distance: 1,
      },
    );
    expect(
      check("data_residency", opt({ offering: both, countries: ["BR", "US"], region: saoPaulo }), w),
    ).toBeUndefined();
    // The pre-screen has no region yet: the offering's countries are a necessary condition only.
    expect(failsPlacement({ offering: both, chip: makeChip(), countries: ["BR", "US"] }, w)).toBe(false);
    expect(failsPlacement({ offering: both, chip: makeChip(), countries: ["BR", "US"], region: usEast }, w)).toBe(true);
  });
  it("deployment and runtimes name what the option has and what is allowed", () => {
    expect(plain(check("deployment", opt(), wl({ deployments: ["edge", "on-prem"] })))).toEqual({
      rule: "deployment",
      message: "cloud not allowed (allowed: edge, on-prem)",
      measured: "cloud",
      limit: "edge,on-prem",
      distance: 1,
    });
    expect(check("deployment", opt(), wl({ deployments: ["on-prem", "cloud"] }))).toBeUndefined();
    const many = makeChip({ runtimes: ["onnx", "tflite", "openvino", "pytorch", "tvm"] as never });
    expect(check("runtimes", opt({ chip: many }), wl({ runtimes: ["tensorrt", "rocm"] }))!.message).toBe(
      "no tensorrt/rocm runtime (has onnx, tflite, openvino, pytorch, …)",
    );
    expect(check("runtimes", opt(), wl({ runtimes: ["tensorrt"] }))!.message).toBe("no tensorrt runtime (has onnx)");
    expect(check("runtimes", opt({ chip: many }), wl({ runtimes: ["tensorrt", "tvm"] }))).toBeUndefined();
    expect(check("runtimes", opt(), base)).toBeUndefined();
    expect([rule("runtimes").appliesTo!(wl({ runtimes: ["onnx"] })), rule("runtimes").appliesTo!(base)]).toEqual([
      true,
      false,
    ]);
  });
  it("connectivity: offline excludes the cloud; an intermittent link excludes it for real-time kinds only", () => {
    const on = opt();
    expect(check("connectivity", on, wl({ connectivity: "offline", kind: "batch-inference" }))).toMatchObject({
      message: "offline site: cloud not reachable",
      measured: "cloud",
      limit: "offline",
      distance: 1,
    });
    for (const kind of ["realtime-inference", "streaming", "edge-inference"] as const)
      expect(check("connectivity", on, wl({ connectivity: "intermittent", kind }))).toMatchObject({
        message: "intermittent link: cloud not reachable for every request",
        limit: "intermittent",
      });
    for (const kind of ["batch-inference", "training", "fine-tuning"] as const)
      expect(check("connectivity", on, wl({ connectivity: "intermittent", kind }))).toBeUndefined();
    expect(check("connectivity", opt({ offering: edge }), wl({ connectivity: "offline" }))).toBeUndefined();
    expect(check("connectivity", on, wl({ connectivity: "online" }))).toBeUndefined();
    expect([
      rule("connectivity").appliesTo!(wl({ connectivity: "intermittent" })),
      rule("connectivity").appliesTo!(base),
    ]).toEqual([true, false]);
  });
  it("training needs a part that can train: NPUs and MCUs cannot unless the catalog says so", () => {
    const t = wl({ kind: "training" });
    const ft = wl({ kind: "fine-tuning" });
    expect(check("training", opt({ chip: makeChip({ class: "npu", name: "N1", id: "n1" }) }), t)).toEqual({
      rule: "training",
      message: "N1 is inference-only",
      measured: "n1",
      limit: "can train",
      distance: 1,
    });
    expect(check("training", opt({ chip: makeChip({ class: "mcu" }) }), ft)).toMatchObject({ rule: "training" });
    expect(
      check("training", opt({ chip: makeChip({ class: "npu", inference_only: false } as never) }), t),
    ).toBeUndefined();
    expect(
      check("training", opt({ chip: makeChip({ class: "gpu", inference_only: true } as never) }), t),
    ).toMatchObject({ rule: "training" });
    expect(check("training", opt({ chip: makeChip({ class: "gpu" }) }), ft)).toBeUndefined();
    expect(check("training", opt({ chip: makeChip({ class: "npu" }) }), base)).toBeUndefined();
    expect([
      rule("training").appliesTo!(t),
      rule("training").appliesTo!(ft),
      rule("training").appliesTo!(base),
    ]).toEqual([true, true, false]);
  });
  it("precision and estimate errors: a precision error is reported once, as precision", () => {
    expect(check("precision", opt({ precisionError: "no fp8", error: "no fp8" }), base)).toEqual({
      rule: "precision",
      message: "no fp8",
      distance: 1,
    });
    expect(check("estimate", opt({ precisionError: "no fp8", error: "no fp8" }), base)).toBeUndefined();
    expect(check("estimate", opt({ error: "no volume" }), base)).toEqual({
      rule: "estimate",
      message: "no volume",
      distance: 1,
    });
    expect(check("precision", opt({ error: "no volume" }), base)).toBeUndefined();
  });
});

describe("message figures at the unit boundaries (the survivors of the first mutation run)", () => {
  const p99 = (m: number, l: number) =>
    check("latency_p99", opt({ latencyP99Ms: m }), wl({ slo: { latencyMs: l } }))!.message;
  it("numbers: grouped from 1,000, no decimals from 100, one from 10, two (trailing zeros dropped) from 1, two significant below", () => {
    expect(p99(1000, 999)).toBe("p99 1 s > SLO 999 ms");
    expect(check("budget_monthly", opt({ monthlyCostUsd: 2000 }), wl({ budget: { monthlyUsd: 1000 } }))!.message).toBe(
      "$2,000/month > budget $1,000",
    );
    expect(check("power_budget", opt({ powerW: 1000, unitPowerW: 1 }), wl({ powerBudgetW: 10 }))!.message).toBe(
      "deployment draws 1,000 W at the stated load > budget 10.0 W",
    );
    expect(p99(1.05, 1)).toBe("p99 1.05 ms > SLO 1 ms"); // only trailing zeros go: 1.05 keeps its 0
    expect(p99(0.0123, 0.001)).toBe("p99 0.012 ms > SLO 0.0010 ms");
  });
  it("GB from 1 GB, MB from 1 MB; dollars with cents from $1, two significant figures below; days from 48 h", () => {
    expect(check("memory", opt({ fits: false, memoryNeededGb: 2, memoryAvailableGb: 1 }), base)!.message).toBe(
      "needs 2 GB, has 1 GB",
    );
    expect(check("memory", opt({ fits: false, memoryNeededGb: 0.5, memoryAvailableGb: 0.001 }), base)!.message).toBe(
      "needs 500 MB, has 1 MB",
    );
    expect(check("budget_per_1m", opt({ costPer1mUsd: 0.0123 }), wl({ budget: { per1mUsd: 0.001 } }))!.message).toBe(
      "$0.012 per 1M > budget $0.0010",
    );
    expect(check("deadline", opt({ timeToTrainH: 48 }), wl({ slo: { deadlineH: 47 } }))!.message).toBe(
      "takes 2 d > deadline 47.0 h",
    );
  });
  it("runtimes: four listed in full, the fifth elided", () => {
    const four = makeChip({ runtimes: ["onnx", "tflite", "openvino", "pytorch"] as never });
    expect(check("runtimes", opt({ chip: four }), wl({ runtimes: ["tensorrt"] }))!.message).toBe(
      "no tensorrt runtime (has onnx, tflite, openvino, pytorch)",
    );
  });
  it("every field of the categorical and TTFT / total-budget violations, and when they apply", () => {
    expect(check("connectivity", opt(), wl({ connectivity: "intermittent" }))).toEqual({
      rule: "connectivity",
      message: "intermittent link: cloud not reachable for every request",
      measured: "cloud",
      limit: "intermittent",
      distance: 1,
    });
    expect(plain(check("ttft", opt({ ttftMs: 400 }), wl({ slo: { ttftMs: 200 } })))).toEqual({
      rule: "ttft",
      message: "TTFT 400 ms > SLO 200 ms",
      measured: 400,
      limit: 200,
      distance: Math.log10(2),
    });
    expect(plain(check("budget_total", opt({ totalCostUsd: 20 }), wl({ budget: { totalUsd: 10 } })))).toMatchObject({
      rule: "budget_total",
      measured: 20,
      limit: 10,
    });
    expect([
      rule("ttft").appliesTo!(wl({ slo: { ttftMs: 1 } })),
      rule("budget_total").appliesTo!(wl({ budget: { totalUsd: 1 } })),
    ]).toEqual([true, true]);
  });
  it("each placement rule alone makes failsPlacement true", () => {
    const cases: [RuleId, OptionEstimate, Workload][] = [
      ["deployment", opt(), wl({ deployments: ["edge"] })],
      ["connectivity", opt(), wl({ connectivity: "offline" })],
      ["data_residency", opt({ countries: ["US"] }), wl({ dataResidency: ["CO"] })],
      ["runtimes", opt(), wl({ runtimes: ["tensorrt"] })],
      ["training", opt({ chip: makeChip({ class: "npu" }) }), wl({ kind: "training" })],
    ];
    for (const [id, o, w] of cases) {
      expect(judge(o, w).map((v) => v.rule)).toEqual([id]);
      expect([id, failsPlacement(o, w)]).toEqual([id, true]);
      expect(rule(id).placement).toBe(true);
    }
  });
});

describe("judge, tally and failsPlacement agree", () => {
  it("every broken rule in RULES order; the count and summed distance; placement only for placement rules", () => {
    const w = wl({ deployments: ["edge"], dataResidency: ["CO"], slo: { latencyMs: 10 }, budget: { monthlyUsd: 10 } });
    const o = opt({ latencyP99Ms: 100, monthlyCostUsd: 1000 });
    expect(judge(o, w).map((v) => v.rule)).toEqual(["deployment", "data_residency", "latency_p99", "budget_monthly"]);
    expect(tally(o, w, { broken: -1, distance: -1 })).toEqual({ broken: 4, distance: 1 + 1 + 1 + 2 });
    expect(failsPlacement(o, w)).toBe(true);
    const estimateOnly = wl({ slo: { latencyMs: 10 } });
    expect(failsPlacement(o, estimateOnly)).toBe(false);
    expect(judge(o, estimateOnly).map((v) => v.rule)).toEqual(["latency_p99"]);
    expect(judge(opt(), base)).toHaveLength(0);
    expect(Object.isFrozen(judge(opt(), base))).toBe(true);
    expect(tally(opt(), base, { broken: -1, distance: -1 })).toEqual({ broken: 0, distance: 0 });
  });
});
