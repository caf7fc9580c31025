import { capChip, capEffect, cappable } from "../../energy/power-cap.js";
import type { Command } from "commander";
import { InputError, nearest, UsageError } from "../../errors.js";
import { estimateInference, estimateTraining } from "../../estimate/perf.js";
import { confidenceFor, provenanceLines } from "../../estimate/confidence.js";
import { devicePowerW } from "../../estimate/option.js";
import { isLlm, resolveModel, resolveWorkload } from "../../estimate/workload.js";
import { fmtHours, fmtJ, fmtMs, fmtRate, fmtW, roundDeep, sig } from "../../report/format.js";
import { sanitize } from "../../report/sanitize.js";
import { builtin, collect, loadCatalog, parsePositiveInt, type Ctx } from "../context.js";
import { loadProfiles } from "../load-profiles.js";

interface Opts {
  chip: string;
  count?: number;
  format: string;
  catalog?: string[];
  builtin?: boolean;
}

export function registerEstimate(program: Command, ctx: Ctx, setExit: (code: number) => void): void {
  program
    .command("estimate")
    .description("estimate one chip × count for a profile, without offerings or prices")
    .argument("<profile>", "profile file ('-' for stdin)")
    .requiredOption("--chip <id>", "chip id (see `hwadvise catalog`)")
    .option("--count <n>", "devices (default 1)", parsePositiveInt("--count"))
    .option("-f, --format <format>", "table or json", "table")
    .option("--catalog <file>", "overlay a catalog file (repeatable)", collect)
    .option("--no-builtin", "use only the --catalog files")
    .action((path: string, opts: Opts) => {
      const c = loadCatalog(opts, ctx.env);
      const chip = c.chips.get(opts.chip);
      if (!chip) {
        const near = nearest(opts.chip, c.chips.keys(), 3);
        throw new UsageError(`no chip \`${opts.chip}\`${near.length ? ` — did you mean ${near.map((n) => `\`${n}\``).join(", ")}?` : ""}`);
      }
      const b = builtin();
      const { profiles, problems } = loadProfiles([path], b.models);
      if (problems.length) throw new InputError(problems);
      const p = profiles[0]!;
      const w = resolveWorkload(p.profile, resolveModel(p.profile.workload.model, b.models), b.landed);
      // The profile's power_cap runs the chip capped (src/energy/power-cap.ts).
      const cap = w.energy?.powerCapW !== undefined && cappable(chip) ? capEffect(chip, w.energy.powerCapW) : undefined;
      const run = cap ? capChip(chip, cap) : chip;
      const count = opts.count ?? 1;
      const training = w.kind === "training" || w.kind === "fine-tuning";
      let est: Record<string, unknown>;
      let breakdown: readonly string[];
      if (training) {
        const t = estimateTraining(run, count, count, w, b.calibration);
        if ("error" in t) throw new InputError([{ file: p.file, message: t.error }]);
        est = { chip: chip.id, count, precision: t.precision, time_to_train_h: t.timeToTrainH, memory_needed_gb: t.memoryPerDeviceGb, memory_available_gb: t.memoryAvailableGb, fits: t.fits, min_devices: t.minDevices, power_w: count * run.tdp_w, bound: t.bound, ...(cap ? { power_cap_w: cap.capW } : {}) };
        breakdown = t.breakdown;
      } else {
        const e = estimateInference(run, count, w, b.calibration);
        if ("error" in e) throw new InputError([{ file: p.file, path: "workload.precision", message: `${chip.id} ${e.error}` }]);
        const need = w.needPerS;
        const load = e.fits ? e.atLoad(need !== undefined ? Math.min(need, e.capacityPerS) : e.capacityPerS) : undefined;
        const util = load?.utilization ?? 1;
        const power = count * devicePowerW(run, util);
        const served = need !== undefined ? Math.min(need, e.capacityPerS) : e.capacityPerS;
        est = {
          chip: chip.id,
          count,
          precision: e.precision,
          batch: e.batch,
          fits: e.fits,
          memory_needed_gb: e.memoryNeededGb,
          memory_available_gb: e.memoryAvailableGb,
          latency_p99_ms: load?.latencyP99Ms ?? e.unloadedLatencyMs,
          unloaded_latency_ms: e.unloadedLatencyMs,
          throughput_per_s: e.capacityPerS,
          max_throughput_per_s: e.maxThroughputPerS,
          ...(isLlm(w.model) ? { ttft_ms: load?.ttftMs ?? e.prefillMs, tokens_per_s: load?.tokensPerS ?? e.unloadedTokensPerS, output_tokens_per_s: e.capacityPerS * w.outputTokens * w.model.beams } : {}),
          power_w: power,
          energy_per_inference_j: served > 0 ? power / served : undefined,
          bound: e.bound,
          ...(cap ? { power_cap_w: cap.capW } : {}),
        };
        breakdown = e.breakdown;
      }
      if (cap) breakdown = [`power cap: ${cap.basis}`, ...breakdown];
      const conf = confidenceFor(b.calibration, chip, w.model);
      if (conf) {
        est = { ...est, uncertainty_pct: Math.round(conf.median_pct), uncertainty_p90_pct: Math.round(conf.p90_pct) };
        breakdown = [...breakdown, ...provenanceLines(chip, conf)];
      }
      if (opts.format === "json") {
        ctx.out(JSON.stringify(roundDeep({ schemaVersion: 1, profile: { file: p.file, name: w.name, kind: w.kind }, estimate: est, breakdown }), null, 2) + "\n");
      } else {
        const lines = [`${w.name} on ${count}× ${chip.name}`];
        const show: [string, string][] = training
          ? [["time to train", fmtHours(est.time_to_train_h as number)], ["memory", `${sig(est.memory_needed_gb as number)} GB needed per device, ${sig(est.memory_available_gb as number)} GB usable`], ["precision", String(est.precision)]]
          : [
              ["p99 latency", fmtMs(est.latency_p99_ms as number)],
              ["throughput", `${fmtRate(est.throughput_per_s as number)} (flat out ${fmtRate(est.max_throughput_per_s as number)})`],
              ...(isLlm(w.model) ? ([["TTFT", fmtMs(est.ttft_ms as number)], ["tokens/s per stream", sig(est.tokens_per_s as number)], ["output tokens/s", sig(est.output_tokens_per_s as number)]] as [string, string][]) : []),
              ["memory", `${sig(est.memory_needed_gb as number)} GB needed, ${sig(est.memory_available_gb as number)} GB usable${est.fits ? "" : " — does not fit"}`],
              ["power", fmtW(est.power_w as number)],
              ["energy/inference", fmtJ(est.energy_per_inference_j as number | undefined)],
              ["precision, batch", `${est.precision}, ${est.batch}`],
              ["bound", String(est.bound)],
            ];
        if (conf) show.push(["uncertainty", `±${Math.round(conf.median_pct)}% typical, ±${Math.round(conf.p90_pct)}% p90 (${conf.basis})`]);
        for (const [k, v] of show) lines.push(`  ${k.padEnd(20)} ${v}`);
        lines.push("", "how:", ...breakdown.map((l) => `  ${l}`));
        ctx.out(lines.map(sanitize).join("\n") + "\n");
      }
      setExit(0);
    });
}
