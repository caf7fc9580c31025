import type { Precision } from "../catalog/schema.js";

/**
 * A published measurement the performance model can be compared with: one chip × count running one
 * model in one scenario. Produced from shared/reference/mlperf_calibration.csv or a team's own CSV.
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
  readonly beams?: number;
  readonly latencyBoundMs?: number;
  readonly ttftBoundMs?: number;
  readonly tpotBoundMs?: number;
  /** Training: devices per node, method, and the volume to reach the quality target. */
  readonly perUnit?: number;
  readonly method?: "full" | "lora";
  readonly trainTokens?: number;
  readonly trainSamples?: number;
  /** Share of the preset's per-sample work the benchmark really does (e.g. padding skipped). */
  readonly workScale?: number;
  /** A narrower precision the submission used where the chip has it (NVIDIA: "FP8 or FP4 where supported"). */
  readonly precisionIfSupported?: Precision;
  /** Why the row is kept out of fitting and the summary (still listed), e.g. circular data. */
  readonly excluded?: string;
}

export type Scenario = "offline" | "server" | "interactive" | "singlestream" | "tiny-latency" | "tiny-energy" | "training";

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
 * (shared/reference/mlperf_README.md §2–3). LLM mean input/output lengths: research note
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
  // Server bound: p99 of the whole query ≤ 20 s (gptj.Server.target_latency).
  "gptj-99": { model: "gpt-j-6b", server: { latencyMs: 20_000 }, inputTokens: 860, outputTokens: 69, beams: 4 },
  "llama2-70b-99": LLAMA2_70B,
  "llama2-70b-99.9": LLAMA2_70B,
  // Llama-3.1-8B (CNN-DailyMail summarisation): mean input 851 ± 20 tokens with the chat template (psap
  // summaries/llama3-1-8b-datacenter.csv, len(tok_input)); max_tokens 128 (SUT_VLLM.py) and a 611-character
  // reference output (checker gen_len) give ≈ 125 generated tokens (derived, not measured).
  "llama3.1-8b": { model: "llama-3.1-8b", server: { ttftMs: 2000, tpotMs: 100 }, interactive: { ttftMs: 500, tpotMs: 30 }, inputTokens: 851, outputTokens: 125 },
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
 * volume depends on the global batch size, which the calibration file does not give: the values below
 * assume the batch sizes submitters of that scale typically use, and say which.
 */
const TRAINING: Record<string, { model: string; method: "full" | "lora"; volume: (devices: number) => { tokens?: number; samples?: number }; why: string }> = {
  // training_4.0.0/rcps_resnet.json: 35.2 epochs at global batch 3,264 (8-GPU systems) × 1,281,167 images.
  resnet: { model: "resnet50", method: "full", volume: () => ({ samples: 35.2 * 1_281_167 }), why: "35.2 epochs (RCP at batch 3,264)" },
  // training_5.0.0/rcps_bert.json: 2.55 M samples at batch 256–448; phase-2 sequences of 512 tokens.
  bert: { model: "bert-large", method: "full", volume: () => ({ tokens: 2.55e6 * 512 }), why: "2.55 M samples × 512 tokens (RCP at batch 256–448)" },
  // training_5.0.0/rcps_llama2_70b_lora.json "samples to converge": 3,179 at batch 8, 6,037 at 32,
  // 11,264 at 128; one 8,192-token sample per accelerator per step assumed (batch = devices).
  llama2_70b_lora: {
    model: "llama-2-70b",
    method: "lora",
    volume: (d) => ({ tokens: 8192 * (d <= 8 ? 3179 : d <= 16 ? 4032 : d <= 32 ? 6037 : d <= 64 ? 8246 : 11264) }),
    why: "RCP samples at batch = devices × 8,192 tokens",
  },
  // training_4.1.0/rcps_gpt3.json: ~1.2 B tokens at batch 1,536–2,048 (1.26 B at 4,096).
  gpt3: { model: "gpt3-175b", method: "full", volume: () => ({ tokens: 1.2e9 }), why: "1.2 B tokens (RCP at batch 1,536–2,048)" },
};

/** Read shared/reference/mlperf_calibration.csv into measurements the model can express, and the rest with reasons. */
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
      const v = t.volume(total);
      // LLM training on Hopper, Blackwell and Gaudi runs FP8 (Transformer Engine / Intel's FP8 recipes);
      // the rest trains in bf16.
      const fp8 = t.model !== "resnet50" && t.model !== "bert-large" && /nvidia-(hopper|blackwell)|intel-gaudi/.test(hit[2]);
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
        precision: fp8 ? "fp8" : undefined,
        trainTokens: v.tokens,
        trainSamples: v.samples,
      });
      continue;
    }
    const bench = BENCHMARKS[benchmark];
    if (!bench) {
      skip(benchmark.startsWith("3d-unet") ? "3D-UNet: KiTS19 volumes vary in size and the patches per volume are not stated" : `no preset for benchmark ${benchmark}`);
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
    } else if (metric === "offline_throughput") [scenario, unit] = ["offline", unitText.startsWith("tokens") ? "tokens/s" : "samples/s"];
    else if (metric.startsWith("server_throughput")) [scenario, unit] = ["server", unitText.startsWith("tokens") ? "tokens/s" : "samples/s"];
    else if (metric.startsWith("interactive_throughput")) [scenario, unit] = ["interactive", "tokens/s"];
    else if (metric.startsWith("singlestream_p90")) [scenario, unit] = ["singlestream", "ms"];
    if (!scenario || !unit) {
      skip(metric.includes("at_reported_load") ? "latency measured at the reported load (just under the bound): a check on the bound, not a figure to predict" : metric.includes("power") ? "system power (MaxQ): compared separately, not fitted" : `metric ${metric} not modelled`);
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
      beams: bench.beams,
      latencyBoundMs: s && "latencyMs" in s ? s.latencyMs : undefined,
      ttftBoundMs: s && "ttftMs" in s ? s.ttftMs : undefined,
      tpotBoundMs: s && "tpotMs" in s ? s.tpotMs : undefined,
      workScale: bench.workScale,
      precisionIfSupported: /FP8 or FP4/.test(get("precision_if_known")) ? "int4" : undefined,
      excluded,
    });
  }
  return { rows, skipped };
}
