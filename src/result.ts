import type { Deployment, OfferingClass } from "./catalog/schema.js";
import type { Bound } from "./estimate/perf.js";
import type { WorkloadKind } from "./profile/schema.js";
import type { RuleId } from "./rules/index.js";
import type { HostJson } from "./estimate/host.js";

/** The versioned result every output format renders. Field names are the JSON contract (schemaVersion 1). */
export interface Report {
  readonly schemaVersion: 1;
  readonly results: readonly ProfileResult[];
}

export interface ProfileResult {
  readonly profile: { readonly file: string; readonly name: string; readonly kind: WorkloadKind };
  readonly model: {
    readonly id: string;
    readonly name: string;
    readonly family: string;
    readonly params: number;
    readonly precision?: string;
    readonly sample?: string;
  };
  /** Options considered (after deployment pre-filtering nothing is hidden: all are here, ranked). */
  readonly recommendations: readonly Recommendation[];
  readonly notes: readonly string[];
  /** Defaults the profile did not state that moved the answer: the field to state, the value used. */
  readonly assumed?: readonly {
    readonly field: string;
    readonly value: number | string;
    readonly what: string;
    readonly unit?: string;
  }[];
  /** Pipeline profiles (`stages:`) only: each stage's ranking and the combinations end to end. */
  readonly pipeline?: PipelineResult;
  /** LLM profiles whose model hosted endpoints serve: the top option against per-token prices. */
  readonly api_comparison?: ApiComparison;
}

/** The top feasible self-hosted option beside hosted endpoints' per-token prices for the same model. */
export interface ApiComparison {
  /** The request shape priced: prompt and generated tokens per request. */
  readonly input_tokens: number;
  readonly output_tokens: number;
  readonly self_hosted: {
    readonly id: string;
    readonly name: string;
    readonly monthly_cost_usd?: number;
    /** At the profile's volume (the option's cost per 1M requests). */
    readonly cost_per_request_usd?: number;
    /** Prompt and generated tokens together. */
    readonly cost_per_1m_tokens_usd?: number;
    readonly requests_per_day?: number;
    /** Requests a day the option serves flat out: the profile's volume over the share of capacity it uses. */
    readonly max_requests_per_day?: number;
    /** A batch job: its requests a run and what the option costs for one run. */
    readonly requests_per_run?: number;
    readonly cost_per_run_usd?: number;
  };
  /** Cheapest first. */
  readonly endpoints: readonly {
    readonly provider: string;
    readonly endpoint: string;
    readonly region: string;
    readonly country: string;
    /** Whether the endpoint's country is among the profile's data_residency countries (absent: none stated). */
    readonly residency_ok?: boolean;
    readonly input_usd_per_1m: number;
    readonly output_usd_per_1m: number;
    /** Prompt and generated tokens together, at this request shape. */
    readonly cost_per_1m_tokens_usd: number;
    readonly cost_per_request_usd: number;
    /** What the endpoint would bill a month at the profile's volume. */
    readonly monthly_cost_usd?: number;
    /** A batch job: what the endpoint would bill for one run's requests. */
    readonly cost_per_run_usd?: number;
    /**
     * Requests a day at which the self-hosted option's monthly cost equals the endpoint's bill, where the
     * option serves that many.
     */
    readonly break_even_requests_per_day?: number;
    /** The endpoint costs less than the option at every volume the option serves, fully used included. */
    readonly cheaper_at_any_served_volume?: boolean;
    readonly source: string;
    readonly as_of: string;
  }[];
}

/** A pipeline across tiers: stages ranked on their own, then combinations of their best options. */
export interface PipelineResult {
  readonly stages: readonly PipelineStage[];
  /** Feasible first, then by total monthly cost, end-to-end latency and option ids. */
  readonly combinations: readonly PipelineCombination[];
  readonly latency_p99_slo_ms?: number;
  /** Requests entering the pipeline per month (all sites). */
  readonly requests_per_month: number;
  readonly notes: readonly string[];
}

export interface PipelineStage {
  readonly name: string;
  /** Share of the pipeline's requests this stage sees (0–1). */
  readonly share: number;
  readonly uplink?: {
    readonly bytes_per_request: number;
    readonly bandwidth_mbps: number;
    readonly cost_per_gb_usd: number;
    readonly rtt_ms: number;
    readonly connectivity: string;
  };
  readonly fallback?: string;
  /** The stage ranked as a workload of its own (its share of the traffic, its SLO and constraints). */
  readonly result: ProfileResult;
}

export interface PipelineCombination {
  readonly rank: number;
  readonly feasible: boolean;
  readonly options: readonly {
    readonly stage: string;
    readonly id: string;
    readonly name: string;
    readonly deployment: Deployment;
    readonly feasible: boolean;
    readonly latency_p99_ms?: number;
    readonly monthly_cost_usd?: number;
    readonly power_w?: number;
  }[];
  /** Uplinks crossed (consecutive stages in different places). */
  readonly transfers: readonly {
    readonly to_stage: string;
    readonly time_ms: number;
    readonly rtt_ms: number;
    readonly gb_per_month: number;
    readonly cost_usd_per_month: number;
    readonly needed_mbps: number;
    readonly bandwidth_mbps: number;
  }[];
  /** p99 of a request that passes every stage: stage p99s in series plus transfers (an upper bound). */
  readonly latency_p99_ms?: number;
  /** p99 of a request the first stage settles alone. */
  readonly first_stage_latency_p99_ms?: number;
  readonly monthly_cost_usd: number;
  readonly transfer_cost_usd_per_month: number;
  /** All stages, all sites. */
  readonly power_w: number;
  readonly uplink_down: readonly {
    readonly to_stage: string;
    readonly connectivity: string;
    readonly fallback: string;
    readonly alone_latency_p99_ms?: number;
    readonly meets_slo?: boolean;
    readonly queued_gb_per_hour?: number;
    readonly message: string;
  }[];
  readonly violations: readonly string[];
}

