import { landingFor, type LandedTable, type LandingRates } from "../catalog/landed.js";
import { PRECISION_BYTES, type Chip, type Deployment, type Precision, type Runtime } from "../catalog/schema.js";
import type { Family, ModelPreset } from "../models/schema.js";
import { isTraining, type LlmRuntime, type Profile, type WorkloadKind } from "../profile/schema.js";
import { resolveCosts, type CostAssumptions } from "../tco/assumptions.js";
import { resolveEnergy, type EnergyContext } from "../energy/context.js";
import { averagePriceUsdPerKwh } from "../energy/tariff.js";

/** A model with every figure the estimator needs, whether it came from a preset or inline. */
export interface ResolvedModel {
  readonly id: string;
  readonly name: string;
  readonly family: Family;
  readonly params: number;
  readonly activeParams: number;
  /** FLOPs per sample for non-LLM families; for LLMs, the per-token cost is 2 × activeParams. */
  readonly flopsPerSample: number;
  readonly activationElemsPerSample: number;
  readonly layers: number;
  readonly hidden?: number;
  readonly kvHeads?: number;
  readonly headDim?: number;
  readonly experts?: number;
  readonly expertsPerToken?: number;
  /** Multi-head latent attention: cached latent rank and RoPE key width per layer (replace kv heads × head dim). */
  readonly kvLoraRank?: number;
  readonly ropeHeadDim?: number;
  /** Sliding-window attention: window in tokens and the layers that use it (the others see the whole context). */
  readonly slidingWindow?: number;
  readonly slidingLayers?: number;
  /** Weights in a block-scaled format tensor cores multiply natively (mxfp4), not one kernels widen. */
  readonly weightFormat?: "mxfp4";
  /** The preset whose architecture this model shares (its own id otherwise): endpoints priced under it serve it. */
  readonly architectureOf?: string;
  readonly beams: number;
  /** Network evaluations per sample: denoising steps × evaluations per step for diffusion, else 1. */
  readonly evalsPerSample: number;
  readonly defaultPrecision: Precision;
  readonly minPrecision: Precision;
  readonly inputTokens?: number;
  readonly outputTokens?: number;
  readonly seqLen?: number;
  readonly source?: string;
  /** What one sample is, where it is not the obvious unit (3D-UNet: one 128³ patch). */
  readonly sample?: string;
}

/** Where bought hardware stands: stated, or the one country data must stay in (or is preferred in, with tiers). */
const siteCountryOf = (c: {
  site_country?: string;
  data_residency?: readonly string[] | { require?: readonly string[]; prefer?: readonly string[] };
}): string | undefined => {
  if (c.site_country) return c.site_country;
  const r = c.data_residency;
  const one = (xs: readonly string[] | undefined) => (xs?.length === 1 ? xs[0] : undefined);
  return Array.isArray(r)
    ? one(r)
    : r && !Array.isArray(r)
      ? (one((r as { require?: readonly string[] }).require) ?? one((r as { prefer?: readonly string[] }).prefer))
      : undefined;
};

export const isLlm = (m: ResolvedModel): boolean => m.family === "decoder-llm" || m.family === "moe-llm";

/**
 * The weights an LLM on llama.cpp or Ollama runs when the profile states no precision. Ollama's are 4-bit:
 * `ollama run <model>` pulls the library's default tag, Q4_0 at first and Q4_K_M since late 2024
 * (ollama/ollama issue #643, 2023-09: "by default we use q4_0 for the models that we supply"; issue #1543,
 * 2024-12-29: "The default is now q4_k_m"). llama.cpp runs the GGUF its user picks: where quantization is
 * allowed, Q8_0 (8-bit weights, widened in-kernel), the narrowing the tool allows elsewhere, since llama.cpp
 * has no fp8 or int8 matmul path to quantize to. Undefined (the model's own precision) for other stacks, for
 * training, and where quantization is forbidden or the model tolerates nothing narrower than 16 bits.
 */
