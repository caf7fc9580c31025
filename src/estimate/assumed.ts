import { isTraining, type Profile } from "../profile/schema.js";
import { DEFAULTS, ggufDefault, isDailyBatch, isLlm, type Workload } from "./workload.js";

/** A default the profile left to hwadvise that moves the answer: where to state it, and what was used. */
export interface Assumption {
  /** The profile field that would state it, e.g. `volume.peak_factor`. */
  readonly field: string;
  readonly value: number | string;
  /** What the value is, for people: "peak factor", "output tokens". */
  readonly what: string;
  readonly unit?: string;
}

/**
 * The defaults that shaped this workload's answer because the profile did not state them: a hidden 3×
 * peak factor turns 150k requests/day into 5.21/s, a default output length sets the decode work. Pure.
 */
export function assumedDefaults(profile: Profile, w: Workload): Assumption[] {
  const out: Assumption[] = [];
  const wl = profile.workload;
  const v = profile.volume ?? {};
  const training = isTraining(w.kind);
  const owned = w.deployments.some((d) => d !== "cloud");
  if (
    v.requests_per_day !== undefined &&
    profile.slo?.throughput === undefined &&
    v.peak_factor === undefined &&
    !training &&
    // A daily batch job runs over the day's requests: no busiest hour shapes it.
    !isDailyBatch(profile)
  )
    out.push({ field: "volume.peak_factor", value: DEFAULTS.peakFactor, what: "peak factor", unit: "×" });
  if (profile.slo?.concurrency === undefined && w.slo.concurrency !== undefined)
    out.push({ field: "slo.concurrency", value: w.slo.concurrency, what: "streams per site" });
  if (isLlm(w.model) && !training) {
    if (wl.input_tokens === undefined)
      out.push({ field: "workload.input_tokens", value: w.inputTokens, what: "input tokens" });
    if (wl.output_tokens === undefined)
      out.push({ field: "workload.output_tokens", value: w.outputTokens, what: "output tokens" });
  }
  if (training && w.trainSeqLen !== undefined && wl.seq_len === undefined)
    out.push({ field: "workload.seq_len", value: w.trainSeqLen, what: "tokens per training sequence" });
  const gguf = ggufDefault(wl, w.model, training);
  if (gguf)
    out.push({
      field: "workload.precision",
      value: gguf,
      what: w.runtime === "ollama" ? "precision (Ollama's default Q4_K_M)" : "precision (llama.cpp Q8_0 weights)",
    });
  else if (wl.precision === undefined && w.quantization === "allowed")
    out.push({ field: "workload.quantization", value: "allowed", what: "quantization" });
  if (w.kind === "batch-inference" && v.items_per_run !== undefined && v.runs_per_month === undefined)
    out.push({
      field: "volume.runs_per_month",
      value: Math.round(w.runsPerMonth * 10) / 10,
      what: w.runsPerMonthStated === undefined ? "a one-off job: runs a month" : "runs a month",
    });
  if (owned) {
    if (profile.horizon === undefined)
      out.push({ field: "horizon", value: w.horizonYears, what: "years bought hardware is used", unit: "y" });
    if (profile.energy?.price_per_kwh === undefined)
      out.push({ field: "energy.price_per_kwh", value: `$${w.energyUsdPerKwh}/kWh`, what: "electricity" });
  }
  return out;
}
