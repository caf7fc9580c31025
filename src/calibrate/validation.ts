import { PRECISIONS, type Precision } from "../catalog/schema.js";
import { LLM_RUNTIMES, type LlmRuntime } from "../profile/schema.js";
import { estimateInference, type Calibration } from "../estimate/perf.js";
import { streamsRate } from "../estimate/inference-option.js";
import type { Chip } from "../catalog/schema.js";
import { IDEAL, specSheetOnly } from "./ceiling.js";
import { measuredGap } from "../estimate/measured-gap.js";
import { workloadFor, type Context } from "./fit.js";
import { parseCsv, type Measurement } from "./measurements.js";

/**
 * What a validation row measured (data/validation/llm_results.csv): decode speed of one stream at
 * batch 1 (or at a fixed batch), prompt processing speed at batch 1, output tokens per second flat out
 * (many streams), or output tokens per second of a fixed number of clients that each send their next
 * request when the last one ends (`batch` clients: a closed-loop serving benchmark).
 */
export const VALIDATION_METRICS = [
  "decode_tokens_per_s",
  "prefill_tokens_per_s",
  "offline_output_tokens_per_s",
  "closed_loop_output_tokens_per_s",
] as const;
export type ValidationMetric = (typeof VALIDATION_METRICS)[number];

/** A published LLM result kept out of every fit, to check the model on what it never saw. */
export interface ValidationRow {
  readonly id: string;
  readonly source: string;
  readonly chip: string;
  readonly count: number;
  readonly model: string;
  readonly precision: Precision;
  /** 4-bit weights with 4-bit activations (NVFP4), not weight-only. */
  readonly int4Activations: boolean;
  readonly metric: ValidationMetric;
  readonly value: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly runtime: string;
  /** The tensor-parallel degree the source ran, where it states one (blank: the tool chooses). */
  readonly tp?: number;
  /**
   * Sequences decoded together, where a per-stream decode rate was measured at a fixed batch (blank: 1),
   * the concurrent clients of a closed-loop row (required there), or the batch an offline run used (blank:
   * the largest that fits).
   */
  readonly batch?: number;
  /**
   * How the source batched requests, where it says: `static` batches that prefill together and decode until
   * their longest request ends (in-flight batching off, TensorRT-LLM's gptSessionBenchmark). Blank:
   * continuous batching, what serving stacks do by default.
   */
  readonly batching?: "static";
  readonly note: string;
  readonly line: number;
}

/** A tensor-parallel degree from the `tp` column: a power of two. */
function tensorParallelOf(text: string, line: number): number {
  const v = Number(text);
  if (!Number.isInteger(v) || v < 1 || (v & (v - 1)) !== 0)
    throw new Error(`validation CSV line ${line}: tp must be a power of two, found ${JSON.stringify(text)}`);
  return v;
}

/**
 * The `batch` column: a positive integer, the sequences decoded together (per-stream decode rate), the
 * concurrent clients (closed-loop throughput, where it is required), or the batch an offline run used (its
 * static batch, or the most sequences it ran at once).
 */
function batchOf(text: string, line: number, metric: ValidationMetric): number {
  const v = Number(text);
  if (!Number.isInteger(v) || v < 1)
    throw new Error(`validation CSV line ${line}: batch must be a positive integer, found ${JSON.stringify(text)}`);
  if (metric === "prefill_tokens_per_s")
    throw new Error(
      `validation CSV line ${line}: batch is a decode batch, a client count or an offline run's batch; the metric is ${metric}`,
    );
  return v;
}

/** The `batching` column: blank (continuous) or `static`. */
function batchingOf(text: string, line: number): "static" | undefined {
  if (text === "") return undefined;
  if (text !== "static")
    throw new Error(`validation CSV line ${line}: batching is static or blank, found ${JSON.stringify(text)}`);
  return text;
}

