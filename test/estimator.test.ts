import { describe, expect, it } from "vitest";
import type { Calibration, ClassParams } from "../src/estimate/perf.js";
import { choosePrecision, erlangC, estimateInference, estimateTraining, waitP99 } from "../src/estimate/perf.js";
import { estimateOption, HOURS_PER_MONTH, pickRegion } from "../src/estimate/option.js";
import fc from "fast-check";
import { builtinData, flatCalibration, makeChip, makeOffering, makeWorkload } from "./helpers/data.js";

/** Round-number efficiencies so every figure below can be checked by hand. */
const cal: Calibration = flatCalibration();
const flat: ClassParams = cal.classes.gpu;

const inline = { params: "10M", flops_per_sample: "10G", family: "cnn" as const, layers: 1 };

describe("dense inference roofline (hand-checked)", () => {
  // chip: 200 int8 TOPS, 1000 GB/s. Model: 10 MB int8 weights, 10 GFLOP/sample, no activations.
  // t(b) = 0.1 ms + max(b·10e9 / (200e12·0.5), 10e6 / (1000e9·0.8)) = 0.1 ms + max(0.1·b ms, 0.0125 ms)
  const chip = makeChip();

  it("unloaded latency is the batch-1 time, compute-bound", () => {
    const w = makeWorkload({ workload: { kind: "realtime-inference", model: inline, precision: "int8" } });
    const e = estimateInference(chip, 1, w, cal);
    if ("error" in e) throw new Error(e.error);
    expect(e.unloadedLatencyMs).toBeCloseTo(0.2, 9); // 0.1 + 0.1
    expect(e.precision).toBe("int8");
  });

  it("batch jobs pick the smallest batch within 3% of the best throughput", () => {
    // throughput(b) = b / (0.1 + 0.1 b) ms⁻¹ = 10·b/(1+b) per ms; best at b = 4096: 9997.56/s.
    // 97% of it: b/(1+b) ≥ 0.96976 → b ≥ 32.07 → the next power of two, 64.
    const w = makeWorkload({ workload: { kind: "batch-inference", model: inline, precision: "int8" } });
    const e = estimateInference(chip, 1, w, cal);
    if ("error" in e) throw new Error(e.error);
    expect(e.batch).toBe(64);
    expect(e.maxThroughputPerS).toBeCloseTo((4096 / (0.1 + 409.6)) * 1000, 3);
    expect(e.bound).toBe("compute");
  });

  it("a memory-bound model: 1 GB of weights at batch 1", () => {
    // weights 1e9 B / (1000e9 · 0.8) = 1.25 ms > compute 0.1 ms → 0.1 + 1.25 = 1.35 ms
    const w = makeWorkload({
      workload: { kind: "realtime-inference", model: { ...inline, params: "1G" }, precision: "int8" },
    });
    const e = estimateInference(chip, 1, w, cal);
    if ("error" in e) throw new Error(e.error);
    expect(e.unloadedLatencyMs).toBeCloseTo(1.35, 9);
  });

  it("copies scale throughput with the device count", () => {
    const w = makeWorkload({ workload: { kind: "batch-inference", model: inline, precision: "int8" } });
    const one = estimateInference(chip, 1, w, cal);
    const four = estimateInference(chip, 4, w, cal);
    if ("error" in one || "error" in four) throw new Error("estimate failed");
    expect(four.replicas).toBe(4);
    expect(four.maxThroughputPerS).toBeCloseTo(4 * one.maxThroughputPerS, 6);
  });
});

