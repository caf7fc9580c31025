import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { beyondCeiling, ceilingOf, excludeBeyondCeiling, IDEAL } from "../src/calibrate/ceiling.js";
import {
  crossValidate,
  evaluate,
  fitAll,
  predict,
  predictedOf,
  summarize,
  type Context,
  type RowError,
} from "../src/calibrate/fit.js";
import { parseHoldout } from "../src/calibrate/holdout.js";
import {
  additiveCvMedian,
  fitAdditive,
  repeatSpread,
  speedResidual,
  withinGroupMedian,
} from "../src/calibrate/floor.js";
import {
  parseCsv,
  parseMlperfCsv,
  precisionOf,
  smallerIsFaster,
  type Measurement,
} from "../src/calibrate/measurements.js";
import { PRIORS } from "../src/calibrate/priors.js";
import { parseCatalogFile } from "../src/catalog/parse.js";
import { mergeOrThrow } from "../src/cli/builtin.js";
import { resolveModel, type ResolvedModel } from "../src/estimate/workload.js";
import type { Calibration } from "../src/estimate/perf.js";
import { SCALAR_FACTORS } from "../src/estimate/calibration.js";
import { builtinData } from "./helpers/data.js";
import { hw, ROOT } from "./helpers/cli.js";
import { hwInProcess } from "./helpers/run.js";

const CSV = join(ROOT, "data", "mlperf", "mlperf_calibration.csv");

function context(): Context {
  const { measuredCatalog: catalog, models: presets } = builtinData();
  const models = new Map<string, ResolvedModel>();
  for (const id of presets.keys()) models.set(id, resolveModel(id, presets));
  return { catalog, models };
}

/**
 * Seeded random class factors within the fit's bounds: efficiencies in (0, 1], overheads and cycles ≥ 0,
 * activation passes ≥ 2, for laws that must hold for every calibration the fit could write.
 */
function randomFactors(seed: number) {
  const rnd = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
  const eff = () => 0.02 + 0.98 * rnd();
  const classes = () =>
    Object.fromEntries(
      Object.keys(IDEAL.classes).map((c) => [
        c,
        {
          compute: { default: eff(), cnn: eff(), encoder: eff(), diffusion: eff(), tiny: eff() },
          mem: eff(),
          act_dram: rnd(),
          overhead_ms: rnd() * 2,
          per_layer_us: rnd() * 50,
          elem_cycles: rnd() * 40,
          prefill: eff(),
          decode_mem: eff(),
          decode_compute: eff(),
          step_overhead_ms: rnd() * 10,
          kernel_us: rnd() * 10,
          mfu: eff() * 0.6,
          mfu_family: { llm: eff() * 0.6 },
          train_act_passes: 2 + rnd() * 20,
        },
      ]),
    );
  return { rnd, classes };
}