/** Parse the validation CSV; a malformed row is an error naming its line (the file is ours, not a user's). */
export function parseValidationCsv(text: string): ValidationRow[] {
  const [head, ...rows] = parseCsv(text);
  const col = (name: string) => {
    const i = head!.indexOf(name);
    if (i < 0) throw new Error(`validation CSV: no column ${name}`);
    return i;
  };
  const c = Object.fromEntries(
    [
      "id",
      "source",
      "chip",
      "count",
      "model",
      "precision",
      "int4_activations",
      "metric",
      "value",
      "input_tokens",
      "output_tokens",
      "runtime",
      "note",
    ].map((k) => [k, col(k)]),
  );
  const tpCol = head!.indexOf("tp");
  const batchCol = head!.indexOf("batch");
  const batchingCol = head!.indexOf("batching");
  return rows
    .map((r, i) => ({ r, line: i + 2 }))
    .filter(({ r }) => r.some((x) => x.trim() !== ""))
    .map(({ r, line }) => {
      const num = (k: string) => {
        const v = Number(r[c[k]!]);
        if (!Number.isFinite(v) || v <= 0)
          throw new Error(
            `validation CSV line ${line}: ${k} must be a positive number, found ${JSON.stringify(r[c[k]!])}`,
          );
        return v;
      };
      const precision = r[c.precision!] as Precision;
      if (!PRECISIONS.includes(precision))
        throw new Error(`validation CSV line ${line}: unknown precision ${JSON.stringify(precision)}`);
      const metric = r[c.metric!] as ValidationMetric;
      if (!VALIDATION_METRICS.includes(metric))
        throw new Error(`validation CSV line ${line}: unknown metric ${JSON.stringify(metric)}`);
      const batching = batchingCol >= 0 ? batchingOf((r[batchingCol] ?? "").trim(), line) : undefined;
      const batchText = batchCol >= 0 ? (r[batchCol] ?? "").trim() : "";
      const batch = batchText !== "" ? batchOf(batchText, line, metric) : undefined;
      if (metric === "closed_loop_output_tokens_per_s" && batch === undefined)
        throw new Error(`validation CSV line ${line}: a closed-loop row needs its concurrent clients in batch`);
      return {
        id: r[c.id!]!,
        source: r[c.source!]!,
        chip: r[c.chip!]!,
        count: num("count"),
        model: r[c.model!]!,
        precision,
        int4Activations: r[c.int4_activations!] === "true",
        metric,
        value: num("value"),
        inputTokens: num("input_tokens"),
        outputTokens: num("output_tokens"),
        runtime: r[c.runtime!]!,
        ...(tpCol >= 0 && (r[tpCol] ?? "").trim() !== "" ? { tp: tensorParallelOf(r[tpCol]!, line) } : {}),
        ...(batch !== undefined ? { batch } : {}),
        ...(batching ? { batching } : {}),
        note: r[c.note!] ?? "",
        line,
      };
    });
}

export interface ValidationResult {
  readonly row: ValidationRow;
  readonly chipClass?: string;
  readonly predicted?: number;
  /** |predicted − measured| / measured; undefined when the model cannot express the row. */
  readonly ape?: number;
  /** Why the row could not be expressed. */
  readonly reason?: string;
  /**
   * Set when the measurement is faster than the chip at 100% of its catalog figures (as `npm run accuracy`
   * keeps such rows out): a catalog figure is too low or what ran differs from the row. Kept out of the summary.
   */
  readonly beyondCeiling?: number;
  /**
   * Set when the row's source set a figure of its chip's catalog entry (a measured gap's `decode_rate`,
   * `fitted_on`): the row is no blind check of that figure, so it is reported apart and kept out of the summary.
   */
  readonly fitted?: boolean;
}

/** Spec-sheet figures are rounded: a result counts as beyond the ceiling only past this margin (as in ceiling.ts). */
const CEILING_MARGIN = 1.05;

