import type { OptionEstimate } from "../estimate/option.js";
import type { Workload } from "../estimate/workload.js";
import { type Placement, RULES, type Rule, type Violation } from "./index.js";

/**
 * Judging options against the rules: every broken rule (judge), only their count and distance for
 * screening (tally), or only the rules that read where an option runs (failsPlacement). The rules that
 * can fail for a workload are worked out once per workload, in WeakMaps keyed by the workload (an
 * immutable input; the entry goes when the workload does), not in run state.
 */

const NONE: readonly Violation[] = Object.freeze([]);

// The rules that can fail for a workload, worked out once per workload (a check runs 10,000s of judges).
const applicable = new WeakMap<Workload, readonly Rule[]>();
function rulesFor(w: Workload): readonly Rule[] {
  let rules = applicable.get(w);
  if (!rules) applicable.set(w, (rules = RULES.filter((r) => !r.appliesTo || r.appliesTo(w))));
  return rules;
}

/** How many rules an option breaks and how far it is from passing (the sum of their distances). */
export interface Tally {
  broken: number;
  distance: number;
}

/** judge's count and distance without building the list: for screening many options. Overwrites `into`. */
export function tally(o: OptionEstimate, w: Workload, into: Tally): Tally {
  const rules = rulesFor(w);
  let broken = 0;
  let distance = 0;
  for (let i = 0; i < rules.length; i++) {
    const v = rules[i]!.check(o, w);
    if (v) {
      broken++;
      distance += v.distance;
    }
  }
  into.broken = broken;
  into.distance = distance;
  return into;
}

// The placement rules that can fail for a workload, once per workload.
const placementRules = new WeakMap<Workload, readonly Rule[]>();

/**
 * Does the option break a rule that reads only where it runs (deployment, connectivity, residency,
 * runtimes, training support)? Such an option is infeasible whatever its estimate, so a caller that
 * needs only the best options can skip estimating it.
 */
export function failsPlacement(p: Placement, w: Workload): boolean {
  let rules = placementRules.get(w);
  if (!rules) placementRules.set(w, (rules = rulesFor(w).filter((r) => r.placement)));
  for (let i = 0; i < rules.length; i++)
    if ((rules[i]!.check as (o: Placement, w: Workload) => Violation | undefined)(p, w)) return true;
  return false;
}

/** Every rule the option breaks (not only the first), in RULES order; a shared empty list when it breaks none. */
export function judge(o: OptionEstimate, w: Workload): readonly Violation[] {
  const rules = rulesFor(w);
  let out: Violation[] | undefined;
  for (let i = 0; i < rules.length; i++) {
    const v = rules[i]!.check(o, w);
    if (v) (out ??= []).push(v);
  }
  return out ?? NONE;
}
