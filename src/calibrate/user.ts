import { PRECISIONS, type Catalog } from "../catalog/schema.js";
import { fail, nearest, ok, type Problem, type Result } from "../errors.js";
import type { Calibration, ClassParams } from "../estimate/perf.js";
import { SCALAR_FACTORS } from "../estimate/calibration.js";
import { evaluate, fitCalibration, summarize, type Context } from "./fit.js";
import { parseCsv, type Measurement, type Scenario } from "./measurements.js";

/** Columns of a team's measurement file. The first six are required. */
export const USER_COLUMNS = [
  "chip",
  "count",
  "model",
  "scenario",
  "value",
  "unit",
  "precision",
  "input_tokens",
  "output_tokens",
  "latency_bound_ms",
  "ttft_bound_ms",
  "tpot_bound_ms",
  "batching",
  "batch_size",
] as const;

const SCENARIOS: Record<string, { scenario: Scenario; units: readonly Measurement["unit"][] }> = {
  offline: { scenario: "offline", units: ["samples/s", "tokens/s"] },
  server: { scenario: "server", units: ["samples/s", "tokens/s"] },
  singlestream: { scenario: "singlestream", units: ["ms"] },
};

/**
 * Read a team's benchmark results: one measurement a row, e.g.
 * `chip,count,model,scenario,value,unit` / `nvidia-l4,1,resnet50,offline,11800,samples/s`.
 * Every problem names the file, line, column and field.
 */
