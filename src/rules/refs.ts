// What each rule judges against, for reporters: the profile field to relax and the unit of the figures.
import type { RuleId } from "./index.js";

/**
 * What each rule judges against: the profile field a user changes to relax it (absent where the limit is
 * the hardware's, e.g. memory) and the unit its measured and limit figures are in (absent for categorical
 * rules, whose figures are lists). A reporter needs these, not the message text, to explain a rejection.
 */
export const RULE_REFS: Readonly<Record<RuleId, { readonly field?: string; readonly unit?: string }>> = {
  deployment: { field: "constraints.deployment" },
  connectivity: { field: "constraints.connectivity" },
  data_residency: { field: "constraints.data_residency" },
  runtimes: { field: "constraints.runtimes" },
  serving_stack: { field: "workload.runtime" },
  model_family: { field: "workload.model" },
  training: { field: "workload.kind" },
  precision: { field: "workload.precision" },
  memory: { unit: "GB" },
  latency_p99: { field: "slo.latency_p99", unit: "ms" },
  throughput: { field: "slo.throughput", unit: "/s" },
  ttft: { field: "slo.ttft", unit: "ms" },
  tokens_per_s: { field: "slo.tokens_per_s", unit: "tokens/s" },
  deadline: { field: "slo.deadline", unit: "h" },
  power_budget: { field: "constraints.power_budget", unit: "W" },
  power_cap: { field: "constraints.power_cap", unit: "W" },
  energy_balance: { field: "energy.supply", unit: "Wh/day" },
  max_devices: { field: "constraints.max_devices", unit: "devices" },
  budget_monthly: { field: "constraints.budget.monthly", unit: "USD/month" },
  budget_capex: { field: "constraints.budget.capex", unit: "USD" },
  budget_per_1m: { field: "constraints.budget.per_1m_inferences", unit: "USD per 1M" },
  budget_total: { field: "constraints.budget.total", unit: "USD" },
  licence: { field: "constraints.allow_consumer_hardware" },
  lifecycle: { field: "constraints.allow_discontinued" },
  host: { field: "constraints.host" },
  estimate: {},
};

/** A throughput violation judged against slo.concurrency: its figures are streams, not requests a second. */
export const CONCURRENCY_REF = { field: "slo.concurrency", unit: "streams" } as const;