/** The model's figure for one validation row, in the row's unit. Pure. */
export function predictValidation(row: ValidationRow, ctx: Context, cal: Calibration): ValidationResult {
  const chip = ctx.catalog.chips.get(row.chip);
  const model = ctx.models.get(row.model);
  if (!chip) return { row, reason: `no chip ${row.chip} in the catalog` };
  if (!model) return { row, reason: `no model preset ${row.model}` };
  const closed = row.metric === "closed_loop_output_tokens_per_s";
  const batch1 = row.metric !== "offline_output_tokens_per_s" && !closed;
  const m: Measurement = {
    id: row.id,
    suite: "validation",
    system: row.source,
    chip: row.chip,
    count: row.count,
    model: row.model,
    benchmark: row.model,
    scenario: batch1 ? "singlestream" : closed ? "server" : "offline",
    value: row.value,
    unit: "tokens/s",
    precision: row.precision,
    group: row.chip,
    inputTokens: row.inputTokens,
    outputTokens: row.outputTokens,
    ...(batch1 ? { batchSize: row.batch ?? 1 } : {}),
    // The batch an offline run used, where the source states it: the estimate runs that batch, not the
    // largest that fits.
    ...(!batch1 && !closed && row.batch !== undefined ? { batchSize: row.batch } : {}),
    // Static batches (in-flight batching off): prefill together, decode until the longest request ends.
    ...(row.batching ? { batching: row.batching } : {}),
  };
  // The serving stack that ran: it limits the configurations (llama.cpp runs layers in turn) and kernel paths.
  const runtime = (LLM_RUNTIMES as readonly string[]).includes(row.runtime) ? (row.runtime as LlmRuntime) : undefined;
  const w0 = workloadFor(m, model);
  const w = {
    ...w0,
    ...(row.int4Activations ? { int4Activations: true } : {}),
    ...(runtime ? { runtime } : {}),
    // The split the source ran, where it states one: the estimate is checked on that configuration.
    ...(row.tp !== undefined ? { tensorParallel: row.tp } : {}),
    // A per-stream rate is read on the configuration whose streams are fastest, which is what the search
    // picks when no configuration meets a per-stream rate: a batch-1 result on several devices ran one
    // stream over all of them, and no prompt is chunked into the decode steps it times.
    ...(batch1 ? { slo: { ...w0.slo, tokensPerS: Number.POSITIVE_INFINITY } } : {}),
    // Closed loop: the clients are the load, with no limit of their own (a benchmark's run reports what
    // its clients got), on the configuration the search picks for them.
    ...(closed ? { slo: { concurrency: row.batch } } : {}),
  };
  const figure = (c: Chip, k: Calibration): number | string => {
    const e = estimateInference(c, row.count, w, k);
    if ("error" in e) return e.error;
    if (!e.fits)
      return `does not fit: needs ${e.memoryNeededGb.toFixed(1)} GB, has ${e.memoryAvailableGb.toFixed(1)} GB`;
    // A decode rate is the inverse of a step at the row's batch (batchSize above: 1 unless stated).
    return row.metric === "decode_tokens_per_s"
      ? 1000 / e.stepMs!
      : row.metric === "prefill_tokens_per_s"
        ? row.inputTokens / (e.prefillMs! / 1000)
        : closed
          ? (streamsRate(e, w, 1) ?? 0) * row.outputTokens
          : e.maxThroughputPerS * row.outputTokens;
  };
  const predicted = figure(chip, cal);
  if (typeof predicted === "string") return { row, chipClass: chip.class, reason: predicted };
  if (measuredGap(chip, w)?.fitted_on?.includes(row.source))
    return {
      row,
      chipClass: chip.class,
      predicted,
      fitted: true,
      reason: `set ${row.chip}'s measured decode rate (catalog measured_gaps); ${(predicted / row.value).toFixed(2)}× with it`,
    };
  const ceiling = figure(specSheetOnly(chip), IDEAL);
  if (typeof ceiling === "number" && row.value > ceiling * CEILING_MARGIN)
    return {
      row,
      chipClass: chip.class,
      predicted,
      beyondCeiling: ceiling,
      reason:
        `measured ${row.value} is beyond the spec sheet: ${row.chip} ×${row.count} reaches at most ` +
        `${ceiling.toPrecision(3)} at 100% of its catalog peak and bandwidth`,
    };
  return { row, chipClass: chip.class, predicted, ape: Math.abs(predicted - row.value) / row.value };
}