export function ggufDefault(
  w: { readonly runtime?: LlmRuntime; readonly precision?: Precision; readonly quantization?: string },
  model: ResolvedModel,
  training: boolean,
): Precision | undefined {
  if (training || w.precision !== undefined || w.quantization === "forbidden" || !isLlm(model)) return undefined;
  if (w.runtime === "ollama") return "int4";
  if (w.runtime === "llama-cpp" && PRECISION_BYTES[model.minPrecision] <= 1) return "int8";
  return undefined;
}

/** llama.cpp, or Ollama built on it: GGUF weights, its own kernels and server defaults. */
export const onLlamaCpp = (w: Pick<Workload, "runtime">): boolean =>
  w.runtime === "llama-cpp" || w.runtime === "ollama";

/**
 * Whether a serving stack runs on a chip. A chip lists the software its vendor ships; a stack built on a
 * platform runs wherever the platform does: SGLang on CUDA and ROCm GPUs (its install guide covers NVIDIA
 * and AMD), llama.cpp and Ollama (built on llama.cpp's ggml) on CUDA, ROCm, Apple's Metal and any CPU.
 * TensorRT-LLM, vLLM and MLX run where the chip lists them (MLX: Apple silicon only).
 */
export function runsServingStack(chip: Pick<Chip, "runtimes" | "class">, runtime: LlmRuntime): boolean {
  const has = (r: Runtime) => chip.runtimes.includes(r);
  switch (runtime) {
    case "sglang":
      return has("sglang") || has("cuda") || has("rocm");
    case "llama-cpp":
    case "ollama":
      return has("llama-cpp") || has("ollama") || has("cuda") || has("rocm") || has("mlx") || chip.class === "cpu";
    default:
      return has(runtime);
  }
}

