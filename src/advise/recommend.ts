import { assumedDefaults } from "../estimate/assumed.js";
import { resolveModel, resolveWorkload, type Workload } from "../estimate/workload.js";
import { recommendPipeline } from "../pipeline/index.js";
import { isTraining, type Profile } from "../profile/schema.js";
import { recommendWorkload, type RecommendOptions } from "../recommend.js";
import type { ProfileResult } from "../result.js";
import type { Run } from "./run.js";
import { adviseTco, type TcoAdvice } from "./tco.js";
import { pickTcoOptions } from "../tco/select.js";

/** A validated profile and the file it came from. */
export interface ProfileInput {
  readonly file: string;
  readonly profile: Profile;
}

/** The workload a single-stage profile describes, its model resolved against the run's presets. */
export function workloadOf(p: Profile, run: Pick<Run, "models" | "landed">, horizonYears?: number): Workload {
  return resolveWorkload(p, resolveModel(p.workload.model, run.models), run.landed, horizonYears);
}

/**
 * The use case `recommend`: rank the run's catalog for one profile (each stage and the combinations of a
 * pipeline). `keep` builds only the rows a caller reads (lock and check read one or a few). Pure.
 */
export function adviseProfile(input: ProfileInput, run: Run, keep?: RecommendOptions["keep"]): ProfileResult {
  const opts: RecommendOptions = { today: run.today, staleMonths: run.staleMonths, ...(keep ? { keep } : {}) };
  const { file, profile } = input;
  if (profile.stages)
    return recommendPipeline(file, profile, run.models, run.catalog, run.calibration, opts, run.landed);
  const w = workloadOf(profile, run);
  return recommendWorkload(file, w, run.catalog, run.calibration, {
    ...opts,
    assumed: assumedDefaults(profile, w),
    apiPrices: run.apiPrices,
  });
}

/** The profile's limit on the trade-off chart's y figure: the p99 SLO (ms), or the deadline (h) for training. */
export function chartLimitOf(p: Profile): number | undefined {
  return isTraining(p.workload.kind) ? p.slo?.deadline : p.slo?.latency_p99;
}

/** One profile's ranking as a report shows it, with the chart's limit and (`tco`) the top options' cost of ownership. */
export interface ProfileView {
  readonly result: ProfileResult;
  readonly slo?: number;
  readonly tco?: TcoAdvice;
}

/**
 * The use case behind `recommend`'s reports: the ranking, and with `tco` (the HTML report) what renting
 * against owning the top three feasible options costs over the horizon. Pure.
 */
export function adviseView(input: ProfileInput, run: Run, opts: { readonly tco: boolean }): ProfileView {
  const result = adviseProfile(input, run);
  const slo = chartLimitOf(input.profile);
  if (!opts.tco || input.profile.stages || !result.recommendations.some((r) => r.feasible)) return { result, slo };
  const byId = new Map(run.catalog.offerings.map((o) => [o.id, o]));
  const offerings = pickTcoOptions(result, 3).flatMap((id) => byId.get(id) ?? []);
  const { ranking: _r, ...tco } = adviseTco(input, { offerings, top: 3, currency: "USD", fxPerUsd: 1 }, run);
  return { result, slo, tco };
}
