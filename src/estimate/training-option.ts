import type { Chip, Offering, RegionPrice } from "../catalog/schema.js";
import { capexUsd, monthlyUsd, perRunUsd, type OptionCost } from "../cost/index.js";
import { estimateTraining, type Bound, type Calibration, type TrainEstimate } from "./perf.js";
import type { Workload } from "./workload.js";
import { confidenceFor, deadlineHeadroom, provenanceLines, type Confidence } from "./confidence.js";
import type { CapEffect } from "../energy/power-cap.js";
import { runHoursWithin } from "../energy/window.js";
import { hostLine, hostPowerAt, resolveHost, type ResolvedHost } from "./host.js";
import {
  unitPower,
  devicePowerW,
  type OfferingFacts,
  type ExplainOptions,
  type OptionEstimate,
  failedOption,
} from "./unit.js";
import { rentedCost, ownedCost, costLines } from "./option-cost.js";
import type { PerfMemo } from "./perf-memo.js";

export interface TrainingPlan {
  readonly error?: string;
  readonly units: number;
  readonly est?: TrainEstimate;
}

/** The fewest units of `count` devices that meet the deadline (or fit), and the estimate there. */
export function planTraining(
  chip: Chip,
  count: number,
  w: Workload,
  cal: Calibration,
  deadlineH = w.slo.deadlineH,
  /** How much faster than its deadline the run is sized to finish (deadlineHeadroom). */
  headroom = 1,
): TrainingPlan {
  const first = estimateTraining(chip, count, count, w, cal);
  if ("error" in first) return { error: first.error, units: 1 };
  const maxUnits =
    w.maxDevices !== undefined ? Math.max(1, Math.floor(w.maxDevices / count)) : Math.ceil(16384 / count);
  let units = Math.max(1, Math.ceil(first.minDevices / count));
  // Two searches (with headroom, then without) ask for the same unit counts: each is estimated once.
  const seen = new Map<number, TrainEstimate>();
  const at = (u: number) => {
    let e = seen.get(u);
    if (!e) seen.set(u, (e = estimateTraining(chip, u * count, count, w, cal) as TrainEstimate));
    return e;
  };
  // Time falls monotonically with units while scaling holds: the fewest units that finish within `limit`.
  const fewest = (limit: number): number | undefined => {
    if (at(units).timeToTrainH <= limit) return units;
    let lo = units;
    let hi = units;
    while (hi < maxUnits && at(hi).timeToTrainH > limit) hi = Math.min(maxUnits, hi * 2);
    if (at(hi).timeToTrainH > limit) return undefined;
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      if (at(mid).timeToTrainH <= limit) hi = mid;
      else lo = mid + 1;
    }
    return hi;
  };
  if (deadlineH !== undefined) {
    // Provisioned to make the deadline nine times in ten at the estimate's typical error; where no number of
    // units does, the fewest that make it at the estimate itself (the ranking weighs the risk), else the most
    // (or the fewest that hold the model, where those are more).
    units = fewest(deadlineH / headroom) ?? fewest(deadlineH) ?? Math.max(units, maxUnits);
  }
  const est = at(units);
  return { units, est };
}

/**
 * A training state too big for one device is sharded (ZeRO-3, FSDP): every step gathers the weights and
 * scatters the gradients among the shards, about three times the 16-bit weights per device (48 GB for an
 * 8B model). Within an instance or a host that traffic rides NVLink or PCIe; between cloud VMs of fewer
 * than eight GPUs it would cross their network, tens of Gb/s with no InfiniBand or EFA on such shapes, and
 * take longer than the step's compute. So a shard group stays within one VM of those; eight-GPU instances,
 * built to be clustered (EFA, InfiniBand, GPUDirect-TCPX), may span several. Replicas of a group that fits
 * (data parallel) only all-reduce gradients, which overlap the backward pass.
 */
const CLUSTERED_INSTANCE_GPUS = 8;

function acrossVms(o: Offering, est: TrainEstimate): string | undefined {
  if (o.deployment !== "cloud" || o.count >= CLUSTERED_INSTANCE_GPUS || est.minDevices <= o.count) return undefined;
  return (
    `its training state needs ${est.minDevices} devices sharded and ${o.instance_type ?? o.name} has ${o.count} ` +
    "GPU(s): the shards' weight gathers would cross the network between VMs every step; rent an instance with enough GPUs"
  );
}

