import type { Precision } from "../catalog/schema.js";

/**
 * A published measurement the performance model can be compared with: one chip × count running one
 * model in one scenario. Produced from data/mlperf/mlperf_calibration.csv or a team's own CSV.
 */
export interface Measurement {
  readonly id: string;
  readonly suite: string;
  readonly system: string;
  readonly chip: string;
  readonly count: number;
  /** Model preset id. */
  readonly model: string;
  readonly benchmark: string;
  readonly scenario: Scenario;
  readonly value: number;
  readonly unit: "samples/s" | "tokens/s" | "ms" | "uJ" | "minutes";
  /** Precision the submission ran at, where known. */
  readonly precision?: Precision;
  /** Leave-one-group-out key: chip family × benchmark. */
  readonly group: string;
  /** LLM request shape, beams (GPT-J) and latency bounds, as the benchmark defines them. */
  readonly inputTokens?: number;
  readonly outputTokens?: number;
  /** Output length of the longest 1% of requests (whole-request latency bounds). */
  readonly outputTokensP99?: number;
  readonly beams?: number;
  readonly latencyBoundMs?: number;
  readonly ttftBoundMs?: number;
  readonly tpotBoundMs?: number;
  /** Training: devices per node, method, and the volume to reach the quality target. */
  readonly perUnit?: number;
  readonly method?: "full" | "lora";
  readonly trainTokens?: number;
  readonly trainSamples?: number;
  /** Training: tokens per sequence (attention work). */
  readonly trainSeqLen?: number;
  /** Share of the preset's per-sample work the benchmark really does (e.g. padding skipped). */
  readonly workScale?: number;
  /** A narrower precision the submission used where the chip has it (NVIDIA: "FP8 or FP4 where supported"). */
  readonly precisionIfSupported?: Precision;
  /** Serving set-up the submission's code fixes (LLMs): static batches of `batchSize` requests per device. */
  readonly batching?: "static";
  readonly batchSize?: number;
  /** Where the row's value sits in a team's CSV, for errors that point at it. */
  readonly valueAt?: { readonly line: number; readonly col: number };
  /** Why the row is kept out of fitting and the summary (still listed), e.g. circular data. */
  readonly excluded?: string;
}

export type Scenario =
  | "offline"
  | "server"
  | "interactive"
  | "singlestream"
  | "tiny-latency"
  | "tiny-energy"
  | "training";

/** Units where a smaller figure is the faster one (latency, energy, time to train). */
export const smallerIsFaster = (u: Measurement["unit"]): boolean => u === "ms" || u === "uJ" || u === "minutes";

export interface Skipped {
  readonly line: number;
  readonly what: string;
  readonly reason: string;
}

/** RFC 4180 CSV: quoted fields, doubled quotes, commas and newlines inside quotes. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(field);
      field = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      row.push(field);
      field = "";
      if (row.length > 1 || row[0] !== "") rows.push(row);
      row = [];
    } else field += c;
  }
  if (field !== "" || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/** Accelerator names in MLPerf submissions → catalog chip ids and the family used for cross-validation. */
const ACCELERATORS: readonly [RegExp, string, string][] = [
  [/GB200/, "nvidia-gb200", "nvidia-blackwell"],
  [/B200/, "nvidia-b200-sxm", "nvidia-blackwell"],
  [/GH200.*144GB/, "nvidia-gh200-144gb", "nvidia-hopper"],
  [/GH200.*96 ?GB/, "nvidia-gh200-96gb", "nvidia-hopper"],
  [/H200/, "nvidia-h200-sxm", "nvidia-hopper"],
  [/H100/, "nvidia-h100-sxm", "nvidia-hopper"],
  [/A100/, "nvidia-a100-80gb-sxm", "nvidia-ampere"],
  [/L40S/, "nvidia-l40s", "nvidia-ada"],
  [/RTX-2000E/, "nvidia-rtx-2000e-ada", "nvidia-ada"],
  [/\bL4\b/, "nvidia-l4", "nvidia-ada"],
  [/MI325X/, "amd-mi325x", "amd-cdna3"],
  [/MI300X/, "amd-mi300x", "amd-cdna3"],
  [/Gaudi(\(R\))?.?2/, "intel-gaudi2", "intel-gaudi"],
  [/Cloud AI 100 Ultra/i, "qualcomm-cloud-ai100-ultra", "qualcomm-ai100"],
  [/TPU.?v6|trillium/i, "google-tpu-v6e", "google-tpu"],
  [/TPU.?v5e/i, "google-tpu-v5e", "google-tpu"],
  [/TPU.?v5p/i, "google-tpu-v5p", "google-tpu"],
  [/Jetson AGX Orin 64/, "nvidia-jetson-agx-orin-64gb", "nvidia-orin"],
  [/Orin NX 16/, "nvidia-jetson-orin-nx-16gb", "nvidia-orin"],
  [/speedAI240/, "untether-speedai240", "untether"],
  [/Cortex-M7 @ 280/i, "st-stm32h7a3", "arm-m7"],
  [/M85 @ 480/, "renesas-ra8d1", "arm-m85"],
  [/M33.*@ 160/, "st-stm32u575", "arm-m33"],
  [/M33.*@ 128/, "nordic-nrf5340", "arm-m33"],
  [/M33.*@ 96/, "st-stm32u385", "arm-m33"],
  [/M4 .*@ 120/, "st-stm32l4r5", "arm-m4"],
  [/M4 .*@ 150/, "infineon-psoc62", "arm-m4"],
  [/M0\+ @ 64/, "st-stm32g0b1", "arm-m0"],
  [/Syntiant/, "syntiant-ndp9120", "syntiant"],
];

