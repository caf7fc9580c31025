// npm run holdout — the committed calibration against published results that are NOT in the calibration
// file (test/holdout/*.csv, each row with its source): how the fitted model does on data it never saw.
import "./fail-cleanly.js";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { mergeOrThrow, readBuiltinFromYaml } from "../src/cli/builtin.js";
import { evaluate, summarize, type Context } from "../src/calibrate/fit.js";
import { parseHoldout } from "../src/calibrate/holdout.js";
import type { Calibration } from "../src/estimate/perf.js";
import { resolveModel, type ResolvedModel } from "../src/estimate/workload.js";

const root = join(import.meta.dirname, "..");
const b = readBuiltinFromYaml(root);
const models = new Map<string, ResolvedModel>();
for (const id of b.models.keys()) models.set(id, resolveModel(id, b.models));
const ctx: Context = { catalog: mergeOrThrow(b.files, { keepDisabledChips: true }), models };
const cal = JSON.parse(readFileSync(join(root, "catalog", "calibration.json"), "utf8")) as Calibration;
const errs = evaluate(parseHoldout(readFileSync(join(root, "test", "holdout", "mlperf-tiny.csv"), "utf8")), ctx, cal);
for (const e of errs) {
  const off =
    e.predicted === undefined
      ? "not expressible"
      : `${e.predicted > e.row.value ? "+" : ""}${((e.predicted / e.row.value - 1) * 100).toFixed(0)}%`;
  console.log(
    `${e.row.chip.padEnd(18)} ${e.row.model.padEnd(18)} measured ${e.row.value.toPrecision(4).padStart(8)} ms  predicted ${e.predicted === undefined ? "       —" : e.predicted.toPrecision(4).padStart(8)} ms  ${off}`,
  );
}
const s = summarize(errs);
console.log(
  `\nMLPerf Tiny results outside the calibration file: n=${s.n}  median ${(s.medianApe * 100).toFixed(1)}%  p90 ${(s.p90Ape * 100).toFixed(1)}%  within 2× ${(s.within2x * 100).toFixed(1)}%  worst ${s.worstRatio.toFixed(2)}×`,
);
