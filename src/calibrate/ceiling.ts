import type { Chip, ChipClass } from "../catalog/schema.js";
import type { Calibration, ClassParams } from "../estimate/perf.js";
import { predict, type Context } from "./fit.js";
import { smallerIsFaster, type Measurement } from "./measurements.js";

/** Every efficiency at 1 and no fixed costs: the fastest the model lets a chip's spec sheet go. */
const IDEAL_PARAMS: ClassParams = {
  compute: { default: 1 },
  mem: 1,
  act_dram: 0,
  overhead_ms: 0,
  per_layer_us: 0,
  elem_cycles: 0,
  prefill: 1,
  llama_cpp_prefill: 1,
  llama_cpp_decode: 1,
  decode_mem: 1,
  decode_compute: 1,
  step_overhead_ms: 0,
  kernel_us: 0,
  mfu: 1,
  train_act_passes: 2,
};
const CLASSES: readonly ChipClass[] = ["gpu", "asic", "edge-gpu", "npu", "mcu", "fpga", "cpu"];
export const IDEAL: Calibration = {
  version: 1,
  classes: Object.fromEntries(CLASSES.map((c) => [c, IDEAL_PARAMS])) as Record<ChipClass, ClassParams>,
};

/** Spec-sheet figures are rounded: a measurement counts as beyond the ceiling only past this margin. */
const MARGIN = 1.05;

export interface BeyondCeiling {
  readonly row: Measurement;
  /** The model's figure with every efficiency at 1, in the row's unit. */
  readonly ceiling: number;
}

/**
 * The measurement's figure at the model's ceiling: the chip at 100% of its stated peak and bandwidth, no
 * fixed costs, in the configuration the row states (chip, count, precision, scenario). Pure.
 */
export function ceilingOf(row: Measurement, ctx: Context): number | undefined {
  const chip = ctx.catalog.chips.get(row.chip);
  const model = ctx.models.get(row.model);
  if (!chip || !model) return undefined;
  return predict(row, specSheetOnly(chip), model, IDEAL);
}

/**
 * The chip as its spec sheet states it: a chip's own fitted factors (a team's overlay) or a measured
 * shortfall (measured_gaps) would lower a ceiling, which the spec sheet alone sets.
 */
export const specSheetOnly = (chip: Chip): Chip => ({ ...chip, efficiency: undefined, measured_gaps: undefined });

/**
 * Measurements faster than their chip could be at 100% of every spec-sheet figure. No calibration can
 * reach them (every efficiency is capped at 1), so fitting them only drags the class factors: what ran
 * differs from what the row states (narrower weights than its metadata says, more devices, another chip)
 * or a catalog figure is too low. Pure.
 */
export function beyondCeiling(rows: readonly Measurement[], ctx: Context): BeyondCeiling[] {
  const out: BeyondCeiling[] = [];
  for (const row of rows) {
    const ceiling = ceilingOf(row, ctx);
    if (ceiling === undefined || !(ceiling > 0)) continue;
    const beyond = smallerIsFaster(row.unit) ? row.value * MARGIN < ceiling : row.value > ceiling * MARGIN;
    if (beyond) out.push({ row, ceiling });
  }
  return out;
}

const fmt = (x: number) => Number(x.toPrecision(3)).toString();

/** What to say about a row beyond the ceiling. */
export function ceilingReason(b: BeyondCeiling): string {
  const { row } = b;
  const word = smallerIsFaster(row.unit) ? "at least" : "at most";
  return (
    `measured ${fmt(row.value)} ${row.unit} is beyond the spec sheet: ${row.chip} ` +
    `×${row.count}${row.precision ? ` at ${row.precision}` : ""} reaches ${word} ${fmt(b.ceiling)} ` +
    `${row.unit} at 100% of its stated peak and bandwidth`
  );
}

/** The rows, with those beyond the ceiling kept out of fitting and the summary (still listed). Pure. */
export function excludeBeyondCeiling(rows: readonly Measurement[], ctx: Context): Measurement[] {
  const beyond = new Map(
    beyondCeiling(
      rows.filter((r) => !r.excluded),
      ctx,
    ).map((b) => [b.row, b]),
  );
  return rows.map((r) => {
    const b = beyond.get(r);
    return b ? { ...r, excluded: `${ceilingReason(b)}; what ran differs from the row's metadata` } : r;
  });
}