/** Everything about the workload the estimator, rules and costing read: units resolved, defaults applied. */
export interface Workload {
  readonly name: string;
  readonly kind: WorkloadKind;
  readonly model: ResolvedModel;
  /** Precision asked for, or the model's default. */
  readonly precision: Precision;
  readonly quantization: "allowed" | "forbidden";
  /**
   * 4-bit LLM weights multiply with 4-bit activations (W4A4: NVFP4 on Blackwell, as MLPerf submissions
   * run) instead of being dequantized to 16 bits (weight-only AWQ/GPTQ/llama.cpp, the default).
   */
  readonly int4Activations?: boolean;
  readonly batchSize?: number;
  /** LLM serving stack, where the profile names one: limits the configurations searched. */
  readonly runtime?: LlmRuntime;
  /** LLM serving: continuous batching (the default) or static batches that run to their longest request. */
  readonly batching?: "continuous" | "static";
  /** LLM serving: devices per copy the deployment fixes (tensor parallel); the search chooses otherwise. */
  readonly tensorParallel?: number;
  /**
   * LLM serving: whether copies may specialise, some prefilling prompts and the rest decoding
   * (disaggregated serving: NVIDIA Dynamo, SGLang and vLLM PD disaggregation). `auto` (the default) weighs
   * both; `off` serves aggregated only (what a published result ran unless it says otherwise); `on` only
   * disaggregated.
   */
  readonly disaggregation?: "auto" | "off" | "on";
  readonly inputTokens: number;
  readonly outputTokens: number;
  /** LLMs: output length of the slowest 1% of requests, for whole-request latency bounds (else outputTokens). */
  readonly outputTokensP99?: number;
  /** Training: tokens (LLM/encoder) or samples to process in total (epochs included). */
  readonly trainTokens?: number;
  readonly trainSamples?: number;
  /** Training: tokens per sequence, for attention work (LLM: input + output tokens; encoder: its seq_len). */
  readonly trainSeqLen?: number;
  readonly method: "full" | "lora" | "qlora";
  readonly slo: {
    readonly latencyMs?: number;
    readonly throughputPerS?: number;
    readonly ttftMs?: number;
    readonly tokensPerS?: number;
    readonly concurrency?: number;
    readonly deadlineH?: number;
  };
  /**
   * Sustained requests/s one site must serve at peak (from slo.throughput, or volume.requests_per_day
   * spread over the sites × peak factor). Edge options provision this per site; cloud and on-prem
   * options serve every site, so they need needPerS × sites.
   */
  readonly needPerS?: number;
  /** Average requests/s per site (for energy and cost per inference). */
  readonly averagePerS?: number;
  /** Batch jobs: items per run and runs per month. */
  readonly itemsPerRun?: number;
  readonly runsPerMonth: number;
  /**
   * Runs a month the profile states for a job (volume.runs_per_month; one a day for a batch profile that
   * gives requests_per_day). Absent: no stated further use, so owned hardware is bought for one run.
   */
  readonly runsPerMonthStated?: number;
  /** Cost-of-ownership assumptions: the profile's `costs:` over the documented defaults. */
  readonly costs: CostAssumptions;
  readonly deployments: readonly Deployment[];
  readonly powerBudgetW?: number;
  readonly connectivity: "online" | "intermittent" | "offline";
  /** Countries data must stay in (absent = anywhere). */
  readonly dataResidency?: readonly string[];
  /** Country where bought hardware stands (constraints.site_country, else a single data_residency country). */
  readonly siteCountry?: string;
  /** That country's import-cost rates, when the landed-cost table lists it: bought prices are landed with them. */
  readonly landing?: LandingRates;
  /** Countries preferred among the allowed ones: they move the score, not feasibility. */
  readonly residencyPrefer?: readonly string[];
  /** The team already has a host for parts that need one: its price is not counted, its power is. */
  readonly hostExisting: boolean;
  readonly allowConsumer: boolean;
  readonly allowDiscontinued: boolean;
  readonly runtimes?: readonly string[];
  readonly maxDevices?: number;
  readonly budget: {
    readonly monthlyUsd?: number;
    readonly capexUsd?: number;
    readonly per1mUsd?: number;
    readonly totalUsd?: number;
  };
  readonly sites: number;
  readonly horizonYears: number;
  readonly energyUsdPerKwh: number;
  readonly pue: number;
  readonly priorities: {
    readonly latency: number;
    readonly cost: number;
    readonly power: number;
    readonly throughput: number;
    readonly portability: number;
    readonly carbon?: number;
  };
  /** Power cap, time-of-use tariff, job window, site supply and grid carbon (src/energy). */
  readonly energy?: EnergyContext;
}

/** Defaults, each with the reason it is what it is. */
export const DEFAULTS = {
  /** Peak-to-average ratio when throughput comes from requests per day: a diurnal curve peaks at ~2–3× its mean. */
  peakFactor: 3,
  /** Amortisation window for bought hardware: the usual depreciation period for servers. */
  horizonYears: 3,
  /** Business electricity, USD/kWh: between the US (~0.13) and Latin-American (0.13–0.23) averages in data/reference/energy_prices.csv. */
  energyUsdPerKwh: 0.15,
  /** Data-centre PUE: Uptime Institute survey average ~1.5 (data/reference/energy_prices.csv). */
  pue: 1.5,
  /** LLM request shape when neither the profile nor the preset says. */
  inputTokens: 512,
  outputTokens: 256,
  /** Training sequence length of LLMs when the profile states none: the common fine-tuning packing length. */
  trainSeqLen: 2048,
};

const PRIORITIES: Record<WorkloadKind, Workload["priorities"]> = {
  training: { latency: 0, cost: 3, power: 1, throughput: 2, portability: 0 },
  "fine-tuning": { latency: 0, cost: 3, power: 1, throughput: 1, portability: 0 },
  "batch-inference": { latency: 0, cost: 3, power: 1, throughput: 2, portability: 0 },
  "realtime-inference": { latency: 3, cost: 2, power: 1, throughput: 1, portability: 0 },
  streaming: { latency: 2, cost: 2, power: 1, throughput: 2, portability: 0 },
  "edge-inference": { latency: 2, cost: 2, power: 3, throughput: 1, portability: 0 },
};