const HOST_CPUS: readonly [RegExp, string, string][] = [
  [/6980P/, "intel-xeon-6980p", "intel-xeon"],
  [/8592\+/, "intel-xeon-8592plus", "intel-xeon"],
];

/**
 * MLPerf benchmarks → model presets, request shapes and latency bounds as the benchmark defines them
 * (data/mlperf/mlperf_README.md §2–3). LLM mean input/output lengths: research note
 * brief/research-llm-shapes.md, computed from the official datasets' per-sample token lengths as listed in
 * openshift-psap/performance-dashboard mlperf-data/summaries/*.csv (stratified samples, ±1–4%), and the
 * reference output lengths in mlcommons/inference language/<model>/README.md and the submission checker.
 */
interface Bench {
  model: string;
  server?: { latencyMs?: number; ttftMs?: number; tpotMs?: number };
  interactive?: { ttftMs: number; tpotMs: number };
  inputTokens?: number;
  outputTokens?: number;
  outputTokensP99?: number;
  beams?: number;
  workScale?: number;
}
const LLAMA2_70B: Bench = {
  model: "llama-2-70b",
  server: { ttftMs: 2000, tpotMs: 200 },
  interactive: { ttftMs: 450, tpotMs: 40 },
  // OpenOrca, 24,576 prompts: mean 217 ± 3 tokens (psap summaries/llama2-70b-99.csv, tok_input_length,
  // origin-stratified); 291 generated tokens per sample in the v4.x logs (reference 294.45, README).
  inputTokens: 217,
  outputTokens: 291,
};
/**
 * Serving set-ups a submitter's code fixes for a benchmark, where they differ from continuous batching at
 * a batch the estimator chooses. Intel's GPT-J on Xeon (inference_results_v4.1,
 * closed/Intel/code/gptj-99/pytorch-cpu/run_mlperf.sh and run_inference.sh): Neural Speed runs static
 * batches with BEAM_SIZE=4 and int4 weights, one process per NUMA node (here: per socket); Offline runs 4
 * workers × BATCH_SIZE=12 a process (as fast as one batch of 12 with the whole socket when memory-bound:
 * each worker streams the weights with a quarter of the bandwidth), Server 1 worker × BATCH_SIZE=4.
 */
const SERVING: readonly {
  submitter: RegExp;
  benchmark: RegExp;
  batching: "static";
  batch: Partial<Record<Scenario, number>>;
}[] = [{ submitter: /^Intel$/, benchmark: /^gptj-99/, batching: "static", batch: { offline: 12, server: 4 } }];

