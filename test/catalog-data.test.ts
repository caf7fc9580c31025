import { describe, expect, it } from "vitest";
import type { CHIP_CLASSES, Chip } from "../src/catalog/schema.js";
import { builtinData } from "./helpers/data.js";

/** Physical bounds per chip class: dense peak (TOPS at the fastest precision), bandwidth GB/s, TDP W. */
const BOUNDS: Record<
  (typeof CHIP_CLASSES)[number],
  { peak: [number, number]; bw: [number, number]; tdp: [number, number] }
> = {
  gpu: { peak: [5, 20_000], bw: [100, 10_000], tdp: [30, 2_000] },
  asic: { peak: [20, 20_000], bw: [50, 2_000_000], tdp: [20, 25_000] }, // on-chip SRAM parts (Groq, speedAI) report SRAM bandwidth
  "edge-gpu": { peak: [1, 3_000], bw: [20, 1_000], tdp: [5, 300] }, // unified-memory SoCs up to the M2 Ultra (800 GB/s, ~215 W)
  npu: { peak: [0.1, 100], bw: [0.1, 1_000], tdp: [0.1, 50] },
  mcu: { peak: [1e-5, 1], bw: [1e-3, 50], tdp: [1e-4, 2] },
  fpga: { peak: [1, 2_000], bw: [10, 1_000], tdp: [10, 500] },
  cpu: { peak: [0.01, 2_000], bw: [1, 2_000], tdp: [3, 1_000] }, // AMX int8 on a 128-core Xeon 6 ≈ 500+ TOPS
};

const fastest = (c: Chip) => Math.max(...Object.values(c.peak_tops).filter((x): x is number => x !== undefined));

describe("built-in catalog: every entry sane and sourced", () => {
  const { catalog, files } = builtinData();
  const chips = [...catalog.chips.values()];

  it("has every class of hardware, with enough entries", () => {
    const offeringClasses = new Set(catalog.offerings.map((o) => o.class));
    for (const c of ["cloud-gpu", "onprem-gpu", "edge-npu", "asic", "cpu"]) expect(offeringClasses, c).toContain(c);
    expect(chips.length).toBeGreaterThanOrEqual(60);
  });

  it.each(chips.map((c) => [c.id, c] as const))(
    "chip %s: ranges for its class, idle < TDP, source and date",
    (_id, c) => {
      const b = BOUNDS[c.class];
      const peak = fastest(c);
      expect(peak).toBeGreaterThanOrEqual(b.peak[0]);
      expect(peak).toBeLessThanOrEqual(b.peak[1]);
      expect(c.memory_bw_gbps).toBeGreaterThanOrEqual(b.bw[0]);
      expect(c.memory_bw_gbps).toBeLessThanOrEqual(b.bw[1]);
      expect(c.tdp_w).toBeGreaterThanOrEqual(b.tdp[0]);
      expect(c.tdp_w).toBeLessThanOrEqual(b.tdp[1]);
      expect(c.idle_w).toBeLessThan(c.tdp_w);
      expect(c.source).toMatch(/^https?:\/\//);
      expect(c.as_of).toMatch(/^\d{4}-\d{2}/);
      // Narrower precisions are never slower than wider ones on the same chip (dense figures).
      const p = c.peak_tops;
      if (p.fp16 && p.fp32) expect(p.fp16).toBeGreaterThanOrEqual(p.fp32 * 0.99);
      // (Except int8 through DP4A on GPUs without int8 tensor cores, e.g. V100: slower than their fp16 tensor cores.)
      if (p.int8 && (p.bf16 ?? p.fp16) && !/DP4A/.test(c.note ?? ""))
        expect(p.int8).toBeGreaterThanOrEqual((p.bf16 ?? p.fp16)! * 0.99);
      if (c.class === "mcu") expect(c.clock_mhz).toBeDefined();
      // A legacy warp-level MMA rate is a share of the chip's 16-bit tensor rate, stated as an estimate.
      if (c.warp_mma_fp16_tops !== undefined) {
        expect(c.warp_mma_fp16_tops).toBeLessThan(p.fp16!);
        expect(c.warp_mma_fp16_tops).toBeGreaterThanOrEqual(p.fp16! / 8);
        expect(c.estimated).toContain("warp_mma_fp16_tops");
      }
    },
  );

  it.each(catalog.offerings.map((o) => [o.id, o] as const))("offering %s: existing chip, priced, sourced", (_id, o) => {
    expect(catalog.chips.has(o.chip)).toBe(true);
    expect(o.source).toMatch(/^https?:\/\//);
    if (o.deployment === "cloud") {
      expect(o.regions!.length).toBeGreaterThan(0);
      for (const r of o.regions!) {
        expect(r.usd_per_hour).toBeGreaterThan(0);
        expect(r.usd_per_hour / o.count).toBeLessThan(200); // no accelerator rents for more than $200/h
        expect(r.source).toMatch(/^https?:\/\//);
        expect(r.country).toMatch(/^[A-Z]{2}$/);
      }
    } else {
      expect((o.capex_usd ?? 0) + (o.lease_usd_per_month ?? 0)).toBeGreaterThan(0);
      if (o.capex_usd) expect(o.capex_usd / o.count).toBeLessThan(200_000);
    }
    const expectedClass =
      o.deployment === "edge"
        ? ["edge-npu", "fpga", "cpu"]
        : o.deployment === "cloud"
          ? ["cloud-gpu", "asic", "cpu", "fpga"]
          : ["onprem-gpu", "asic", "cpu", "fpga"];
    expect(expectedClass).toContain(o.class);
  });

  it("ids are unique across all built-in files", () => {
    const ids = files.flatMap((f) => [...(f.data.chips ?? []), ...(f.data.offerings ?? [])].map((x) => x.id));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("every model preset has a source and consistent figures", () => {
    for (const m of builtinData().models.values()) {
      expect(m.source, m.id).toMatch(/^https?:\/\//);
      expect(m.params, m.id).toBeGreaterThan(0);
      if (m.family !== "decoder-llm" && m.family !== "moe-llm") expect(m.flops_per_sample, m.id).toBeGreaterThan(0);
      if (m.active_params) expect(m.active_params).toBeLessThanOrEqual(m.params);
      // A preset that shares another's architecture has that preset's shape exactly (its API prices apply).
      if (m.architecture_of !== undefined) {
        const base = builtinData().models.get(m.architecture_of);
        expect(base, `${m.id}: architecture_of ${m.architecture_of}`).toBeDefined();
        for (const k of ["params", "layers", "hidden", "heads", "kv_heads", "head_dim", "experts"] as const)
          expect(m[k], `${m.id}.${k}`).toBe(base![k]);
      }
      if (m.sliding_layers !== undefined) expect(m.sliding_layers, m.id).toBeLessThanOrEqual(m.layers ?? 0);
    }
    // Every endpoint in the API price file serves a preset.
    for (const p of builtinData().apiPrices) expect(builtinData().models.has(p.model), p.model).toBe(true);
    for (const id of [
      "resnet50",
      "mobilenet-v2",
      "yolov8n",
      "yolov8s",
      "bert-base",
      "bert-large",
      "whisper-small",
      "llama-3-8b",
      "llama-3-70b",
      "gpt-j-6b",
      "sdxl",
      "ds-cnn-kws",
      "tabular-mlp",
    ]) {
      expect(builtinData().models.has(id), id).toBe(true);
    }
  });
});