describe("published measurements", () => {
  const parsed = parseMlperfCsv(readFileSync(CSV, "utf8"));
  const { skipped } = parsed;
  const ctx = context();
  // What `npm run calibrate` and `npm run accuracy` fit and score.
  const rows = excludeBeyondCeiling(parsed.rows, ctx);

  it("no calibration predicts faster than the spec-sheet ceiling (every efficiency at 1, no fixed costs)", () => {
    // Random calibrations within the fit's bounds: efficiencies in (0, 1], overheads ≥ 0, passes ≥ 2.
    const random = randomFactors(7);
    for (let k = 0; k < 12; k++) {
      const classes = random.classes();
      const cal = { version: 1, classes } as unknown as Calibration;
      for (const r of parsed.rows) {
        const chip = ctx.catalog.chips.get(r.chip)!;
        const p = predict(r, chip, ctx.models.get(r.model)!, cal);
        const c = ceilingOf(r, ctx);
        if (p === undefined || c === undefined) continue;
        const faster = smallerIsFaster(r.unit) ? p < c * (1 - 1e-9) : p > c * (1 + 1e-9);
        expect(faster, `${r.id} ${r.group} ${r.scenario}: ${p} vs ceiling ${c}`).toBe(false);
      }
    }
  });

  it("every published result is within its chip's spec-sheet ceiling, except one whose metadata cannot be what ran", () => {
    // A catalog peak or bandwidth set too low shows up here as a published result beyond it.
    const beyond = beyondCeiling(
      parsed.rows.filter((r) => !r.excluded),
      ctx,
    );
    // Jetson AGX Orin GPT-J SingleStream (v4.1): 4.18 s at p90 with fp16 weights would need more than the
    // module's 204.8 GB/s for 69 decode steps of 12 GB; the run must have used narrower weights.
    expect(beyond.map((b) => `${b.row.chip} ${b.row.model} ${b.row.scenario}`)).toEqual([
      "nvidia-jetson-agx-orin-64gb gpt-j-6b singlestream",
    ]);
    expect(rows.find((r) => r.id === beyond[0]!.row.id)!.excluded).toMatch(/^measured 4\.18e\+3 ms|^measured 4180 ms/);
  });

  it("maps every expressible row to a catalog chip and a model preset, and says why the rest are left out", () => {
    expect(rows.length).toBeGreaterThan(140);
    for (const r of rows) {
      expect(ctx.catalog.chips.has(r.chip), r.chip).toBe(true);
      expect(ctx.models.has(r.model), r.model).toBe(true);
      expect(r.value).toBeGreaterThan(0);
    }
    for (const s of skipped) expect(s.reason.length).toBeGreaterThan(10);
    expect(skipped.some((s) => s.reason.startsWith("training"))).toBe(true);
  });

  it("a chip nobody sells any more still calibrates the model, and is never offered", () => {
    // Disable a chip with MLPerf rows through an overlay: recommend's catalog drops the chip and its
    // offerings, while calibration and validation keep the chip so its published results still count.
    const chip = rows[0]!.chip;
    const overlay = parseCatalogFile({ file: "off.yaml", text: `disable: [${chip}]\n` });
    if (!overlay.ok) throw new Error("overlay");
    const files = [...builtinData().files, overlay.value];
    const sold = mergeOrThrow(files);
    const measured = mergeOrThrow(files, { keepDisabledChips: true });
    expect(sold.chips.has(chip)).toBe(false);
    expect(measured.chips.has(chip)).toBe(true);
    expect(measured.offerings.some((o) => o.chip === chip)).toBe(false);
    expect(measured.offerings.length).toBe(sold.offerings.length);
  });

  it("reads the precision a submission ran at", () => {
    expect(precisionOf("weight_data_types=int8 (submission metadata)")).toBe("int8");
    expect(precisionOf("weight_data_types={'clip1': 'fp16', 'unet': 'fp8', 'vae': 'int8'} (submission metadata)")).toBe(
      "fp8",
    );
    // NVIDIA's note overrides fp16 metadata for LLMs; "FP4" in the note is not the weight type
    expect(
      precisionOf(
        "weight_data_types=fp16 (submission metadata); NVIDIA closed/NVIDIA/documentation/calibration.md (v4.1): LLM submissions use FP8 or FP4 where the accelerator supports it",
      ),
    ).toBe("fp8");
    expect(precisionOf("weight_data_types=fp4 (submission metadata); NVIDIA …")).toBe("int4");
    expect(precisionOf("")).toBeUndefined();
  });

  it("parses quoted CSV fields with commas and doubled quotes", () => {
    expect(parseCsv('a,"b, c","d ""e"""\n1,2,3\n')).toEqual([
      ["a", "b, c", 'd "e"'],
      ["1", "2", "3"],
    ]);
  });

  it("the fit's lookup of a prediction by the factors it reads gives predict()'s figure for every row and calibration", () => {
    // Random calibrations, then the same ones with one factor a row does not read moved: the looked-up
    // figure must be the one predict() computes afresh, or the fit optimises the wrong numbers.
    const factors = randomFactors(11);
    const random = (): Calibration => {
      const classes = factors.classes();
      return {
        ...PRIORS,
        classes,
        arch: { "nvidia-hopper": { compute: 0.5 + factors.rnd(), mem: 0.5 + factors.rnd() } },
      } as unknown as Calibration;
    };
    // Each factor moved alone: a factor a prediction reads but its lookup key leaves out returns a stale figure.
    const moves: ((p: Record<string, unknown>) => Record<string, unknown>)[] = [
      ...["default", "cnn", "encoder", "diffusion", "tiny"].map((f) => (p: Record<string, unknown>) => ({
        ...p,
        compute: { ...(p.compute as object), [f]: 0.33 },
      })),
      // Every scalar factor a team's chip may override (SCALAR_FACTORS), and the activation passes.
      ...[...SCALAR_FACTORS, "train_act_passes"].map((f) => (p: Record<string, unknown>) => ({
        ...p,
        [f]: ((p[f] as number | undefined) ?? 1) * 0.7,
      })),
      (p) => ({ ...p, mfu_family: { llm: 0.11 } }),
    ];
    const cal = random();
    let checked = 0;
    for (const move of [(p: Record<string, unknown>) => p, ...moves]) {
      const classes = Object.fromEntries(Object.entries(cal.classes).map(([c, p]) => [c, move({ ...p })]));
      const moved = { ...cal, classes } as unknown as Calibration;
      for (const r of rows) {
        const chip = ctx.catalog.chips.get(r.chip)!;
        expect(predictedOf(r, ctx, moved), r.id).toBe(predict(r, chip, ctx.models.get(r.model)!, moved));
        checked++;
      }
    }
    expect(checked).toBe((moves.length + 1) * rows.length);
  });

  it("the committed calibration is what `npm run calibrate` fits from the priors", () => {
    const committed = JSON.parse(readFileSync(join(ROOT, "catalog", "calibration.json"), "utf8")) as Calibration;
    const fresh = fitAll(rows, ctx, PRIORS);
    for (const [cls, p] of Object.entries(fresh.classes)) {
      const c = committed.classes[cls as keyof Calibration["classes"]];
      for (const [fam, v] of Object.entries(p.compute))
        expect(c.compute[fam], `${cls}.compute.${fam}`).toBeCloseTo(v, 3);
      expect(c.mem, `${cls}.mem`).toBeCloseTo(p.mem, 3);
      expect(c.prefill, `${cls}.prefill`).toBeCloseTo(p.prefill, 3);
    }
    for (const field of ["arch", "stack", "model"] as const) {
      for (const [a, m] of Object.entries(fresh[field] ?? {})) {
        expect(committed[field]?.[a]?.compute, `${field} ${a}`).toBeCloseTo(m.compute, 3);
        expect(committed[field]?.[a]?.mem, `${field} ${a}`).toBeCloseTo(m.mem, 3);
        const elem = (x: unknown) => (x as { elem?: number } | undefined)?.elem;
        if (elem(m) !== undefined) expect(elem(committed[field]?.[a]), `${field} ${a}`).toBeCloseTo(elem(m)!, 3);
      }
    }
    // An architecture no row measures keeps its sourced prior through the fit (Apple GPUs: no MLPerf row).
    expect(rows.some((r) => ctx.catalog.chips.get(r.chip)?.arch === "apple-gpu")).toBe(false);
    expect(fresh.arch?.["apple-gpu"]).toEqual(PRIORS.arch?.["apple-gpu"]);
    expect(committed.arch?.["apple-gpu"]).toEqual({ compute: 1.96, mem: 0.85 });
  });

  it("regression guard: leave-one-group-out accuracy, the figure the README quotes", () => {
    // npm run accuracy at the prior weight of 6 (fit.ts PRIOR_SHRINK): median 11.6%, p90 33.3%, worst 1.85×
    // (at 2 it was 13.2%, 32.9%, 1.85×; the median moves a point with small changes, hence the margin).
    // When this guard was first written: median 13.3%, p90 36.1%, every row within 2× (161 rows: AMD's
    // MLPerf Training v5.0 LoRA runs on MI300X/MI325X joined the 157, cross-validated at 0.72–0.92×). The
    // last row beyond 2× was 8× MI300X Llama 2 70B Interactive (2.00×), 1.64× since a GPU decode step pays
    // for its kernels (kernel_us) and a split MI300X for its thin matrices (tp_width). The RA8D1 VWW latency
    // was 2.49× before microcontrollers paid cycles per output element (elem_cycles); it is 1.19× now.
    const s = summarize(crossValidate(rows, ctx, PRIORS));
    expect(s.n).toBe(161);
    expect(s.medianApe).toBeLessThan(0.13);
    expect(s.p90Ape).toBeLessThan(0.35);
    expect(s.within2x).toBe(1);
  }, 300_000); // ~5 s alone: the fit looks predictions up by the factors they read (predictedOf)

  it("published results outside the calibration file (npm run holdout): every one expressible and within 2×", () => {
    const committed = JSON.parse(readFileSync(join(ROOT, "catalog", "calibration.json"), "utf8")) as Calibration;
    const errs = evaluate(
      parseHoldout(readFileSync(join(ROOT, "test", "holdout", "mlperf-tiny.csv"), "utf8")),
      ctx,
      committed,
    );
    expect(errs.length).toBe(20);
    for (const e of errs) expect(e.predicted, `${e.row.chip} ${e.row.model}`).toBeDefined();
    // When this was written: median 19.0%, mean |log error| 0.231, within 2× 100%, worst 1.88× (STM32G0B1
    // ResNet-8). At the weaker prior weight of 2 (fit.ts PRIOR_SHRINK): median 12.5% but 0.259 and 1.97×.
    // Before the per-output-element cost on microcontrollers (elem_cycles): median 29.0%.
    const s = summarize(errs);
    expect(s.within2x).toBe(1);
    expect(s.medianApe).toBeLessThan(0.22);
    const meanLog = errs.reduce((a, e) => a + Math.abs(Math.log(e.predicted! / e.row.value)), 0) / errs.length;
    expect(meanLog).toBeLessThan(0.25);
  });

  it("regression guard: in-sample accuracy of the committed calibration", () => {
    const committed = JSON.parse(readFileSync(join(ROOT, "catalog", "calibration.json"), "utf8")) as Calibration;
    const s = summarize(evaluate(rows, ctx, committed));
    // Measured by `npm run accuracy` when this was written: median 7.6%, within 2× 98.7% (fit stopped at 4
    // rounds with a prior penalty; stack and model multipliers: CV 14.5% against 16.5% before them).
    expect(s.medianApe).toBeLessThan(0.1);
    expect(s.within2x).toBeGreaterThan(0.97);
    // Calibration must beat the priors it starts from.
    expect(s.medianApe).toBeLessThan(summarize(evaluate(rows, ctx, PRIORS)).medianApe);
  });
});

