import { percent3 as pct } from "../format/number.js";
import type { Catalog } from "../catalog/schema.js";
import type { LandedTable } from "../catalog/landed.js";
import { HOURS_PER_MONTH } from "../estimate/option.js";
import type { Calibration } from "../estimate/perf.js";
import { resolveModel, resolveWorkload, type Workload } from "../estimate/workload.js";
import type { ModelPreset } from "../models/schema.js";
import type { Profile } from "../profile/schema.js";
import { recommendWorkload, type RecommendOptions } from "../recommend.js";
import type { PipelineCombination, PipelineStage, ProfileResult, Recommendation } from "../result.js";

const SECONDS_PER_MONTH = HOURS_PER_MONTH * 3600;
/** Most combinations ranked: keeps a long pipeline's product small (3 stages × 3 options = 27 fits easily). */
const MAX_COMBINATIONS = 243;

/** Share of the pipeline's requests each stage sees: `share` as given, `escalation` × the previous stage's share. */
export function resolveShares(stages: readonly { share?: number; escalation?: number }[]): number[] {
  const out: number[] = [];
  stages.forEach((s, i) => out.push(s.share ?? (s.escalation !== undefined ? s.escalation * (out[i - 1] ?? 1) : 1)));
  return out;
}

/**
 * The profile one stage is ranked as: its own workload, SLO and priorities, the pipeline's constraints under
 * its own, and the pipeline's volume scaled by its share. A stage behind an uplink does not inherit the
 * site's connectivity: the link's own `uplink.connectivity` and the fallback cover it.
 */
export function stageProfile(p: Profile, i: number, share: number): Profile {
  const s = p.stages![i]!;
  const v = p.volume;
  const top = p.slo?.throughput;
  const constraints = { ...(p.constraints ?? {}), ...(s.constraints ?? {}) };
  if (s.uplink && s.constraints?.connectivity === undefined) delete constraints.connectivity;
  return {
    name: `${p.name}/${s.name}`,
    workload: s.workload,
    slo: {
      ...(s.slo ?? {}),
      ...(s.slo?.throughput === undefined && top !== undefined ? { throughput: top * share } : {}),
    },
    constraints,
    ...(v
      ? {
          volume: {
            ...v,
            ...(v.requests_per_day !== undefined ? { requests_per_day: v.requests_per_day * share } : {}),
            ...(v.items_per_run !== undefined ? { items_per_run: v.items_per_run * share } : {}),
          },
        }
      : {}),
    ...(p.horizon !== undefined ? { horizon: p.horizon } : {}),
    ...(p.energy ? { energy: p.energy } : {}),
    ...(p.costs ? { costs: p.costs } : {}),
    ...(p.schedule ? { schedule: p.schedule } : {}),
    ...((s.priorities ?? p.priorities) ? { priorities: s.priorities ?? p.priorities } : {}),
  };
}

/** Milliseconds to send `bytesGb` over `mbps`: bytes × 8 / bandwidth. */
export function transferMs(bytesGb: number, mbps: number): number {
  return ((bytesGb * 8e3) / mbps) * 1000;
}

interface StageRun {
  readonly spec: NonNullable<Profile["stages"]>[number];
  readonly share: number;
  readonly workload: Workload;
  readonly result: ProfileResult;
  readonly candidates: readonly Recommendation[];
}

/** Requests entering the pipeline per month, all sites: requests_per_day, else slo.throughput as an average, else batch items. */
export function pipelineRequestsPerMonth(p: Profile): number {
  const v = p.volume ?? {};
  if (v.requests_per_day !== undefined) return (v.requests_per_day * SECONDS_PER_MONTH) / 86400;
  if (p.slo?.throughput !== undefined) return p.slo.throughput * (v.sites ?? 1) * SECONDS_PER_MONTH;
  if (v.items_per_run !== undefined) return v.items_per_run * (v.runs_per_month ?? 30.4375);
  return 0;
}

