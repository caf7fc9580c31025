import { assumedDefaults } from "../estimate/assumed.js";
import { resolveModel, resolveWorkload, type Workload } from "../estimate/workload.js";
import { recommendPipeline } from "../pipeline/index.js";
import type { Profile } from "../profile/schema.js";
import { recommendWorkload, type RecommendOptions } from "../recommend.js";
import type { ProfileResult } from "../result.js";
import type { Run } from "./run.js";

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
  if (profile.stages) return recommendPipeline(file, profile, run.models, run.catalog, run.calibration, opts, run.landed);
  const w = workloadOf(profile, run);
  return recommendWorkload(file, w, run.catalog, run.calibration, { ...opts, assumed: assumedDefaults(profile, w), apiPrices: run.apiPrices });
}