describe("queueing tail", () => {
  it("M/D/1 p99 wait: s/(2(1−ρ))·ln(100ρ)", () => {
    expect(waitP99(1, 0.5)).toBeCloseTo(Math.log(50), 12); // 1/(2·0.5)=1 × ln 50
    expect(waitP99(2, 0.9)).toBeCloseTo((2 / 0.2) * Math.log(90), 12);
    expect(waitP99(1, 0.005)).toBe(0); // below 1% busy, 99% of requests never wait
    expect(waitP99(1, 1)).toBe(Infinity);
  });

  it("Erlang C: one server waits with probability ρ; M/M/2 at ρ 0.5 waits 1/3 of the time", () => {
    expect(erlangC(1, 0.7)).toBeCloseTo(0.7, 12);
    expect(erlangC(2, 0.5)).toBeCloseTo(1 / 3, 12);
    // More servers at the same load per server: fewer arrivals wait, and the p99 wait shrinks.
    expect(erlangC(8, 0.8)).toBeLessThan(erlangC(4, 0.8));
    expect(waitP99(1, 0.8, 1, 4)).toBeLessThan(waitP99(1, 0.8, 1, 1));
    expect(erlangC(8, 0.2)).toBeLessThan(0.01);
    expect(waitP99(1, 0.2, 1, 8)).toBe(0); // C(8, 0.2) < 1%: the 99th percentile never waits
  });

  it("copies of a unit share one queue: eight devices carry more than eight times one under a tight p99", () => {
    // Service 0.2 ms a request; a p99 of 1 ms leaves little room for queueing behind one device.
    const chip = makeChip();
    const w = makeWorkload({
      workload: { kind: "realtime-inference", model: inline, precision: "int8" },
      slo: { latency_p99: "1ms" },
    });
    const one = estimateInference(chip, 1, w, cal);
    const eight = estimateInference(chip, 8, w, cal);
    if ("error" in one || "error" in eight) throw new Error("estimate failed");
    expect(eight.capacityPerS).toBeGreaterThan(8 * one.capacityPerS * 1.05);
  });

  it("a service is loaded to at most 90% of flat-out throughput, however loose its p99", () => {
    const chip = makeChip();
    const w = makeWorkload({
      workload: { kind: "realtime-inference", model: inline, precision: "int8" },
      slo: { latency_p99: "10s" },
    });
    const e = estimateInference(chip, 8, w, cal);
    if ("error" in e) throw new Error(e.error);
    expect(e.capacityPerS / e.maxThroughputPerS).toBeCloseTo(0.9, 9);
  });

  it("a tighter p99 SLO never raises a unit's capacity", () => {
    const chip = makeChip();
    let last = Infinity;
    for (const slo of ["100ms", "10ms", "2ms", "1ms", "0.5ms", "0.25ms"]) {
      const w = makeWorkload({
        workload: { kind: "realtime-inference", model: inline, precision: "int8" },
        slo: { latency_p99: slo },
      });
      const e = estimateInference(chip, 1, w, cal);
      if ("error" in e) throw new Error(e.error);
      expect(e.capacityPerS).toBeLessThanOrEqual(last);
      last = e.capacityPerS;
    }
    expect(last).toBeGreaterThan(0); // 0.25 ms still fits one request at 0.2 ms with light load
  });
});

describe("LLM decode (hand-checked)", () => {
  it("a lone stream reads all weights and its KV cache each step", () => {
    // 1e9 params at fp8 = 1e9 B. KV: 2 × 16 layers × 8 heads × 64 dim × 1 B = 16,384 B/token over a
    // context of 512 + 256/2 = 640 tokens = 10.49 MB. Step = (1e9 + 1.049e7) / (2000e9 × 0.5) = 1.0105 ms.
    // At 1 kW the chip keeps its clock through the prompt's matrix products (gemmClock 1).
    const chip = makeChip({ peak_tops: { fp8: 1000, bf16: 500 }, memory_bw_gbps: 2000, memory_gb: 80, tdp_w: 1000 });
    const w = makeWorkload({
      workload: {
        kind: "realtime-inference",
        model: { params: "1B", family: "decoder-llm", layers: 16, hidden: 1024, kv_heads: 8, head_dim: 64 },
        precision: "fp8",
        input_tokens: 512,
        output_tokens: 256,
      },
    });
    const e = estimateInference(chip, 1, w, cal);
    if ("error" in e) throw new Error(e.error);
    expect(e.precision).toBe("fp8");
    expect(e.unloadedTokensPerS).toBeCloseTo(1000 / (1 + (16384 * 640) / 1e9), 6);
    // prefill: 2·1e9·512 + 2·16·512²·1024 = 1.0240e12 + 8.590e9 FLOPs at 1000e12·0.5 → 2.0652 ms, + 0.1 ms overhead
    expect(e.prefillMs).toBeCloseTo(0.1 + ((2 * 1e9 * 512 + 2 * 16 * 512 * 512 * 1024) / 5e14) * 1000, 6);
  });
});

describe("LLM static batching", () => {
  // The 1B model above; 512 prompt tokens, 256 generated on average and 512 for the slowest 1%.
  const chip = makeChip({ peak_tops: { fp8: 1000, bf16: 500 }, memory_bw_gbps: 2000, memory_gb: 80 });
  const model = { params: "1B", family: "decoder-llm" as const, layers: 16, hidden: 1024, kv_heads: 8, head_dim: 64 };
  const est = (
    batching: "static" | "continuous",
    kind: "batch-inference" | "realtime-inference",
    slo: Record<string, unknown> = {},
    batch_size?: number,
  ) => {
    const w = makeWorkload({
      workload: { kind, model, precision: "fp8", input_tokens: 512, output_tokens: 256, batching, batch_size },
      slo,
    });
    const e = estimateInference(chip, 1, { ...w, outputTokensP99: 512 }, cal);
    if ("error" in e) throw new Error(e.error);
    return e;
  };

  it("a batch decodes until its longest request ends: 8 requests run toward the p99 length", () => {
    const s = est("static", "batch-inference", {}, 8);
    const c = est("continuous", "batch-inference", {}, 8);
    // Longest of 8: 256 + (512 − 256) · ln 8 / ln 100 = 367.4 steps instead of 256, and the prompts are
    // prefilled together: flat out is 8 / (8·prefill + 367.4·step).
    const longest = 256 + 256 * (Math.log(8) / Math.log(100));
    expect(s.batch).toBe(8);
    expect(s.maxThroughputPerS).toBeCloseTo(8 / ((8 * s.prefillMs! + longest * s.stepMs!) / 1000), 6);
    // Continuous batching of the same 8 slots never serves less.
    expect(c.maxThroughputPerS).toBeGreaterThan(s.maxThroughputPerS);
  });

  it("serves less under a whole-request p99 bound than continuous batching, and never more than flat out", () => {
    const s = est("static", "realtime-inference", { latency_p99: "2s" });
    const c = est("continuous", "realtime-inference", { latency_p99: "2s" });
    expect(s.capacityPerS).toBeGreaterThan(0);
    expect(s.capacityPerS).toBeLessThan(c.capacityPerS);
    expect(s.capacityPerS).toBeLessThanOrEqual(0.9 * s.maxThroughputPerS + 1e-9);
    const at = s.atLoad(s.capacityPerS);
    expect(at).toBeDefined();
    expect(at!.latencyP99Ms).toBeLessThanOrEqual(2000 * 1.0001);
  });
});

