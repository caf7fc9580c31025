import { isTraining } from "../profile/schema.js";
import { grouped } from "../format/number.js";
import type { OptionEstimate } from "../estimate/option.js";
import { isLlm, runsServingStack, type Workload } from "../estimate/workload.js";
import { streamsPerUnit } from "../estimate/perf-types.js";
import { ENERGY_RULES } from "../energy/rules.js";
import { windowFor } from "../energy/window.js";
import { CONCURRENCY_REF } from "./refs.js";
import { deadlineHours } from "./deadline.js";
import {
  Exceeded,
  listOf,
  NotAllowed,
  sayDeployment,
  sayFamily,
  sayResidency,
  sayRuntimes,
  sayQlora,
  sayStack,
  type RuleId,
  type Say,
  type Violation,
} from "./violation.js";

export { deadlineAtRisk, deadlineHours, deadlineOnTime } from "./deadline.js";
export { CONCURRENCY_REF, RULE_REFS } from "./refs.js";
export type { RuleId, Violation } from "./violation.js";

export interface Rule {
  readonly id: RuleId;
  readonly describe: string;
  readonly check: (o: OptionEstimate, w: Workload) => Violation | undefined;
  /** False when the rule cannot fail for this workload (no such SLO or limit): judge skips it. Absent = always checked. */
  readonly appliesTo?: (w: Workload) => boolean;
  /** The rule reads only where the option runs (offering, chip, countries), not its estimate: it can be checked before estimating. */
  readonly placement?: true;
}

/**
 * What a placement rule reads of an option. `region` is absent before estimating (the pre-screen, where
 * the offering's countries are a necessary condition) and set on an estimated cloud option, which is
 * judged on the region it was priced in.
 */
export type Placement = Pick<OptionEstimate, "offering" | "chip" | "countries" | "region">;

const num = (x: number) => {
  const a = Math.abs(x);
  if (a >= 1000) return grouped(x);
  if (a >= 100) return x.toFixed(0);
  if (a >= 10) return x.toFixed(1);
  if (a >= 1) return x.toFixed(2).replace(/\.?0+$/, "");
  return x.toPrecision(2);
};
const gb = (x: number) => (x >= 1 ? `${num(x)} GB` : x >= 1e-3 ? `${num(x * 1e3)} MB` : `${num(x * 1e6)} kB`);
const usd = (x: number) => (x >= 1000 ? `$${grouped(x)}` : x >= 1 ? `$${x.toFixed(2)}` : `$${x.toPrecision(2)}`);
const ms = (x: number) => (x >= 1000 ? `${num(x / 1000)} s` : `${num(x)} ms`);
const hours = (x: number) => (x >= 48 ? `${num(x / 24)} d` : `${num(x)} h`);
const dist = (measured: number, limit: number) =>
  limit > 0 && measured > 0 ? Math.abs(Math.log10(measured / limit)) : 1;

function over(rule: RuleId, measured: number | undefined, limit: number | undefined, say: Say): Violation | undefined {
  if (measured === undefined || limit === undefined || !(measured > limit * (1 + 1e-9))) return undefined;
  return new Exceeded(rule, measured, limit, dist(measured, limit), say);
}

function under(rule: RuleId, measured: number | undefined, limit: number | undefined, say: Say): Violation | undefined {
  if (measured === undefined || limit === undefined || !(measured < limit * (1 - 1e-9))) return undefined;
  return new Exceeded(rule, measured, limit, dist(limit, measured), say);
}

/** Does any of `xs` appear in `ys`? (A loop: no closure per call.) */
function anyIn(xs: readonly string[], ys: readonly string[]): boolean {
  for (const x of xs) if (ys.includes(x)) return true;
  return false;
}

