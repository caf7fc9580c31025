import type { Chip, Offering } from "../catalog/schema.js";
import {
  estimateOption,
  hostPowerW,
  type OfferingFacts,
  type OptionEstimate,
  type PerfMemo,
} from "../estimate/option.js";
import type { Calibration } from "../estimate/perf.js";
import type { Workload } from "../estimate/workload.js";
import { candidateCaps, cappable, type CapContext } from "./power-cap.js";

type Mutable = { powerCap: OptionEstimate["powerCap"] };

/** The rules a power cap can fix: the power budget and an off-grid site's energy balance. */
export type PowerCheck = (o: OptionEstimate, w: Workload) => boolean;

/**
 * Estimate one offering under the energy limits of the workload. With `power_cap` in the profile every
 * cappable device runs under it. Otherwise, when the option breaks a power limit (`breaksPower`), try
 * the device's caps from the highest down and keep the first that passes it without breaking more rules
 * than the uncapped option (`broken` counts them): recommend then chooses the cap and says so.
 * `scratch` is only ever used for the first estimate (a capped retry gets a fresh object).
 */
export function estimateUnderCap(
  o: Offering,
  chip: Chip,
  w: Workload,
  cal: Calibration,
  memo: PerfMemo,
  facts: OfferingFacts,
  caps: CapContext,
  breaksPower: PowerCheck,
  broken: (o: OptionEstimate) => number,
  scratch?: OptionEstimate,
): OptionEstimate {
  const fixed = w.energy?.powerCapW;
  if (fixed !== undefined) {
    const c = cappable(chip) ? caps.capped(chip, fixed) : undefined;
    if (!c) {
      const est = estimateOption(o, chip, w, cal, memo, facts, scratch);
      // A part with no power setting above the cap draws its TDP regardless: the power_cap rule says so.
      if (fixed < chip.tdp_w && "powerCap" in est)
        (est as unknown as Mutable).powerCap = {
          capW: fixed,
          compute: 1,
          memoryBwGbps: chip.memory_bw_gbps,
          tdpW: chip.tdp_w,
          basis: `${chip.name} has no power cap setting: it draws up to ${chip.tdp_w} W`,
        };
      return est;
    }
    const est = estimateOption(caps.withHost(o, hostPowerW(o, chip)), c.chip, w, cal, memo, facts, scratch);
    (est as unknown as Mutable).powerCap = c.effect;
    return est;
  }
  const first = estimateOption(o, chip, w, cal, memo, facts, scratch);
  if (!cappable(chip) || !first.fits || !breaksPower(first, w)) return first;
  const before = broken(first);
  for (const capW of candidateCaps(chip)) {
    const c = caps.capped(chip, capW);
    if (!c) continue;
    const est = estimateOption(caps.withHost(o, hostPowerW(o, chip)), c.chip, w, cal, memo, facts);
    if (!("powerCap" in est)) return first; // an error estimate: nothing to cap
    if (!breaksPower(est, w)) {
      (est as unknown as Mutable).powerCap = c.effect;
      return broken(est) < before ? est : first;
    }
  }
  return first;
}