export function parseUserMeasurements(
  file: string,
  text: string,
  catalog: Catalog,
  models: ReadonlySet<string>,
): Result<Measurement[]> {
  const table = parseCsv(text.replace(/^\uFEFF/, ""));
  const head = (table[0] ?? []).map((h) => h.trim().toLowerCase());
  const problems: Problem[] = [];
  for (const req of USER_COLUMNS.slice(0, 6))
    if (!head.includes(req))
      problems.push({
        file,
        line: 1,
        col: 1,
        message: `missing column \`${req}\`; expected a header with ${USER_COLUMNS.slice(0, 6).join(",")} (optional: ${USER_COLUMNS.slice(6).join(",")})`,
      });
  for (const [i, h] of head.entries()) {
    if (!(USER_COLUMNS as readonly string[]).includes(h)) {
      const near = nearest(h, USER_COLUMNS);
      problems.push({
        file,
        line: 1,
        col: i + 1,
        message: `unknown column \`${h}\`${near.length ? ` — did you mean \`${near[0]}\`?` : ""}`,
      });
    }
  }
  if (problems.length) return fail(problems);
  const rows: Measurement[] = [];
  for (let r = 1; r < table.length; r++) {
    const cells = table[r]!;
    const line = r + 1;
    const get = (c: string) => (cells[head.indexOf(c)] ?? "").trim();
    const at = (c: string, message: string): Problem => ({ file, line, col: head.indexOf(c) + 1, path: c, message });
    const before = problems.length;
    const chip = get("chip");
    if (!catalog.chips.has(chip)) {
      const near = nearest(chip, catalog.chips.keys());
      problems.push(
        at("chip", `no chip \`${chip}\` in the catalog${near.length ? ` — did you mean \`${near[0]}\`?` : ""}`),
      );
    }
    const model = get("model");
    if (!models.has(model)) {
      const near = nearest(model, models);
      problems.push(at("model", `no model preset \`${model}\`${near.length ? ` — did you mean \`${near[0]}\`?` : ""}`));
    }
    const count = Number(get("count"));
    if (!Number.isInteger(count) || count < 1)
      problems.push(at("count", `expected a whole number of devices ≥ 1, found ${JSON.stringify(get("count"))}`));
    const sc = SCENARIOS[get("scenario").toLowerCase()];
    if (!sc)
      problems.push(
        at(
          "scenario",
          `expected one of ${Object.keys(SCENARIOS).join(", ")}, found ${JSON.stringify(get("scenario"))}`,
        ),
      );
    const value = Number(get("value"));
    if (!Number.isFinite(value) || value <= 0)
      problems.push(at("value", `expected a positive number, found ${JSON.stringify(get("value"))}`));
    const unit = get("unit") as Measurement["unit"];
    if (sc && !sc.units.includes(unit))
      problems.push(
        at("unit", `expected ${sc.units.join(" or ")} for ${get("scenario")}, found ${JSON.stringify(get("unit"))}`),
      );
    const precision = get("precision");
    if (precision && !(PRECISIONS as readonly string[]).includes(precision))
      problems.push(at("precision", `expected one of ${PRECISIONS.join(", ")}, found ${JSON.stringify(precision)}`));
    const num = (c: string) => {
      const v = get(c);
      if (v === "") return undefined;
      const n = Number(v);
      if (!Number.isFinite(n) || n <= 0) problems.push(at(c, `expected a positive number, found ${JSON.stringify(v)}`));
      return n;
    };
    const batching = get("batching").toLowerCase();
    if (batching && batching !== "static" && batching !== "continuous")
      problems.push(at("batching", `expected continuous or static, found ${JSON.stringify(get("batching"))}`));
    const batchSize = get("batch_size");
    if (batchSize && !(Number.isInteger(Number(batchSize)) && Number(batchSize) >= 1))
      problems.push(at("batch_size", `expected a whole number of requests ≥ 1, found ${JSON.stringify(batchSize)}`));
    const m = {
      input: num("input_tokens"),
      output: num("output_tokens"),
      lat: num("latency_bound_ms"),
      ttft: num("ttft_bound_ms"),
      tpot: num("tpot_bound_ms"),
    };
    if (problems.length > before || !sc) continue;
    rows.push({
      id: `${file}:${line}`,
      suite: "user",
      system: chip,
      chip,
      count,
      model,
      benchmark: model,
      scenario: sc.scenario,
      value,
      unit,
      precision: (precision || undefined) as Measurement["precision"],
      group: `${chip} × ${model}`,
      inputTokens: m.input,
      outputTokens: m.output,
      latencyBoundMs: m.lat,
      ttftBoundMs: m.ttft,
      tpotBoundMs: m.tpot,
      batching: batching === "static" ? "static" : undefined,
      batchSize: batchSize ? Number(batchSize) : undefined,
      valueAt: { line, col: head.indexOf("value") + 1 },
    });
  }
  if (problems.length) return fail(problems);
  if (rows.length === 0)
    return fail([{ file, message: "no measurements: expected a header line and at least one row" }]);
  return ok(rows);
}

export interface ChipFit {
  readonly chip: string;
  readonly rows: number;
  readonly medianBefore: number;
  readonly medianAfter: number;
  /** The factors that moved from the class's, to write as the chip's own `efficiency`. */
  readonly efficiency: Partial<ClassParams> & { fitted_on: string };
}

/** Fit each measured chip's own efficiency factors (starting from its class's), keeping only what moved. Pure. */
export function fitChips(rows: readonly Measurement[], ctx: Context, cal: Calibration, source: string): ChipFit[] {
  const out: ChipFit[] = [];
  for (const chipId of [...new Set(rows.map((r) => r.chip))].sort()) {
    const mine = rows.filter((r) => r.chip === chipId);
    const chip = ctx.catalog.chips.get(chipId)!;
    const before = summarize(evaluate(mine, ctx, cal));
    const fitted = fitCalibration(mine, ctx, cal, 8);
    const after = summarize(evaluate(mine, ctx, fitted));
    const base = cal.classes[chip.class];
    const next = fitted.classes[chip.class];
    const eff: Record<string, unknown> = {};
    const compute: Record<string, number> = {};
    for (const [k, v] of Object.entries(next.compute))
      if (k !== "default" && v !== base.compute[k]) compute[k] = Number(v.toPrecision(4));
    if (Object.keys(compute).length) eff.compute = compute;
    for (const k of SCALAR_FACTORS) {
      const v = next[k];
      if (v !== undefined && v !== base[k]) eff[k] = Number(v.toPrecision(4));
    }
    out.push({
      chip: chipId,
      rows: mine.length,
      medianBefore: before.medianApe,
      medianAfter: after.medianApe,
      efficiency: {
        ...(eff as Partial<ClassParams>),
        fitted_on: `${source}: ${mine.length} measurement(s); median error ${(before.medianApe * 100).toFixed(1)}% → ${(after.medianApe * 100).toFixed(1)}%`,
      },
    });
  }
  return out;
}