// The messages, written once (an arrow inside a rule's check would be a new closure on every call).
const sayMemory: Say = (m, l) => `needs ${gb(m)}, has ${gb(l)}`;
const sayP99: Say = (m, l) => `p99 ${ms(m)} > SLO ${ms(l)}`;
const sayTtft: Say = (m, l) => `TTFT ${ms(m)} > SLO ${ms(l)}`;
const sayTokens: Say = (m, l) => `${num(m)} tokens/s per stream < SLO ${num(l)}`;
const sayTokensBound: Say = (m, l) => `even with the memory, at most ${num(m)} tokens/s per stream < SLO ${num(l)}`;
const sayDeadline: Say = (m, l) => `takes ${hours(m)} > deadline ${hours(l)}`;
const sayWindowDeadline: Say = (m, l) => `takes ${hours(m)} in the daily job window > deadline ${hours(l)}`;
const sayDevices: Say = (m, l) => `needs ${m} devices > max ${l}`;
const sayEdgePower: Say = (m, l) => `draws ${num(m)} W at full load > budget ${num(l)} W`;
const sayPower: Say = (m, l) => `deployment draws ${num(m)} W at the stated load > budget ${num(l)} W`;
const sayMonthly: Say = (m, l) => `${usd(m)}/month > budget ${usd(l)}`;
const sayCapex: Say = (m, l) => `capex ${usd(m)} > budget ${usd(l)}`;
const sayPer1m: Say = (m, l) => `${usd(m)} per 1M > budget ${usd(l)}`;
const sayTotal: Say = (m, l) => `run costs ${usd(m)} > budget ${usd(l)}`;

/** What a product is built for: the offering's own `use`, else its chip's. */
export const useOf = (p: Placement) => p.offering.use ?? p.chip.use;
/** Where a product is in its life: the offering's own `lifecycle`, else its chip's. */
export const lifecycleOf = (p: Placement) => p.offering.lifecycle ?? p.chip.lifecycle;

/**
 * Software stacks bitsandbytes (QLoRA's 4-bit weights) has a backend for, and CPUs:
 * https://huggingface.co/docs/bitsandbytes/v0.50.2/en/installation.
 */
const BITSANDBYTES: readonly string[] = ["cuda", "rocm", "synapseai", "mlx", "cpu"];
/** Where a QLoRA violation is relaxed: the fine-tuning method, not the workload kind. */
const QLORA_REF = { field: "workload.method" } as const;