const BENCHMARKS: Record<string, Bench> = {
  resnet50: { model: "resnet50", server: { latencyMs: 15 } },
  retinanet: { model: "retinanet", server: { latencyMs: 100 } },
  // SQuAD v1.1 at max length 384 is 54% padding (https://openreview.net/forum?id=3nzKUh9a4M), and MLPerf
  // submitters run variable-length (unpadded) kernels: the work is 46% of the padded preset's.
  "bert-99": { model: "bert-large", server: { latencyMs: 130 }, workScale: 0.46 },
  // GPT-J: beam search with 4 beams (language/gpt-j/backend_PyTorch.py); 69 generated tokens per result
  // (mlperf.conf token_latency_scaling_factor, consistent with the 300.5-character reference gen_len);
  // mean input ≈ 860 tokens: the same 13,368 CNN-DailyMail articles measure 851 Llama-3 tokens (psap
  // summaries/llama3-1-8b-datacenter.csv) and the two tokenizers truncate alike (research-llm-shapes.md §1).
  // Server bound: p99 of the whole query ≤ 20 s (gptj.Server.target_latency); outputs run 30–128 tokens
  // (min_new_tokens/max_new_tokens), so the slowest 1% generate close to the 128-token cap.
  "gptj-99": {
    model: "gpt-j-6b",
    server: { latencyMs: 20_000 },
    inputTokens: 860,
    outputTokens: 69,
    outputTokensP99: 128,
    beams: 4,
  },
  "llama2-70b-99": LLAMA2_70B,
  "llama2-70b-99.9": LLAMA2_70B,
  // Llama-3.1-8B (CNN-DailyMail summarisation): mean input 851 ± 20 tokens with the chat template (psap
  // summaries/llama3-1-8b-datacenter.csv, len(tok_input)); max_tokens 128 (SUT_VLLM.py) and a 611-character
  // reference output (checker gen_len) give ≈ 125 generated tokens (derived, not measured).
  "llama3.1-8b": {
    model: "llama-3.1-8b",
    server: { ttftMs: 2000, tpotMs: 100 },
    interactive: { ttftMs: 500, tpotMs: 30 },
    inputTokens: 851,
    outputTokens: 125,
  },
  // Mixtral-8x7B: 5,000 prompts each of GSM8K (665 tokens), OpenOrca (≈ 390) and MBXP (198): mean ≈ 416 ± 15
  // (psap summaries/mixtral-8x7b.csv, source-stratified); 144 generated tokens per sample (v5.1 MI325X logs:
  // 143.6–143.8; reference 144.84, language/mixtral-8x7b/README.md).
  "mixtral-8x7b": { model: "mixtral-8x7b", server: { ttftMs: 2000, tpotMs: 200 }, inputTokens: 416, outputTokens: 144 },
  "stable-diffusion-xl": { model: "sdxl", server: { latencyMs: 20_000 } },
  kws: { model: "ds-cnn-kws" },
  vww: { model: "mobilenet-v1-vww" },
  ic: { model: "resnet-8-cifar" },
  ad: { model: "fc-autoencoder-ad" },
};

/**
 * The precision a submission ran at: `weight_data_types` (the UNet's for SDXL), except that NVIDIA's
 * LLM entries run FP8 whatever the metadata says (mlperf_README §5.4). 4-bit formats map to int4.
 */
export function precisionOf(text: string): Precision | undefined {
  const m = /weight_data_types=(\{[^}]*\}|\S+)/.exec(text);
  let w = m ? m[1]! : text;
  const unet = /'unet': '([^']+)'/.exec(w);
  if (unet) w = unet[1]!;
  w = w.toLowerCase();
  if (/calibration\.md/.test(text) && /fp16|bf16/.test(w)) return "fp8";
  if (/fp4|int4/.test(w)) return "int4";
  if (/fp8|float8/.test(w)) return "fp8";
  if (/int8/.test(w)) return "int8";
  if (/bf16/.test(w)) return "bf16";
  if (/fp16/.test(w)) return "fp16";
  return undefined;
}

/**
 * MLPerf Training benchmarks → presets and the volume each needs to reach its quality target, from the
 * reference convergence points (RCP) in github.com/mlcommons/logging, mlperf_logging/rcp_checker/. The
 * volume depends on the global batch size; where a run's own logs state what it processed, TRAINING_RUNS
 * below gives that instead (a workload-shape input, not a measured time).
 */
const TRAINING: Record<
  string,
  { model: string; method: "full" | "lora"; volume: (devices: number) => { tokens?: number; samples?: number } }
