// npm run calibrate — fit the performance model's efficiency factors per chip class (and model family)
// to the published MLPerf results and write catalog/calibration.json (reviewed like code: commit it).
import "./fail-cleanly.js";
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { mergeOrThrow, readBuiltinFromYaml } from "../src/cli/builtin.js";
import { crossValidate, errorTable, evaluate, fitAll, summarize, type Context } from "../src/calibrate/fit.js";
import { excludeBeyondCeiling } from "../src/calibrate/ceiling.js";
import { parseHoldout } from "../src/calibrate/holdout.js";
import { parseMlperfCsv } from "../src/calibrate/measurements.js";
import { PRIORS } from "../src/calibrate/priors.js";
import { renderCalibrationJson } from "../src/calibrate/render.js";
import { resolveModel, type ResolvedModel } from "../src/estimate/workload.js";

const root = join(import.meta.dirname, "..");
const csvPath = join(root, "data", "mlperf", "mlperf_calibration.csv");
const text = readFileSync(csvPath, "utf8");
const b = readBuiltinFromYaml(root);
const catalog = mergeOrThrow(b.files, { keepDisabledChips: true });
const models = new Map<string, ResolvedModel>();
for (const id of b.models.keys()) models.set(id, resolveModel(id, b.models));
const ctx: Context = { catalog, models };
const rows = excludeBeyondCeiling(parseMlperfCsv(text).rows, ctx);
const fit = fitAll(rows, ctx, PRIORS);
// The confidence band each estimate carries: the error of its class and family on results the fit did
// not see — each calibration row predicted by a fit without its group (cross-validation), plus the
// published results kept outside the calibration file (test/holdout, predicted by this fit).
const holdout = evaluate(
  parseHoldout(readFileSync(join(root, "test", "holdout", "mlperf-tiny.csv"), "utf8")),
  ctx,
  fit,
);
const fitted = { ...fit, uncertainty: errorTable([...crossValidate(rows, ctx, PRIORS), ...holdout], ctx) };
const s = summarize(evaluate(rows, ctx, fitted));
const used = rows.filter((r) => !r.excluded).length;
writeFileSync(
  join(root, "catalog", "calibration.json"),
  renderCalibrationJson(fitted, {
    note: "Efficiency factors of the performance model per chip class (compute: per model family). Fitted by `npm run calibrate` (coordinate descent on mean |log error|) from the priors in src/calibrate/priors.ts; check with `npm run accuracy`.",
    fitted_on: `data/mlperf/mlperf_calibration.csv (sha256 ${createHash("sha256").update(text).digest("hex").slice(0, 16)}), ${used} rows`,
    in_sample: `median ${(s.medianApe * 100).toFixed(1)}%, p90 ${(s.p90Ape * 100).toFixed(1)}%, within 2x ${(s.within2x * 100).toFixed(1)}%`,
  }),
);
console.log(`wrote catalog/calibration.json from ${used} rows; in-sample median ${(s.medianApe * 100).toFixed(1)}%`);