describe("hwadvise calibrate (a team's own measurements)", () => {
  it("fits the chip's factors, writes an overlay that estimate then uses", async () => {
    const { mkdtempSync, writeFileSync, readFileSync: read } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const dir = mkdtempSync(join(tmpdir(), "hwcal-"));
    writeFileSync(
      join(dir, "m.csv"),
      "chip,count,model,scenario,value,unit\nnvidia-l4,1,resnet50,offline,9000,samples/s\n",
    );
    writeFileSync(
      join(dir, "p.yaml"),
      "name: t\nworkload: { kind: batch-inference, model: resnet50, precision: int8 }\n",
    );
    const r = hw(["calibrate", "m.csv", "--out", "cal.yaml"], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/nvidia-l4: 1 measurement\(s\), median error [\d.]+% → [\d.]+%/);
    expect(read(join(dir, "cal.yaml"), "utf8")).toMatch(/overrides:\n {2}- id: nvidia-l4\n {4}efficiency:/);
    const est = (args: string[]) =>
      JSON.parse(
        hwInProcess(["estimate", "p.yaml", "--chip", "nvidia-l4", "--format", "json", ...args], { cwd: dir }).stdout,
      ).max_throughput_per_s as number;
    // The built-in model says ~12k/s for an L4; with the team's overlay it lands within 5% of their 9,000/s.
    expect(Math.abs(est(["--catalog", "cal.yaml"]) - 9000) / 9000).toBeLessThan(0.05);
    expect(est([])).toBeGreaterThan(10_000);
    // Never overwrites without being asked.
    const again = hwInProcess(["calibrate", "m.csv", "--out", "cal.yaml"], { cwd: dir });
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/cal\.yaml exists; pass --force/);
  });

  it("a team's single-stream LLM latency fits the bandwidth share a decode streams at; a saturated rate does not", async () => {
    const { mkdtempSync, writeFileSync, readFileSync: read } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const overlay = (csv: string) => {
      const dir = mkdtempSync(join(tmpdir(), "hwcal-"));
      writeFileSync(join(dir, "m.csv"), `chip,count,model,scenario,value,unit\n${csv}\n`);
      expect(hwInProcess(["calibrate", "m.csv", "--out", "cal.yaml"], { cwd: dir }).code).toBe(0);
      return read(join(dir, "cal.yaml"), "utf8");
    };
    // One stream of Llama 3 8B on an L4 taking 20 s: slower than the class's streaming share says.
    expect(overlay("nvidia-l4,1,llama-3-8b,singlestream,20000,ms")).toMatch(/decode_mem: 0\.\d+/);
    // Thousands of sequences a step: compute and per-step costs bind, the streaming share is not fitted.
    expect(overlay("nvidia-l4,1,llama-3-8b,offline,900,tokens/s")).not.toMatch(/decode_mem/);
  });

  it("a result faster than the chip's spec sheet allows is an error at its value, not a fit", async () => {
    const { mkdtempSync, writeFileSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const dir = mkdtempSync(join(tmpdir(), "hwcal-"));
    // An L4 (242 int8 TOPS) cannot run ResNet-50 (8.2 GFLOP) 100,000 times a second: that is an L40S × 2 or a typo.
    writeFileSync(
      join(dir, "m.csv"),
      "chip,count,model,scenario,value,unit\nnvidia-l4,1,resnet50,offline,9000,samples/s\nnvidia-l4,1,resnet50,offline,100000,samples/s\n",
    );
    const r = hwInProcess(["calibrate", "m.csv"], { cwd: dir });
    expect(r.code).toBe(2);
    const lines = r.stderr.split("\n").filter(Boolean);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^m\.csv:3:5 value: measured 100000 samples\/s is beyond the spec sheet: nvidia-l4 ×1 reaches at most [\d.]+ samples\/s at 100% of its stated peak and bandwidth; check chip, count and precision/,
    );
    expect(r.stdout).toBe("");
  });

  it("a team's stack that serves static batches says so in its rows", async () => {
    const { mkdtempSync, writeFileSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const dir = mkdtempSync(join(tmpdir(), "hwcal-"));
    const header = "chip,count,model,scenario,value,unit,precision,batching,batch_size\n";
    writeFileSync(
      join(dir, "ok.csv"),
      header + "intel-xeon-8592plus,2,llama-3.1-8b,offline,150,tokens/s,bf16,static,8\n",
    );
    writeFileSync(
      join(dir, "bad.csv"),
      header + "intel-xeon-8592plus,2,llama-3.1-8b,offline,150,tokens/s,bf16,paged,0\n",
    );
    const ok = hwInProcess(["calibrate", "ok.csv"], { cwd: dir });
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/- id: intel-xeon-8592plus/);
    const bad = hwInProcess(["calibrate", "bad.csv"], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr.split("\n").filter(Boolean)).toEqual([
      'bad.csv:2:8 batching: expected continuous or static, found "paged"',
      'bad.csv:2:9 batch_size: expected a whole number of requests ≥ 1, found "0"',
    ]);
  });

  it("bad measurement files get located errors", async () => {
    const { mkdtempSync, writeFileSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const dir = mkdtempSync(join(tmpdir(), "hwcal-"));
    writeFileSync(join(dir, "m.csv"), "chip,count,model,scenario,value,unit\nnvidia-l5,0,resnet50,offline,-3,ms\n");
    const r = hwInProcess(["calibrate", "m.csv"], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr.split("\n").filter(Boolean)).toEqual([
      "m.csv:2:1 chip: no chip `nvidia-l5` in the catalog — did you mean `nvidia-l4`?",
      'm.csv:2:2 count: expected a whole number of devices ≥ 1, found "0"',
      'm.csv:2:5 value: expected a positive number, found "-3"',
      'm.csv:2:6 unit: expected samples/s or tokens/s for offline, found "ms"',
    ]);
  });
});