> = {
  // training_4.0.0/rcps_resnet.json: 35.0 epochs at batch 1,632 and 35.2 at 3,264; all 15 ResNet logs in the
  // calibration file stop at epoch 35 (evals on epochs 3, 7, …, 35) × 1,281,167 images (logged train_samples).
  resnet: { model: "resnet50", method: "full", volume: () => ({ samples: 35 * 1_281_167 }) },
  // training_3.1.0/rcps_bert.json: 2.41 M samples at batch 448. Submitters pack about two real sequences
  // into each 512-token row (NVIDIA PACKING_FACTOR=2 with --packed_samples; Habana's packed_data_500_pt), and
  // samples count original sequences: ≈ 256 real tokens per sample (brief/research-training.md note 1;
  // padding is over half of Wikipedia at 512, Krell et al., arXiv 2107.02027).
  bert: { model: "bert-large", method: "full", volume: () => ({ tokens: 2.41e6 * BERT_TOKENS_PER_SAMPLE }) },
  // training_5.0.0/rcps_llama2_70b_lora.json "samples to converge": 3,187 at batch 8, 6,029 at 32,
  // 11,290 at 128 (8,192-token samples, scrolls_gov_report_8k); batch = devices assumed.
  llama2_70b_lora: {
    model: "llama-2-70b",
    method: "lora",
    volume: (d) => ({ tokens: 8192 * (d <= 8 ? 3187 : d <= 16 ? 4032 : d <= 32 ? 6029 : d <= 64 ? 8246 : 11290) }),
  },
  // Every GPT-3 log in the calibration file (NVIDIA H100/B200, TPU v5e/v5p/Trillium) stops at 1,207,959,552
  // tokens, the 24th evaluation (evals every 50,331,648 tokens); training_4.1.0/rcps_gpt3.json: 1.18–1.20 B
  // at batch 1,536–2,048.
  gpt3: { model: "gpt3-175b", method: "full", volume: () => ({ tokens: 1_207_959_552 }) },
};
const BERT_TOKENS_PER_SAMPLE = 256;

/**
 * What a training run's own MLLOG logs state, by system tag and benchmark: samples processed to the target
 * (mean over its result_*.txt logs) and the precision its launch scripts/configs set. From
 * brief/research-training.md (mlcommons/training_results_v3.1 and v4.0; v4.1 and v5.0 read from the public
 * forks swsok/training_results_v4.1 and prishajain1/training_results_v5.0 at the same paths).
 */
const TRAINING_RUNS: Record<string, { samples?: number; precision?: Precision }> = {
  // Intel-HabanaLabs/results/HLS-Gaudi2-PT/bert/result_0..9.txt (run_stop epoch_num); bf16 autocast.
  "HLS-Gaudi2-PT bert": { samples: 2_476_320, precision: "bf16" },
  // NVIDIA/results/b200_preview_pytorch/bert (train_samples at run_stop); --fp16 AMP.
  "b200_preview_pytorch bert": { samples: 2_473_448, precision: "fp16" },
  // NVIDIA/results/nyx_n1_ngc25.04_pytorch/bert; --fp16 AMP.
  "nyx_n1_ngc25.04_pytorch bert": { samples: 2_414_614, precision: "fp16" },
  // NVIDIA gpt3: config_fp8.sh (FP8 hybrid; inferred for the 64-node H100 config), FP8_PARAMS for B200.
  "eos_n64_ngc23.09_nemo gpt3": { precision: "fp8" },
  "b200_n8_preview_nemo gpt3": { precision: "fp8" },
  // Google: quantization=int8 in trillium-512.sh and v5p-1024.sh; v5e: the README's
  // C4SpmdGpt3AdamDataParallel16x16x16Int8 experiment with ENABLE_LOCAL_AQT=true (int8 AQT matmuls).
  "cloud-tpu-trillium-512-maxtext gpt3": { precision: "int8" },
  "cloud-tpu-v5e-4096-PAX gpt3": { precision: "int8" },
  "cloud-tpu-v5p-1024-maxtext gpt3": { precision: "int8" },
  // llama2_70b_lora samples_count at run_stop (mean of 10 logs): Habana 3,187.2 with --fp8
  // (run_llama_70B_fp8_submission.sh); Juniper 64×A100 13,286.4 in bf16 (--bf16 True, no fp8);
  // NVIDIA B200 v5.0 3,187.2 and v4.1 3,148.8, FP8 (conf yaml fp8 True; FP8=True, FP8_DPA=1).
  "HLS-Gaudi2-PT llama2_70b_lora": { samples: 3187.2, precision: "fp8" },
  "a100_n8_ngc24.1_pytorch_deepspeed llama2_70b_lora": { samples: 13_286.4, precision: "bf16" },
  "nyx_n1_ngc25.04_nemo llama2_70b_lora": { samples: 3187.2, precision: "fp8" },
  "b200_preview_nemo llama2_70b_lora": { samples: 3148.8, precision: "fp8" },
  // AMD Instinct, v5.0 (mlcommons/training_results_v5.0 @0fdc28f, read directly): samples_count at run_stop,
  // mean of 10 logs; FP8=True in every config_MI3*.sh (AMD's, Dell's pytorch copy, MangoBoost's).
  "MI300X_EPYC_9575F_pytorch llama2_70b_lora": { samples: 3110.4, precision: "fp8" },
  "MI325X_EPYC_9575F_pytorch llama2_70b_lora": { samples: 2995.2, precision: "fp8" },
  "1xXE9680x8MI300X llama2_70b_lora": { samples: 3110.4, precision: "fp8" },
  "MI300X-LLMBoost-GPUBoost-2node llama2_70b_lora": { samples: 3072.0, precision: "fp8" },
  // ResNet: --dtype float16 (NVIDIA eos/h200 MXNet, Lenovo L40S).
  "eos_ngc24.04_mxnet resnet": { precision: "fp16" },
  "h200_ngc24.04_mxnet resnet": { precision: "fp16" },
  "SR675V3-8xL40S_PCIe_48GB_350W resnet": { precision: "fp16" },
};

