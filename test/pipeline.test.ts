import { describe, expect, it } from "vitest";
import { resolveShares, transferMs } from "../src/pipeline/index.js";
import { hw } from "./helpers/cli.js";
import { hwInProcess } from "./helpers/run.js";

describe("pipeline arithmetic", () => {
  it("escalation is a share of the previous stage's share", () => {
    // 100%, then 5% of those, then half of those: 1, 0.05, 0.025
    expect(resolveShares([{ share: 1 }, { escalation: 0.05 }, { escalation: 0.5 }])).toEqual([1, 0.05, 0.025]);
    expect(resolveShares([{}, { share: 0.2 }])).toEqual([1, 0.2]);
  });

  it("transfer time is bytes × 8 / bandwidth", () => {
    // 150 kB = 1.2 Mbit over 10 Mbit/s = 0.12 s
    expect(transferMs(150e-6, 10)).toBeCloseTo(120, 9);
  });
});

interface Combo {
  rank: number;
  feasible: boolean;
  options: {
    stage: string;
    id: string;
    deployment: string;
    latency_p99_ms: number;
    monthly_cost_usd: number;
    power_w: number;
  }[];
  transfers: { time_ms: number; rtt_ms: number; gb_per_month: number; cost_usd_per_month: number }[];
  latency_p99_ms: number;
  monthly_cost_usd: number;
  transfer_cost_usd_per_month: number;
  uplink_down: { fallback: string; meets_slo: boolean; message: string }[];
  violations: string[];
}

describe("recommend on a pipeline profile (through the CLI)", () => {
  const r = hwInProcess(["recommend", "profiles/retail-checkout-pipeline.yaml", "--format", "json"]);
  const result = JSON.parse(r.stdout).results[0];
  const pl = result.pipeline;
  const best = pl.combinations[0] as Combo;

  it("ranks edge screen + cloud verify combinations, with each stage ranked on its own share", () => {
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    // top-level recommendations are the first stage's, for tools that read only them
    const ids = (recs: { id: string }[]) => recs.map((x) => x.id);
    expect(ids(result.recommendations)).toEqual(ids(pl.stages[0].result.recommendations));
    expect(pl.stages.map((s: { name: string; share: number }) => [s.name, s.share])).toEqual([
      ["screen", 1],
      ["verify", 0.05],
    ]);
    expect(best.feasible).toBe(true);
    expect(best.options.map((o) => o.deployment)).toEqual(["edge", "cloud"]);
  });

  it("end-to-end latency = screen p99 + transfer + RTT + verify p99; cost rolls up with transfer", () => {
    const [screen, verify] = best.options;
    const t = best.transfers[0]!;
    // 150 kB over 10 Mbps = 120 ms, plus the stated 60 ms RTT
    expect(t.time_ms).toBeCloseTo(120, 6);
    expect(t.rtt_ms).toBe(60);
    expect(best.latency_p99_ms).toBeCloseTo(screen!.latency_p99_ms + 180 + verify!.latency_p99_ms, 3);
    // 2M requests/day × 30.4375 days × 5% × 150e-6 GB = 456.5625 GB × $0.09 = $41.09/month
    expect(t.gb_per_month).toBeCloseTo(456.5625, 3);
    expect(best.transfer_cost_usd_per_month).toBeCloseTo(41.090625, 3);
    expect(best.monthly_cost_usd).toBeCloseTo(screen!.monthly_cost_usd + verify!.monthly_cost_usd + 41.090625, 1); // JSON figures carry 6 significant digits
    // sorted by monthly cost among feasible combinations
    const costs = (pl.combinations as Combo[]).filter((c) => c.feasible).map((c) => c.monthly_cost_usd);
    expect(costs).toEqual([...costs].sort((a, b) => a - b));
  });

  it("the verify stage serves 5% of 30 frames/s at each of 400 stores from the cloud", () => {
    const verify = pl.stages[1].result.recommendations.find((x: { feasible: boolean }) => x.feasible);
    // 30/s × 5% × 400 = 600/s served centrally
    expect(verify.estimates.throughput_per_s).toBeGreaterThanOrEqual(600);
  });

  it("says what an uplink outage does: the screen answers alone within the SLO", () => {
    expect(best.uplink_down).toHaveLength(1);
    expect(best.uplink_down[0]!.fallback).toBe("local-model");
    expect(best.uplink_down[0]!.meets_slo).toBe(true);
    const text = hwInProcess(["recommend", "profiles/retail-checkout-pipeline.yaml"]).stdout;
    expect(text).toMatch(/intermittent uplink down: screen alone answers in p99 [\d.]+ ms \(meets the 500 ms SLO\)/);
    expect(text).toContain("Stage verify");
  });

  it("the media pipeline pre-processes on-prem and indexes in a Brazilian cloud region", () => {
    const j = JSON.parse(hwInProcess(["recommend", "profiles/media-pipeline.yaml", "--format", "json"]).stdout);
    const c = j.results[0].pipeline.combinations[0] as Combo;
    expect(c.feasible).toBe(true);
    expect(c.options.map((o) => o.deployment)).toEqual(["on-prem", "cloud"]);
    // 20M × 30 runs × 10% × 60e-6 GB = 3600 GB a month over the uplink
    expect(c.transfers[0]!.gb_per_month).toBeCloseTo(3600, 6);
  });

  it("locates errors at the stage's field and asks for a share on later stages", () => {
    const bad = `name: p
slo: { throughput: 10/s }
stages:
  - name: a
    workload: { kind: edge-inference, model: yolov8n }
  - name: b
    workload: { kind: realtime-inference, model: yolov8m }
    slo: { latency_p99: fast }
`;
    const e = hw(["recommend", "-"], { input: bad });
    expect(e.code).toBe(2);
    expect(e.stderr).toContain("<stdin>:8:25 stages[1].slo.latency_p99: expected a duration such as 50ms");
    const e2 = hw(["recommend", "-"], { input: bad.replace("slo: { latency_p99: fast }", "slo: { latency_p99: 1s }") });
    expect(e2.code).toBe(2);
    expect(e2.stderr).toMatch(/:6:5 stages\[1\]: a later stage needs share \(e\.g\. 100%\) or escalation/);
  });
});
