import type { Calibration } from "../estimate/perf.js";

/**
 * llama.cpp's prompt kernels (MMQ, or cuBLAS after a dequantization pass) against a serving stack's GEMMs on
 * the same GPU and model, as the ratio of their prefill rates with llama.cpp's fp16-accumulate gain
 * (precision.ts, fp16AccumulateGain) taken out. Four published comparisons, geometric mean 0.70:
 * - TinyChat 2.0 README (mit-han-lab/llm-awq, tinychat/README.md, "Comparison with Other Systems"), RTX 4090,
 *   4-bit Llama-3-8B, TTFT at 1,024/2,048/4,096 tokens: TensorRT-LLM 0.100/0.204/0.421 s, llama.cpp
 *   0.086/0.175/0.375 s: 1.15× faster with twice the tensor rate from fp16 accumulation → 0.575.
 * - LocalAI's llama.cpp notes (mudler/LocalAI, backend/cpp/llama-cpp/paged/VLLM_DECOMPOSITION.md, 2026),
 *   DGX Spark, Qwen3-32B at batch 1: llama.cpp Q4_K_M 718 tokens/s against vLLM 0.23 (W4A16 Marlin) ~800 → 0.90.
 * - The same repository's patches/paged/QWEN36_NVFP4_BENCH.md (2026), 512-token prompts at 8 concurrent, the
 *   same NVFP4 weights on both: dense Qwen3.6-27B 1,117 against 1,514 → 0.74; 35B-A3B mixture of experts 2,813
 *   against 4,648 → 0.61.
 * The spread (0.58–0.90) is build and model dependent: the llama.cpp results in data/validation are 2024
 * builds, slower than the 2025 one in the first comparison.
 */
export const LLAMA_CPP_PREFILL = 0.7;

/**
 * Starting points for the fit, before any measurement is seen, from data/reference/achievable_fractions.md:
 * large GEMMs reach ~0.8 of peak on an H200 and whole networks ~0.4 (the worked ResNet-50 check); copies
 * reach ~0.9 of bandwidth (aiconfigurator uses 0.8); kernels cost a few µs each; LLM training MFU is
 * 0.35–0.55 on large GPU clusters. Other classes start lower, as the same file's other estimators do.
 * act_dram starts at 0.5 for parts with large last-level caches (GPUs: 40–50 MB L2; server CPUs: hundreds of MB of L3).
 * LLM decode at batch 1 streams the weights, as a copy does: edge GPUs and NPUs start at aiconfigurator's 0.8
 * of bandwidth and ~1 ms a step (its 3 µs per memory-bound kernel, a few hundred kernels a token); the
 * MLPerf rows barely reach these classes' decode, so the priors stand.
 * llama.cpp (and Ollama on it) prefills at LLAMA_CPP_PREFILL of what the serving stacks reach on the same GPU.
 * Cross-validation fits from these, so a held-out group never influences its own prediction.
 */
