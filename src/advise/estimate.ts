import type { Chip, Deployment, Offering, OfferingClass } from "../catalog/schema.js";
import type { WorkloadKind } from "../profile/schema.js";
import { isLlm } from "../estimate/workload.js";
import { estimateAsRanked, estimatesOf, servingOf, violationJson } from "../recommend.js";
import type { Estimates, ServingConfig, ViolationJson } from "../result.js";
import { judge, type RuleId } from "../rules/index.js";
import { workloadOf, type ProfileInput } from "./recommend.js";
import type { Run } from "./run.js";

/** What `estimate` reports: one chip × count provisioned for the profile exactly as `recommend` would. */
export interface EstimateAdvice {
  /** 2: figures under `estimates` with recommend's names and meanings (1 had them under `estimate`, power without the host). */
  readonly schemaVersion: 2;
  readonly profile: { readonly file: string; readonly name: string; readonly kind: WorkloadKind };
  readonly chip: { readonly id: string; readonly name: string };
  /** Devices in one unit. */
  readonly count: number;
  /** Where the unit is assumed to run: at the edge for edge parts, on premises otherwise (no offering, no price). */
  readonly deployment: Deployment;
  /** Units of `count` devices the stated load needs (1 when no load is stated). */
  readonly units: number;
  /** The request rate the profile states (per site at the edge, all sites otherwise), the load the figures hold at; absent = flat out. */
  readonly load_per_s?: number;
  /** What one unit does flat out, ignoring latency limits, /s (LLMs: requests). */
  readonly max_throughput_per_s?: number;
  /** The same figures, with the same names and meanings, as a `recommend` row's `estimates` (no prices). */
  readonly estimates: Estimates;
  /** The devices' part of `estimates.power_w` at the same load, W. */
  readonly devices_power_w?: number;
  /** The hosts' part of `estimates.power_w` at the same load, W (assumed 150 W + 50 W per device for datacenter parts; 0 at the edge). */
  readonly host_power_w?: number;
  readonly serving?: ServingConfig & { readonly runner_up?: ServingConfig };
  /** Performance limits the profile sets that this chip × count breaks (cost and placement are not judged). */
  readonly violations: readonly ViolationJson[];
  readonly breakdown: readonly string[];
}

const EDGE_CLASSES: ReadonlySet<Chip["class"]> = new Set(["npu", "mcu", "edge-gpu"]);

/** The rules about what the hardware achieves, not what it costs or where it may run. */
const PERFORMANCE_RULES: ReadonlySet<RuleId> = new Set([
  "precision",
  "estimate",
  "memory",
  "latency_p99",
  "ttft",
  "tokens_per_s",
  "throughput",
  "deadline",
  "max_devices",
]);

function offeringClassOf(chip: Chip): OfferingClass {
  if (chip.class === "cpu" || chip.class === "fpga" || chip.class === "asic") return chip.class;
  return EDGE_CLASSES.has(chip.class) ? "edge-npu" : "onprem-gpu";
}

/** One unit of `count` devices with no price: what `estimate` provisions and `recommend`'s code estimates. */
export function bareUnit(chip: Chip, count: number): Offering {
  return {
    id: `${chip.id}-x${count}`,
    name: `${count}× ${chip.name}`,
    chip: chip.id,
    count,
    class: offeringClassOf(chip),
    deployment: EDGE_CLASSES.has(chip.class) ? "edge" : "on-prem",
    source: chip.source,
    as_of: chip.as_of,
  } as Offering;
}

/**
 * The use case `estimate`: one chip × count for a profile, through the same provisioning, load and power
 * arithmetic as a `recommend` row (so the two never disagree), without offerings or prices. Pure.
 */
export function adviseEstimate(input: ProfileInput, chip: Chip, count: number, run: Run): EstimateAdvice {
  const w = workloadOf(input.profile, run);
  const unit = bareUnit(chip, count);
  const o = estimateAsRanked(unit, chip, w, run.calibration);
  const {
    cost_per_1m_usd: _a,
    monthly_cost_usd: _b,
    total_cost_usd: _c,
    capex_usd: _d,
    ...estimates
  } = estimatesOf(o, w);
  const powerW = o.powerW;
  const devicesW = o.devicesPowerW;
  const violations = judge(o, w)
    .filter((v) => PERFORMANCE_RULES.has(v.rule))
    .map(violationJson);
  const llmOut = w.outputTokens * w.model.beams;
  const cfg = o.perf?.llmConfig;
  return {
    schemaVersion: 2,
    profile: { file: input.file, name: w.name, kind: w.kind },
    chip: { id: chip.id, name: chip.name },
    count,
    deployment: unit.deployment,
    units: o.units,
    ...(w.needPerS !== undefined ? { load_per_s: unit.deployment === "edge" ? w.needPerS : w.needPerS * w.sites } : {}),
    ...(o.perf && o.fits ? { max_throughput_per_s: o.perf.maxThroughputPerS } : {}),
    estimates,
    ...(powerW !== undefined && devicesW !== undefined
      ? { devices_power_w: devicesW, host_power_w: Math.max(0, powerW - devicesW) }
      : {}),
    ...(cfg && o.fits && isLlm(w.model)
      ? {
          serving: {
            ...servingOf(cfg, llmOut),
            ...(o.perf?.runnerUp ? { runner_up: servingOf(o.perf.runnerUp, llmOut) } : {}),
          },
        }
      : {}),
    violations,
    breakdown: o.explain({ costs: false }),
  };
}