/**
 * A profile's model (a preset id or an inline model) as the estimators read it. Profiles are validated
 * against the presets when parsed, so an unknown id here is a caller's bug, reported as one.
 */
export function resolveModel(
  model: Profile["workload"]["model"],
  presets: ReadonlyMap<string, ModelPreset>,
): ResolvedModel {
  if (typeof model === "string") {
    const p = presets.get(model);
    if (!p)
      throw new Error(
        `model preset \`${model}\` is not among the ${presets.size} presets (profiles are checked against them when parsed)`,
      );
    return {
      id: p.id,
      name: p.name,
      family: p.family,
      params: p.params,
      activeParams: p.active_params ?? p.params,
      flopsPerSample: p.flops_per_sample ?? 2 * (p.active_params ?? p.params) * (p.seq_len ?? 1),
      activationElemsPerSample: p.activation_elems_per_sample ?? 0,
      layers: p.layers ?? 1,
      hidden: p.hidden,
      kvHeads: p.kv_heads ?? p.heads,
      headDim: p.head_dim ?? (p.hidden && p.heads ? p.hidden / p.heads : undefined),
      experts: p.experts,
      expertsPerToken: p.experts_per_token,
      kvLoraRank: p.kv_lora_rank,
      ropeHeadDim: p.kv_lora_rank !== undefined ? (p.qk_rope_head_dim ?? 64) : undefined,
      slidingWindow: p.sliding_window,
      slidingLayers: slidingLayersOf(p.sliding_window, p.sliding_layers, p.layers ?? 1),
      architectureOf: p.architecture_of,
      weightFormat: p.weight_format,
      beams: p.beams ?? 1,
      evalsPerSample: p.family === "diffusion" ? (p.steps ?? 1) * (p.evals_per_step ?? 1) : 1,
      defaultPrecision: p.default_precision,
      minPrecision: p.min_precision ?? p.default_precision,
      inputTokens: p.input_tokens,
      outputTokens: p.output_tokens,
      seqLen: p.seq_len,
      source: p.source,
      sample: p.sample,
    };
  }
  const m = model;
  const llm = m.family === "decoder-llm" || m.family === "moe-llm";
  const layers = m.layers ?? (llm ? Math.max(1, Math.round(Math.cbrt(m.params / 1e5))) : 20);
  const hidden = m.hidden ?? (llm ? Math.round(Math.sqrt(m.params / (12 * layers))) : undefined);
  return {
    id: m.name ?? "inline",
    name: m.name ?? "inline model",
    family: m.family,
    params: m.params,
    activeParams: m.active_params ?? inlineActiveParams(m),
    flopsPerSample: m.flops_per_sample ?? 2 * (m.active_params ?? m.params),
    activationElemsPerSample: m.activation_elems_per_sample ?? 0,
    layers,
    hidden,
    kvHeads: m.kv_heads ?? (hidden ? Math.max(1, Math.round(hidden / 128)) : undefined),
    headDim: m.head_dim ?? (hidden ? 128 : undefined),
    experts: m.experts,
    expertsPerToken: m.experts !== undefined ? (m.experts_per_token ?? 2) : undefined,
    kvLoraRank: m.kv_lora_rank,
    ropeHeadDim: m.kv_lora_rank !== undefined ? (m.qk_rope_head_dim ?? 64) : undefined,
    slidingWindow: m.sliding_window,
    slidingLayers: slidingLayersOf(m.sliding_window, m.sliding_layers, layers),
    weightFormat: m.weight_format,
    beams: 1,
    evalsPerSample: 1,
    defaultPrecision: m.precision ?? (m.family === "tiny" ? "int8" : "fp16"),
    minPrecision: llm ? "fp8" : "int8",
  };
}

