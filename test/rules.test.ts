import { describe, expect, it } from "vitest";
import { estimateOption } from "../src/estimate/option.js";
import type { Calibration } from "../src/estimate/perf.js";
import { judge, RULES, type RuleId } from "../src/rules/index.js";
import type { LlmRuntime } from "../src/profile/schema.js";
import { flatCalibration, makeChip, makeOffering, makeWorkload } from "./helpers/data.js";

const cal: Calibration = flatCalibration();
// t(1) = 0.1 ms + 10 GFLOP / (200 TOPS × 0.5) = 0.2 ms on the test chip (see estimator.test.ts)
const model = { params: "10M", flops_per_sample: "10G", family: "cnn" as const, layers: 1 };
const chip = makeChip();
const cloud = makeOffering();
const onprem = makeOffering({
  id: "box",
  deployment: "on-prem",
  class: "onprem-gpu",
  regions: undefined,
  capex_usd: 30000,
});
const edge = makeOffering({ id: "board", deployment: "edge", class: "edge-npu", regions: undefined, capex_usd: 500 });

function rulesBroken(o = cloud, extra: Record<string, unknown> = {}): string[] {
  const w = makeWorkload({ workload: { kind: "realtime-inference", model, precision: "int8" }, ...extra });
  return judge(estimateOption(o, chip, w, cal), w).map((v) => v.rule);
}

