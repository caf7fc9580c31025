// Published runs of a kind of model on a chip that came out well below the estimate (catalog measured_gaps).
import type { Chip } from "../catalog/schema.js";
import type { Workload } from "./workload.js";

export type MeasuredGap = NonNullable<Chip["measured_gaps"]>[number];

/**
 * The catalog's published shortfall of this chip against the tool's estimate that covers the workload: its
 * model's kind of attention, and its serving stack where the workload names one. Undefined when none does.
 */
export function measuredGap(chip: Chip, w: Pick<Workload, "model" | "runtime">): MeasuredGap | undefined {
  // Latent attention (`mla`) is the one kind a gap names: a model that caches a KV latent.
  if (w.model.kvLoraRank === undefined) return undefined;
  return chip.measured_gaps?.find((g) => !g.runtimes || !w.runtime || g.runtimes.includes(w.runtime));
}
