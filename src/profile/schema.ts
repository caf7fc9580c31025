import { z } from "zod";
import { DEPLOYMENTS, PRECISIONS, RUNTIMES } from "../catalog/schema.js";
import { FAMILIES } from "../models/schema.js";
import { qty } from "./quantity.js";

export const WORKLOAD_KINDS = [
  "training",
  "fine-tuning",
  "batch-inference",
  "realtime-inference",
  "streaming",
  "edge-inference",
] as const;
export type WorkloadKind = (typeof WORKLOAD_KINDS)[number];

/** A model described inline instead of by preset id. */
export const InlineModelSchema = z
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
    /** Elements of activations written per sample. */
    activation_elems_per_sample: qty("count").optional(),
    name: z.string().optional(),
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

/** Budgets above a trillion dollars are a typo (or a test of the tool), not a plan: refuse them before they overflow. */
const MAX_USD = 1e12;

export const ProfileSchema = z.strictObject({
  name: z.string().min(1).max(200).describe("Short name of the workload."),
  description: z.string().optional(),
  workload: z.strictObject({
    kind: z.enum(WORKLOAD_KINDS).describe("What the workload is."),
    /** A preset id (see `hwadvise models`) or an inline model. */
    model: z.union([z.string().min(1), InlineModelSchema]),
    /** Precision to run at; default the model's. */
    precision: z.enum(PRECISIONS).optional(),
    /** Whether the model may be quantized to a narrower precision than asked. Default: allowed for inference. */
    quantization: z.enum(["allowed", "forbidden"]).optional(),
    /** Fix the batch size instead of letting the estimator choose. */
    batch_size: z.number().int().positive().max(1_000_000).optional(),
    /** LLM prompt length, tokens. */
    input_tokens: qty("count", { max: 10_000_000 }).optional(),
    /** LLM generated tokens per request. */
    output_tokens: qty("count", { max: 10_000_000 }).optional(),
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
      connectivity: z.enum(["online", "intermittent", "offline"]).optional(),
      /** ISO 3166-1 alpha-2 countries where data may be processed. Default: anywhere. */
      data_residency: z.array(z.string().regex(/^[A-Z]{2}$/, "expected an ISO 3166-1 alpha-2 country code such as CO")).min(1).optional(),
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
      /** Requests per day; becomes a throughput need (× peak_factor) when slo.throughput is absent. */
      requests_per_day: qty("count", { max: 1e15 }).optional(),
      /** Peak-to-average ratio for requests_per_day. Default 3. */
      peak_factor: z.number().min(1).max(1000).optional(),
      /** Edge fleet size: capex and power scale with it. */
      sites: z.number().int().positive().max(10_000_000).optional(),
      /** Batch jobs: items per run and runs per month. */
      items_per_run: qty("count", { max: 1e15 }).optional(),
      runs_per_month: z.number().positive().max(100000).optional(),
    })
    .optional(),
  /** Amortisation window for bought hardware. Default 3y. */
  horizon: qty("years", { min: 0.1, max: 30 }).optional(),
  energy: z
    .strictObject({
      price_per_kwh: qty("usd", { min: 0, max: 100 }).optional(),
      pue: z.number().min(1).max(5).optional(),
    })
    .optional(),
  priorities: z
    .strictObject({
      latency: z.number().min(0).max(100).optional(),
      cost: z.number().min(0).max(100).optional(),
      power: z.number().min(0).max(100).optional(),
      throughput: z.number().min(0).max(100).optional(),
      portability: z.number().min(0).max(100).optional(),
    })
    .optional(),
});

export type Profile = z.output<typeof ProfileSchema>;
export type ProfileInput = z.input<typeof ProfileSchema>;