describe("accuracy floor (npm run accuracy -- --floor)", () => {
  // Synthetic rows: measured 100/s; the model's speed error is an architecture effect plus a model effect.
  const archEffect: Record<string, number> = { a: 0.3, b: -0.2, c: 0.1 };
  const modelEffect: Record<string, number> = { x: 0.05, y: -0.15, z: 0.25 };
  const errs = Object.keys(archEffect).flatMap((a) =>
    Object.keys(modelEffect).map((m) => {
      const row = {
        id: `${a}${m}`,
        group: `${a} × ${m}`,
        chip: a,
        model: m,
        value: 100,
        unit: "samples/s",
        scenario: "offline",
        count: 1,
      } as unknown as Measurement;
      return { row, chipClass: "gpu", predicted: 100 * Math.exp(archEffect[a]! + modelEffect[m]!), ape: 0 } as RowError;
    }),
  );

  it("an additive correction recovers additive errors exactly, even for a held-out group", () => {
    const feats = [(e: RowError) => e.row.chip, (e: RowError) => e.row.model];
    const predict = fitAdditive(errs, feats, 1e-6, 400);
    for (const e of errs) expect(predict(e)).toBeCloseTo(speedResidual(e)!, 4);
    expect(additiveCvMedian(errs, feats, 1e-6)).toBeLessThan(1e-3);
  });

  it("the within-group floor is 0 when each group's rows share one error, and latency rows count the other way", () => {
    expect(withinGroupMedian(errs)).toBeCloseTo(0, 12);
    const slow = { ...errs[0]!, row: { ...errs[0]!.row, unit: "ms" as const } };
    expect(speedResidual(slow)).toBeCloseTo(-speedResidual(errs[0]!)!, 12);
  });

  it("repeated measurements of one configuration: their relative gap", () => {
    const r = (value: number, chip = "a") =>
      ({ chip, count: 1, model: "x", scenario: "offline", value }) as unknown as Measurement;
    expect(repeatSpread([r(100), r(110), r(50, "b")])).toEqual({ pairs: 1, medianPct: expect.closeTo(10, 9) });
  });
});