export const PRIORS: Calibration = {
  version: 1,
  classes: {
    gpu: {
      compute: { default: 0.4 },
      mem: 0.8,
      act_dram: 0.5,
      overhead_ms: 0.05,
      per_layer_us: 4,
      prefill: 0.55,
      llama_cpp_prefill: LLAMA_CPP_PREFILL,
      decode_mem: 0.75,
      decode_compute: 0.5,
      step_overhead_ms: 2,
      // aiconfigurator's 3 µs per memory-bound kernel (achievable_fractions.md), for every kernel of a step.
      kernel_us: 3,
      mfu: 0.4,
    },
    asic: {
      compute: { default: 0.35 },
      mem: 0.75,
      overhead_ms: 0.1,
      per_layer_us: 5,
      prefill: 0.5,
      decode_mem: 0.65,
      decode_compute: 0.45,
      step_overhead_ms: 3,
      mfu: 0.35,
    },
    "edge-gpu": {
      compute: { default: 0.3 },
      mem: 0.7,
      overhead_ms: 0.3,
      per_layer_us: 15,
      prefill: 0.4,
      llama_cpp_prefill: LLAMA_CPP_PREFILL,
      decode_mem: 0.8,
      decode_compute: 0.4,
      step_overhead_ms: 1,
      kernel_us: 3,
      mfu: 0.3,
    },
    npu: {
      compute: { default: 0.3 },
      mem: 0.6,
      overhead_ms: 0.5,
      per_layer_us: 20,
      prefill: 0.3,
      decode_mem: 0.8,
      decode_compute: 0.3,
      step_overhead_ms: 1,
      mfu: 0.2,
    },
    mcu: {
      compute: { default: 0.3 },
      mem: 0.5,
      overhead_ms: 0.2,
      per_layer_us: 50,
      // Each int8 output is requantised (CMSIS-NN arm_nn_requantize, Include/arm_nnsupportfunctions.h: a
      // 32×32→64-bit multiply, a rounding shift) and gets a bias, an offset and a clamp before its store:
      // about 20 instructions, most single-cycle on a Cortex-M with the DSP extension.
      elem_cycles: 20,
      prefill: 0.3,
      decode_mem: 0.5,
      decode_compute: 0.3,
      step_overhead_ms: 10,
      mfu: 0.1,
    },
    fpga: {
      compute: { default: 0.35 },
      mem: 0.7,
      overhead_ms: 0.3,
      per_layer_us: 10,
      prefill: 0.3,
      decode_mem: 0.6,
      decode_compute: 0.3,
      step_overhead_ms: 5,
      mfu: 0.2,
    },
    cpu: {
      compute: { default: 0.3 },
      mem: 0.6,
      act_dram: 0.5,
      overhead_ms: 0.2,
      per_layer_us: 20,
      prefill: 0.4,
      decode_mem: 0.6,
      decode_compute: 0.4,
      step_overhead_ms: 5,
      mfu: 0.2,
    },
  },
  arch: {
    // Apple GPUs have no matrix units: their fp16 "peak" is the plain FMA rate of the shader ALUs, and a
    // tuned GEMM on ALUs reaches a larger share of it than kernels reach of a tensor-core peak (the
    // edge-gpu class is fitted on Jetsons). llama.cpp's Apple Silicon table (ggml-org/llama.cpp
    // discussion #4167, LLaMA 2 7B F16, Metal) has the 32-core M1 Max at 599.53 prompt tokens/s at pp512:
    // 599.53 × 13.6 GFLOP a token = 8.2 TFLOPS, 0.785 of its 10.4, against the class's prefill 0.4 →
    // compute × 1.96. No calibration row is an Apple GPU, so the fit keeps this prior; data/validation
    // (another source, other chips and models) checks it. Memory: the same table's decode reads 59–78 % of
    // bandwidth depending on the weight format (M1 Max, LLaMA 2 7B: F16 78 %, Q4_0 59 %; a quantized
    // mat-vec dequantizes in the shader ALUs, which have no integer dot product), so its middle, 0.68, is
    // taken: × 0.85 on the class's 0.8.
    "apple-gpu": { compute: 1.96, mem: 0.85 },
    // Cortex-M0/M0+ (ARMv6-M) have no 32×32→64-bit multiply (SMULL), no saturation (SSAT) and no DSP
    // extension (ARMv6-M Architecture Reference Manual, §A5): the per-output requantisation's 64-bit
    // product becomes a libgcc __aeabi_lmul call (four 32-bit multiplies and the carries) and the clamp two
    // compares and branches, about three times the instructions of a core with the DSP extension.
    "arm-m0": { compute: 1, mem: 1, elem: 3 },
    // Jetson Orin boards decode under llama.cpp (and Ollama) at about 0.6 of the rate of the stacks the
    // edge-gpu class's decode prior describes (MLC, TensorRT, vLLM), in four same-board comparisons at full
    // power: NVIDIA's LLaVA tutorial (NVIDIA-AI-IOT/jetson-generative-ai-playground docs/tutorial_llava.md
    // @9e682c33, AGX Orin, Llava-1.5-13B Q4_K, 2023-12): llama.cpp 10.17 tokens/s against MLC 21.1 → 0.48;
    // hokwangchoi/jetson-orin-nano-benchmarks vlm-benchmarks/README.md @2fdc5bf7 (Orin Nano Super, MAXN_SUPER
    // and jetson_clocks, Cosmos-Reason2-2B, 2026-04): llama.cpp 38 against TensorRT Edge-LLM 60 and vLLM 56 →
    // 0.64 and 0.69; alansrobotlab2/mlc-llm qwen3_5.md @151003bd (AGX Orin, MAXN and jetson_clocks,
    // Qwen3.6-35B-A3B, 2026-05): llama.cpp 29.6 and 29.2 against a tuned MLC 54.4 and 46.3 → 0.54 and 0.63.
    // Geometric mean 0.59; NVIDIA's Ollama tutorial says "roughly half of peak performance versus the faster
    // APIs". The fit keeps it (no calibration row runs llama.cpp); data/validation's llama.cpp rows on an
    // Orin Nano Super (another source) check it.
    "nvidia-orin": { compute: 1, mem: 1, llama_cpp_decode: 0.6 },
    // Tenstorrent's tt-metal LLM demos decode at batch 1 below the asic class's share of bandwidth
    // (tenstorrent/tt-metal models/tt_transformers/PERF.md, commit 97622714, Performance table: Llama 3.1 8B
    // 28.3 t/s/u on an n150 and 44.2 on an n300, Mistral 7B 29.75 and 47.01). Read as this model reads them
    // (4-bit weights, 3 ms a step) the n150 rows need the memory factor × 0.75, the n300 rows (two chips on
    // one card, tensor-parallel over its on-board Ethernet, which the catalog models as one device) × 0.62:
    // their middle, 0.68. Blackhole runs the same Tensix cores and stack, and the vendor marks its software
    // less optimized, so it gets the same. No calibration row is a Tenstorrent chip: the fit keeps the prior;
    // data/validation's tt-metal rows (another table: batch 32, other releases) check it.
    "tenstorrent-wormhole": { compute: 1, mem: 0.68 },
    // MI300X/MI325X split over 8 GPUs decode far slower per sequence than their share of peak says, in
    // proportion to the hidden width each GPU holds. AMD's own vLLM latency table (ROCm/vllm
    // docs/dev-docker/README.md, commit 040de12d, "Latency Measurements": 8× MI300X, TP 8, FP8, 128 in /
    // 2,048 out, batch 1–128) has Llama 3.1 70B at 17.2 s for one request and 46.5 s for 128: 8.4 ms a
    // step, then 0.11 ms more per sequence, ~5× what the class's decode compute gives at 1,024 of hidden
    // per GPU. Llama 3.1 405B (16,384 of hidden, 2,048 per GPU) loses half as much (23.7 ms, then 0.26 ms
    // per sequence for 5.7× the work). A narrow split gives each GPU thin matrices, too few output tiles
    // for 304 compute units; both models fit within 0.94–1.3× at every batch with the decode compute
    // × min(1, hidden / (tp × 5,120)). At one GPU per copy (AMD's MLPerf Llama 2 70B runs) nothing is
    // lost. Past 128 sequences a step, taller matrices add rows of tiles and fill more of the units
    // (decode-step.ts, tpFillAt): the same README's throughput table, hundreds of sequences in flight, ran
    // 0.52–0.78× of the tool without that term. The table is not in data/validation; its throughput table,
    // AMD's ROCm blog and InferenceX's MI300X/MI325X runs (other models, stacks and releases) check it there.
    "amd-cdna3": { compute: 1, mem: 1, tp_width: 5120 },
    "tenstorrent-blackhole": { compute: 1, mem: 0.68 },
  },
};
