// npm run accuracy [-- --rows] [--worst N] [--no-cv] [--floor] — the performance model against published MLPerf results:
// every row the model can express, predicted vs measured, with the error before calibration (priors),
// fitted in-sample, and leave-one-group-out cross-validated (the honest figure).
import "./fail-cleanly.js";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { mergeOrThrow, readBuiltinFromYaml } from "../src/cli/builtin.js";
import {
  crossValidate,
  evaluate,
  fitCalibration,
  summarize,
  type RowError,
  type Context,
} from "../src/calibrate/fit.js";
import { excludeBeyondCeiling } from "../src/calibrate/ceiling.js";
import { additiveCvMedian, repeatSpread, withinGroupMedian, type Feature } from "../src/calibrate/floor.js";
import { parseMlperfCsv } from "../src/calibrate/measurements.js";
import { PRIORS } from "../src/calibrate/priors.js";
import type { Calibration } from "../src/estimate/perf.js";
import { resolveModel, type ResolvedModel } from "../src/estimate/workload.js";

const root = join(import.meta.dirname, "..");
const args = process.argv.slice(2);
const csvPath = args.find((a) => a.endsWith(".csv")) ?? join(root, "data", "mlperf", "mlperf_calibration.csv");
const b = readBuiltinFromYaml(root);
const catalog = mergeOrThrow(b.files, { keepDisabledChips: true });
const models = new Map<string, ResolvedModel>();
for (const id of b.models.keys()) models.set(id, resolveModel(id, b.models));
const ctx: Context = { catalog, models };
const parsed = parseMlperfCsv(readFileSync(csvPath, "utf8"));
const { skipped } = parsed;
// Rows no calibration can reach (faster than the spec sheet allows as stated) stay out of fit and summary.
const rows = excludeBeyondCeiling(parsed.rows, ctx);
const committed = JSON.parse(readFileSync(join(root, "catalog", "calibration.json"), "utf8")) as Calibration;

const pct = (x: number) => (Number.isFinite(x) ? `${(x * 100).toFixed(1)}%` : "—");
const line = (label: string, errs: RowError[]) => {
  const s = summarize(errs);
  return `${label.padEnd(26)} n=${String(s.n).padStart(3)}  median ${pct(s.medianApe).padStart(7)}  p90 ${pct(s.p90Ape).padStart(7)}  within 2× ${pct(s.within2x).padStart(7)}  worst ${s.worstRatio.toFixed(2)}×`;
};
function report(title: string, errs: RowError[]) {
  console.log(`\n${title}`);
  for (const suite of [...new Set(errs.map((e) => e.row.suite))].sort())
    console.log(
      line(
        `  ${suite}`,
        errs.filter((e) => e.row.suite === suite),
      ),
    );
  console.log(line("  overall", errs));
}

const before = evaluate(rows, ctx, PRIORS);
const inSample = evaluate(rows, ctx, committed);
report("Priors (no calibration):", before);
report("Committed calibration (catalog/calibration.json), in-sample:", inSample);
let cv: RowError[] | undefined;
if (!args.includes("--no-cv")) {
  cv = crossValidate(rows, ctx, PRIORS);
  report("Leave-one-group-out cross-validation (fit without the held-out chip family × benchmark):", cv);
}
if (cv && args.includes("--floor")) {
  // How low the held-out error can go on these rows (src/calibrate/floor.ts).
  const arch: Feature = (e) => ctx.catalog.chips.get(e.row.chip)?.arch ?? e.row.chip;
  const model: Feature = (e) => e.row.model;
  const scenario: Feature = (e) => (e.row.scenario === "interactive" ? "server" : e.row.scenario);
  const additive = Math.min(...[0.5, 2, 5].map((l) => additiveCvMedian(before, [arch, model, scenario], l)));
  const rep = repeatSpread(rows);
  const lines: [string, number][] = [
    ["this model, cross-validated", summarize(cv).medianApe],
    ["the same with each held-out group's mean error taken out (an oracle level)", withinGroupMedian(cv)],
    ["priors corrected by additive architecture, model and scenario effects, cross-validated (best λ)", additive],
    [`one configuration measured twice (${rep.pairs} pairs): apart by`, rep.medianPct / 100],
  ];
  console.log(
    `\nHow low the held-out error can go (--floor), median absolute error:\n${lines.map(([k, v]) => `  ${k.padEnd(96)} ${pct(v).padStart(6)}`).join("\n")}`,
  );
}
const shown = cv ?? inSample;
if (args.includes("--rows") || args.includes("--worst")) {
  // Worst first by how many times off (a 2× miss ranks alike above or below), kept-out rows last.
  const off = (e: RowError) =>
    e.predicted === undefined || !(e.predicted > 0) ? Infinity : Math.abs(Math.log(e.predicted / e.row.value));
  const sorted = [...shown].sort((a, b) => Number(!!a.row.excluded) - Number(!!b.row.excluded) || off(b) - off(a));
  const n = Number(args[args.indexOf("--worst") + 1]);
  const list = args.includes("--worst") ? sorted.slice(0, Number.isInteger(n) && n > 0 ? n : 10) : shown;
  console.log(`\n${cv ? "cross-validated" : "in-sample"} rows:`);
  for (const e of list) {
    const r = e.row;
    console.log(
      `${r.id.padEnd(5)} ${r.group.padEnd(30)} ${r.scenario.padEnd(12)} ${r.chip.padEnd(28)} ×${String(r.count).padEnd(3)} measured ${r.value.toPrecision(4).padStart(10)} ${r.unit.padEnd(9)} predicted ${e.predicted === undefined ? "      —" : e.predicted.toPrecision(4).padStart(10)}  ${pct(e.ape ?? NaN)}`,
    );
  }
}
const beyond = rows.filter((r) => !parsed.rows.includes(r));
if (beyond.length)
  console.log(
    `\nKept out, beyond the spec-sheet ceiling:\n${beyond.map((r) => `  ${r.id} ${r.group} ${r.scenario}: ${r.excluded}`).join("\n")}`,
  );
console.log(
  `\n${rows.length} rows expressed, ${skipped.length} not: ${Object.entries(
    skipped.reduce<Record<string, number>>((a, s) => {
      const k = s.reason.split(":")[0]!;
      a[k] = (a[k] ?? 0) + 1;
      return a;
    }, {}),
  )
    .map(([k, v]) => `${k} (${v})`)
    .join("; ")}`,
);
void fitCalibration;
