import { z } from "zod";
import { lazily } from "../once.js";
import { DEPLOYMENTS, OFFERING_CLASSES } from "../catalog/schema.js";
import { WORKLOAD_KINDS } from "../profile/schema.js";
import type { EstimateAdvice } from "../advise/estimate.js";
import type { Report } from "../result.js";

// Compile-time drift check: every Report is a valid output of the schema (rule ids widen to string).
type DeepReadonly<T> = T extends (infer E)[]
  ? readonly DeepReadonly<E>[]
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;
type Out = DeepReadonly<z.output<Schemas["RecommendResultSchema"]>>;
const _reportFits = (r: Report): Out => r;
void _reportFits;
type EstimateOut = DeepReadonly<z.output<Schemas["EstimateResultSchema"]>>;
const _estimateFits = (r: EstimateAdvice): EstimateOut => r;
void _estimateFits;

// Built on first use, not at import: constructing these zod schemas costs milliseconds a command
// that never reads them (catalog, schema, --version) should not pay.
function define() {
  /**
   * The JSON contract of `hwadvise recommend --format json` as a zod schema, from which
   * `hwadvise schema recommend-result` prints a draft-7 JSON Schema. Kept in step with the Report
   * interface in model.ts by the type assertions at the bottom.
   */
  const Num = z.number();
  const Figure = z.union([z.number(), z.string()]);
  const EstimatesSchema = z.strictObject({
    latency_p99_ms: Num.optional(),
    throughput_per_s: Num.optional(),
    ttft_ms: Num.optional(),
    tokens_per_s: Num.optional(),
    output_tokens_per_s: Num.optional(),
    time_to_train_h: Num.optional(),
    power_w: Num.optional().describe(
      "Electrical draw at the load the deployment is sized for (the stated peak rate), devices and hosts " +
        "included, W; per site at the edge. The table's Power column.",
    ),
    full_load_power_w: Num.optional().describe(
      "Draw of one unit (instance, server, board) with every device at full load, host included, W: what a power budget at the edge is checked against.",
    ),
    energy_per_inference_j: Num.optional(),
    inferences_per_j: Num.optional().describe("Inferences per joule at the average load."),
    tokens_per_j: Num.optional().describe("LLMs: generated tokens per joule at full load (tokens/s per watt)."),
    power_cap_w: Num.optional().describe("Per-device power cap the option runs under, W."),
    avg_power_w: Num.optional().describe("Average power (per site at the edge), W."),
    energy_kwh_per_month: Num.optional().describe("Facility energy per month, PUE included, kWh."),
    grid_g_co2_per_kwh: Num.optional().describe("Grid carbon intensity the option draws from, g CO2e/kWh."),
    carbon_kg_per_month: Num.optional(),
    carbon_g_per_1m: Num.optional().describe("g CO2e per million inferences."),
    carbon_kg_per_run: Num.optional().describe("kg CO2e per training or batch run."),
    site_wh_per_day: Num.optional().describe("Off-grid sites: energy the option needs per day, Wh."),
    panel_wh_per_day: Num.optional().describe(
      "Off-grid sites: what the panel gives per day in the worst month, after losses, Wh.",
    ),
    battery_days: Num.optional().describe("Off-grid sites: days the battery carries the load."),
    ups_wh: Num.optional().describe("Grid sites with outages: UPS battery for the longest outage, Wh."),
    ups_usd: Num.optional().describe("Installed cost of that UPS battery, USD."),
    cost_per_1m_usd: Num.optional(),
    monthly_cost_usd: Num.optional(),
    total_cost_usd: Num.optional(),
    capex_usd: Num.optional(),
    memory_needed_gb: Num.optional().describe(
      "Memory one model copy holds at the batch it is provisioned for, GB: weights, plus every slot's KV cache " +
        "for LLMs (per device for training). When it does not fit: the least it would need.",
    ),
    memory_available_gb: Num.optional().describe(
      "Memory one model copy's devices offer for it, GB (per device for training).",
    ),
    precision: z.string().optional(),
    weights_precision: z
      .string()
      .optional()
      .describe(
        "LLMs: the precision weights are stored and read at, where narrower than `precision` (widened in-kernel).",
      ),
    batch: Num.optional(),
    bound: z.enum(["compute", "memory", "interconnect", "overhead"]).optional(),
    uncertainty_pct: Num.optional().describe(
      "Typical (median) error of this kind of estimate against published results, % (leave-one-group-out).",
    ),
    uncertainty_p90_pct: Num.optional().describe("90th-percentile error of this kind of estimate, %."),
    utilization_pct: Num.optional().describe(
      "Share of the provisioned capacity the stated load keeps busy on average, %.",
    ),
  });
  const ServingSchema = z.strictObject({
    tensor_parallel: Num,
    pipeline_parallel: Num,
    sequential_layers: z
      .boolean()
      .optional()
      .describe("The pipeline's devices run one after another (llama.cpp, Ollama layer split)."),
    replicas: Num.describe("Model copies per unit."),
    kv_cache: z.string(),
    slots: Num.describe("Concurrent sequences per copy at the operating point."),
    chunked_prefill: z.boolean(),
    prefill_copies: Num.optional().describe(
      "Disaggregated prefill/decode: copies that only prefill; the rest only decode.",
    ),
    output_tokens_per_s: Num.describe("Output tokens per second one unit sustains within the profile's limits."),
  });
  const ViolationSchema = z.strictObject({
    rule: z.string(),
    message: z.string(),
    measured: Figure.optional(),
    limit: Figure.optional(),
    field: z
      .string()
      .optional()
      .describe(
        "The profile field the limit comes from (relax it there), e.g. slo.latency_p99; absent where the limit is the hardware's own (memory).",
      ),
    unit: z
      .string()
      .optional()
      .describe(
        "Unit of measured and limit, e.g. ms, W, USD/month; absent for categorical rules (their figures are lists).",
      ),
  });
  const RecommendationSchema = z.strictObject({
    rank: z.number().int().positive(),
    id: z.string(),
    name: z.string(),
    class: z.enum(OFFERING_CLASSES),
    deployment: z.enum(DEPLOYMENTS),
    chip: z.string(),
    provider: z.string().optional(),
    region: z.string().optional(),
    units: Num.describe("Units (instances, servers, boards) per site at the edge, in total otherwise."),
    devices: Num.describe("Devices in the whole deployment (all sites)."),
    feasible: z.boolean(),
    score: Num.describe("0–100 for feasible options; 0 for infeasible ones."),
    host: z
      .union([
        z.strictObject({ id: z.string(), name: z.string(), units: Num, capex_usd: Num, power_w: Num }),
        z.strictObject({ existing: z.literal(true), power_w: Num.optional() }),
      ])
      .optional()
      .describe(
        "The host a part that cannot run alone is deployed with (its price is in capex_usd, its power in power_w), or the team's own: units and power_w per site at the edge (as the row's), capex_usd for all sites.",
      ),
    also_sold_as: z
      .array(z.string())
      .optional()
      .describe("Other packagings of the same chip and count, folded into this row."),
    flags: z.array(z.string()).optional().describe("Worth knowing, not disqualifying: end of life, over-provisioned."),
    estimates: EstimatesSchema,
    violations: z.array(ViolationSchema),
    serving: ServingSchema.extend({ runner_up: ServingSchema.optional() })
      .optional()
      .describe("LLM inference: the deployment configuration chosen per unit, and the runner-up."),
    breakdown: z.array(z.string()).optional().describe("How the estimate was reached (with --explain)."),
    stale: z.array(z.string()).optional(),
  });
  const StageResultSchema = z.strictObject({
    profile: z.strictObject({ file: z.string(), name: z.string(), kind: z.enum(WORKLOAD_KINDS) }),
    model: z.strictObject({
      id: z.string(),
      name: z.string(),
      family: z.string(),
      params: Num,
      sample: z
        .string()
        .optional()
        .describe("What one sample (one inference in rates and costs) is, where it is not the obvious unit."),
      precision: z
        .string()
        .optional()
        .describe(
          "Precision the profile asked for, or the model's default; an option whose estimates.precision differs was quantized by hwadvise.",
        ),
    }),
    recommendations: z.array(RecommendationSchema),
    notes: z.array(z.string()),
    assumed: z
      .array(
        z.strictObject({
          field: z.string(),
          value: z.union([Num, z.string()]),
          what: z.string(),
          unit: z.string().optional(),
        }),
      )
      .optional()
      .describe(
        "Defaults the profile did not state that moved the answer: the profile field to state, and the value used.",
      ),
  });
  const PipelineSchema = z
    .strictObject({
      stages: z.array(
        z.strictObject({
          name: z.string(),
          share: Num,
          uplink: z
            .strictObject({
              bytes_per_request: Num,
              bandwidth_mbps: Num,
              cost_per_gb_usd: Num,
              rtt_ms: Num,
              connectivity: z.string(),
            })
            .optional(),
          fallback: z.string().optional(),
          result: StageResultSchema,
        }),
      ),
      combinations: z.array(
        z.strictObject({
          rank: Num,
          feasible: z.boolean(),
          options: z.array(
            z.strictObject({
              stage: z.string(),
              id: z.string(),
              name: z.string(),
              deployment: z.enum(DEPLOYMENTS),
              feasible: z.boolean(),
              latency_p99_ms: Num.optional(),
              monthly_cost_usd: Num.optional(),
              power_w: Num.optional(),
            }),
          ),
          transfers: z.array(
            z.strictObject({
              to_stage: z.string(),
              time_ms: Num,
              rtt_ms: Num,
              gb_per_month: Num,
              cost_usd_per_month: Num,
              needed_mbps: Num,
              bandwidth_mbps: Num,
            }),
          ),
          latency_p99_ms: Num.optional(),
          first_stage_latency_p99_ms: Num.optional(),
          monthly_cost_usd: Num,
          transfer_cost_usd_per_month: Num,
          power_w: Num,
          uplink_down: z.array(
            z.strictObject({
              to_stage: z.string(),
              connectivity: z.string(),
              fallback: z.string(),
              alone_latency_p99_ms: Num.optional(),
              meets_slo: z.boolean().optional(),
              queued_gb_per_hour: Num.optional(),
              message: z.string(),
            }),
          ),
          violations: z.array(z.string()),
        }),
      ),
      latency_p99_slo_ms: Num.optional(),
      requests_per_month: Num,
      notes: z.array(z.string()),
    })
    .describe("Pipeline profiles (`stages:`) only: each stage ranked on its own, then combinations end to end.");
  const ApiComparisonSchema = z
    .strictObject({
      input_tokens: Num,
      output_tokens: Num,
      self_hosted: z.strictObject({
        id: z.string(),
        name: z.string(),
        monthly_cost_usd: Num.optional(),
        cost_per_request_usd: Num.optional(),
        cost_per_1m_tokens_usd: Num.optional(),
        requests_per_day: Num.optional(),
        max_requests_per_day: Num.optional().describe(
          "Requests a day the option serves flat out: the profile's volume over the share of capacity it uses.",
        ),
        requests_per_run: Num.optional().describe("A batch job: its requests a run."),
        cost_per_run_usd: Num.optional().describe("A batch job: what the option costs for one run."),
      }),
      endpoints: z.array(
        z.strictObject({
          provider: z.string(),
          endpoint: z.string(),
          region: z.string(),
          country: z.string(),
          residency_ok: z.boolean().optional(),
          input_usd_per_1m: Num,
          output_usd_per_1m: Num,
          cost_per_1m_tokens_usd: Num,
          cost_per_request_usd: Num,
          monthly_cost_usd: Num.optional(),
          cost_per_run_usd: Num.optional().describe(
            "A batch job: what the endpoint would bill for one run's requests.",
          ),
          break_even_requests_per_day: Num.optional().describe(
            "Requests a day at which the self-hosted option's monthly cost equals the endpoint's bill, where the option serves that many.",
          ),
          cheaper_at_any_served_volume: z
            .boolean()
            .optional()
            .describe(
              "The endpoint costs less than the option at every volume the option serves, fully used included.",
            ),
          source: z.string(),
          as_of: z.string(),
        }),
      ),
    })
    .describe("LLM profiles: the top feasible option beside hosted endpoints' per-token prices for the same model.");
  const RecommendResultSchema = z.strictObject({
    schemaVersion: z.literal(1),
    results: z.array(
      StageResultSchema.extend({ pipeline: PipelineSchema.optional(), api_comparison: ApiComparisonSchema.optional() }),
    ),
  });
  const EstimateResultSchema = z.strictObject({
    schemaVersion: z.literal(2),
    profile: z.strictObject({ file: z.string(), name: z.string(), kind: z.enum(WORKLOAD_KINDS) }),
    chip: z.strictObject({ id: z.string(), name: z.string() }),
    count: Num.describe("Devices in one unit."),
    deployment: z
      .enum(DEPLOYMENTS)
      .describe(
        "Where the unit is assumed to run: at the edge for edge parts, on premises otherwise (no offering, no price).",
      ),
    units: Num.describe(
      "Units of `count` devices the stated load needs (per site at the edge), as `recommend` provisions them.",
    ),
    load_per_s: Num.optional().describe(
      "The request rate the profile states (per site at the edge, all sites otherwise): latency, power and " +
        "utilisation hold at it. Absent: no rate stated, figures are flat out.",
    ),
    max_throughput_per_s: Num.optional().describe(
      "What one unit does flat out, ignoring latency limits, /s (LLMs: requests).",
    ),
    estimates: EstimatesSchema.describe(
      "The same figures, with the same names and meanings, as a `recommend` row's `estimates` (without prices).",
    ),
    devices_power_w: Num.optional().describe("The devices' part of estimates.power_w at the same load, W."),
    host_power_w: Num.optional().describe(
      "The hosts' part of estimates.power_w at the same load, W (assumed 150 W + 50 W per device for datacenter parts without a stated host; 0 at the edge).",
    ),
    serving: ServingSchema.extend({ runner_up: ServingSchema.optional() }).optional(),
    violations: z
      .array(ViolationSchema)
      .describe("Performance limits of the profile this chip × count breaks (placement and cost are not judged)."),
    breakdown: z.array(z.string()),
  });
  return {
    Num,
    Figure,
    EstimatesSchema,
    RecommendationSchema,
    StageResultSchema,
    PipelineSchema,
    RecommendResultSchema,
    EstimateResultSchema,
  };
}
type Schemas = ReturnType<typeof define>;
const schema = lazily(define);
export const EstimatesSchema = schema("EstimatesSchema");
export const RecommendationSchema = schema("RecommendationSchema");
export const RecommendResultSchema = schema("RecommendResultSchema");
export const EstimateResultSchema = schema("EstimateResultSchema");