/** Rank each stage, then combinations of their best options end to end. Pure. */
export function recommendPipeline(
  file: string,
  p: Profile,
  presets: ReadonlyMap<string, ModelPreset>,
  catalog: Catalog,
  cal: Calibration,
  opts: RecommendOptions = {},
  /** Per-country import costs: each stage's bought hardware is landed in the site's country, as a single profile's is. */
  landed?: LandedTable,
): ProfileResult {
  const specs = p.stages!;
  const shares = resolveShares(specs);
  const perStage = Math.max(1, Math.min(3, Math.floor(MAX_COMBINATIONS ** (1 / specs.length))));
  const runs: StageRun[] = specs.map((spec, i) => {
    const sp = stageProfile(p, i, shares[i]!);
    const workload = resolveWorkload(sp, resolveModel(sp.workload.model, presets), landed);
    const result = recommendWorkload(file, workload, catalog, cal, opts);
    const feasible = result.recommendations.filter((r) => r.feasible);
    const candidates = feasible.length ? feasible.slice(0, perStage) : result.recommendations.slice(0, 1);
    return { spec, share: shares[i]!, workload, result, candidates };
  });
  const sites = p.volume?.sites ?? 1;
  const requestsPerMonth = pipelineRequestsPerMonth(p);
  const sloMs = p.slo?.latency_p99;
  let combos: Recommendation[][] = [[]];
  for (const r of runs) combos = combos.flatMap((c) => r.candidates.map((x) => [...c, x]));
  const judged = combos.map((c) => judgeCombination(c, runs, sites, requestsPerMonth, sloMs));
  judged.sort(
    (a, b) =>
      Number(b.feasible) - Number(a.feasible) ||
      a.monthly_cost_usd - b.monthly_cost_usd ||
      (a.latency_p99_ms ?? Infinity) - (b.latency_p99_ms ?? Infinity) ||
      (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0),
  );
  const combinations = judged.map((c, i) => ({ ...c, rank: i + 1 }));
  const stages: PipelineStage[] = runs.map((r) => ({
    name: r.spec.name,
    share: r.share,
    ...(r.spec.uplink
      ? {
          uplink: {
            bytes_per_request: r.spec.uplink.bytes_per_request * 1e9,
            bandwidth_mbps: r.spec.uplink.bandwidth,
            cost_per_gb_usd: r.spec.uplink.cost_per_gb ?? 0,
            rtt_ms: r.spec.uplink.rtt ?? 0,
            connectivity: r.spec.uplink.connectivity ?? "online",
          },
          fallback: r.spec.fallback ?? "queue",
        }
      : {}),
    result: r.result,
  }));
  const notes = [
    `each stage keeps its best ${perStage} feasible option(s); combinations rank feasible first, then by monthly cost, end-to-end p99 and ids`,
    "end-to-end p99 adds the stages' p99s and the transfers (an upper bound on the p99 of the sum); an uplink counts only between stages in different places",
  ];
  const first = runs[0]!;
  return {
    profile: { file, name: p.name, kind: first.workload.kind },
    model: {
      id: first.workload.model.id,
      name: first.workload.model.name,
      family: first.workload.model.family,
      params: first.workload.model.params,
    },
    // The first stage's ranking (the stage every request sees), so tools that read recommendations still work.
    recommendations: first.result.recommendations,
    notes: [
      `pipeline of ${runs.length} stages: ` +
        `${runs.map((r) => `${r.spec.name} (${pct(r.share)})`).join(" → ")}; recommendations are the first ` +
        `stage's, pipeline holds every stage and the combinations`,
    ],
    pipeline: {
      stages,
      combinations,
      ...(sloMs !== undefined ? { latency_p99_slo_ms: sloMs } : {}),
      requests_per_month: requestsPerMonth,
      notes,
    },
  };
}

const key = (c: Omit<PipelineCombination, "rank">) => c.options.map((o) => o.id).join("|");
const r3 = (x: number) => Number(x.toPrecision(3));

