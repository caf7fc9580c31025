import { beyondCeiling, ceilingReason } from "../calibrate/ceiling.js";
import { fitChips, parseUserMeasurements, type ChipFit } from "../calibrate/user.js";
import { InputError } from "../errors.js";
import { resolveModel, type ResolvedModel } from "../estimate/workload.js";
import type { Run } from "./run.js";

/** What `calibrate` reports: each measured chip's fitted efficiency factors and how much they help. */
export interface CalibrateAdvice {
  readonly schemaVersion: 1;
  /** The measurements file (as named on the command line). */
  readonly file: string;
  readonly measurements: number;
  readonly fits: readonly ChipFit[];
}

/**
 * The use case `calibrate`: fit efficiency factors to a team's own measurements (CSV text). Bad rows, and
 * results faster than the chip's spec sheet allows (efficiencies stop at 1), are input errors that point
 * at the row. Pure.
 */
export function adviseCalibrate(
  input: { readonly file: string; readonly text: string },
  run: Pick<Run, "catalog" | "models" | "calibration">,
): CalibrateAdvice {
  const parsed = parseUserMeasurements(input.file, input.text, run.catalog, new Set(run.models.keys()));
  if (!parsed.ok) throw new InputError(parsed.problems);
  const models = new Map<string, ResolvedModel>();
  for (const id of run.models.keys()) models.set(id, resolveModel(id, run.models));
  const fitCtx = { catalog: run.catalog, models };
  const beyond = beyondCeiling(parsed.value, fitCtx);
  if (beyond.length) {
    throw new InputError(
      beyond.map((x) => ({
        file: input.file,
        line: x.row.valueAt?.line,
        col: x.row.valueAt?.col,
        path: "value",
        message: `${ceilingReason(x)}; check chip, count and precision (or correct the chip in a --catalog overlay)`,
      })),
    );
  }
  return {
    schemaVersion: 1,
    file: input.file,
    measurements: parsed.value.length,
    fits: fitChips(parsed.value, fitCtx, run.calibration, input.file),
  };
}