describe("LLM tensor-parallel split", () => {
  // The model above on 4 devices with NVLink-class links (900 GB/s → 450 GB/s each way). A lone stream:
  // tp 1: 1.0105 ms per step → 990 tokens/s.
  // tp 2: bandwidth 2 × 2000 × 0.917 × 0.5 = 1834 GB/s → 0.551 ms, + all-reduce 2 × 16 × (8 µs + 1 × 2048 B / 450 GB/s) = 0.256 ms → 0.807 ms → 1239 tokens/s.
  // tp 4: 4 × 2000 × 0.917² × 0.5 = 3364 GB/s → 0.300 ms, + 2 × 16 × (8 µs + 1.5 × 2048 B / 450 GB/s) = 0.256 ms → 0.556 ms → 1798 tokens/s.
  const chip = makeChip({
    peak_tops: { fp8: 1000, bf16: 500 },
    memory_bw_gbps: 2000,
    memory_gb: 80,
    interconnect: { kind: "nvlink", gbps: 900 },
  });
  const model = { params: "1B", family: "decoder-llm" as const, layers: 16, hidden: 1024, kv_heads: 8, head_dim: 64 };
  const est = (slo: Record<string, unknown>) => {
    const e = estimateInference(
      chip,
      4,
      makeWorkload({
        workload: { kind: "realtime-inference", model, precision: "fp8", input_tokens: 512, output_tokens: 256 },
        slo,
      }),
      cal,
    );
    if ("error" in e) throw new Error(e.error);
    return e;
  };

  it("chooses the configuration that serves most within the limits: never less than one copy per device", () => {
    const e = est({ tokens_per_s: 500 });
    const one = estimateInference(
      chip,
      1,
      makeWorkload({
        workload: { kind: "realtime-inference", model, precision: "fp8", input_tokens: 512, output_tokens: 256 },
        slo: { tokens_per_s: 500 },
      }),
      cal,
    );
    if ("error" in one) throw new Error(one.error);
    // Four single-device copies are one of the candidates, so the chosen one serves at least as much.
    expect(e.capacityPerS).toBeGreaterThanOrEqual(4 * one.capacityPerS * 0.97);
    expect(e.llmConfig).toBeDefined();
    expect(e.runnerUp).toBeDefined();
    expect(e.runnerUp!.capacityPerS).toBeLessThanOrEqual(e.capacityPerS * 1.03);
    expect([e.runnerUp!.tp, e.runnerUp!.pp]).not.toEqual([e.llmConfig!.tp, e.llmConfig!.pp]);
    expect(e.breakdown.some((l) => l.startsWith("runner-up: TP"))).toBe(true);
  });

  it("splits a copy over as many devices as a per-stream rate needs (1,500 tokens/s: 4, not 2)", () => {
    const e = est({ tokens_per_s: 1500 });
    expect([e.tp, e.replicas]).toEqual([4, 1]);
    expect(e.unloadedTokensPerS).toBeCloseTo(1 / (0.3004e-3 + 32 * (8e-6 + (1.5 * 2048) / 450e9)), -1);
    expect(e.capacityPerS).toBeGreaterThan(0);
  });
});

