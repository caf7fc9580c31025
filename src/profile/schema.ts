import { z } from "zod";
import { lazily } from "../once.js";
import { DEPLOYMENTS, PRECISIONS, RUNTIMES } from "../catalog/schema.js";
import { FAMILIES } from "../models/schema.js";
import { countryCode } from "./country.js";
import { qty } from "./quantity.js";
import { thresholdsSchema } from "../baseline/thresholds.js";
import { energyFields, scheduleSchema } from "../energy/profile.js";

export const WORKLOAD_KINDS = [
  "training",
  "fine-tuning",
  "batch-inference",
  "realtime-inference",
  "streaming",
  "edge-inference",
] as const;
export type WorkloadKind = (typeof WORKLOAD_KINDS)[number];

/** Kinds that train (update weights) rather than serve: they need a part that can train and have no request rate. */
export const isTraining = (kind: WorkloadKind): boolean => kind === "training" || kind === "fine-tuning";

/** Budgets above a trillion dollars are a typo (or a test of the tool), not a plan: refuse them before they overflow. */
const MAX_USD = 1e12;

export type Stage = z.output<Schemas["StageSchema"]>;
export type Costs = z.output<Schemas["CostsSchema"]>;
/** LLM serving stacks whose configuration limits the estimator knows (`workload.runtime`). */
export const LLM_RUNTIMES = ["tensorrt-llm", "vllm", "sglang", "llama-cpp", "ollama", "mlx"] as const;
export type LlmRuntime = (typeof LLM_RUNTIMES)[number];

export type Profile = z.output<Schemas["ProfileSchema"]>;
export type ProfileInput = z.input<Schemas["ProfileSchema"]>;

