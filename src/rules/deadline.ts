import type { OptionEstimate } from "../estimate/option.js";
import { logSigma } from "../estimate/confidence.js";
import type { Workload } from "../estimate/workload.js";
import { wallHours, windowFor } from "../energy/window.js";

// When a run finishes against its deadline, and how sure that is: read by the deadline rule, the flags and
// the ranking.

/**
 * The hours a run takes on the clock, as the deadline rule holds it: training's time to train, or a batch
 * run's items at the option's throughput; owned hardware confined to a daily job window takes longer on
 * the clock than it runs. Undefined where the option states neither.
 */
export function deadlineHours(o: OptionEstimate, w: Workload): number | undefined {
  const h =
    o.timeToTrainH ??
    (w.kind === "batch-inference" && w.itemsPerRun !== undefined && o.throughputPerS
      ? w.itemsPerRun / o.throughputPerS / 3600
      : undefined);
  return h !== undefined && windowFor(w, o.offering.deployment) ? wallHours(h, w, o.offering.deployment) : h;
}

/** A run inside its deadline, with the error band its estimate carries; undefined where any is unknown. */
function runInside(o: OptionEstimate, w: Workload): { h: number; limit: number; errorPct: number } | undefined {
  const h = deadlineHours(o, w);
  const limit = w.slo.deadlineH;
  const errorPct = o.confidence?.median_pct;
  return h === undefined || limit === undefined || errorPct === undefined ? undefined : { h, limit, errorPct };
}

/**
 * A run that meets its deadline with less slack than the estimate's typical error (its chip class and model
 * family's median error on published results the fit did not see): at that error it would miss. Returns
 * the share of the deadline it takes and the error, or undefined where the run has room.
 */
export function deadlineAtRisk(o: OptionEstimate, w: Workload): { share: number; errorPct: number } | undefined {
  const r = runInside(o, w);
  if (!r || r.h > r.limit) return undefined;
  return r.h * (1 + r.errorPct / 100) > r.limit ? { share: r.h / r.limit, errorPct: r.errorPct } : undefined;
}

/**
 * The chance a run that the estimate puts inside its deadline finishes in time, were the estimate off as
 * estimates of its kind are (the median error on published results the fit did not see, read as a
 * log-normal error: logSigma). A run at 94% of a 6-hour
 * window with ±27% typical error makes it 57% of the time; one at half the window 97.5%. 1 where no
 * deadline or no error is known; 0 past the deadline.
 */
export function deadlineOnTime(o: OptionEstimate, w: Workload): number {
  const r = runInside(o, w);
  if (!r || !(r.errorPct > 0)) return 1;
  if (r.h > r.limit) return 0;
  return normalCdf(Math.log(r.limit / r.h) / logSigma(o.confidence));
}

/** Φ(z), the standard normal distribution (Abramowitz & Stegun 7.1.26 for erf: |error| < 1.5e-7). */
function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erf =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}