export function estimateTrainingOption(
  o: Offering,
  chip: Chip,
  region: RegionPrice | undefined,
  countries: readonly string[],
  w: Workload,
  cal: Calibration,
  memo?: PerfMemo,
  scratch?: OptionEstimate,
  facts?: OfferingFacts,
): OptionEstimate {
  const deadlineH = runHoursWithin(w, o.deployment);
  const confidence = memo ? memo.confidence(cal, chip, w.model) : confidenceFor(cal, chip, w.model);
  const headroom = deadlineHeadroom(confidence);
  const plan = memo
    ? memo.training(chip, o.count, w, cal, deadlineH, headroom)
    : planTraining(chip, o.count, w, cal, deadlineH, headroom);
  const error = plan.error ?? acrossVms(o, plan.est!);
  if (error !== undefined)
    return failedOption(o, chip, region, countries, error, error.startsWith("runs") ? error : undefined);
  const { units } = plan;
  const hours = plan.est!.timeToTrainH;
  // A sharded state's cards share one host (its shards gather over PCIe, not the network between hosts).
  const together = Math.ceil(plan.est!.minDevices / o.count);
  const host = o.requires_host ? resolveHost(o, facts?.hosts, units, w.hostExisting, together) : undefined;
  if (together > 1 && o.requires_host && !host && !w.hostExisting && facts?.hosts?.length) {
    const why = `its training state needs ${plan.est!.minDevices} devices sharded in one host and no host in the catalog takes ${together} of ${o.name}`;
    return failedOption(o, chip, region, countries, why, undefined);
  }
  const unitPowerW = host
    ? host.fullW + Math.min(host.slots, units) * o.count * devicePowerW(chip, 1)
    : unitPower(o, chip, 1);
  const powerW = host ? units * o.count * devicePowerW(chip, 1) + hostPowerAt(host, 1) : units * unitPowerW;
  const run = { hours, precision: plan.est!.precision };
  const cost =
    o.deployment === "cloud"
      ? rentedCost(o, region, units, w, run)
      : ownedCost(o, chip, units, w, 1, hours, undefined, host && { host, sites: 1 });
  const monthly = monthlyUsd(cost);
  const total = perRunUsd(cost.totalUsd, cost.tenure);
  const capex = cost.owned ? capexUsd(cost.owned, cost.way as "buy" | "lease") : undefined;
  const option = scratch instanceof TrainingOption ? scratch : new TrainingOption();
  option.powerCap = undefined;
  return option.set({
    offering: o,
    chip,
    region,
    countries,
    confidence,
    train: plan.est!,
    units,
    w,
    powerW,
    devicesPowerW: units * o.count * devicePowerW(chip, 1),
    unitPowerW,
    monthlyCostUsd: monthly,
    totalCostUsd: total,
    capexUsd: capex,
    cost,
    host,
  });
}

/** What an option is built from: set() copies these into the option (one object, not 16 positional arguments). */
interface TrainingParts {
  readonly offering: Offering;
  readonly chip: Chip;
  readonly region: RegionPrice | undefined;
  readonly countries: readonly string[];
  readonly confidence: Confidence | undefined;
  readonly train: TrainEstimate;
  readonly units: number;
  readonly w: Workload;
  readonly powerW: number;
  readonly devicesPowerW: number;
  readonly unitPowerW: number;
  readonly monthlyCostUsd: number;
  readonly totalCostUsd: number;
  readonly capexUsd: number | undefined;
  readonly cost: OptionCost;
  readonly host: ResolvedHost | undefined;
}

/** A training option: one class, like InferenceOption, with the breakdown as a method. */
class TrainingOption implements OptionEstimate {
  // Written by set() only, like InferenceOption's.
  offering!: Offering;
  chip!: Chip;
  region: RegionPrice | undefined;
  countries!: readonly string[];
  confidence: Confidence | undefined;
  train!: TrainEstimate;
  units!: number;
  private w!: Workload;
  powerW!: number;
  devicesPowerW!: number;
  monthlyCostUsd!: number;
  totalCostUsd!: number;
  capexUsd: number | undefined;
  cost!: OptionCost;
  devices!: number;
  fits!: boolean;
  memoryNeededGb!: number;
  memoryAvailableGb!: number;
  timeToTrainH!: number;
  unitPowerW!: number;
  host: ResolvedHost | undefined;
  bound!: Bound;
  powerCap: CapEffect | undefined = undefined;
  get avgPowerW(): number {
    return this.powerW;
  }

  set(f: TrainingParts): this {
    const {
      offering,
      chip,
      region,
      countries,
      confidence,
      train,
      units,
      w,
      powerW,
      devicesPowerW,
      unitPowerW,
      monthlyCostUsd,
      totalCostUsd,
      capexUsd,
      cost,
      host,
    } = f;
    this.cost = cost;
    this.host = host;
    this.offering = offering;
    this.chip = chip;
    this.region = region;
    this.countries = countries;
    this.confidence = confidence;
    this.train = train;
    this.units = units;
    this.w = w;
    this.powerW = powerW;
    this.devicesPowerW = devicesPowerW;
    this.monthlyCostUsd = monthlyCostUsd;
    this.totalCostUsd = totalCostUsd;
    this.capexUsd = capexUsd;
    this.devices = units * offering.count;
    this.fits = train.fits;
    this.memoryNeededGb = train.memoryPerDeviceGb;
    this.memoryAvailableGb = train.memoryAvailableGb;
    this.timeToTrainH = train.timeToTrainH;
    this.unitPowerW = unitPowerW;
    this.bound = train.bound;
    return this;
  }

  explain(opts?: ExplainOptions): readonly string[] {
    const cost = [
      ...(this.host ? [hostLine(this.host, 1)] : []),
      ...(opts?.costs === false ? [] : costLines(this.cost, this.w)),
    ];
    return [
      ...(this.powerCap ? [`power cap: ${this.powerCap.basis}`] : []),
      ...this.train.breakdown,
      ...cost,
      ...provenanceLines(this.chip, this.confidence),
    ];
  }
}