describe("training (hand-checked)", () => {
  const chip = makeChip({ peak_tops: { bf16: 100, fp16: 100 } });
  const w = makeWorkload({
    workload: {
      kind: "training",
      model: { params: "1B", family: "decoder-llm", layers: 16, hidden: 2048 },
      dataset: { tokens: "1B" },
    },
  });

  // Attention on top of 6·N·D: training sequences of 2048 tokens (the default when the profile states no
  // seq_len), causal: 3 (forward + backward) × 2 × 16 layers × 2048 × 2048 hidden × 1e9 tokens = 4.0265e17 FLOPs.
  const attn = 3 * 2 * 16 * 2048 * 2048 * 1e9;
  it("6·N·D FLOPs + attention at MFU on one device", () => {
    // (6 × 1e9 × 1e9 + 4.0265e17) = 6.40265e18 FLOPs / (100e12 × 0.5) = 128,053 s = 35.57 h
    const t = estimateTraining(chip, 1, 1, w, cal);
    if ("error" in t) throw new Error(t.error);
    expect(t.flops).toBe(6e18 + attn);
    expect(t.timeToTrainH).toBeCloseTo((6e18 + attn) / 50e12 / 3600, 9);
    expect(t.timeToTrainH).toBeCloseTo(35.57, 2);
    // 16 B/param × 1e9 = 16 GB of state > 20 GB × 0.9 × 0.75 = 13.5 GB usable → 2 devices at least
    expect(t.minDevices).toBe(2);
    expect(t.fits).toBe(false);
  });

  it("two devices over a slow link scale at 1/(1 + 0.1·log2 2)", () => {
    const t = estimateTraining(chip, 2, 2, w, cal);
    if ("error" in t) throw new Error(t.error);
    expect(t.scaling).toBeCloseTo(1 / 1.1, 12);
    expect(t.timeToTrainH).toBeCloseTo((6e18 + attn) / ((2 * 100e12 * 0.5) / 1.1) / 3600, 9);
  });

  it("seq_len sets the attention work: 512-token sequences cost a quarter of 2048-token ones", () => {
    const short = makeWorkload({
      workload: {
        kind: "training",
        model: { params: "1B", family: "decoder-llm", layers: 16, hidden: 2048 },
        dataset: { tokens: "1B" },
        seq_len: 512,
      },
    });
    const t = estimateTraining(chip, 1, 1, short, cal);
    if ("error" in t) throw new Error(t.error);
    expect(t.flops).toBe(6e18 + attn / 4);
  });

  it("LoRA does forward + activation backward only: 4·N·D (attention's backward is needed either way)", () => {
    const lora = makeWorkload({
      workload: {
        kind: "fine-tuning",
        model: { params: "1B", family: "decoder-llm", layers: 16, hidden: 2048 },
        method: "lora",
        dataset: { tokens: "1B" },
      },
    });
    const t = estimateTraining(chip, 1, 1, lora, cal);
    if ("error" in t) throw new Error(t.error);
    expect(t.flops).toBe(4e18 + attn);
  });
});

describe("weights on an NPU", () => {
  it("an NPU that shares the board's DRAM re-reads its weights every inference; a Hailo-8-style dataflow NPU holds them", () => {
    // 100 MB of int8 weights over 10 GB/s at the flat calibration's 0.8: 12.5 ms a pass.
    const npu = (extra: object) =>
      makeChip({ class: "npu", peak_tops: { int8: 100 }, memory_bw_gbps: 10, memory_gb: 8, ...extra });
    const w = makeWorkload({
      workload: {
        kind: "edge-inference",
        model: { params: "100M", flops_per_sample: "1G", family: "cnn", layers: 1 },
        precision: "int8",
      },
    });
    const at = (c: ReturnType<typeof makeChip>) => {
      const e = estimateInference(c, 1, w, cal);
      if ("error" in e) throw new Error(e.error);
      return e.unloadedLatencyMs;
    };
    expect(at(npu({}))).toBeGreaterThan(12.5);
    expect(at(npu({ weights_on_chip: true }))).toBeLessThan(1);
  });
});

describe("a chip that runs a network op by op", () => {
  it("pays each layer's dispatch and streams its weights, though its SRAM could hold them (TT-NN, not a dataflow program)", () => {
    // 20 MB of int8 weights, 20 layers, 1 GFLOP: in 100 MB of SRAM a dataflow chip runs it as one program,
    // no per-layer cost, no weight reads: 0.1 ms + 1e9 / (100e12 · 0.5) = 0.12 ms. Op by op it pays
    // 20 × 50 µs and reads 20 MB at 10 GB/s · 0.8 (2.5 ms, larger than its 0.02 ms of math): 3.6 ms.
    const asic = (extra: object) =>
      makeChip({ class: "asic", peak_tops: { int8: 100 }, memory_bw_gbps: 10, memory_gb: 8, sram_gb: 0.1, ...extra });
    const w = makeWorkload({
      workload: {
        kind: "edge-inference",
        model: { params: "20M", flops_per_sample: "1G", family: "cnn", layers: 20 },
        precision: "int8",
      },
    });
    const perLayer50 = { ...cal, classes: { ...cal.classes, asic: { ...cal.classes.asic, per_layer_us: 50 } } };
    const at = (c: ReturnType<typeof makeChip>) => {
      const e = estimateInference(c, 1, w, perLayer50);
      if ("error" in e) throw new Error(e.error);
      return e.unloadedLatencyMs;
    };
    expect(at(asic({}))).toBeCloseTo(0.12, 2);
    expect(at(asic({ op_by_op: true }))).toBeCloseTo(0.1 + 1 + 2.5, 2);
  });
});