export interface Estimates {
  readonly latency_p99_ms?: number;
  readonly throughput_per_s?: number;
  readonly ttft_ms?: number;
  readonly tokens_per_s?: number;
  readonly output_tokens_per_s?: number;
  readonly time_to_train_h?: number;
  readonly power_w?: number;
  readonly full_load_power_w?: number;
  readonly energy_per_inference_j?: number;
  /** Inferences per joule at the average load (1 / energy_per_inference_j). */
  readonly inferences_per_j?: number;
  /** LLMs: generated tokens per joule at full load (= tokens/s per watt). */
  readonly tokens_per_j?: number;
  /** Per-device power cap the option runs under, W (the profile's, or one recommend chose to meet a power limit). */
  readonly power_cap_w?: number;
  /** Average power (per site at the edge), W. */
  readonly avg_power_w?: number;
  /** Facility energy per month (PUE included), kWh. */
  readonly energy_kwh_per_month?: number;
  /** Grid carbon intensity the option draws from, g CO₂e/kWh. */
  readonly grid_g_co2_per_kwh?: number;
  readonly carbon_kg_per_month?: number;
  readonly carbon_g_per_1m?: number;
  /** Training runs and batch runs: kg CO₂e per run. */
  readonly carbon_kg_per_run?: number;
  /** Off-grid sites: energy needed per day and what the panel gives, Wh; days the battery covers. */
  readonly site_wh_per_day?: number;
  readonly panel_wh_per_day?: number;
  readonly battery_days?: number;
  /** Grid sites with outages: UPS battery to ride through the longest outage, Wh, and its installed cost. */
  readonly ups_wh?: number;
  readonly ups_usd?: number;
  readonly cost_per_1m_usd?: number;
  readonly monthly_cost_usd?: number;
  readonly total_cost_usd?: number;
  readonly capex_usd?: number;
  readonly memory_needed_gb?: number;
  readonly memory_available_gb?: number;
  readonly precision?: string;
  /** The precision an LLM's weights are stored and read at, where narrower than `precision` (weight-only: widened in-kernel). */
  readonly weights_precision?: string;
  readonly batch?: number;
  readonly bound?: Bound;
  /** Typical (median) error of this kind of estimate against published results, % (cross-validated). */
  readonly uncertainty_pct?: number;
  /** 90th-percentile error of this kind of estimate, %. */
  readonly uncertainty_p90_pct?: number;
  /** Share of the provisioned capacity the stated load keeps busy on average, %. */
  readonly utilization_pct?: number;
}

/** A broken rule as every JSON output writes it. */
export interface ViolationJson {
  readonly rule: RuleId;
  readonly message: string;
  readonly measured?: number | string;
  readonly limit?: number | string;
  /** The profile field the limit comes from (to relax it), e.g. slo.latency_p99; absent for the hardware's own limits. */
  readonly field?: string;
  /** The unit of measured and limit, e.g. ms; absent for categorical rules. */
  readonly unit?: string;
}

export interface Recommendation {
  readonly rank: number;
  readonly id: string;
  readonly name: string;
  readonly class: OfferingClass;
  readonly deployment: Deployment;
  readonly chip: string;
  readonly provider?: string;
  readonly region?: string;
  /** Units (instances, servers, boards) per site at the edge, in total otherwise. */
  readonly units: number;
  /** Devices in the whole deployment (all sites). */
  readonly devices: number;
  readonly feasible: boolean;
  readonly score: number;
  /** The host a part that cannot run alone is deployed with, or the team's own. */
  readonly host?: HostJson;
  /** Other packagings of the same chip × count, folded into this row. */
  readonly also_sold_as?: readonly string[];
  /** Worth knowing, not disqualifying: end of life, over-provisioned. */
  readonly flags?: readonly string[];
  readonly estimates: Estimates;
  readonly violations: readonly ViolationJson[];
  /** LLM inference: the deployment configuration chosen per unit, and the runner-up. */
  readonly serving?: ServingConfig & { readonly runner_up?: ServingConfig };
  /** How the estimate was reached (shown with --explain). */
  readonly breakdown: readonly string[];
  /** Catalog figures older than the staleness limit. */
  readonly stale?: readonly string[];
}

/** How one unit serves an LLM: split of a copy, copies, KV cache, sequence slots, prefill mode. */
export interface ServingConfig {
  readonly tensor_parallel: number;
  readonly pipeline_parallel: number;
  /** The pipeline's devices run one after another (llama.cpp, Ollama layer split): memory pooled, one device's speed. */
  readonly sequential_layers?: boolean;
  /** Model copies per unit. */
  readonly replicas: number;
  readonly kv_cache: string;
  /** Concurrent sequences per copy at the operating point. */
  readonly slots: number;
  readonly chunked_prefill: boolean;
  /** Disaggregated prefill/decode: copies that only prefill (the rest of `replicas` only decode). */
  readonly prefill_copies?: number;
  /** Output tokens per second one unit sustains within the profile's limits. */
  readonly output_tokens_per_s: number;
}