/**
 * Active parameters of an inline mixture of experts that does not state them. Routed experts hold ~96% of
 * such a model's parameters (Mixtral-8x7B 45.1B of 46.7B, DeepSeek-V3 654B of 671B, Qwen3-30B-A3B ~29B
 * of 30.5B, from their configs), shared experts being counted with them and always active; a token reads
 * the rest plus its top-k routed experts. An estimate: stating active_params overrides it.
 */
function inlineActiveParams(m: Exclude<Profile["workload"]["model"], string>): number {
  if (m.experts === undefined) return m.params;
  const shared = m.shared_experts ?? 0;
  const topK = Math.min(m.experts_per_token ?? 2, m.experts);
  const expertParams = 0.96 * m.params;
  const perExpert = expertParams / (m.experts + shared);
  return m.params - expertParams + perExpert * (topK + shared);
}

/** Layers that use a sliding window (every layer unless stated, never more than the model has). */
const slidingLayersOf = (window: number | undefined, stated: number | undefined, layers: number) =>
  window !== undefined ? Math.min(stated ?? layers, layers) : undefined;

/** A batch job given requests a day runs once a day over that day's requests; it is not a service. */
export function isDailyBatch(profile: Profile): boolean {
  const v = profile.volume ?? {};
  return (
    profile.workload.kind === "batch-inference" && v.items_per_run === undefined && v.requests_per_day !== undefined
  );
}