/** Tokens per sample of a training benchmark whose volume is in tokens (8,192-token LoRA samples). */
const TOKENS_PER_SAMPLE: Record<string, number> = { bert: BERT_TOKENS_PER_SAMPLE, llama2_70b_lora: 8192 };
/** Sequence length of a training benchmark's samples (GPT-3: 2,048; LoRA: 8,192; BERT: a packed sequence's real tokens). */
const TRAIN_SEQ: Record<string, number> = { ...TOKENS_PER_SAMPLE, gpt3: 2048 };

/** Read data/mlperf/mlperf_calibration.csv into measurements the model can express, and the rest with reasons. */
export function parseMlperfCsv(text: string): { rows: Measurement[]; skipped: Skipped[] } {
  const table = parseCsv(text);
  const head = table[0] ?? [];
  const col = (name: string) => head.indexOf(name);
  const rows: Measurement[] = [];
  const skipped: Skipped[] = [];
  for (let i = 1; i < table.length; i++) {
    const r = table[i]!;
    const get = (name: string) => r[col(name)] ?? "";
    const line = i + 1;
    const suite = get("suite");
    const benchmark = get("benchmark");
    const what = `${get("system_name").slice(0, 60)} ${benchmark} ${get("scenario")} ${get("metric").slice(0, 40)}`;
    const skip = (reason: string) => skipped.push({ line, what, reason });
    if (suite === "training") {
      const t = TRAINING[benchmark];
      const accel = get("accelerator");
      const hit = ACCELERATORS.find(([re]) => re.test(accel));
      const countText = get("accelerator_count");
      const total = Number(/^\d+/.exec(countText)?.[0] ?? NaN);
      const perNode = Number(/x\s*(\d+)\)/.exec(countText)?.[1] ?? Math.min(total, 8));
      if (!t) {
        skip(`training ${benchmark}: no preset for its model (Stable Diffusion v2 training is not modelled)`);
        continue;
      }
      if (!hit || !Number.isFinite(total)) {
        skip(`no catalog chip for accelerator "${accel}"`);
        continue;
      }
      const tag = /\[([^\]]+)\]/.exec(get("system_name"))?.[1] ?? "";
      const run = TRAINING_RUNS[`${tag} ${benchmark}`];
      const v =
        run?.samples !== undefined
          ? TOKENS_PER_SAMPLE[benchmark]
            ? { tokens: run.samples * TOKENS_PER_SAMPLE[benchmark]! }
            : { samples: run.samples }
          : t.volume(total);
      // Without a stated precision: LLM training on Hopper, Blackwell and Gaudi runs FP8 (Transformer
      // Engine / Intel's FP8 recipes); the rest trains in bf16.
      const fp8 =
        t.model !== "resnet50" && t.model !== "bert-large" && /nvidia-(hopper|blackwell)|intel-gaudi/.test(hit[2]);
      rows.push({
        id: `L${line}`,
        suite,
        system: get("system_name"),
        chip: hit[1],
        count: total,
        perUnit: perNode,
        model: t.model,
        benchmark,
        scenario: "training",
        value: Number(get("value")),
        unit: "minutes",
        group: `${hit[2]} × ${benchmark}`,
        method: t.method,
        precision: run?.precision ?? (fp8 ? "fp8" : undefined),
        trainTokens: v.tokens,
        trainSamples: v.samples,
        trainSeqLen: TRAIN_SEQ[benchmark],
      });
      continue;
    }
    const bench = BENCHMARKS[benchmark];
    if (!bench) {
      skip(
        benchmark.startsWith("3d-unet")
          ? "3D-UNet: KiTS19 volumes vary in size and the patches per volume are not stated"
          : `no preset for benchmark ${benchmark}`,
      );
      continue;
    }
    const accel = get("accelerator");
    let chip: string | undefined;
    let family: string | undefined;
    let count = Number(get("accelerator_count"));
    if (/^none/i.test(accel)) {
      const host = get("host_cpu");
      const hit = HOST_CPUS.find(([re]) => re.test(host));
      if (hit) {
        chip = hit[1];
        family = hit[2];
        count = Number(/^(\d+)x/.exec(host)?.[1] ?? 1);
      }
    } else {
      const hit = ACCELERATORS.find(([re]) => re.test(accel));
      if (hit) {
        chip = hit[1];
        family = hit[2];
      }
    }
    if (!chip || !family) {
      skip(`no catalog chip for accelerator "${accel}"`);
      continue;
    }
    if (/RedHat|vLLM/.test(get("system_name")) && /XE8640_4xH100/.test(get("system_name"))) count = 1; // used 1 of 4 GPUs (mlperf_README §5.11)
    const metric = get("metric");
    const value = Number(get("value"));
    const unitText = get("unit");
    let scenario: Scenario | undefined;
    let unit: Measurement["unit"] | undefined;
    if (suite === "tiny") {
      if (metric.startsWith("latency_ms")) [scenario, unit] = ["tiny-latency", "ms"];
      else if (metric.startsWith("median_energy")) [scenario, unit] = ["tiny-energy", "uJ"];
    } else if (metric === "offline_throughput")
      [scenario, unit] = ["offline", unitText.startsWith("tokens") ? "tokens/s" : "samples/s"];
    else if (metric.startsWith("server_throughput"))
      [scenario, unit] = ["server", unitText.startsWith("tokens") ? "tokens/s" : "samples/s"];
    else if (metric.startsWith("interactive_throughput")) [scenario, unit] = ["interactive", "tokens/s"];
    else if (metric.startsWith("singlestream_p90")) [scenario, unit] = ["singlestream", "ms"];
    if (!scenario || !unit) {
      skip(
        metric.includes("at_reported_load")
          ? "latency measured at the reported load (just under the bound): a check on the bound, not a figure to predict"
          : metric.includes("power")
            ? "system power (MaxQ): compared separately, not fitted"
            : `metric ${metric} not modelled`,
      );
      continue;
    }
    if (!Number.isFinite(value) || value <= 0) {
      skip(`value ${get("value")} is not a positive number`);
      continue;
    }
    const precision = precisionOf(get("precision_if_known"));
    // MCU power figures in the catalog were derived from these same energy runs, and the Syntiant NDP9120's
    // int8 "peak" is its measured VWW throughput (no published peak): comparing them would be circular.
    const excluded = /MaxQ/.test(get("system_name"))
      ? "power-capped (MaxQ) run: the catalog models the chip at its full TDP"
      : scenario === "tiny-energy"
        ? "energy: the catalog's MCU power was derived from these runs (circular); shown as a consistency check"
        : chip === "syntiant-ndp9120"
          ? "the catalog's NDP9120 peak is this measurement (no published peak): circular"
          : undefined;
    const s = scenario === "server" ? bench.server : scenario === "interactive" ? bench.interactive : undefined;
    const serving = SERVING.find((x) => x.submitter.test(get("submitter")) && x.benchmark.test(benchmark));
    rows.push({
      id: `L${line}`,
      suite,
      system: get("system_name"),
      chip,
      count: Math.max(1, count),
      model: bench.model,
      benchmark,
      scenario,
      value,
      unit,
      precision,
      group: `${family} × ${benchmark.replace(/-99(\.9)?$/, "")}`,
      inputTokens: bench.inputTokens,
      outputTokens: bench.outputTokens,
      outputTokensP99: bench.outputTokensP99,
      beams: bench.beams,
      latencyBoundMs: s && "latencyMs" in s ? s.latencyMs : undefined,
      ttftBoundMs: s && "ttftMs" in s ? s.ttftMs : undefined,
      tpotBoundMs: s && "tpotMs" in s ? s.tpotMs : undefined,
      workScale: bench.workScale,
      precisionIfSupported: /FP8 or FP4/.test(get("precision_if_known")) ? "int4" : undefined,
      batching: serving?.batching,
      batchSize: serving?.batch[scenario],
      excluded,
    });
  }
  return { rows, skipped };
}
