import type { Chip } from "../catalog/schema.js";
import type { Calibration } from "./perf.js";
import { isLlm, type ResolvedModel } from "./workload.js";

/** Error of the model on published results the fit did not see, for one slice (cross-validated rows and the holdout). */
export interface ErrorBand {
  /** Median absolute percentage error, %. */
  readonly median_pct: number;
  /** 90th-percentile absolute percentage error, %. */
  readonly p90_pct: number;
  /** Rows the figure comes from. */
  readonly n: number;
}

/** The key a model falls under in the calibration's error table: LLMs share one, others go by family. */
export function familyGroup(m: Pick<ResolvedModel, "family">): string {
  return isLlm(m as ResolvedModel) ? "llm" : m.family;
}

export interface Confidence extends ErrorBand {
  /** Which slice the band comes from: `gpu/cnn`, `gpu` (class only) or `all`. */
  readonly basis: string;
  /** The chip's own efficiency came from the team's measurements (`hwadvise calibrate`). */
  readonly ownCalibration: boolean;
}

/**
 * The error band an estimate carries: the out-of-sample error of its chip class and model family
 * where there are at least 3 such rows, else of its class, else of all rows. Undefined when the
 * calibration has no error table.
 */
export function confidenceFor(
  cal: Calibration,
  chip: Chip,
  model: Pick<ResolvedModel, "family">,
): Confidence | undefined {
  const table = cal.uncertainty;
  if (!table) return undefined;
  const keys = [`${chip.class}/${familyGroup(model)}`, chip.class, "all"];
  for (const k of keys) {
    const b = table[k];
    if (b && b.n >= 3) return { ...b, basis: k, ownCalibration: chip.efficiency !== undefined };
  }
  return undefined;
}

/** The explain lines that say where an estimate's figures came from: the spec sheet and the error band. */
export function provenanceLines(chip: Chip, c: Confidence | undefined): string[] {
  const lines = [`spec: ${chip.name}, ${chip.source} (as of ${chip.as_of})`];
  if (c) {
    lines.push(
      `confidence: ±${Math.round(c.median_pct)}% typical, ±${Math.round(c.p90_pct)}% at p90 — error on ` +
        `${c.n} published results the fit did not see, for ` +
        `${c.basis}${c.ownCalibration ? " (this chip also carries efficiency factors from your own measurements)" : ""}`,
    );
  }
  return lines;
}

/**
 * The spread of an estimate's error in log terms, read from its band as a log-normal error: half of the
 * published results are off by more than ±median, so σ = ln(1 + median) / 0.674 (the normal's quartile).
 */
export function logSigma(c: Pick<ErrorBand, "median_pct"> | undefined): number {
  return c && c.median_pct > 0 ? Math.log(1 + c.median_pct / 100) / 0.6745 : 0;
}

/**
 * How much faster than its deadline a run is provisioned to finish, so that it still makes it nine times in
 * ten (1.2816, the normal's 90th percentile) were the estimate off as estimates of its kind are: e^(1.2816 σ),
 * 1.26 at ±13% typical error, 1.58 at ±27%. A team buying for a nightly 20-hour window does not buy the GPUs that finish in 18.8 hours.
 */
export function deadlineHeadroom(c: Pick<ErrorBand, "median_pct"> | undefined): number {
  return Math.exp(1.2816 * logSigma(c));
}