/** Apply defaults and turn the validated profile into what the estimator reads. Pure. */
export function resolveWorkload(
  profile: Profile,
  model: ResolvedModel,
  landed?: LandedTable,
  horizonYears?: number,
): Workload {
  const w = profile.workload;
  const kind = w.kind;
  const training = isTraining(kind);
  const c = profile.constraints ?? {};
  const v = profile.volume ?? {};
  const slo = profile.slo ?? {};
  const peak = v.peak_factor ?? DEFAULTS.peakFactor;
  const sites = v.sites ?? 1;
  const dailyBatch = isDailyBatch(profile);
  const fromVolume = v.requests_per_day !== undefined && !dailyBatch ? v.requests_per_day / 86400 / sites : undefined;
  const needPerS = slo.throughput ?? (fromVolume !== undefined ? fromVolume * peak : undefined);
  const averagePerS = fromVolume ?? slo.throughput;
  const inputTokens = w.input_tokens ?? model.inputTokens ?? DEFAULTS.inputTokens;
  const outputTokens = w.output_tokens ?? model.outputTokens ?? DEFAULTS.outputTokens;
  const epochs = w.dataset?.epochs ?? 1;
  const llmLike = isLlm(model) || model.family === "encoder";
  // Training sequences have a length of their own (the packing length), not a serving request's prompt +
  // answer: `seq_len`, else for LLMs the stated prompt + answer lengths where given, else 2048 tokens (the
  // common fine-tuning packing length; Llama 3 pretraining used 8192).
  const servingTokens =
    w.input_tokens !== undefined || w.output_tokens !== undefined ? inputTokens + outputTokens : undefined;
  const tokensPerSample =
    w.seq_len ??
    (isLlm(model)
      ? training
        ? (servingTokens ?? DEFAULTS.trainSeqLen)
        : inputTokens + outputTokens
      : (model.seqLen ?? 512));
  const trainTokens =
    w.dataset?.tokens !== undefined
      ? w.dataset.tokens * epochs
      : w.dataset?.samples !== undefined && llmLike
        ? w.dataset.samples * tokensPerSample * epochs
        : undefined;
  const trainSamples = w.dataset?.samples !== undefined ? w.dataset.samples * epochs : undefined;
  const energy = resolveEnergy(profile, profile.energy?.price_per_kwh ?? DEFAULTS.energyUsdPerKwh);
  const deployments =
    c.deployment ?? (kind === "edge-inference" ? ["edge" as const] : ["cloud" as const, "on-prem" as const]);
  // With a time-of-use tariff, owned hardware pays its average over the hours it draws: the job window
  // for batch and training, the whole day for a service.
  const energyUsdPerKwh = averagePriceUsdPerKwh(
    profile.energy?.price_per_kwh ?? DEFAULTS.energyUsdPerKwh,
    energy.tariff,
    kind === "batch-inference" || training ? energy.window : undefined,
  );
  return {
    name: profile.name,
    kind,
    model,
    precision: w.precision ?? ggufDefault(w, model, training) ?? model.defaultPrecision,
    // A precision the profile states is what it wants run; without one, inference may use the fastest
    // precision the model family tolerates (fp8/int8), as deployments usually do.
    quantization: w.quantization ?? (training || w.precision !== undefined ? "forbidden" : "allowed"),
    batchSize: w.batch_size,
    batching: w.batching,
    runtime: w.runtime,
    ...(w.tensor_parallel !== undefined ? { tensorParallel: w.tensor_parallel } : {}),
    ...(w.disaggregation !== undefined ? { disaggregation: w.disaggregation } : {}),
    inputTokens,
    outputTokens,
    trainTokens,
    trainSamples,
    trainSeqLen: llmLike ? tokensPerSample : undefined,
    method: w.method ?? (kind === "fine-tuning" ? "lora" : "full"),
    slo: {
      latencyMs: slo.latency_p99,
      throughputPerS: slo.throughput,
      ttftMs: slo.ttft,
      tokensPerS: slo.tokens_per_s,
      // An LLM at the edge with no load stated serves the person at the device: one stream per site. Spare
      // streams would have no user, and a device chosen for them (a 130 W module for one clinic's
      // assistant) would be paid for by nobody's requests.
      concurrency:
        slo.concurrency ??
        (kind === "edge-inference" && isLlm(model) && needPerS === undefined && averagePerS === undefined
          ? 1
          : undefined),
      deadlineH: slo.deadline,
    },
    needPerS,
    averagePerS,
    itemsPerRun: dailyBatch ? v.requests_per_day : v.items_per_run,
    // Unstated, a job is a one-off, as its cost is (owned hardware bought for one run): one run a month
    // for its energy and carbon too, not thirty that nobody pays for.
    runsPerMonth: v.runs_per_month ?? (dailyBatch ? 30.4375 : 1),
    ...(v.runs_per_month !== undefined || dailyBatch ? { runsPerMonthStated: v.runs_per_month ?? 30.4375 } : {}),
    // Owned hardware pays the energy price of the hours it draws (the job window under a tariff).
    costs: { ...resolveCosts(profile, horizonYears ?? profile.horizon ?? DEFAULTS.horizonYears), energyUsdPerKwh },
    deployments,
    powerBudgetW: c.power_budget,
    connectivity: c.connectivity ?? "online",
    siteCountry: siteCountryOf(c),
    landing: landingFor(landed, siteCountryOf(c)),
    dataResidency: Array.isArray(c.data_residency) ? c.data_residency : c.data_residency?.require,
    residencyPrefer: Array.isArray(c.data_residency) ? undefined : c.data_residency?.prefer,
    hostExisting: c.host === "existing",
    allowConsumer: c.allow_consumer_hardware ?? false,
    allowDiscontinued: c.allow_discontinued ?? false,
    runtimes: c.runtimes,
    maxDevices: c.max_devices,
    budget: {
      monthlyUsd: c.budget?.monthly,
      capexUsd: c.budget?.capex,
      per1mUsd: c.budget?.per_1m_inferences,
      totalUsd: c.budget?.total,
    },
    sites,
    horizonYears: horizonYears ?? profile.horizon ?? DEFAULTS.horizonYears,
    // With a time-of-use tariff, owned hardware pays its average over the hours it draws: the job
    // window for batch and training, the whole day for a service.
    energyUsdPerKwh,
    pue: profile.energy?.pue ?? DEFAULTS.pue,
    priorities: { ...PRIORITIES[kind], ...(profile.priorities ?? {}) },
    energy,
  };
}
