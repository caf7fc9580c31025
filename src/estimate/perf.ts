// The performance model's entry points. The model lives in modules by responsibility: calibration.ts
// (efficiency factors per chip), precision.ts, queueing.ts, roofline.ts (device splits, non-LLM inference),
// llm-config.ts (LLM deployment configuration search), llm-serving.ts (one LLM operating point) and
// training.ts; this file keeps the exports callers import.
import type { Chip } from "../catalog/schema.js";
import type { Calibration } from "./calibration.js";
import { estimateLlm } from "./llm-config.js";
import type { PerfEstimate } from "./perf-types.js";
import { choosePrecision } from "./precision.js";
import { estimateDense } from "./roofline.js";
import { isLlm, type Workload } from "./workload.js";

export { paramsFor, scaleParams, stackOf, type Calibration, type ClassParams, type Multiplier } from "./calibration.js";
export { configText } from "./llm-serving.js";
export type { Bound, LlmConfig, LoadPoint, PerfEstimate, TrainEstimate } from "./perf-types.js";
export { choosePrecision, type PrecisionChoice } from "./precision.js";
export { erlangC, waitP99 } from "./queueing.js";
export { estimateTraining, TRAIN_ACT_PASSES, TRAIN_STATE_BYTES } from "./training.js";

/** Inference estimate for one unit of `count` devices. */
export function estimateInference(
  chip: Chip,
  count: number,
  w: Workload,
  cal: Calibration,
): PerfEstimate | { error: string } {
  const prec = choosePrecision(chip, w);
  if (!prec.ok) return { error: prec.reason };
  return isLlm(w.model) ? estimateLlm(chip, count, w, prec, cal) : estimateDense(chip, count, w, prec, cal);
}