describe("Tenstorrent cards against tt-metal's published end-to-end runs (trace + 2 command queues)", () => {
  // Sources: tenstorrent/tt-metal models/demos/wormhole/yolov8s/README.md and blackhole/yolov8s/README.md
  // @05385f9b (YOLOv8s 640, batch 1: 215 FPS on an n150, 338 on a p150), models/demos/ttnn_resnet/README.md
  // (ResNet-50, batch 16: ~4,300 FPS on an n150), blackhole/resnet50/README.md @360b0411 (batch 16 and 32:
  // 9,130 and 10,880 FPS on a p150). The YOLOv8s rows set the per-layer cost; the ResNet rows check it.
  // Before the cards ran op by op in the model, YOLOv8s on an n150 came out 3.8x too fast.
  const { catalog, calibration } = builtinData();
  const rate = (chipId: string, model: string, precision: "fp16" | "int8", batch: number) => {
    const w = makeWorkload({ workload: { kind: "batch-inference", model, precision, batch_size: batch } });
    const e = estimateInference(catalog.chips.get(chipId)!, 1, w, calibration);
    if ("error" in e) throw new Error(e.error);
    return e.capacityPerS;
  };
  const rows: [string, string, "fp16" | "int8", number, number][] = [
    ["tenstorrent-wormhole-n150", "yolov8s", "fp16", 1, 215],
    ["tenstorrent-wormhole-n150", "resnet50", "int8", 16, 4300],
    ["tenstorrent-blackhole-p150a", "yolov8s", "fp16", 1, 338],
    ["tenstorrent-blackhole-p150a", "resnet50", "int8", 16, 9130],
    ["tenstorrent-blackhole-p150a", "resnet50", "int8", 32, 10880],
  ];
  it.each(rows)("%s %s %s batch %d: within 1.7x of %d/s", (chipId, model, precision, batch, measured) => {
    const ratio = rate(chipId, model, precision, batch) / measured;
    expect(ratio).toBeGreaterThan(1 / 1.7);
    expect(ratio).toBeLessThan(1.7);
  });
});

describe("an NPU of several cores", () => {
  it("runs a request on one core at its share of the peak; the cores serve side by side", () => {
    const w = makeWorkload({
      workload: {
        kind: "edge-inference",
        model: { params: "1M", flops_per_sample: "30G", family: "cnn", layers: 1 },
        precision: "int8",
      },
    });
    const at = (extra: object) => {
      const e = estimateInference(makeChip({ class: "npu", peak_tops: { int8: 6 }, ...extra }), 1, w, cal);
      if ("error" in e) throw new Error(e.error);
      return e;
    };
    const one = at({});
    const three = at({ npu_cores: 3 });
    // 30 GFLOP at 6 TOPS × 0.5 is 10 ms; on one of three 2-TOPS cores 30 ms, three requests at once.
    expect(three.unloadedLatencyMs / one.unloadedLatencyMs).toBeCloseTo(3, 1);
    expect(three.maxThroughputPerS / one.maxThroughputPerS).toBeCloseTo(1, 1);
    expect(three.replicas).toBe(3);
  });
});