// Built on first use, not at import: constructing these zod schemas costs milliseconds a command
// that never reads them (catalog, schema, --version) should not pay.
function define() {
  /** A model described inline instead of by preset id. */
  const InlineModelSchema = z
    .strictObject({
      /** Total parameters, e.g. 11.2M or 7B. */
      params: qty("count", { max: 1e15 }),
      /** Parameters active per token (mixture of experts). */
      active_params: qty("count", { max: 1e15 }).optional(),
      /** FLOPs per sample, e.g. 28.6G (non-LLM families). */
      flops_per_sample: qty("flops", { max: 1e21 }).optional(),
      family: z.enum(FAMILIES),
      precision: z.enum(PRECISIONS).optional(),
      /** Transformer blocks or conv layers (latency floor). */
      layers: z.number().int().positive().max(100000).optional(),
      hidden: z.number().int().positive().optional(),
      kv_heads: z.number().int().positive().optional(),
      head_dim: z.number().int().positive().optional(),
      /** Mixture of experts: routed experts per MoE layer. */
      experts: z.number().int().min(2).max(100000).optional(),
      /** Mixture of experts: routed experts each token uses (top-k). */
      experts_per_token: z.number().int().positive().max(100000).optional(),
      /** Mixture of experts: experts every token uses besides the routed ones (DeepSeek, Qwen-MoE). */
      shared_experts: z.number().int().nonnegative().max(100000).optional(),
      /** Multi-head latent attention (DeepSeek-V2/V3): rank of the cached KV latent, e.g. 512. */
      kv_lora_rank: z.number().int().positive().max(100000).optional(),
      /** Multi-head latent attention: width of the decoupled RoPE key cached beside the latent (64 in DeepSeek-V3). */
      qk_rope_head_dim: z.number().int().positive().max(100000).optional(),
      /** Sliding-window attention: the window in tokens (gpt-oss 128, Gemma 2 4096); such a layer caches at most that many. */
      sliding_window: z.number().int().positive().max(100000000).optional(),
      /** Layers that use the sliding window; the rest attend to the whole context. Default: every layer. */
      sliding_layers: z.number().int().nonnegative().max(100000).optional(),
      /** LLMs: weights in a block-scaled format tensor cores multiply natively (`mxfp4`, as gpt-oss ships). */
      weight_format: z.enum(["mxfp4"]).optional(),
      /** LLMs: the context window in tokens (prompt + answer); a longer request is refused. */
      max_context: qty("count", { max: 1e9 }).optional(),
      /** Elements of activations written per sample. */
      activation_elems_per_sample: qty("count").optional(),
      name: z.string().optional(),
    })
    .superRefine((m, ctx) => {
      if (m.experts_per_token !== undefined && m.experts === undefined)
        ctx.addIssue({
          code: "custom",
          path: ["experts_per_token"],
          message: "experts_per_token needs experts (routed experts per layer)",
        });
      if (m.sliding_layers !== undefined && m.sliding_window === undefined)
        ctx.addIssue({
          code: "custom",
          path: ["sliding_layers"],
          message: "sliding_layers needs sliding_window (the window in tokens)",
        });
      if (m.sliding_layers !== undefined && m.layers !== undefined && m.sliding_layers > m.layers)
        ctx.addIssue({
          code: "custom",
          path: ["sliding_layers"],
          message: `more sliding layers (${m.sliding_layers}) than layers (${m.layers})`,
        });
      if (m.experts !== undefined && m.experts_per_token !== undefined && m.experts_per_token > m.experts)
        ctx.addIssue({
          code: "custom",
          path: ["experts_per_token"],
          message: `a token cannot use more experts (${m.experts_per_token}) than there are (${m.experts})`,
        });
    })
    .describe("An inline model: params, FLOPs per sample (non-LLM) and family.");
  const Dataset = z
    .strictObject({
      /** Training tokens per epoch (LLMs and other token models), e.g. 50M. */
      tokens: qty("count", { max: 1e16 }).optional(),
      /** Training samples per epoch (images, sequences). */
      samples: qty("count", { max: 1e15 }).optional(),
      /** Passes over the data. Default 1. */
      epochs: z.number().positive().max(100000).optional(),
    })
    .describe("Training data volume: tokens or samples per epoch, and epochs.");
  /** The single-workload profile; `ProfileSchema` below adds the optional `costs:` and `stages:` sections. */
  const country = countryCode();
  const ProfileCore = z.strictObject({
    name: z.string().min(1).max(200).describe("Short name of the workload."),
    description: z.string().optional(),
    workload: z.strictObject({
      kind: z.enum(WORKLOAD_KINDS).describe("What the workload is."),
      /** A preset id (see `hwadvise models`) or an inline model. */
      model: z.union([z.string().min(1), InlineModelSchema]),
      /** Precision to run at; default the model's. */
      precision: z.enum(PRECISIONS).optional(),
      /**
       * Whether the model may be quantized to a narrower precision than asked. Default: allowed for inference without
       * a stated precision; forbidden when `precision` is given and for training.
       */
      quantization: z
        .enum(["allowed", "forbidden"])
        .optional()
        .describe(
          "May the model run narrower than asked (fp8/int8)? Default: allowed when no precision is stated, forbidden when it is and for training.",
        ),
      /** Fix the batch size instead of letting the estimator choose. */
      batch_size: z.number().int().positive().max(1_000_000).optional(),
      /** LLM serving: continuous batching (vLLM, TGI, TensorRT-LLM) or static batches (Hugging Face generate(), many CPU stacks). */
      runtime: z
        .enum(LLM_RUNTIMES)
        .optional()
        .describe(
          "LLM serving stack: `tensorrt-llm`, `vllm`, `sglang` (continuous batching, tensor/pipeline parallel, " +
            "chunked prefill: every configuration is searched), `llama-cpp`, `ollama` (layers split across " +
            "devices and run one after another, 4 parallel sequences by default, no chunked prefill; unless a " +
            "precision is stated Ollama runs 4-bit weights, its library's default, and llama.cpp 8-bit Q8_0) or `mlx` " +
            "(one device's layers in turn). Default: the best configuration any stack allows.",
        ),
      tensor_parallel: z
        .number()
        .int()
        .positive()
        .max(1024)
        .refine((n) => (n & (n - 1)) === 0, "a power of two (1, 2, 4, 8 …)")
        .optional()
        .describe(
          "LLM serving: devices each copy is split over (tensor parallel), as a deployment already runs it " +
            "(vLLM --tensor-parallel-size). Default: the configuration search chooses.",
        ),
      disaggregation: z
        .enum(["auto", "off", "on"])
        .optional()
        .describe(
          "LLM serving: may a unit's copies specialise, some prefilling prompts and the rest decoding " +
            "(disaggregated prefill/decode: NVIDIA Dynamo, SGLang and vLLM PD disaggregation)? `auto` " +
            "(default) weighs both against aggregated serving, `off` serves aggregated only, `on` only " +
            "disaggregated.",
        ),
      batching: z
        .enum(["continuous", "static"])
        .optional()
        .describe(
          "LLM serving: `continuous` (vLLM, TGI, TensorRT-LLM: requests join and leave the batch every step; " +
            "default) or `static` (Hugging Face generate(), many CPU stacks: a batch runs until its longest " +
            "request ends).",
        ),
      /** LLM prompt length, tokens. */
      input_tokens: qty("count", { max: 10_000_000 }).optional(),
      /** LLM generated tokens per request. */
      output_tokens: qty("count", { max: 10_000_000 }).optional(),
      seq_len: z
        .number()
        .int()
        .positive()
        .max(10_000_000)
        .optional()
        .describe(
          "Training and fine-tuning: tokens per training sequence (packing length), e.g. 2048. Default: " +
            "input_tokens + output_tokens when given, else 2048 for LLMs, the model's own for encoders.",
        ),
      dataset: Dataset.optional(),
      /** Fine-tuning method. Default: lora for fine-tuning, full for training. */
      method: z.enum(["full", "lora", "qlora"]).optional(),
    }),
    slo: z
      .strictObject({
        /** 99th-percentile latency per request, e.g. 50ms. */
        latency_p99: qty("duration_ms").optional(),
        /** Sustained requests (samples) per second, e.g. 30/s. */
        throughput: qty("rate_per_s").optional(),
        /** LLM time to first token (p99). */
        ttft: qty("duration_ms").optional(),
        /** LLM decode rate each stream must see, tokens/s. */
        tokens_per_s: qty("rate_per_s").optional(),
        /** LLM concurrent streams to serve. */
        concurrency: z.number().int().positive().max(10_000_000).optional(),
        /** Training / fine-tuning / batch job wall-clock deadline, e.g. 72h. */
        deadline: qty("duration_h").optional(),
      })
      .optional(),
    constraints: z
      .strictObject({
        /** Where the workload may run. Default: edge for edge-inference, cloud and on-prem otherwise. */
        deployment: z.array(z.enum(DEPLOYMENTS)).min(1).optional(),
        /** Power budget: per device at the edge, per deployment otherwise, e.g. 15W. */
        power_budget: qty("power_w").optional(),
        /** Run each accelerator power-capped (nvidia-smi power limit, Jetson nvpmodel mode), e.g. 350W. */
        power_cap: qty("power_w").optional(),
        connectivity: z.enum(["online", "intermittent", "offline"]).optional(),
        /**
         * ISO 3166-1 alpha-2 countries where data may be processed, e.g. [CO, BR]; or tiers,
         * { require: [CO, BR], prefer: [CO] }: data must stay in `require`, and options in `prefer` rank higher.
         * Default: anywhere.
         */
        data_residency: z
          .union([
            z.array(country).min(1),
            z.strictObject({
              /** Data must stay in these countries (a rule). Default: anywhere. */
              require: z.array(country).min(1).optional(),
              /** Countries preferred among those allowed: they score higher, others still qualify. */
              prefer: z.array(country).min(1).optional(),
            }),
          ])
          .optional(),
        /** A part that needs a host (PCIe card, HAT, USB stick, baseboard) goes into one the team has: its price is not counted, its power is. Default: buy. */
        host: z.enum(["buy", "existing"]).optional(),
        /** Consumer cards (GeForce) may be recommended for cloud and on-prem deployments; their licence usually excludes datacenters. Default: false. */
        allow_consumer_hardware: z.boolean().optional(),
        /** Discontinued products may be recommended (e.g. spares already in stock). Default: false. */
        allow_discontinued: z.boolean().optional(),
        /**
         * ISO 3166-1 alpha-2 country where bought hardware will stand: its price is landed there (freight, duty,
         * taxes). Default: the data_residency country when it names one.
         */
        site_country: countryCode().optional(),
        /** The option must support at least one of these runtimes. */
        runtimes: z.array(z.enum(RUNTIMES)).min(1).optional(),
        /** Most devices the deployment may use (per site at the edge). */
        max_devices: z.number().int().positive().optional(),
        budget: z
          .strictObject({
            monthly: qty("usd", { max: MAX_USD }).optional(),
            capex: qty("usd", { max: MAX_USD }).optional(),
            per_1m_inferences: qty("usd", { max: MAX_USD }).optional(),
            /** Training: total cost of the run. */
            total: qty("usd", { max: MAX_USD }).optional(),
          })
          .optional(),
      })
      .optional(),
    volume: z
      .strictObject({
        /**
         * Requests per day; becomes a throughput need (× peak_factor) when slo.throughput is absent. A batch-inference
         * profile without items_per_run reads it as one run a day over that day's requests.
         */
        requests_per_day: qty("count", { max: 1e15 }).optional(),
        /** Peak-to-average ratio for requests_per_day. Default 3. */
        peak_factor: z.number().min(1).max(1000).optional(),
        /** Edge fleet size: capex and power scale with it. */
        sites: z.number().int().positive().max(10_000_000).optional(),
        /** Batch jobs: items per run. */
        items_per_run: qty("count", { max: 1e15 }).optional(),
        /**
         * Runs a month of a batch, training or fine-tuning job: stated further use, so owned hardware pays its
         * amortised share a run. Absent: a one-off job.
         */
        runs_per_month: z.number().positive().max(100000).optional(),
      })
      .optional(),
    /** Amortisation window for bought hardware. Default 3y. */
    horizon: qty("years", { min: 0.1, max: 30 }).optional(),
    energy: z
      .strictObject({
        price_per_kwh: qty("usd", { min: 0, max: 100 }).optional(),
        pue: z.number().min(1).max(5).optional(),
        ...energyFields(),
      })
      .optional(),
    schedule: scheduleSchema().optional(),
    priorities: z
      .strictObject({
        latency: z.number().min(0).max(100).optional(),
        cost: z.number().min(0).max(100).optional(),
        power: z.number().min(0).max(100).optional(),
        throughput: z.number().min(0).max(100).optional(),
        /** Weight of portability: how many offerings of the catalog run the option's native stack. */
        portability: z.number().min(0).max(100).optional(),
        /** Weight of operational carbon (g CO₂e per inference, or per run). */
        carbon: z.number().min(0).max(100).optional(),
      })
      .optional(),
  });
  /**
   * Cost-of-ownership assumptions read by every command (recommend, check, tco, pipelines). Every field is
   * optional; the default of each, with its source or reason, is in src/tco/assumptions.ts (COST_DEFAULTS)
   * and printed by `tco`.
   */
  const CostsSchema = z
    .strictObject({
      /** Exchange rates: units of the currency per US dollar, e.g. { COP: 4000, BRL: 5.7 }. Never fetched from the network. */
      fx: z
        .record(
          z.string().regex(/^[A-Z]{3}$/, "expected an ISO 4217 currency code such as COP"),
          z.number().positive().max(1e9),
        )
        .optional(),
      /** Share of the landed hardware price that is borrowed (the rest is paid in cash at month 0). Default 0%. */
      financed: qty("fraction", { min: 0 }).optional(),
      /** Annual interest rate of the hardware loan, e.g. 8%. Default 8%. */
      financing_rate: qty("fraction", { min: 0 }).optional(),
      /** Loan term, repaid in equal monthly instalments (annuity). Default 3y. */
      financing_term: qty("years", { max: 30 }).optional(),
      /** Resale value of bought hardware after `residual_after`, as a share of its price, e.g. 30%. Default 30%. */
      residual_value: qty("fraction", { min: 0 }).optional(),
      /** Age at which `residual_value` holds; other ages decline geometrically. Default 3y. */
      residual_after: qty("years", { max: 30 }).optional(),
      /** Import duty and taxes on bought hardware, a share of its price, e.g. 20%. Default 0%. */
      import_duty: qty("fraction", { min: 0 }).optional(),
      /** Monthly lease payment as a share of the landed hardware price, used where the catalog quotes no lease. Default 3%. */
      lease_factor: qty("fraction", { min: 0 }).optional(),
      /** Lease term; leases renew at the same rate when the horizon is longer. Default 3y. */
      lease_term: qty("years", { max: 30 }).optional(),
      /** Colocation (space, cooling plant, power delivery) per kW of nameplate power per month, on-prem only. Default $180. */
      colocation_per_kw_month: qty("usd", { min: 0 }).optional(),
      /** Support contracts on bought hardware, a share of its price per year. Default 10%. */
      support_per_year: qty("fraction", { min: 0 }).optional(),
      /**
       * Staff time to run owned hardware (bought or leased), a flat USD per month for the deployment. Default: none
       * flat; operations scale with what is run (per kW and per unit below).
       */
      operations_owned: qty("usd", { min: 0 }).optional(),
      /** Operations of owned hardware per kW of nameplate power per month. Default $100. */
      operations_per_kw_month: qty("usd", { min: 0 }).optional(),
      /** Operations of owned hardware per unit (server, board) per month, e.g. a fleet-management fee. Default $0. */
      operations_per_unit_month: qty("usd", { min: 0 }).optional(),
      /** The most a used unit resells for however young, a share of its price. Default 70%. */
      resale_ceiling: qty("fraction", { min: 0 }).optional(),
      /** Cloud billing increment, e.g. 1s or 1min. Default: the provider's (AWS, GCP, Azure, OCI per second; Lambda per minute). */
      billing_granularity: qty("duration_ms", { min: 0 }).optional(),
      /** Cloud minimum charge per instance start, e.g. 60s. Default: the provider's (60 s; Azure 5 min). */
      billing_minimum: qty("duration_ms", { min: 0 }).optional(),
      /** Instance start-up billed on every batch or training run, e.g. 2min. Default 2 min. */
      startup: qty("duration_ms", { min: 0 }).optional(),
      /** Rate model weights load at the start of each run, GB/s. Default 1. */
      model_load_gb_per_s: z.number().positive().max(1000).optional(),
      /** Staff time to run rented hardware, USD per month. Default $0. */
      operations_rented: qty("usd", { min: 0 }).optional(),
      /**
       * Average utilisation to cost energy at, instead of the estimate's (0–100%); on a job without runs_per_month,
       * stated further use: the hardware is busy this share of the time with runs like it.
       */
      utilisation: qty("fraction", { min: 0 }).optional(),
    })
    .describe("Cost-of-ownership assumptions for every command (all optional, documented defaults).");
  /** The link that carries a stage's requests from the stage before it. */
  const UplinkSchema = z
    .strictObject({
      /** Data sent per request that reaches this stage, e.g. 150KB. */
      bytes_per_request: qty("bytes_gb"),
      /** Uplink bandwidth available to the pipeline, e.g. 20Mbps (per site for edge stages). */
      bandwidth: qty("bandwidth_mbps"),
      /** Transfer price, USD per GB. Default $0. */
      cost_per_gb: qty("usd", { min: 0 }).optional(),
      /** Network round trip added to each crossing, e.g. 40ms. Default 0. */
      rtt: qty("duration_ms", { min: 0 }).optional(),
      /** Whether the link is always up. Default online. */
      connectivity: z.enum(["online", "intermittent", "offline"]).optional(),
    })
    .describe("Data crossing into this stage: bytes per request, bandwidth, price, round trip, connectivity.");
  /** One stage of a pipeline: a workload of its own over a share of the pipeline's requests. */
  const StageSchema = z
    .strictObject({
      name: z
        .string()
        .regex(/^[a-z0-9][a-z0-9_-]*$/, "expected a stage name of lower-case letters, digits, '_' or '-'"),
      /** Share of the pipeline's requests this stage sees, e.g. 100%. Default 100% for the first stage. */
      share: qty("fraction").optional(),
      /** Share of the previous stage's requests passed on to this one, e.g. 5%. */
      escalation: qty("fraction").optional(),
      workload: ProfileCore.shape.workload,
      /** This stage's own SLO (the profile's top-level slo is the pipeline's end to end). */
      slo: ProfileCore.shape.slo,
      /** Overrides of the profile's constraints for this stage. */
      constraints: ProfileCore.shape.constraints,
      priorities: ProfileCore.shape.priorities,
      uplink: UplinkSchema.optional(),
      /** What happens to requests bound for this stage while its uplink is down. Default queue. */
      fallback: z.enum(["queue", "local-model", "drop"]).optional(),
    })
    .describe("A pipeline stage: its workload, SLO and constraints, the share of traffic it sees and its uplink.");
  const ProfileSchema = ProfileCore.extend({
    costs: CostsSchema.optional(),
    /** How `hwadvise check` judges this profile: its own material-change thresholds. */
    check: z
      .strictObject({ thresholds: thresholdsSchema().optional() })
      .optional()
      .describe(
        "How `hwadvise check` judges this profile: `thresholds` override the run's (config file, --threshold) figure by figure.",
      ),
    /** A pipeline across tiers: each stage is ranked on its own, then combinations end to end. */
    stages: z.array(StageSchema).min(1).max(8).optional(),
  });
  /** A pipeline profile may leave out the top-level workload: the first stage's stands in. */
  const PipelineProfileSchema = ProfileSchema.extend({
    workload: ProfileCore.shape.workload.optional(),
    stages: z.array(StageSchema).min(1).max(8),
  });
  return {
    InlineModelSchema,
    Dataset,
    ProfileCore,
    CostsSchema,
    UplinkSchema,
    StageSchema,
    ProfileSchema,
    PipelineProfileSchema,
  };
}
type Schemas = ReturnType<typeof define>;
const schema = lazily(define);
export const InlineModelSchema = schema("InlineModelSchema");
export const CostsSchema = schema("CostsSchema");
export const UplinkSchema = schema("UplinkSchema");
export const StageSchema = schema("StageSchema");
export const ProfileSchema = schema("ProfileSchema");
export const PipelineProfileSchema = schema("PipelineProfileSchema");
