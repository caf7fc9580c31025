import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { estimateInference } from "../src/estimate/perf.js";
import { capChip, capEffect, candidateCaps, GEMM_W_PER_TFLOPS, gemmClock } from "../src/energy/power-cap.js";
import { estimateOption } from "../src/estimate/option.js";
import { builtinData, makeChip, makeOffering, makeWorkload } from "./helpers/data.js";
import { ROOT } from "./helpers/cli.js";

/** Minimal CSV rows (quoted fields with commas). */
function csv(text: string): Record<string, string>[] {
  const lines = text.trim().split("\n");
  const split = (l: string) =>
    [...l.matchAll(/("([^"]|"")*"|[^,]*)(,|$)/g)]
      .map((m) => m[1]!.replace(/^"|"$/g, "").replace(/""/g, '"'))
      .slice(0, -1);
  const head = split(lines[0]!);
  return lines.slice(1).map((l) => Object.fromEntries(split(l).map((v, i) => [head[i], v])));
}

describe("power caps (clock ∝ ((cap − idle)/(TDP − idle))^1/3)", () => {
  it("H200 at 350 W keeps ((350 − 70)/(700 − 70))^1/3 = 0.763 of its compute; bandwidth is kept", () => {
    const h200 = builtinData().catalog.chips.get("nvidia-h200-sxm")!;
    const e = capEffect(h200, 350)!;
    expect(e.compute).toBeCloseTo(Math.cbrt(280 / 630), 9);
    expect(e.compute).toBeCloseTo(0.763, 3);
    expect(e.memoryBwGbps).toBe(h200.memory_bw_gbps);
    expect(e.tdpW).toBe(350);
    expect(capEffect(h200, 700)).toBeUndefined(); // at TDP a cap does not bind
  });

  // Every MaxQ throughput row whose MaxP twin (same system without _MaxQ, same benchmark and scenario)
  // is in the calibration data: the estimator's capped/uncapped ratio is within 15% of the measured one.
  it("predicts each MLPerf MaxQ result from its MaxP twin within 15%", () => {
    const rows = csv(readFileSync(join(ROOT, "data/mlperf/mlperf_calibration.csv"), "utf8"));
    const limits = csv(readFileSync(join(ROOT, "data/mlperf/maxq_power_limits.csv"), "utf8"));
    const tag = (r: Record<string, string>) => /\[([^\]]+)\]/.exec(r.system_name!)?.[1] ?? "";
    const throughput = (r: Record<string, string>) => /throughput/.test(r.metric!);
    const maxq = rows.filter((r) => /MaxQ/.test(tag(r)) && throughput(r));
    expect(maxq.length).toBeGreaterThanOrEqual(2);
    let checked = 0;
    for (const q of maxq) {
      const twin = rows.find(
        (r) =>
          tag(r) === tag(q).replace(/_MaxQ$/, "") &&
          r.benchmark === q.benchmark &&
          r.scenario === q.scenario &&
          r.metric === q.metric,
      );
      if (!twin) continue;
      const limit = limits.find((l) => l.system_tag === tag(q));
      expect(limit, `power limit of ${tag(q)} in data/mlperf/maxq_power_limits.csv`).toBeDefined();
      const chip = builtinData().catalog.chips.get(limit!.catalog_chip!)!;
      const model = q.benchmark === "resnet50" ? "resnet50" : q.benchmark!;
      const w = makeWorkload({ workload: { kind: "batch-inference", model, precision: "int8" } });
      const count = Number(q.accelerator_count);
      const full = estimateInference(chip, count, w, builtinData().calibration);
      const capped = estimateInference(
        capChip(chip, capEffect(chip, Number(limit!.power_limit_w))!),
        count,
        w,
        builtinData().calibration,
      );
      if ("error" in full || "error" in capped) throw new Error("no estimate");
      const predicted = capped.maxThroughputPerS / full.maxThroughputPerS;
      const measured = Number(q.value) / Number(twin.value);
      // ResNet-50 Offline: 556,234 / 756,960 = 0.735; Server: 480,131 / 632,229 = 0.759.
      expect(
        Math.abs(predicted / measured - 1),
        `${tag(q)} ${q.benchmark} ${q.scenario}: predicted ${predicted.toFixed(3)}, measured ${measured.toFixed(3)}`,
      ).toBeLessThan(0.15);
      checked++;
    }
    expect(checked).toBeGreaterThanOrEqual(2);
  });

  it("published power modes win over the law: Jetson Orin Nano at 15 W runs 612 MHz of 1,020 on 68 GB/s", () => {
    const nano = builtinData().catalog.chips.get("nvidia-jetson-orin-nano-8gb-super")!;
    const e15 = capEffect(nano, 15)!;
    expect(e15.compute).toBeCloseTo(0.6, 9);
    expect(e15.memoryBwGbps).toBe(68);
    expect(capEffect(nano, 10)!.compute).toBeCloseTo(0.2, 9); // between 7 and 15 W: the 7 W mode
    const below = capEffect(nano, 5)!; // below every mode: the lowest mode, drawing more than the cap
    expect(below.tdpW).toBe(7);
    expect(candidateCaps(nano)).toEqual([15, 7]);
  });

  it("a tighter cap never raises power nor throughput (property)", () => {
    const w = makeWorkload({
      workload: {
        kind: "realtime-inference",
        model: { params: "10M", flops_per_sample: "10G", family: "cnn", layers: 1 },
        precision: "int8",
      },
      slo: { throughput: "50/s" },
    });
    const cal = builtinData().calibration;
    fc.assert(
      fc.property(
        fc.integer({ min: 40, max: 2000 }),
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: 1, max: 99 }),
        fc.integer({ min: 1, max: 99 }),
        (tdp, idlePct, a, b) => {
          const chip = makeChip({ tdp_w: tdp, idle_w: (tdp * idlePct) / 100 });
          const [lo, hi] = [Math.min(a, b), Math.max(a, b)].map((p) => (tdp * p) / 100) as [number, number];
          const at = (cap: number) => {
            const e = capEffect(chip, cap);
            const c = e ? capChip(chip, e) : chip;
            return estimateOption(
              makeOffering({ deployment: "on-prem", class: "onprem-gpu", regions: undefined, capex_usd: 1000 }),
              c,
              w,
              cal,
            );
          };
          const x = at(lo);
          const y = at(hi);
          expect(x.unitPowerW!).toBeLessThanOrEqual(y.unitPowerW! + 1e-9);
          expect(x.perf!.capacityPerS).toBeLessThanOrEqual(y.perf!.capacityPerS * (1 + 1e-9));
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe("the clock a GPU sustains through a prompt's matrix products (gemmClock)", () => {
  const chips = builtinData().measuredCatalog.chips;
  it("an H200 keeps the 0.79 of its sheet a bf16 matrix product reaches; parts with power to spare keep 1", () => {
    // (700 − 70) / (1.3 × 989) = 0.490 → ^1/3 = 0.788: the share achievable_fractions.md measures (0.78–0.81).
    expect(GEMM_W_PER_TFLOPS).toBe(1.3);
    expect(gemmClock(chips.get("nvidia-h200-sxm")!)).toBeCloseTo(0.788, 3);
    // 350 W for 756 TFLOP/s: the PCIe H100 is held lower than the SXM part.
    expect(gemmClock(chips.get("nvidia-h100-pcie")!)).toBeLessThan(gemmClock(chips.get("nvidia-h100-sxm")!));
    // 450 W (40 idle) for 165 fp32-accumulate TFLOP/s keeps its clock; twice the rate (llama.cpp's fp16
    // accumulation) draws twice the power: (450 − 40) / (1.3 × 330.4) = 0.955 → ^1/3 = 0.985.
    const rtx = chips.get("nvidia-rtx-4090")!;
    expect(gemmClock(rtx)).toBe(1);
    expect(gemmClock(rtx, 2)).toBeCloseTo(0.985, 3);
    // Not a GPU: the power per FLOP measured on one does not carry over.
    expect(gemmClock(chips.get("google-tpu-v6e")!)).toBe(1);
  });
  it("a vendor power mode never raises the clock past the mode's own share of the peaks", () => {
    // Jetson AGX Orin's 15 W mode keeps 0.12 of its peaks (nvpmodel); the cube law alone would allow 4.8×.
    const orin = chips.get("nvidia-jetson-agx-orin-64gb")!;
    const modes = (orin.power_modes ?? []).filter((m) => m.w < orin.tdp_w);
    expect(modes.length).toBeGreaterThanOrEqual(2);
    for (const m of modes) expect(gemmClock(capChip(orin, capEffect(orin, m.w)!))).toBeLessThanOrEqual(1);
  });
  it("a capped chip is not held twice: cap × its clock is the uncapped chip's law at the cap", () => {
    // ((cap − 70) / (1.3 × 989))^1/3: 600 W 0.744, 450 W 0.666, 300 W 0.563.
    const h200 = chips.get("nvidia-h200-sxm")!;
    for (const [cap, law] of [
      [600, 0.744],
      [450, 0.666],
      [300, 0.563],
    ] as const) {
      const e = capEffect(h200, cap)!;
      expect(e.compute * gemmClock(capChip(h200, e))).toBeCloseTo(law, 3);
    }
  });
});
