import type { EstimateAdvice } from "../advise/estimate.js";
import { isTraining } from "../profile/schema.js";
import type { ServingConfig } from "../result.js";
import { fmtHours, fmtJ, fmtMs, fmtRate, fmtW, roundDeep, sig } from "./format.js";
import { plural } from "../format/number.js";
import { sanitizeDeep } from "./sanitize.js";

/** `hwadvise estimate`'s reporters. Pure: an EstimateAdvice in, text out. */

/** Where the figures hold: at the load the profile states (and the units it needs), or flat out. */
export function loadLine(e: EstimateAdvice): string {
  const unit = `${plural(e.units, "unit")} of ${plural(e.count, "device")}`;
  if (isTraining(e.profile.kind)) return `one training run on ${unit}`;
  if (e.load_per_s === undefined) return `no request rate stated: figures are for ${unit} running flat out`;
  return (
    `at the stated load of ${fmtRate(e.load_per_s)}${e.deployment === "edge" ? " per site" : ""}, served ` +
    `by ${unit}: latency, power and utilisation hold there`
  );
}

function servingText(s: ServingConfig): string {
  const split = s.sequential_layers
    ? `${s.pipeline_parallel} devices in turn`
    : `TP${s.tensor_parallel} × PP${s.pipeline_parallel}`;
  return `${split}, ${plural(s.replicas, "copy", "copies")}, ${s.slots} slots, ${s.kv_cache} KV cache${s.chunked_prefill ? ", chunked prefill" : ""}${s.prefill_copies !== undefined ? `, disaggregated: ${s.prefill_copies} prefill + ${s.replicas - s.prefill_copies} decode` : ""}`;
}

export function renderEstimateTable(advice: EstimateAdvice): string {
  const e = sanitizeDeep(advice);
  const x = e.estimates;
  const rows: [string, string][] = [];
  const memory = (per: string) =>
    x.memory_needed_gb === undefined
      ? "—"
      : `${sig(x.memory_needed_gb)} GB held ${per}, ${sig(x.memory_available_gb ?? Number.NaN)} GB usable`;
  if (isTraining(e.profile.kind)) {
    rows.push(["time to train", fmtHours(x.time_to_train_h)], ["memory", memory("per device")]);
  } else {
    const llm = x.tokens_per_s !== undefined || x.ttft_ms !== undefined;
    const flatOut =
      e.max_throughput_per_s !== undefined ? `; one unit flat out ${fmtRate(e.max_throughput_per_s)}` : "";
    rows.push(
      ["p99 latency", fmtMs(x.latency_p99_ms)],
      ["throughput", `${fmtRate(x.throughput_per_s)} within the latency limits (all units)${flatOut}`],
    );
    if (llm) {
      rows.push(
        ["TTFT", fmtMs(x.ttft_ms)],
        ["tokens/s per stream", sig(x.tokens_per_s ?? Number.NaN)],
        ["output tokens/s", `${sig(x.output_tokens_per_s ?? Number.NaN)} (all units)`],
      );
    }
    rows.push(["memory", `${memory(llm ? "per copy (weights and the KV cache of every slot)" : "per copy")}`]);
  }
  const split =
    e.devices_power_w !== undefined && e.host_power_w !== undefined && e.host_power_w > 0
      ? ` (devices ${fmtW(e.devices_power_w)} + host ${fmtW(e.host_power_w)})`
      : "";
  rows.push(["power", `${fmtW(x.power_w)}${split}`]);
  if (x.energy_per_inference_j !== undefined) rows.push(["energy/inference", fmtJ(x.energy_per_inference_j)]);
  if (x.utilization_pct !== undefined) rows.push(["utilisation", `${sig(x.utilization_pct, 2)}%`]);
  rows.push(
    ["precision, batch", `${x.precision ?? "—"}${x.batch !== undefined ? `, ${x.batch}` : ""}`],
    ["bound", x.bound ?? "—"],
  );
  if (e.serving) rows.push(["serving", servingText(e.serving)]);
  if (e.serving?.runner_up) rows.push(["runner-up", servingText(e.serving.runner_up)]);
  if (x.uncertainty_pct !== undefined)
    rows.push(["uncertainty", `±${x.uncertainty_pct}% typical, ±${x.uncertainty_p90_pct ?? "?"}% p90`]);
  const lines = [`${e.profile.name} on ${e.count}× ${e.chip.name} (${e.deployment})`, `  ${loadLine(e)}`, ""];
  for (const [k, v] of rows) lines.push(`  ${k.padEnd(20)} ${v}`);
  if (e.violations.length)
    lines.push("", "breaks the profile's limits:", ...e.violations.map((v) => `  ${v.rule}: ${v.message}`));
  lines.push("", "how:", ...e.breakdown.map((l) => `  ${l}`));
  return `${lines.join("\n")}\n`;
}

export function renderEstimateJson(e: EstimateAdvice): string {
  return `${JSON.stringify(roundDeep(e), null, 2)}\n`;
}

export function renderEstimateMarkdown(advice: EstimateAdvice): string {
  const e = sanitizeDeep(advice);
  const cell = (s: string) => s.replace(/\|/g, "\\|");
  const fields = Object.entries(e.estimates).map(
    ([k, v]) => `| ${k} | ${cell(String(typeof v === "number" ? sig(v) : v))} |`,
  );
  return [
    `### ${cell(e.profile.name)} on ${e.count}× ${cell(e.chip.name)}`,
    "",
    loadLine(e),
    "",
    "| figure | value |",
    "| --- | --- |",
    ...fields,
    ...(e.violations.length ? ["", "Breaks:", ...e.violations.map((v) => `- **${v.rule}**: ${cell(v.message)}`)] : []),
    "",
  ].join("\n");
}
