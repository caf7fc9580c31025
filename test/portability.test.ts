import { describe, expect, it } from "vitest";
import { recommendWorkload } from "../src/recommend.js";
import { stackBreadth } from "../src/rank/index.js";
import { builtinData, makeChip, makeWorkload } from "./helpers/data.js";

// priorities.portability: how many offerings of the catalog run an option's native software stack.
describe("priorities.portability", () => {
  const { catalog, calibration } = builtinData();
  const breadth = stackBreadth([...catalog.offerings.values()].map((o) => catalog.chips.get(o.chip)!));
  const nativeBreadth = (chip: { runtimes: readonly string[] }) => breadth.get(chip.runtimes[0]!) ?? 0;
  const profile = (portability?: number) =>
    makeWorkload({
      workload: { kind: "realtime-inference", model: "llama-3.1-8b", input_tokens: 3000, output_tokens: 300 },
      slo: { ttft: "1s", tokens_per_s: 15, concurrency: 20 },
      constraints: { data_residency: ["CO"] },
      volume: { requests_per_day: "20k" },
      ...(portability !== undefined ? { priorities: { latency: 3, cost: 2, portability } } : {}),
    });
  const feasible = (p?: number) =>
    recommendWorkload("p.yaml", profile(p), catalog, calibration).recommendations.filter((r) => r.feasible);

  it("counts, per runtime, the offerings whose chip runs it", () => {
    const a = makeChip({ id: "a", runtimes: ["cuda", "pytorch"] });
    const b = makeChip({ id: "b", runtimes: ["tt-metal", "pytorch"] });
    expect(Object.fromEntries(stackBreadth([a, a, b]))).toEqual({ cuda: 2, pytorch: 3, "tt-metal": 1 });
  });

  it("a dominant weight puts an option on the broadest native stack first; without it the ranking ignores stacks", () => {
    const plain = feasible();
    const portable = feasible(100);
    expect(plain.length).toBeGreaterThan(3);
    const widest = Math.max(...portable.map((r) => nativeBreadth(catalog.chips.get(r.chip)!)));
    expect(nativeBreadth(catalog.chips.get(portable[0]!.chip)!)).toBe(widest);
    // The profile's own top pick (two Tenstorrent cards, a stack 3 offerings run) is not on it.
    expect(nativeBreadth(catalog.chips.get(plain[0]!.chip)!)).toBeLessThan(widest);
  });

  it("weighing portability never lowers an option on the broadest stack against one on a narrower stack", () => {
    const at = (p: number) => new Map(feasible(p).map((r) => [r.id, r]));
    const low = at(0);
    const high = at(5);
    const widest = Math.max(...[...low.values()].map((r) => nativeBreadth(catalog.chips.get(r.chip)!)));
    for (const [id, r] of low) {
      if (nativeBreadth(catalog.chips.get(r.chip)!) !== widest) continue;
      for (const [other, s] of low) {
        if (nativeBreadth(catalog.chips.get(s.chip)!) >= widest || r.rank > s.rank) continue;
        expect(high.get(id)!.rank, `${id} above ${other}`).toBeLessThan(high.get(other)!.rank);
      }
    }
  });
});