/** Every hard constraint, in the order their findings are reported. */
export const RULES: readonly Rule[] = [
  {
    id: "deployment",
    placement: true,
    describe: "The offering's deployment (cloud, on-prem, edge) is one the profile allows.",
    check: (o: Placement, w: Workload) =>
      w.deployments.includes(o.offering.deployment)
        ? undefined
        : new NotAllowed("deployment", listOf(o.offering.deployment), w.deployments, sayDeployment),
  },
  {
    id: "connectivity",
    placement: true,
    appliesTo: (w) => w.connectivity !== "online",
    describe: "Offline sites cannot reach the cloud; intermittent links cannot carry real-time traffic to it.",
    check: (o: Placement, w: Workload) => {
      if (o.offering.deployment !== "cloud") return undefined;
      if (w.connectivity === "offline")
        return {
          rule: "connectivity",
          message: "offline site: cloud not reachable",
          measured: "cloud",
          limit: "offline",
          distance: 1,
        };
      const realtime = w.kind === "realtime-inference" || w.kind === "streaming" || w.kind === "edge-inference";
      if (w.connectivity === "intermittent" && realtime)
        return {
          rule: "connectivity",
          message: "intermittent link: cloud not reachable for every request",
          measured: "cloud",
          limit: "intermittent",
          distance: 1,
        };
      return undefined;
    },
  },
  {
    id: "data_residency",
    placement: true,
    appliesTo: (w) => w.dataResidency !== undefined,
    describe:
      "Data is processed only in the countries the profile lists: a rented option in the region it is priced in.",
    check: (o: Placement, w: Workload) => {
      if (!w.dataResidency) return undefined;
      // The region chosen, not any region the offering has: a price from us-east-1 is not a São Paulo answer.
      const r = o.region;
      if (r)
        return w.dataResidency.includes(r.country)
          ? undefined
          : new NotAllowed("data_residency", listOf(r.country), w.dataResidency, sayResidency, r.region);
      if (o.countries.includes("*") || anyIn(o.countries, w.dataResidency)) return undefined;
      return new NotAllowed("data_residency", o.countries, w.dataResidency, sayResidency);
    },
  },
  {
    id: "runtimes",
    placement: true,
    appliesTo: (w) => w.runtimes !== undefined,
    describe: "The chip supports at least one of the runtimes the profile requires.",
    check: (o: Placement, w: Workload) => {
      if (!w.runtimes || anyIn(o.chip.runtimes, w.runtimes)) return undefined;
      return new NotAllowed("runtimes", o.chip.runtimes, w.runtimes, sayRuntimes);
    },
  },
  {
    id: "serving_stack",
    placement: true,
    appliesTo: (w) => w.runtime !== undefined,
    describe: "The chip runs the serving stack named in workload.runtime (MLX: Apple only; llama.cpp: not a TPU).",
    check: (o: Placement, w: Workload) =>
      !w.runtime || runsServingStack(o.chip, w.runtime)
        ? undefined
        : new NotAllowed("serving_stack", o.chip.runtimes, listOf(w.runtime), sayStack),
  },
  {
    id: "model_family",
    placement: true,
    describe:
      "The chip's compiler runs the model's family on the accelerator (an Ethos-U65 runs CNNs, not transformers).",
    check: (o: Placement, w: Workload) =>
      !o.chip.families || o.chip.families.includes(w.model.family)
        ? undefined
        : new NotAllowed("model_family", o.chip.families, listOf(w.model.family), sayFamily),
  },
  {
    id: "training",
    placement: true,
    appliesTo: (w) => isTraining(w.kind),
    describe:
      "Training and fine-tuning need a part that can train (not an inference-only accelerator); QLoRA needs one bitsandbytes runs on.",
    check: (o: Placement, w: Workload) => {
      if (w.kind !== "training" && w.kind !== "fine-tuning") return undefined;
      const inferenceOnly = o.chip.inference_only ?? (o.chip.class === "npu" || o.chip.class === "mcu");
      if (inferenceOnly)
        return {
          rule: "training",
          message: `${o.chip.name} is inference-only`,
          measured: o.chip.id,
          limit: "can train",
          distance: 1,
        };
      // QLoRA keeps the frozen weights in bitsandbytes' 4-bit NF4 format. bitsandbytes runs on NVIDIA and AMD
      // GPUs, Intel XPUs and Gaudi, Apple Silicon and CPUs (its installation guide, v0.50); not on TPUs,
      // Trainium or Tenstorrent, where a fine-tune is LoRA or full.
      return w.method === "qlora" && o.chip.class !== "cpu" && !o.chip.runtimes.some((r) => BITSANDBYTES.includes(r))
        ? new NotAllowed("training", o.chip.runtimes, BITSANDBYTES, sayQlora, undefined, QLORA_REF)
        : undefined;
    },
  },
  {
    id: "licence",
    placement: true,
    appliesTo: (w) => !w.allowConsumer,
    describe:
      "Consumer hardware is not a datacenter or cloud answer unless the profile allows it: GeForce cards' driver licence excludes datacenter deployment; desktops (Macs, mini PCs) are built for a desk, not a rack.",
    check: (o: Placement) => {
      if (o.offering.deployment === "edge" || useOf(o) !== "consumer") return undefined;
      // NVIDIA's GeForce driver licence is the one that says "datacenter"; other consumer products are
      // desktops (a Mac, a mini PC, a DGX Spark, whose chip is a workstation part): no licence bars a server
      // room, but no ECC, remote management or rack mounting either.
      const why =
        o.chip.vendor === "NVIDIA" && o.chip.use === "consumer"
          ? `consumer card: its licence excludes ${o.offering.deployment} datacenter use`
          : `consumer desktop: built for a desk, not ${o.offering.deployment === "on-prem" ? "an" : "a"} ${o.offering.deployment} datacenter (no ECC, remote management or rack mounting)`;
      return {
        rule: "licence",
        message: `${why} (constraints.allow_consumer_hardware: true allows it, as for an office)`,
        measured: "consumer",
        limit: "datacenter",
        distance: 1,
      };
    },
  },
  {
    id: "lifecycle",
    placement: true,
    appliesTo: (w) => !w.allowDiscontinued,
    describe:
      "Discontinued products are not recommended, unless the profile allows them (end-of-life ones are flagged).",
    check: (o: Placement) => {
      const l = lifecycleOf(o);
      if (l?.status !== "discontinued") return undefined;
      return {
        rule: "lifecycle",
        message: `discontinued${l.date ? ` since ${l.date}` : ""} (constraints.allow_discontinued: true allows it)`,
        measured: "discontinued",
        limit: "on sale",
        distance: 1,
      };
    },
  },
  {
    id: "precision",
    describe: "The chip runs the model at a precision the profile allows.",
    check: (o) => (o.precisionError ? { rule: "precision", message: o.precisionError, distance: 1 } : undefined),
  },
  {
    id: "host",
    describe:
      "A part that needs a host (PCIe card, HAT, USB stick, baseboard) has one: a compatible host in the catalog, or the team's own.",
    check: (o) =>
      o.offering.requires_host !== undefined &&
      o.host === undefined &&
      !o.error &&
      o.offering.host_capex_usd === undefined
        ? {
            rule: "host",
            message: `needs a ${o.offering.requires_host} host and the catalog has none (constraints.host: existing if the team has one)`,
            measured: "none",
            limit: o.offering.requires_host,
            distance: 1,
          }
        : undefined,
  },
  {
    id: "estimate",
    describe: "An estimate could be made (e.g. the profile gives a training volume).",
    check: (o) => (o.error && !o.precisionError ? { rule: "estimate", message: o.error, distance: 1 } : undefined),
  },
  {
    id: "memory",
    describe: "Weights, KV cache and activations fit in the devices' memory.",
    check: (o) =>
      o.fits || o.error || o.memoryNeededGb === undefined || o.memoryAvailableGb === undefined
        ? undefined
        : new Exceeded(
            "memory",
            o.memoryNeededGb,
            o.memoryAvailableGb,
            dist(o.memoryNeededGb, o.memoryAvailableGb),
            sayMemory,
          ),
  },
  {
    id: "latency_p99",
    appliesTo: (w) => w.slo.latencyMs !== undefined,
    describe: "p99 latency at the served load is within the SLO.",
    check: (o, w) => over("latency_p99", o.latencyP99Ms, w.slo.latencyMs, sayP99),
  },
  {
    id: "ttft",
    appliesTo: (w) => w.slo.ttftMs !== undefined,
    describe: "LLM time to first token is within the SLO.",
    check: (o, w) => over("ttft", o.ttftMs, w.slo.ttftMs, sayTtft),
  },
  {
    id: "tokens_per_s",
    appliesTo: (w) => w.slo.tokensPerS !== undefined,
    describe:
      "Each LLM stream decodes at least as fast as the SLO asks (where the weights do not fit: one stream alone, had the unit the memory, bounds it).",
    // Where the weights do not fit, one stream alone on the unit, had it the memory, bounds the rate (more
    // memory moves no byte faster): it says whether memory alone would be enough, as it is not for an 8-vCPU
    // VM 0.5 GB short of a 32B model that would decode a third of a token a second.
    check: (o, w) =>
      o.fits
        ? under("tokens_per_s", o.tokensPerS, w.slo.tokensPerS, sayTokens)
        : under("tokens_per_s", o.error ? undefined : o.perf?.unloadedTokensPerS, w.slo.tokensPerS, sayTokensBound),
  },
  {
    id: "throughput",
    describe: "The provisioned units sustain the required throughput within the latency SLOs.",
    check: (o, w) => {
      if (o.perf === undefined || !o.fits) return undefined;
      if (o.perf.capacityPerS <= 0) {
        if (w.needPerS === undefined && w.slo.concurrency === undefined) return undefined;
        // Where a latency rule already measures the miss (TTFT 1.35 s against 1 s), that rule says how far
        // off the option is; counting it again here would rank a near miss below a part 9× over its power.
        const measured =
          over("latency_p99", o.latencyP99Ms, w.slo.latencyMs, sayP99) ??
          over("ttft", o.ttftMs, w.slo.ttftMs, sayTtft) ??
          under("tokens_per_s", o.tokensPerS, w.slo.tokensPerS, sayTokens);
        // Where every latency figure passes unloaded and only queueing breaks them (TTFT 991 ms against 1 s), the
        // option is a near miss: as near as a factor of 2 (log10 2 ≈ 0.3), the headroom a queue's p99 takes.
        const unloadedPasses =
          (w.slo.latencyMs !== undefined || w.slo.ttftMs !== undefined || w.slo.tokensPerS !== undefined) &&
          (w.slo.latencyMs === undefined || o.latencyP99Ms !== undefined) &&
          (w.slo.ttftMs === undefined || o.ttftMs !== undefined) &&
          (w.slo.tokensPerS === undefined || o.tokensPerS !== undefined);
        // Say which limits the option meets alone and loses under load (a stream paused by other prompts).
        const limits = [
          w.slo.latencyMs !== undefined ? `p99 ${ms(w.slo.latencyMs)}` : undefined,
          w.slo.ttftMs !== undefined ? `TTFT ${ms(w.slo.ttftMs)}` : undefined,
          w.slo.tokensPerS !== undefined ? `${num(w.slo.tokensPerS)} tokens/s per stream` : undefined,
        ].filter((x) => x !== undefined);
        return {
          rule: "throughput",
          message:
            !measured && unloadedPasses
              ? `meets ${limits.join(", ")} unloaded but at no load it can carry: queued prompts, and other requests' prompts pausing streams, break ${limits.length > 1 ? "them" : "it"}`
              : "cannot meet the latency SLOs at any load",
          measured: 0,
          limit: w.needPerS ?? w.slo.concurrency,
          distance: measured ? 0 : unloadedPasses ? Math.log10(2) : 2,
          ...(w.needPerS === undefined ? { ref: CONCURRENCY_REF } : {}),
        };
      }
      // Provisioning stops at a unit cap: an absurd need (1e300/s) must not pass with the capped fleet.
      const need = w.needPerS === undefined ? undefined : w.needPerS * (o.offering.deployment === "edge" ? 1 : w.sites);
      if (need !== undefined && o.throughputPerS !== undefined && o.throughputPerS < need * (1 - 1e-9)) {
        const units = o.units;
        return new Exceeded(
          "throughput",
          o.throughputPerS,
          need,
          dist(need, o.throughputPerS),
          (m, l) => `${units} unit(s) sustain ${num(m)}/s < need ${num(l)}/s`,
        );
      }
      const streams = o.units * streamsPerUnit(o.perf);
      if (w.slo.concurrency !== undefined && isLlm(w.model) && streams < w.slo.concurrency) {
        return {
          rule: "throughput",
          message: `${o.units} unit(s) serve ${num(streams)} streams < concurrency ${num(w.slo.concurrency)}`,
          measured: streams,
          limit: w.slo.concurrency,
          distance: dist(w.slo.concurrency, streams),
          ref: CONCURRENCY_REF,
        };
      }
      return undefined;
    },
  },
  {
    id: "deadline",
    appliesTo: (w) => w.slo.deadlineH !== undefined,
    describe: "Training (or a batch run) finishes before the deadline.",
    check: (o, w) =>
      over(
        "deadline",
        deadlineHours(o, w),
        w.slo.deadlineH,
        windowFor(w, o.offering.deployment) ? sayWindowDeadline : sayDeadline,
      ),
  },
  {
    id: "max_devices",
    appliesTo: (w) => w.maxDevices !== undefined,
    describe: "The deployment uses no more devices than the profile allows (per site at the edge).",
    check: (o, w) => {
      const perSite = o.offering.deployment === "edge" ? o.units * o.offering.count : o.devices;
      return over("max_devices", perSite, w.maxDevices, sayDevices);
    },
  },
  {
    id: "power_budget",
    appliesTo: (w) => w.powerBudgetW !== undefined,
    describe: "Power within budget: per device at the edge, for the whole deployment otherwise.",
    check: (o, w) => {
      const edge = o.offering.deployment === "edge";
      const measured = edge ? o.unitPowerW : o.powerW;
      return over("power_budget", measured, w.powerBudgetW, edge ? sayEdgePower : sayPower);
    },
  },
  ...ENERGY_RULES,
  {
    id: "budget_monthly",
    appliesTo: (w) => w.budget.monthlyUsd !== undefined,
    describe: "Monthly cost within budget.",
    check: (o, w) => over("budget_monthly", o.monthlyCostUsd, w.budget.monthlyUsd, sayMonthly),
  },
  {
    id: "budget_capex",
    appliesTo: (w) => w.budget.capexUsd !== undefined,
    describe: "Up-front purchase within budget.",
    check: (o, w) => over("budget_capex", o.capexUsd, w.budget.capexUsd, sayCapex),
  },
  {
    id: "budget_per_1m",
    appliesTo: (w) => w.budget.per1mUsd !== undefined,
    describe: "Cost per million inferences within budget.",
    check: (o, w) => over("budget_per_1m", o.costPer1mUsd, w.budget.per1mUsd, sayPer1m),
  },
  {
    id: "budget_total",
    appliesTo: (w) => w.budget.totalUsd !== undefined,
    describe: "Total cost of the run within budget.",
    check: (o, w) => over("budget_total", o.totalCostUsd, w.budget.totalUsd, sayTotal),
  },
];

export { failsPlacement, judge, type Tally, tally } from "./judge.js";
