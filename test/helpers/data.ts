import { readBuiltinFromYaml, mergeOrThrow } from "../../src/cli/builtin.js";
import type { Catalog, Chip, Offering } from "../../src/catalog/schema.js";
import type { Calibration, ClassParams, PerfEstimate } from "../../src/estimate/perf.js";
import { resolveModel, resolveWorkload, type Workload } from "../../src/estimate/workload.js";
import { ProfileSchema, type ProfileInput } from "../../src/profile/schema.js";
import type { ModelPreset } from "../../src/models/schema.js";

let cache:
  | {
      catalog: Catalog;
      /** Every chip, disabled ones included: what calibration and validation read. */
      measuredCatalog: Catalog;
      models: ReadonlyMap<string, ModelPreset>;
      calibration: Calibration;
      files: ReturnType<typeof readBuiltinFromYaml>["files"];
      apiPrices: ReturnType<typeof readBuiltinFromYaml>["apiPrices"];
    }
  | undefined;

/** The built-in data, parsed from the YAML sources (not the prebuilt JSON). */
export function builtinData() {
  if (!cache) {
    const b = readBuiltinFromYaml();
    cache = {
      catalog: mergeOrThrow(b.files),
      measuredCatalog: mergeOrThrow(b.files, { keepDisabledChips: true }),
      models: b.models,
      calibration: b.calibration,
      files: b.files,
      apiPrices: b.apiPrices,
    };
  }
  return cache;
}

/** A profile from a partial literal, validated like a real one. */
export function makeWorkload(p: Partial<ProfileInput> & { workload: ProfileInput["workload"] }): Workload {
  const profile = ProfileSchema().parse({ name: "test", ...p });
  const model = resolveModel(profile.workload.model, builtinData().models);
  if (!model) throw new Error(`unknown model ${String(profile.workload.model)}`);
  return resolveWorkload(profile, model);
}

/** A chip with round numbers, for hand-checked arithmetic. */
export function makeChip(over: Partial<Chip> = {}): Chip {
  return {
    id: "test-chip",
    name: "Test chip",
    vendor: "Test",
    class: "gpu",
    peak_tops: { fp16: 100, int8: 200 },
    memory_gb: 20,
    memory_bw_gbps: 1000,
    tdp_w: 300,
    idle_w: 30,
    runtimes: ["onnx"],
    source: "https://example.com",
    as_of: "2026-01-01",
    ...over,
  } as Chip;
}

export function makeOffering(over: Partial<Offering> = {}): Offering {
  return {
    id: "test-offering",
    name: "Test offering",
    chip: "test-chip",
    count: 1,
    class: "cloud-gpu",
    deployment: "cloud",
    provider: "Test",
    instance_type: "t.1",
    regions: [{ region: "r1", country: "US", usd_per_hour: 1, source: "https://example.com", as_of: "2026-01-01" }],
    source: "https://example.com",
    as_of: "2026-01-01",
    ...over,
  } as Offering;
}

/** An H100 SXM as the catalog states it (dense): 1979 fp8 TFLOPS, 3350 GB/s, 80 GB, NVLink 900 GB/s. */
export const h100Sxm = (): Chip =>
  makeChip({
    id: "h100",
    peak_tops: { fp8: 1979, bf16: 989, fp16: 989, int8: 1979 },
    memory_gb: 80,
    memory_bw_gbps: 3350,
    interconnect: { kind: "nvlink4", gbps: 900 },
  });

/** An estimate, or the test fails with its error. */
export function okEstimate(e: PerfEstimate | { error: string }): PerfEstimate {
  if ("error" in e) throw new Error(e.error);
  return e;
}

/**
 * Every class at the same round efficiencies (half of peak compute, 0.8 of bandwidth, 0.1 ms a batch), so
 * a test's figures can be worked by hand.
 */
export function flatCalibration(): Calibration {
  const flat: ClassParams = {
    compute: { default: 0.5 },
    mem: 0.8,
    overhead_ms: 0.1,
    per_layer_us: 0,
    prefill: 0.5,
    decode_mem: 0.5,
    decode_compute: 0.5,
    step_overhead_ms: 0,
    mfu: 0.5,
  };
  return {
    version: 1,
    classes: { gpu: flat, asic: flat, "edge-gpu": flat, npu: flat, mcu: flat, fpga: flat, cpu: flat },
  };
}