function judgeCombination(
  c: readonly Recommendation[],
  runs: readonly StageRun[],
  sites: number,
  requestsPerMonth: number,
  sloMs: number | undefined,
): Omit<PipelineCombination, "rank"> {
  const violations: string[] = [];
  const transfers: PipelineCombination["transfers"][number][] = [];
  // Latency of a request that has passed stages 0..i, transfers included.
  const pathMs: (number | undefined)[] = [];
  let acc: number | undefined = 0;
  let power = 0;
  let cost = 0;
  c.forEach((rec, i) => {
    const run = runs[i]!;
    if (!rec.feasible) violations.push(`${run.spec.name}: ${rec.violations[0]?.message ?? "infeasible"}`);
    const edge = rec.deployment === "edge";
    power += (rec.estimates.power_w ?? 0) * (edge ? sites : 1);
    cost += rec.estimates.monthly_cost_usd ?? 0;
    const up = run.spec.uplink;
    const prev = c[i - 1];
    if (up && prev && prev.deployment !== rec.deployment) {
      const time = transferMs(up.bytes_per_request, up.bandwidth);
      const rtt = up.rtt ?? 0;
      const gb = requestsPerMonth * run.share * up.bytes_per_request;
      const perSite = prev.deployment === "edge";
      const w = run.workload;
      const rate =
        w.needPerS ??
        (w.itemsPerRun !== undefined && w.slo.deadlineH !== undefined
          ? w.itemsPerRun / (w.slo.deadlineH * 3600) / sites
          : 0);
      const peak = rate * (perSite ? 1 : sites);
      const needed = peak * up.bytes_per_request * 8e3;
      transfers.push({
        to_stage: run.spec.name,
        time_ms: time,
        rtt_ms: rtt,
        gb_per_month: gb,
        cost_usd_per_month: gb * (up.cost_per_gb ?? 0),
        needed_mbps: needed,
        bandwidth_mbps: up.bandwidth,
      });
      if (needed > up.bandwidth)
        violations.push(
          `uplink to ${run.spec.name} saturated: needs ${r3(needed)} Mbps${perSite ? " per site" : ""} at peak, has ${r3(up.bandwidth)}`,
        );
      if (acc !== undefined) acc += time + rtt;
    }
    const lat = rec.estimates.latency_p99_ms;
    acc = acc !== undefined && lat !== undefined ? acc + lat : undefined;
    pathMs.push(acc);
  });
  const transferCost = transfers.reduce((s, t) => s + t.cost_usd_per_month, 0);
  const e2e = pathMs[pathMs.length - 1];
  if (sloMs !== undefined && e2e !== undefined && e2e > sloMs)
    violations.push(`end-to-end p99 ${r3(e2e)} ms exceeds the ${r3(sloMs)} ms SLO`);
  const uplinkDown: PipelineCombination["uplink_down"][number][] = [];
  runs.forEach((run, i) => {
    const up = run.spec.uplink;
    const conn = up?.connectivity ?? "online";
    if (!up || conn === "online" || i === 0) return;
    const fallback = run.spec.fallback ?? "queue";
    const alone = pathMs[i - 1];
    const limit = sloMs ?? runs[0]!.workload.slo.latencyMs;
    const meets = alone !== undefined && limit !== undefined ? alone <= limit : undefined;
    const before = runs
      .slice(0, i)
      .map((r) => r.spec.name)
      .join(" + ");
    const aloneText =
      alone === undefined
        ? ""
        : `${before} alone answers in p99 ${r3(alone)} ` +
          `ms${meets === undefined ? "" : meets ? ` (meets the ${r3(limit!)} ms SLO)` : ` (misses the ${r3(limit!)} ms SLO)`}`;
    const perSite = c[i - 1]!.deployment === "edge";
    const queuedPerHour =
      ((requestsPerMonth * run.share) / HOURS_PER_MONTH / (perSite ? sites : 1)) * up.bytes_per_request;
    const what = `${pct(run.share)} of requests bound for ${run.spec.name}`;
    const message =
      fallback === "queue"
        ? `${conn} uplink down: ${what} queue (${r3(queuedPerHour)} GB per hour of outage${perSite ? " per site" : ""}) and are answered late; ${aloneText}`
        : fallback === "local-model"
          ? `${conn} uplink down: ${aloneText} for every request; ${what} get only the local answer`
          : `${conn} uplink down: ${what} are dropped; ${aloneText}`;
    uplinkDown.push({
      to_stage: run.spec.name,
      connectivity: conn,
      fallback,
      ...(alone !== undefined ? { alone_latency_p99_ms: alone } : {}),
      ...(meets !== undefined ? { meets_slo: meets } : {}),
      ...(fallback === "queue" ? { queued_gb_per_hour: queuedPerHour } : {}),
      message,
    });
  });
  return {
    feasible: violations.length === 0,
    options: c.map((rec, i) => ({
      stage: runs[i]!.spec.name,
      id: rec.id,
      name: rec.name,
      deployment: rec.deployment,
      feasible: rec.feasible,
      ...(rec.estimates.latency_p99_ms !== undefined ? { latency_p99_ms: rec.estimates.latency_p99_ms } : {}),
      ...(rec.estimates.monthly_cost_usd !== undefined ? { monthly_cost_usd: rec.estimates.monthly_cost_usd } : {}),
      ...(rec.estimates.power_w !== undefined ? { power_w: rec.estimates.power_w } : {}),
    })),
    transfers,
    ...(e2e !== undefined ? { latency_p99_ms: e2e } : {}),
    ...(pathMs[0] !== undefined ? { first_stage_latency_p99_ms: pathMs[0] } : {}),
    monthly_cost_usd: cost + transferCost,
    transfer_cost_usd_per_month: transferCost,
    power_w: power,
    uplink_down: uplinkDown,
    violations,
  };
}
