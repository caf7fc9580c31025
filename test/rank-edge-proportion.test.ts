import { describe, expect, it } from "vitest";
import type { Calibration } from "../src/estimate/perf.js";
import type { Chip, Offering } from "../src/catalog/schema.js";
import { recommendWorkload } from "../src/recommend.js";
import { flatCalibration, makeChip, makeOffering, makeWorkload } from "./helpers/data.js";

const cal: Calibration = flatCalibration();
// 10 GFLOP a frame on edge boards that differ in speed, power and price.
const model = { params: "10M", flops_per_sample: "10G", family: "cnn" as const, layers: 1 };
const board = (id: string, tops: number, tdp: number, usd: number): [Chip, Offering] => [
  makeChip({ id: `${id}-chip`, class: "npu", peak_tops: { int8: tops }, tdp_w: tdp, idle_w: tdp / 10 }),
  makeOffering({
    id,
    chip: `${id}-chip`,
    class: "edge-npu",
    deployment: "edge",
    capex_usd: usd,
    regions: undefined,
    provider: undefined,
    instance_type: undefined,
  } as Partial<Offering>),
];
const rank = (boards: [Chip, Offering][], throughput: string) => {
  const catalog = { chips: new Map(boards.map(([c]) => [c.id, c])), offerings: boards.map(([, o]) => o) };
  const w = makeWorkload({
    workload: { kind: "edge-inference", model, precision: "int8" },
    slo: { throughput, latency_p99: "1s" },
    constraints: { deployment: ["edge"] },
  });
  return recommendWorkload("t", w, catalog, cal)
    .recommendations.filter((r) => r.feasible)
    .map((r) => r.id);
};

describe("proportion at the edge", () => {
  it("two idle boards within 2× of each other's fit are not told apart by it: the faster, cheaper one wins", () => {
    // 0.1 ms + 10 GFLOP / (60 TOPS × 0.5) = 0.43 ms a frame against the small board's 0.6 ms: 1.4× idler at the
    // same power and a lower price, within the 2× band, so fit no longer holds it back.
    expect(rank([board("small", 40, 10, 300), board("quicker", 60, 10, 280)], "1/s")).toEqual(["quicker", "small"]);
  });
  it("a 130 W module where a 10 W board is well used still loses on fit", () => {
    // The board takes 0.1 ms + 10 GFLOP / (40 TOPS × 0.5) = 0.6 ms a frame (~1,700/s): 1,500/s keeps it
    // busy. The module takes 0.1 + 10 / (800 × 0.5) = 0.125 ms (~8,000/s): 4.8× idler, beyond the 2× band.
    expect(rank([board("small", 40, 10, 300), board("module", 800, 130, 300)], "1500/s")[0]).toBe("small");
  });
});