describe("precision choice", () => {
  it("quantizes to the fastest allowed precision, never below the family's floor", () => {
    const chip = makeChip({ peak_tops: { fp16: 100, fp8: 200, int8: 200, int4: 400 } });
    const llm = makeWorkload({ workload: { kind: "realtime-inference", model: "llama-3-8b" } });
    const p = choosePrecision(chip, llm);
    expect(p.ok && p.precision).toBe("fp8"); // LLM floor is 1 byte; fp8 and int8 tie → the wider name first in order wins
  });
  it("at an equal peak an LLM runs 8-bit (it streams its weights every step); a CNN keeps the precision asked for", () => {
    // Gaudi 3 states FP8 and BF16 alike at 1,835 TFLOPS.
    const chip = makeChip({ peak_tops: { bf16: 1835, fp8: 1835 } });
    const llm = choosePrecision(chip, makeWorkload({ workload: { kind: "realtime-inference", model: "llama-3-70b" } }));
    expect(llm.ok && llm.precision).toBe("fp8");
    const cnn = choosePrecision(
      chip,
      makeWorkload({
        workload: { kind: "realtime-inference", model: "resnet50", precision: "bf16", quantization: "allowed" },
      }),
    );
    expect(cnn.ok && cnn.precision).toBe("bf16");
    // Asked not to quantize, the LLM stays at its own precision.
    const pinned = choosePrecision(
      chip,
      makeWorkload({ workload: { kind: "realtime-inference", model: "llama-3-70b", precision: "bf16" } }),
    );
    expect(pinned.ok && pinned.precision).toBe("bf16");
  });
  it("where a chip computes no narrower than 16 bits, an LLM allowed to quantize keeps 8-bit weights", () => {
    // An Apple GPU states fp16 and fp32 only: MLX 8-bit and llama.cpp Q8_0 weights are widened in-kernel.
    const chip = makeChip({ peak_tops: { fp16: 30, fp32: 15 }, memory_bw_gbps: 500, memory_gb: 64 });
    const allowed = choosePrecision(
      chip,
      makeWorkload({ workload: { kind: "realtime-inference", model: "llama-3-8b" } }),
    );
    expect(allowed).toMatchObject({ ok: true, precision: "fp16", weights: "int8", quantized: true });
    // Pinned to its own precision, or a model with no 8-bit floor (a CNN), it stays 16-bit throughout.
    const pinned = choosePrecision(
      chip,
      makeWorkload({ workload: { kind: "realtime-inference", model: "llama-3-8b", precision: "bf16" } }),
    );
    expect(pinned).toMatchObject({ ok: true, precision: "fp16", weights: "fp16" });
    const cnn = choosePrecision(
      chip,
      makeWorkload({ workload: { kind: "realtime-inference", model: "resnet50", quantization: "allowed" } }),
    );
    expect(cnn).toMatchObject({ ok: true, weights: cnn.ok ? cnn.precision : "" });
    // What the step reads halves: 8B at 8 bits over 500 GB/s against 16 bits.
    const step = (w: ReturnType<typeof makeWorkload>) => {
      const e = estimateInference(chip, 1, w, cal);
      if ("error" in e) throw new Error(e.error);
      return e.stepMs!;
    };
    const w8 = makeWorkload({
      workload: {
        kind: "realtime-inference",
        model: "llama-3-8b",
        input_tokens: 100,
        output_tokens: 100,
        batch_size: 1,
      },
    });
    const w16 = makeWorkload({
      workload: {
        kind: "realtime-inference",
        model: "llama-3-8b",
        precision: "bf16",
        input_tokens: 100,
        output_tokens: 100,
        batch_size: 1,
      },
    });
    expect(step(w16) / step(w8)).toBeGreaterThan(1.6);
  });
  it("a decode step reads the KV cache after its matrix products: the larger of math and weight reads, plus the cache's reads", () => {
    // 8B at fp16 on 100 TOPS and 1,000 GB/s, 256 sequences at a mean context of 1,500 tokens, flat factors 0.5:
    // math 2 × 8e9 × 256 FLOP at 0.5 of 100 TOPS = 81.92 ms; weights 16 GB / 500 GB/s = 32 ms;
    // KV 256 × 1,500 × 131,072 B (32 layers × 2 × 8 heads × 128 × 2 B) / 500 GB/s = 100.66 ms.
    const chip = makeChip({ peak_tops: { fp16: 100 }, memory_bw_gbps: 1000, memory_gb: 200 });
    const w = makeWorkload({
      workload: {
        kind: "realtime-inference",
        model: { params: "8B", family: "decoder-llm", layers: 32, hidden: 4096, kv_heads: 8, head_dim: 128 },
        precision: "fp16",
        quantization: "forbidden",
        input_tokens: 1000,
        output_tokens: 1000,
        batch_size: 256,
      },
      slo: { tokens_per_s: 1 },
    } as never);
    const e = estimateInference(chip, 1, w, cal);
    if ("error" in e) throw new Error(e.error);
    expect(e.batch).toBe(256);
    // Not max(81.92, 32 + 100.66) = 132.7 ms, as when the two kinds of read were taken to overlap the math.
    expect(e.stepMs!).toBeCloseTo(81.92 + 100.66, 0);
  });
  it("int4 LLM weights are weight-only: multiplied at 16 bits, stored and read at 4.5 bits a weight", () => {
    const chip = makeChip({ peak_tops: { int8: 400, fp16: 200, int4: 800 }, memory_bw_gbps: 400, memory_gb: 64 });
    const model = {
      params: "8B",
      family: "decoder-llm" as const,
      layers: 32,
      hidden: 4096,
      kv_heads: 8,
      head_dim: 128,
    };
    const at = (precision: "int4" | "int8" | "fp16") => {
      const e = estimateInference(
        chip,
        1,
        makeWorkload({
          workload: { kind: "batch-inference", model, precision, input_tokens: 2048, output_tokens: 256 },
        }),
        cal,
      );
      if ("error" in e) throw new Error(e.error);
      return e;
    };
    const w4 = at("int4");
    const w8 = at("int8");
    const w16 = at("fp16");
    // AWQ/GPTQ/llama.cpp dequantize in the kernel: the int4 peak (800) does not apply, fp16 (200) does.
    expect([w4.precision, w8.precision]).toEqual(["fp16", "int8"]);
    // A 2048-token prefill is compute-bound: 2 × 8e9 × 2048 = 32.8e12 FLOP / (200e12 × 0.5) = 328 ms
    // (+ attention) against 16 GB / (400 GB/s × 0.5) = 80 ms of fp16 weights: the same as fp16 weights.
    expect(w4.prefillMs!).toBeCloseTo(w16.prefillMs!, 6);
    // A lone stream reads the weights each step: 8e9 × 4.5 / 8 = 4.5 GB instead of 8 GB (int8).
    expect(w4.unloadedTokensPerS! / w8.unloadedTokensPerS!).toBeGreaterThan(1.7);
    expect(w4.breakdown[0]).toMatch(/precision fp16 \(weights int4, widened in-kernel\); weights 4.5 GB/);
  });

  it("llama.cpp's 8-bit GGUF weights (Q8_0) multiply at 16 bits like its 4-bit ones; vLLM's int8 uses the int8 peak", () => {
    const chip = makeChip({ peak_tops: { int8: 400, fp16: 200 }, memory_bw_gbps: 400, memory_gb: 64 });
    const at = (runtime: "llama-cpp" | "ollama" | "vllm") =>
      choosePrecision(
        chip,
        makeWorkload({
          workload: { kind: "realtime-inference", model: "qwen2.5-7b", precision: "int8", runtime },
        }),
      );
    for (const r of ["llama-cpp", "ollama"] as const)
      expect(at(r)).toEqual({ ok: true, precision: "fp16", quantized: false, weights: "int8" });
    expect(at("vllm")).toMatchObject({ ok: true, precision: "int8", weights: "int8" });
  });

  it("MLPerf's FP4 runs 4-bit activations too: then the int4 peak applies", () => {
    const chip = makeChip({ peak_tops: { fp16: 200, int4: 800 }, memory_bw_gbps: 400, memory_gb: 64 });
    const w = makeWorkload({ workload: { kind: "batch-inference", model: "llama-3-8b", precision: "int4" } });
    const weightOnly = choosePrecision(chip, w);
    const w4a4 = choosePrecision(chip, { ...w, int4Activations: true });
    expect([weightOnly.ok && weightOnly.precision, w4a4.ok && w4a4.precision]).toEqual(["fp16", "int4"]);
  });

  it("among equally fast precisions keeps the model's own: an int8 model on an MCU whose int8 and fp32 rates match stays int8", () => {
    const mcu = makeChip({
      class: "mcu",
      peak_tops: { fp32: 0.000192, int8: 0.000192 },
      memory_gb: 0.000256,
      flash_gb: 0.001,
    });
    const w = makeWorkload({ workload: { kind: "edge-inference", model: "resnet-8-cifar" } });
    const p = choosePrecision(mcu, w);
    expect(p.ok && [p.precision, p.weights, p.quantized]).toEqual(["int8", "int8", false]);
    // In int8 the network fits the 256 kB of SRAM; counted in fp32 it did not, and the chip was wrongly rejected.
    const e = estimateInference(mcu, 1, w, cal);
    if ("error" in e) throw new Error(e.error);
    expect(e.fits).toBe(true);
  });

  it("a microcontroller pays cycles per layer-output element on top of its MACs: thin, many-layered networks cost more per MAC", () => {
    // 100 MHz, int8 0.0002 TOPS at efficiency 0.5 → 10 MFLOP take 100 ms; 20 cycles × 50,000 outputs at
    // 100 MHz = 10 ms more; 0.1 ms fixed. Weights (10 kB) come from flash at 1 GB/s × 0.8: 0.0125 ms.
    const mcu = makeChip({
      class: "mcu",
      peak_tops: { int8: 0.0002 },
      memory_gb: 0.001,
      memory_bw_gbps: 1,
      flash_gb: 0.002,
      clock_mhz: 100,
    });
    const model = { params: "10k", flops_per_sample: "10M", family: "tiny" as const, layers: 1 };
    const at = (acts: number, p: ClassParams) => {
      const w = makeWorkload({
        workload: { kind: "edge-inference", model: { ...model, activation_elems_per_sample: acts }, precision: "int8" },
      });
      const e = estimateInference(mcu, 1, w, { ...cal, classes: { ...cal.classes, mcu: p } });
      if ("error" in e) throw new Error(e.error);
      return e.unloadedLatencyMs;
    };
    expect(at(50_000, flat)).toBeCloseTo(100.1, 9); // no per-element cost stated: MACs only
    expect(at(50_000, { ...flat, elem_cycles: 20 })).toBeCloseTo(110.1, 9);
    expect(at(1, { ...flat, elem_cycles: 20 })).toBeCloseTo(100.1002, 9);
    // An architecture's multiplier scales it (a Cortex-M0's requantisation takes ~3× the instructions).
    const withArch: Calibration = {
      ...cal,
      classes: { ...cal.classes, mcu: { ...flat, elem_cycles: 20 } },
      arch: { "arm-m0": { compute: 1, mem: 1, elem: 3 } },
    };
    const w = makeWorkload({
      workload: { kind: "edge-inference", model: { ...model, activation_elems_per_sample: 50_000 }, precision: "int8" },
    });
    const e = estimateInference({ ...mcu, arch: "arm-m0" }, 1, w, withArch);
    if ("error" in e) throw new Error(e.error);
    expect(e.unloadedLatencyMs).toBeCloseTo(130.1, 9);
    // A dataflow neural engine (MAX78000, Syntiant) requantises in its datapath: MACs only.
    const engine = estimateInference({ ...mcu, nn_engine: true }, 1, w, withArch);
    if ("error" in engine) throw new Error(engine.error);
    expect(engine.unloadedLatencyMs).toBeCloseTo(100.1, 9);
  });

  it("refuses to quantize when the profile forbids it", () => {
    const chip = makeChip({ peak_tops: { int8: 26 } });
    const w = makeWorkload({
      workload: { kind: "edge-inference", model: "resnet50", precision: "fp16", quantization: "forbidden" },
    });
    const p = choosePrecision(chip, w);
    expect(p.ok).toBe(false);
  });
  it("runs wider than asked when the chip lacks the precision", () => {
    const chip = makeChip({ peak_tops: { fp16: 100 } });
    const w = makeWorkload({ workload: { kind: "edge-inference", model: "resnet50", precision: "int8" } });
    const p = choosePrecision(chip, w);
    expect(p.ok && p.precision).toBe("fp16");
  });
});