describe("each rule, alone", () => {
  it("a plain profile breaks nothing", () => expect(rulesBroken()).toEqual([]));
  it("deployment", () => expect(rulesBroken(cloud, { constraints: { deployment: ["edge"] } })).toEqual(["deployment"]));
  it("connectivity: offline excludes the cloud, not on-prem", () => {
    expect(rulesBroken(cloud, { constraints: { connectivity: "offline" } })).toEqual(["connectivity"]);
    expect(rulesBroken(onprem, { constraints: { connectivity: "offline" } })).toEqual([]);
  });
  it("data residency: the region's country must be listed", () => {
    expect(rulesBroken(cloud, { constraints: { data_residency: ["CO"] } })).toEqual(["data_residency"]);
    expect(rulesBroken(cloud, { constraints: { data_residency: ["US", "CO"] } })).toEqual([]);
    expect(rulesBroken(onprem, { constraints: { data_residency: ["CO"] } })).toEqual([]);
  });
  it("runtimes", () => expect(rulesBroken(cloud, { constraints: { runtimes: ["tensorrt"] } })).toEqual(["runtimes"]));
  it("serving stack: the chip runs the workload's runtime, or the platform the stack is built on", () => {
    const llm = (runtime: LlmRuntime, runtimes: string[], cls = "gpu") => {
      const c = makeChip({ runtimes: runtimes as never, class: cls as never, memory_gb: 80 });
      const w = makeWorkload({
        workload: { kind: "realtime-inference", model: "llama-3-8b", input_tokens: 100, output_tokens: 10, runtime },
      });
      return judge(estimateOption(onprem, c, w, cal), w)
        .filter((v) => v.rule === "serving_stack")
        .map((v) => v.message);
    };
    // MLX is Apple's: a CUDA card does not run it; TensorRT-LLM is NVIDIA's: an AMD Instinct does not.
    expect(llm("mlx", ["cuda", "tensorrt-llm", "vllm"])).toEqual([
      "mlx does not run on it (its software: cuda, tensorrt-llm, vllm)",
    ]);
    expect(llm("tensorrt-llm", ["rocm", "vllm"])).toHaveLength(1);
    // llama.cpp and Ollama run on CUDA, ROCm, Metal and CPUs whether or not the chip lists them; not on a TPU.
    expect(llm("ollama", ["cuda", "tensorrt"])).toEqual([]);
    expect(llm("llama-cpp", ["onnx"], "cpu")).toEqual([]);
    expect(llm("llama-cpp", ["jax", "xla", "vllm"], "asic")).toHaveLength(1);
    // SGLang runs on NVIDIA and AMD GPUs.
    expect(llm("sglang", ["rocm", "vllm"])).toEqual([]);
    expect(llm("sglang", ["neuron", "vllm"], "asic")).toHaveLength(1);
  });
  it("model family: a chip whose compiler maps only CNNs takes no transformer", () => {
    const u65 = makeChip({ class: "npu", families: ["cnn", "mlp", "tiny"] });
    const on = (m: string | typeof model) => {
      const w = makeWorkload({ workload: { kind: "edge-inference", model: m as never, precision: "int8" } });
      return judge(estimateOption(edge, u65, w, cal), w)
        .filter((v) => v.rule === "model_family")
        .map((v) => v.message);
    };
    expect(on(model)).toEqual([]);
    expect(on("whisper-small")).toEqual([
      "its compiler maps cnn, mlp, tiny models onto it, not speech (the rest would run on the host CPU)",
    ]);
    expect(on("bert-base")).toHaveLength(1);
  });
  it("latency: 0.2 ms at batch 1 cannot meet 0.1 ms", () => {
    const w = makeWorkload({
      workload: { kind: "realtime-inference", model, precision: "int8" },
      slo: { latency_p99: "0.1ms" },
    });
    const v = judge(estimateOption(cloud, chip, w, cal), w);
    expect(v.map((x) => x.rule)).toContain("latency_p99");
    const lat = v.find((x) => x.rule === "latency_p99")!;
    expect(lat.measured).toBeCloseTo(0.2, 6);
    expect(lat.limit).toBe(0.1);
    expect(lat.message).toBe("p99 0.20 ms > SLO 0.10 ms");
  });
  it("memory: 30 GB of weights on an 18 GB-usable chip", () => {
    const w = makeWorkload({
      workload: { kind: "realtime-inference", model: { ...model, params: "30G" }, precision: "int8" },
    });
    const v = judge(estimateOption(cloud, chip, w, cal), w);
    expect(v.map((x) => x.rule)).toEqual(["memory"]);
    expect(v[0]!.message).toBe("needs 30.0 GB, has 18.0 GB"); // 30e9 params × 1 B; 20 GB × 0.9 usable
  });
  it("precision: int8-only chip, fp16 model, quantization forbidden", () => {
    const w = makeWorkload({
      workload: { kind: "realtime-inference", model, precision: "fp16", quantization: "forbidden" },
    });
    const v = judge(estimateOption(cloud, makeChip({ peak_tops: { int8: 100 } }), w, cal), w);
    expect(v.map((x) => x.rule)).toEqual(["precision"]);
  });
  it("power budget: per device at the edge, whole deployment elsewhere", () => {
    expect(rulesBroken(edge, { constraints: { deployment: ["edge"], power_budget: "100W" } })).toEqual([
      "power_budget",
    ]); // 300 W TDP
    expect(rulesBroken(edge, { constraints: { deployment: ["edge"], power_budget: "400W" } })).toEqual([]);
  });
  it("max devices and throughput", () => {
    // ~10,000/s per device flat out: 50,000/s needs several devices
    expect(
      rulesBroken(cloud, { slo: { throughput: "50000/s", latency_p99: "50ms" }, constraints: { max_devices: 2 } }),
    ).toEqual(["max_devices"]);
  });
  it("budgets: monthly, capex, per 1M", () => {
    expect(rulesBroken(cloud, { constraints: { budget: { monthly: "$100" } } })).toEqual(["budget_monthly"]); // $1/h × 730.5 h
    expect(rulesBroken(onprem, { constraints: { budget: { capex: "$10k" } } })).toEqual(["budget_capex"]);
    expect(
      rulesBroken(cloud, {
        volume: { requests_per_day: "1000" },
        constraints: { budget: { per_1m_inferences: "$1" } },
      }),
    ).toEqual(["budget_per_1m"]);
  });
  it("training on an inference-only part; deadline", () => {
    const w = makeWorkload({
      workload: { kind: "training", model: { params: "1B", family: "decoder-llm" }, dataset: { tokens: "10B" } },
      slo: { deadline: "1h" },
      constraints: { max_devices: 8 },
    });
    const npu = makeChip({ class: "npu", peak_tops: { int8: 26, fp16: 13 } });
    expect(judge(estimateOption(onprem, npu, w, cal), w).map((v) => v.rule)).toContain("training");
    expect(judge(estimateOption(onprem, chip, w, cal), w).map((v) => v.rule)).toContain("deadline");
  });
  it("every failed rule is reported, not only the first", () => {
    expect(
      rulesBroken(cloud, { constraints: { deployment: ["edge"], connectivity: "offline", data_residency: ["CO"] } }),
    ).toEqual(["deployment", "connectivity", "data_residency"]);
  });
  it("every rule has an id and a description", () => {
    // Every rule id exactly once: a record over RuleId, so the compiler names an id added to the type and
    // missing here, and the comparison names a rule dropped from RULES or listed twice.
    const ids: Record<RuleId, true> = {
      deployment: true,
      connectivity: true,
      data_residency: true,
      runtimes: true,
      serving_stack: true,
      model_family: true,
      training: true,
      precision: true,
      memory: true,
      latency_p99: true,
      throughput: true,
      ttft: true,
      tokens_per_s: true,
      deadline: true,
      power_budget: true,
      power_cap: true,
      energy_balance: true,
      max_devices: true,
      budget_monthly: true,
      budget_capex: true,
      budget_per_1m: true,
      budget_total: true,
      licence: true,
      lifecycle: true,
      host: true,
      estimate: true,
    };
    expect(RULES.map((r) => r.id).sort()).toEqual(Object.keys(ids).sort());
    // A description is one sentence of its own: a letter first ("p99 latency …"), no line break, a full stop; no two alike.
    for (const r of RULES) expect([r.id, r.describe]).toEqual([r.id, expect.stringMatching(/^[A-Za-z][^\n]{15,}\.$/)]);
    expect(new Set(RULES.map((r) => r.describe)).size).toBe(RULES.length);
  });
});
