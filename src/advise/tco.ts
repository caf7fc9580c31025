import type { Offering } from "../catalog/schema.js";
import type { ProfileResult } from "../result.js";
import { recommendWorkload, estimateAsRanked, offeringFacts } from "../recommend.js";
import type { CostAssumptions } from "../tco/assumptions.js";
import { estimateTco, type TcoResult } from "../tco/index.js";
import { pickTcoOptions } from "../tco/select.js";
import { workloadOf, type ProfileInput } from "./recommend.js";
import type { Run } from "./run.js";

/** What `tco` reports: the profile, the money it is shown in, the assumptions and the cost over time. */
export interface TcoAdvice {
  readonly file: string;
  readonly name: string;
  readonly currency: string;
  /** Units of `currency` per US dollar (1 for USD). */
  readonly fxPerUsd: number;
  readonly assumptions: CostAssumptions;
  readonly result: TcoResult;
  /** The ranking the options were picked from (absent when the request named them). */
  readonly ranking?: ProfileResult;
}

export interface TcoRequest {
  /** Offerings to compare (known ids); absent = the recommendation's top `top` options. */
  readonly offerings?: readonly Offering[];
  readonly top: number;
  readonly horizonYears?: number;
  readonly currency: string;
  readonly fxPerUsd: number;
}

/**
 * The use case `tco`: each option estimated exactly as `recommend` ranks it, then costed by every way of
 * paying for it (rent on demand or committed, buy, lease) over the horizon. Pure.
 */
export function adviseTco(input: ProfileInput, req: TcoRequest, run: Run): TcoAdvice {
  // The horizon changes what recommend would cost too: both read the same workload.
  const w = workloadOf(input.profile, run, req.horizonYears);
  const ranking = req.offerings
    ? undefined
    : recommendWorkload(input.file, w, run.catalog, run.calibration, { today: run.today });
  const chosen =
    req.offerings ??
    (ranking ? pickTcoOptions(ranking, req.top).flatMap((id) => run.catalog.offerings.filter((o) => o.id === id)) : []);
  const estimates = chosen.flatMap((o) => {
    const chip = run.catalog.chips.get(o.chip);
    return chip ? [estimateAsRanked(o, chip, w, run.calibration, offeringFacts(run.catalog, o))] : [];
  });
  const assumptions = w.costs;
  return {
    file: input.file,
    name: input.profile.name,
    currency: req.currency,
    fxPerUsd: req.fxPerUsd,
    assumptions,
    result: estimateTco(estimates, w, assumptions),
    ...(ranking ? { ranking } : {}),
  };
}
