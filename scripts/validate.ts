// npm run validate [-- --rows] — the committed calibration against published LLM results that no fit
// has seen (data/validation/llm_results.csv, sources in data/validation/README.md): error per source,
// per chip class and per metric, and every row with --rows.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { mergeOrThrow, readBuiltinFromYaml } from "../src/cli/builtin.js";
import { quantile, type Context } from "../src/calibrate/fit.js";
import { parseValidationCsv, predictValidation, type ValidationResult } from "../src/calibrate/validation.js";
import type { Calibration } from "../src/estimate/perf.js";
import { resolveModel, type ResolvedModel } from "../src/estimate/workload.js";

const root = join(import.meta.dirname, "..");
const args = process.argv.slice(2);
const b = readBuiltinFromYaml(root);
const models = new Map<string, ResolvedModel>();
for (const id of b.models.keys()) models.set(id, resolveModel(id, b.models));
const ctx: Context = { catalog: mergeOrThrow(b.files, { keepDisabledChips: true }), models };
const cal = JSON.parse(readFileSync(join(root, "catalog", "calibration.json"), "utf8")) as Calibration;
const rows = parseValidationCsv(readFileSync(join(root, "data", "validation", "llm_results.csv"), "utf8"));
const results = rows.map((r) => predictValidation(r, ctx, cal));
const ratio = (r: ValidationResult) => Math.max(r.predicted! / r.row.value, r.row.value / r.predicted!);
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const line = (label: string, rs: ValidationResult[]) => {
  const ok = rs.filter((r) => r.ape !== undefined);
  if (ok.length === 0) return `${label.padEnd(34)} n=  0`;
  const apes = ok.map((r) => r.ape!).sort((a, b) => a - b);
  const within = ok.filter((r) => ratio(r) <= 2).length / ok.length;
  return `${label.padEnd(34)} n=${String(ok.length).padStart(3)}  median ${pct(quantile(apes, 0.5)).padStart(6)}  p90 ${pct(quantile(apes, 0.9)).padStart(6)}  within 2× ${pct(within).padStart(6)}  worst ${Math.max(...ok.map(ratio)).toFixed(2)}×`;
};
const groups = (key: (r: ValidationResult) => string) => [...new Set(results.map(key))].sort();
console.log("By source:");
for (const g of groups((r) => r.row.source))
  console.log(
    line(
      `  ${g}`,
      results.filter((r) => r.row.source === g),
    ),
  );
console.log("By chip class:");
for (const g of groups((r) => r.chipClass ?? "?"))
  console.log(
    line(
      `  ${g}`,
      results.filter((r) => (r.chipClass ?? "?") === g),
    ),
  );
console.log("By metric:");
for (const g of groups((r) => r.row.metric))
  console.log(
    line(
      `  ${g}`,
      results.filter((r) => r.row.metric === g),
    ),
  );
console.log(line("overall", results));
// Rows whose source set a catalog figure (a measured gap's decode rate) are no blind check: summed apart.
const fitted = results.filter((r) => r.fitted);
if (fitted.length)
  console.log(
    line(
      "set catalog figures (not blind)",
      fitted.map((r) => ({ ...r, ape: Math.abs(r.predicted! - r.row.value) / r.row.value })),
    ),
  );
const unexpressed = results.filter((r) => r.ape === undefined && !r.fitted);
for (const r of unexpressed)
  console.log(
    `  ${r.beyondCeiling !== undefined ? "kept out" : "not expressed"}: ${r.row.id} ${r.row.chip} ×${r.row.count} ${r.row.model} ${r.row.metric}: ${r.reason}`,
  );
if (args.includes("--rows")) {
  console.log("\nRows (measured → predicted):");
  for (const r of [...results].filter((x) => x.ape !== undefined).sort((a, b) => ratio(b) - ratio(a))) {
    console.log(
      `  ${r.row.id} ${r.row.chip.padEnd(24)} ×${r.row.count} ${r.row.model.padEnd(15)} ${r.row.precision.padEnd(5)} ${r.row.metric.padEnd(28)} ${String(r.row.value).padStart(8)} → ${r.predicted!.toPrecision(4).padStart(8)}  ${(r.predicted! / r.row.value).toFixed(2)}×`,
    );
  }
}
