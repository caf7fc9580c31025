import { planTraining, type TrainingPlan } from "./training-option.js";
import type { Chip } from "../catalog/schema.js";
import { estimateInference, type Calibration, type PerfEstimate } from "./perf.js";
import type { Workload } from "./workload.js";
import { confidenceFor, type Confidence } from "./confidence.js";
import { windowFor } from "../energy/window.js";
import { planUnits, type UnitPlan } from "./inference-option.js";

/**
 * Estimates of one chip × count for one workload, shared by the offerings that have both (a catalog
 * of thousands of offerings holds far fewer distinct pairs). Create one per workload: the entries
 * depend on it.
 */
export class PerfMemo {
  private readonly byChip = new Map<Chip, Map<number, unknown>>();
  private readonly bands = new Map<Chip, Confidence | undefined>();
  private readonly plans = new Map<PerfEstimate, [UnitPlan | undefined, UnitPlan | undefined, UnitPlan | undefined]>();
  /**
   * planUnits(…), once per estimate and deployment kind. An estimate is one chip's, so its headroom (its error
   * band's) is the same every time it is asked.
   */
  plan(...args: Parameters<typeof planUnits>): UnitPlan {
    const [perf, edge, w, deployment = edge ? "edge" : "cloud"] = args;
    let p = this.plans.get(perf);
    if (!p) this.plans.set(perf, (p = [undefined, undefined, undefined]));
    // On-premises plans differ from cloud ones only when a job window binds owned hardware.
    const i = edge ? 1 : deployment === "on-prem" && windowFor(w, deployment) ? 2 : 0;
    return (p[i] ??= planUnits(...args));
  }
  /** confidenceFor(cal, chip, model), once per chip. */
  confidence(cal: Calibration, chip: Chip, model: Workload["model"]): Confidence | undefined {
    if (this.bands.has(chip)) return this.bands.get(chip);
    const c = confidenceFor(cal, chip, model);
    this.bands.set(chip, c);
    return c;
  }
  /** estimateInference(chip, count, w, cal), once per chip × count. */
  inference(chip: Chip, count: number, w: Workload, cal: Calibration): ReturnType<typeof estimateInference> {
    const byCount = this.forChip(chip);
    let v = byCount.get(count) as ReturnType<typeof estimateInference> | undefined;
    if (v === undefined) byCount.set(count, (v = estimateInference(chip, count, w, cal)));
    return v;
  }
  /**
   * planTraining(…), once per chip × count (and per deadline, when a job window binds owned hardware). A chip's
   * headroom (its error band's) is the same every time it is asked.
   */
  training(...args: Parameters<typeof planTraining>): TrainingPlan {
    const [chip, count, w, , deadlineH = w.slo.deadlineH] = args;
    const byCount = this.forChip(chip);
    const key = deadlineH === w.slo.deadlineH ? count : -count;
    let v = byCount.get(key) as TrainingPlan | undefined;
    if (v === undefined) byCount.set(key, (v = planTraining(...args)));
    return v;
  }
  // A memo serves one workload, so a chip's entries are all inference estimates or all training plans.
  private forChip(chip: Chip): Map<number, unknown> {
    let byCount = this.byChip.get(chip);
    if (!byCount) this.byChip.set(chip, (byCount = new Map()));
    return byCount;
  }
}
