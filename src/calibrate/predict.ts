import type { Catalog, Chip, ChipClass } from "../catalog/schema.js";
import { estimateInference, estimateTraining, type Calibration } from "../estimate/perf.js";
import { DEFAULTS, type ResolvedModel, type Workload } from "../estimate/workload.js";
import { resolveCosts } from "../tco/assumptions.js";
import type { Measurement } from "./measurements.js";

/**
 * Predicting a published measurement and scoring the prediction: the half of calibration the fit, the
 * validation and `hwadvise calibrate` share. Pure.
 */

// The fit predicts 100,000s of rows; their workloads share the default cost assumptions (data, not run state).
let defaultCosts: Workload["costs"] | undefined;

/** The workload a measurement's scenario defines, for the estimator. Pure. */
export function workloadFor(m: Measurement, model: ResolvedModel): Workload {
  const kind =
    m.scenario === "training"
      ? m.method === "lora"
        ? "fine-tuning"
        : "training"
      : m.scenario === "offline"
        ? "batch-inference"
        : m.scenario === "server" || m.scenario === "interactive"
          ? "realtime-inference"
          : "edge-inference";
  return {
    name: m.id,
    kind,
    model: {
      ...model,
      beams: m.beams ?? model.beams,
      flopsPerSample: model.flopsPerSample * (m.workScale ?? 1),
      activationElemsPerSample: model.activationElemsPerSample * (m.workScale ?? 1),
    },
    precision: m.precision ?? model.defaultPrecision,
    // A stated precision is what ran; otherwise the fastest the model tolerates (what submitters do).
    quantization: m.precision ? "forbidden" : "allowed",
    inputTokens: m.inputTokens ?? model.inputTokens ?? DEFAULTS.inputTokens,
    outputTokens: m.outputTokens ?? model.outputTokens ?? DEFAULTS.outputTokens,
    outputTokensP99: m.outputTokensP99,
    method: m.method ?? "full",
    batching: m.batching,
    // Published results ran aggregated serving (prefill and decode on the same copies).
    disaggregation: "off",
    batchSize: m.batchSize,
    trainTokens: m.trainTokens,
    trainSamples: m.trainSamples,
    trainSeqLen: m.trainSeqLen,
    slo: {
      latencyMs: m.latencyBoundMs,
      ttftMs: m.ttftBoundMs,
      tokensPerS: m.tpotBoundMs ? 1000 / m.tpotBoundMs : undefined,
    },
    runsPerMonth: 30,
    deployments: ["cloud", "on-prem", "edge"],
    connectivity: "online",
    hostExisting: false,
    allowConsumer: true,
    allowDiscontinued: true,
    budget: {},
    sites: 1,
    horizonYears: 3,
    costs: (defaultCosts ??= resolveCosts({}, 3)),
    energyUsdPerKwh: 0.15,
    pue: 1.5,
    priorities: { latency: 1, cost: 1, power: 1, throughput: 1, portability: 0 },
  };
}

/** The model's figure for what the measurement reports, in the measurement's unit. */
export function predict(m: Measurement, chip: Chip, model: ResolvedModel, cal: Calibration): number | undefined {
  const narrower =
    m.precisionIfSupported && chip.peak_tops[m.precisionIfSupported] ? m.precisionIfSupported : undefined;
  // "FP4 where supported" is 4-bit compute, not weight-only 4 bits.
  const w0 = workloadFor(narrower ? { ...m, precision: narrower } : m, model);
  const w = narrower === "int4" ? { ...w0, int4Activations: true } : w0;
  if (m.scenario === "training") {
    const t = estimateTraining(chip, m.count, m.perUnit ?? Math.min(m.count, 8), w, cal);
    return "error" in t ? undefined : t.timeToTrainH * 60;
  }
  const e = estimateInference(chip, m.count, w, cal);
  if ("error" in e || !e.fits) return undefined;
  const perSample = m.unit === "tokens/s" ? w.outputTokens : 1;
  switch (m.scenario) {
    case "offline":
      return e.maxThroughputPerS * perSample;
    case "server":
    case "interactive":
      return e.capacityPerS * perSample;
    case "singlestream":
    case "tiny-latency":
      return e.unloadedLatencyMs;
    case "tiny-energy":
      // Energy drawn per inference at full activity: TDP × latency (µJ).
      return chip.tdp_w * e.unloadedLatencyMs * 1e3;
  }
}

export interface RowError {
  readonly row: Measurement;
  readonly chipClass: ChipClass;
  readonly predicted?: number;
  /** |predicted − measured| / measured; undefined when the model cannot express the row. */
  readonly ape?: number;
}

export interface Context {
  readonly catalog: Catalog;
  readonly models: ReadonlyMap<string, ResolvedModel>;
}

export function evaluate(rows: readonly Measurement[], ctx: Context, cal: Calibration): RowError[] {
  return rows.map((row) => {
    const chip = ctx.catalog.chips.get(row.chip);
    const model = ctx.models.get(row.model);
    if (!chip || !model) return { row, chipClass: chip?.class ?? "gpu" };
    const p = predict(row, chip, model, cal);
    return {
      row,
      chipClass: chip.class,
      predicted: p,
      ape: p === undefined || !Number.isFinite(p) ? undefined : Math.abs(p - row.value) / row.value,
    };
  });
}

export interface Summary {
  readonly n: number;
  readonly medianApe: number;
  readonly p90Ape: number;
  readonly within2x: number;
  readonly worstRatio: number;
}

export function quantile(xs: readonly number[], q: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo]! + (s[hi]! - s[lo]!) * (pos - lo);
}

export function summarize(errors: readonly RowError[]): Summary {
  const ok = errors.filter((e) => e.ape !== undefined && e.predicted !== undefined && !e.row.excluded);
  const apes = ok.map((e) => e.ape!);
  const ratios = ok.map((e) => Math.max(e.predicted! / e.row.value, e.row.value / e.predicted!));
  return {
    n: ok.length,
    medianApe: quantile(apes, 0.5),
    p90Ape: quantile(apes, 0.9),
    within2x: ok.length ? ratios.filter((r) => r <= 2).length / ok.length : NaN,
    worstRatio: ratios.length ? Math.max(...ratios) : NaN,
  };
}
