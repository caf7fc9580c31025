import type { ProfileResult } from "../result.js";

/**
 * The options `tco` compares by default: the best feasible option of each deployment (so renting and owning
 * both appear where the profile allows them), then the next best until `top`. Infeasible ones only when
 * nothing is feasible. Ordered by rank. Pure.
 */
export function pickTcoOptions(r: ProfileResult, top: number): string[] {
  const feasible = r.recommendations.filter((x) => x.feasible);
  const pool = feasible.length ? feasible : r.recommendations;
  const chosen = new Set<string>();
  for (const d of ["cloud", "on-prem", "edge"]) {
    const best = pool.find((x) => x.deployment === d);
    if (best && chosen.size < top) chosen.add(best.id);
  }
  for (const x of pool) {
    if (chosen.size >= top) break;
    chosen.add(x.id);
  }
  return pool.filter((x) => chosen.has(x.id)).map((x) => x.id);
}
