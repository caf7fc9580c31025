import type { Workload } from "../estimate/workload.js";
import type { ApiComparison, Recommendation } from "../result.js";
import type { ApiPrice } from "./schema.js";

const DAYS_PER_MONTH = 30.4375;

/**
 * Self-hosted vs per-token APIs for an LLM workload: the top feasible option's cost per request at the
 * profile's volume (its cost per 1M requests) beside each hosted endpoint serving the same model (or a
 * release of the same architecture, `architecture_of`: cost per token is set by the network), and the
 * break-even volume: the requests a day at which the option's monthly cost equals what the endpoint
 * would bill. Below it the API is cheaper; above it (up to what the option was sized for) self-hosting
 * is. A break-even beyond what the option serves flat out is no break-even: there the option costs more
 * per request than the endpoint even fully used, and a larger volume buys more of it. That endpoint is
 * marked cheaper at every volume the option serves instead. A batch job is compared by the run: what
 * the option costs a run beside what the endpoint would bill for the run's requests (no break-even a
 * day: the run's items are the volume). Undefined when no endpoint serves the model or no option is
 * feasible. Pure.
 */
export function compareApis(
  w: Workload,
  recs: readonly Recommendation[],
  prices: readonly ApiPrice[],
): ApiComparison | undefined {
  const mine = prices.filter((p) => p.model === w.model.id || p.model === w.model.architectureOf);
  const top = recs.find((r) => r.feasible);
  if (mine.length === 0 || !top) return undefined;
  const inTok = w.inputTokens;
  const outTok = w.outputTokens * w.model.beams;
  const tokens = inTok + outTok;
  const monthly = top.estimates.monthly_cost_usd;
  const per1m = top.estimates.cost_per_1m_usd;
  const selfPerRequest = per1m !== undefined ? per1m / 1e6 : undefined;
  // Requests a month at the profile's volume, every site together (what the monthly cost serves); a
  // service given only its concurrent streams serves what those streams send (the option's rate).
  const perS =
    w.averagePerS !== undefined
      ? w.averagePerS * w.sites
      : w.kind !== "batch-inference" && w.slo.concurrency !== undefined
        ? top.estimates.throughput_per_s
        : undefined;
  const perMonth = perS !== undefined ? perS * 86400 * DAYS_PER_MONTH : undefined;
  const items = w.kind === "batch-inference" ? w.itemsPerRun : undefined;
  const runCost = items !== undefined ? top.estimates.total_cost_usd : undefined;
  // What the option serves flat out: the profile's volume over the share of capacity it uses.
  const used = (top.estimates.utilization_pct ?? 100) / 100;
  const maxPerDay = perMonth !== undefined && used > 0 ? perMonth / DAYS_PER_MONTH / used : undefined;
  const endpoints = mine
    .map((p) => {
      const perRequest = (inTok * p.input_usd_per_1m + outTok * p.output_usd_per_1m) / 1e6;
      const even =
        items === undefined && monthly !== undefined && perRequest > 0
          ? monthly / perRequest / DAYS_PER_MONTH
          : undefined;
      const beyond = even !== undefined && maxPerDay !== undefined && even > maxPerDay * (1 + 1e-9);
      const breakEven = beyond ? undefined : even;
      return {
        provider: p.provider,
        endpoint: p.endpoint,
        region: p.region,
        country: p.country,
        ...(w.dataResidency ? { residency_ok: w.dataResidency.includes(p.country) } : {}),
        input_usd_per_1m: p.input_usd_per_1m,
        output_usd_per_1m: p.output_usd_per_1m,
        cost_per_1m_tokens_usd: (perRequest / tokens) * 1e6,
        cost_per_request_usd: perRequest,
        ...(perMonth !== undefined ? { monthly_cost_usd: perRequest * perMonth } : {}),
        ...(items !== undefined ? { cost_per_run_usd: perRequest * items } : {}),
        ...(breakEven !== undefined ? { break_even_requests_per_day: breakEven } : {}),
        ...(beyond ? { cheaper_at_any_served_volume: true } : {}),
        source: p.source,
        as_of: p.as_of,
      };
    })
    // Cheapest first; ties by provider and endpoint name.
    .sort(
      (a, b) =>
        a.cost_per_request_usd - b.cost_per_request_usd ||
        a.provider.localeCompare(b.provider) ||
        a.endpoint.localeCompare(b.endpoint),
    );
  return {
    input_tokens: inTok,
    output_tokens: outTok,
    self_hosted: {
      id: top.id,
      name: top.name,
      ...(monthly !== undefined ? { monthly_cost_usd: monthly } : {}),
      ...(selfPerRequest !== undefined
        ? { cost_per_request_usd: selfPerRequest, cost_per_1m_tokens_usd: (selfPerRequest / tokens) * 1e6 }
        : {}),
      ...(perMonth !== undefined ? { requests_per_day: perMonth / DAYS_PER_MONTH } : {}),
      ...(maxPerDay !== undefined ? { max_requests_per_day: maxPerDay } : {}),
      ...(items !== undefined && runCost !== undefined ? { requests_per_run: items, cost_per_run_usd: runCost } : {}),
    },
    endpoints,
  };
}