describe("cost arithmetic (hand-checked)", () => {
  it("cloud: units × hourly × 730.5 h, per 1M at the average load", () => {
    // need 5,000/s; one unit reaches ~10,000/s within 50 ms → 1 unit at $1/h = $730.50/month.
    // average = 200M/day = 2,314.8/s → 6.09e9 inferences/month → $730.5 / 6.09e9 × 1e6 = $0.12 per 1M
    const chip = makeChip();
    const w = makeWorkload({
      workload: { kind: "realtime-inference", model: inline, precision: "int8" },
      slo: { throughput: "5000/s", latency_p99: "50ms" },
      volume: { requests_per_day: "200M" },
    });
    const o = estimateOption(makeOffering(), chip, w, cal);
    expect(o.units).toBe(1);
    expect(o.monthlyCostUsd).toBeCloseTo(HOURS_PER_MONTH, 9);
    expect(o.costPer1mUsd).toBeCloseTo((HOURS_PER_MONTH / ((2e8 / 86400) * HOURS_PER_MONTH * 3600)) * 1e6, 9);
    expect(o.costPer1mUsd).toBeCloseTo(0.12, 6);
  });

  it("bought: capex over the horizon + 10%/y support + energy at PUE (+ colocation, operations, − resale by default)", () => {
    // $36,000 over 36 months = $1,000/mo; support 10%/y = $300/mo; power at full load (no need stated) =
    // 300 W chip + 200 W host = 500 W × PUE 1.5 = 0.75 kW × 730.5 h × $0.20 = $109.575/mo.
    const chip = makeChip();
    const o = makeOffering({
      deployment: "on-prem",
      class: "onprem-gpu",
      regions: undefined,
      capex_usd: 36000,
      host_w: 200,
    });
    const bare = { colocation_per_kw_month: 0, operations_per_kw_month: 0, residual_value: 0 };
    const w = makeWorkload({
      workload: { kind: "batch-inference", model: inline, precision: "int8" },
      energy: { price_per_kwh: "$0.20", pue: 1.5 },
      costs: bare,
    });
    const e = estimateOption(o, chip, w, cal);
    expect(e.capexUsd).toBe(36000);
    expect(e.monthlyCostUsd).toBeCloseTo(1000 + 300 + 0.75 * HOURS_PER_MONTH * 0.2, 6);
    // The defaults add colocation 0.5 kW × $180 = $90/mo and operations 0.5 kW × $100 = $50/mo, and
    // take off the resale: 30% × $36,000 at 36 months = $10,800 → $300/mo.  1409.575 + 90 + 50 − 300 = 1249.575
    const d = estimateOption(
      o,
      chip,
      makeWorkload({
        workload: { kind: "batch-inference", model: inline, precision: "int8" },
        energy: { price_per_kwh: "$0.20", pue: 1.5 },
      }),
      cal,
    );
    expect(d.monthlyCostUsd).toBeCloseTo(1249.575, 6);
  });
});

