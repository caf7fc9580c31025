import type { Deployment, OfferingClass } from "../catalog/schema.js";
import type { Bound } from "../estimate/perf.js";
import type { WorkloadKind } from "../profile/schema.js";
import type { RuleId } from "../rules/index.js";

/** The versioned result every output format renders. Field names are the JSON contract (schemaVersion 1). */
export interface Report {
  readonly schemaVersion: 1;
  readonly results: readonly ProfileResult[];
}

export interface ProfileResult {
  readonly profile: { readonly file: string; readonly name: string; readonly kind: WorkloadKind };
  readonly model: { readonly id: string; readonly name: string; readonly family: string; readonly params: number };
  /** Options considered (after deployment pre-filtering nothing is hidden: all are here, ranked). */
  readonly recommendations: readonly Recommendation[];
  readonly notes: readonly string[];
}

export interface Estimates {
  readonly latency_p99_ms?: number;
  readonly throughput_per_s?: number;
  readonly ttft_ms?: number;
  readonly tokens_per_s?: number;
  readonly output_tokens_per_s?: number;
  readonly time_to_train_h?: number;
  readonly power_w?: number;
  readonly energy_per_inference_j?: number;
  readonly cost_per_1m_usd?: number;
  readonly monthly_cost_usd?: number;
  readonly total_cost_usd?: number;
  readonly capex_usd?: number;
  readonly memory_needed_gb?: number;
  readonly memory_available_gb?: number;
  readonly precision?: string;
  readonly batch?: number;
  readonly bound?: Bound;
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
  readonly estimates: Estimates;
  readonly violations: readonly { readonly rule: RuleId; readonly message: string; readonly measured?: number | string; readonly limit?: number | string }[];
  /** How the estimate was reached (shown with --explain). */
  readonly breakdown: readonly string[];
  /** Catalog figures older than the staleness limit. */
  readonly stale?: readonly string[];
}