describe("pickRegion", () => {
  it("rents in the cheapest region whose country the residency list allows, else the cheapest anywhere", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            country: fc.constantFrom("US", "BR", "CL", "MX", "CO"),
            usd_per_hour: fc.integer({ min: 1, max: 9 }),
            n: fc.nat(99),
          }),
          { minLength: 1, maxLength: 8 },
        ),
        fc.option(fc.uniqueArray(fc.constantFrom("US", "BR", "CL", "MX", "CO"), { minLength: 1, maxLength: 3 }), {
          nil: undefined,
        }),
        (rs, residency) => {
          const regions = rs.map((r, i) => ({
            region: `r-${r.n}-${i}`,
            country: r.country,
            usd_per_hour: r.usd_per_hour,
            source: "https://example.com",
            as_of: "2026-01-01",
          }));
          const o = makeOffering({ regions });
          // The definition: sort by price (then name), take the first allowed one, else the first.
          const sorted = [...regions].sort((a, b) => a.usd_per_hour - b.usd_per_hour || (a.region < b.region ? -1 : 1));
          const want = (residency && sorted.find((r) => residency.includes(r.country))) || sorted[0];
          expect(pickRegion(o, residency)).toEqual(want);
        },
      ),
      { seed: 11, numRuns: 300 },
    );
  });
});
