import { describe, expect, it } from "vitest";
import { runCli, scratch } from "./helpers/run.js";

// What a person reading the table needs to know, said on the screen (in-process CLI: fast).
const profile = (body: string) => {
  const s = scratch();
  return s.write("p.yaml", body);
};

describe("output that reads right", () => {
  it("model sizes as people write them: 70.6B, not 70.6G", () => {
    const f = profile(
      "name: big\nworkload:\n  kind: realtime-inference\n  model: llama-3-70b\nslo: { ttft: 2s, tokens_per_s: 10, concurrency: 8 }\n",
    );
    const r = runCli(["recommend", f, "--top", "1"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Llama 3 70B \(70\.6B params\)/);
    expect(r.stdout).not.toMatch(/\d+(\.\d+)?G params/);
    const m = runCli(["models"]);
    expect(m.stdout).toMatch(/│ llama-3\.1-405b +│ decoder-llm +│ 40\dB /);
    expect(m.stdout).toMatch(/│ deepseek-v3 +│ moe-llm +│ 671B /);
  });

  it("a hidden peak factor and default token counts are printed under the table, with the field that states them", () => {
    const f = profile(
      "name: chat\nworkload:\n  kind: realtime-inference\n  model: llama-3-8b\nslo: { ttft: 1s, tokens_per_s: 20 }\nvolume: { requests_per_day: 150k }\nconstraints: { deployment: [cloud] }\n",
    );
    const r = runCli(["recommend", f, "--top", "2"]);
    expect(r.stdout).toMatch(
      /^assumed: peak factor 3× \(volume\.peak_factor\), input tokens \d+ \(workload\.input_tokens\), output tokens \d+ \(workload\.output_tokens\), quantization allowed \(workload\.quantization\) — state them in the profile to change them$/m,
    );
    // Stated, they are no longer assumptions.
    const g = profile(
      "name: chat\nworkload:\n  kind: realtime-inference\n  model: llama-3-8b\n  precision: bf16\n  input_tokens: 1000\n  output_tokens: 200\nslo: { ttft: 1s, tokens_per_s: 20 }\nvolume: { requests_per_day: 150k, peak_factor: 2 }\nconstraints: { deployment: [cloud] }\n",
    );
    expect(runCli(["recommend", g, "--top", "2"]).stdout).not.toMatch(/^assumed:/m);
    const json = JSON.parse(runCli(["recommend", f, "--format", "json", "--top", "1"]).stdout);
    expect(json.results[0].assumed[0]).toEqual({
      field: "volume.peak_factor",
      value: 3,
      what: "peak factor",
      unit: "×",
    });
  });

  it("a nightly batch over a day's requests lists no peak factor: no busiest hour shapes it", () => {
    const f = profile(
      "name: nightly\nworkload:\n  kind: batch-inference\n  model: llama-3-8b\n  precision: bf16\n  input_tokens: 1000\n  output_tokens: 200\nslo: { deadline: 8h }\nvolume: { requests_per_day: 50k }\nconstraints: { deployment: [cloud] }\n",
    );
    const r = runCli(["recommend", f, "--top", "1"]);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(/peak factor/);
    // The same volume served as requests comes in at its busiest hour.
    const served = profile(
      "name: chat\nworkload:\n  kind: realtime-inference\n  model: llama-3-8b\n  precision: bf16\n  input_tokens: 1000\n  output_tokens: 200\nslo: { ttft: 1s }\nvolume: { requests_per_day: 50k }\nconstraints: { deployment: [cloud] }\n",
    );
    expect(runCli(["recommend", served, "--top", "1"]).stdout).toMatch(/^assumed: peak factor 3×/m);
  });

  it("a precision hwadvise chose on its own shows in the table, with a legend", () => {
    const f = profile(
      "name: chat\nworkload:\n  kind: realtime-inference\n  model: llama-3-8b\nslo: { ttft: 1s, tokens_per_s: 20, concurrency: 16 }\nconstraints: { deployment: [cloud] }\n",
    );
    const r = runCli(["recommend", f, "--all"]);
    const json = JSON.parse(runCli(["recommend", f, "--format", "json"]).stdout).results[0];
    const quantized = json.recommendations.filter(
      (x: { estimates: { precision?: string } }) =>
        x.estimates.precision && x.estimates.precision !== json.model.precision,
    );
    expect(quantized.length).toBeGreaterThan(0);
    expect(r.stdout).toMatch(new RegExp(`· ${quantized[0].estimates.precision}\\b`));
    expect(r.stdout).toMatch(
      /^· int8, fp8 …: the precision hwadvise runs that option at, where it differs from the model's bf16/m,
    );
    const pinned = profile(
      "name: chat\nworkload:\n  kind: realtime-inference\n  model: llama-3-8b\n  precision: bf16\n  quantization: forbidden\nslo: { ttft: 1s, tokens_per_s: 20, concurrency: 16 }\nconstraints: { deployment: [cloud] }\n",
    );
    const p = runCli(["recommend", pinned, "--top", "5"]);
    expect(p.stdout).not.toMatch(/ · (fp8|int8|int4)\b/);
  });

  it("one meaning per power figure: the column is the draw at the stated load, the edge rule checks full load, and both say so", () => {
    const f = profile(
      "name: cam\nworkload:\n  kind: edge-inference\n  model: yolov8s\n  precision: int8\nslo: { latency_p99: 100ms, throughput: 5/s }\nconstraints: { power_budget: 6W }\n",
    );
    const r = runCli(["recommend", f, "--all"]);
    expect(r.stdout).toMatch(
      /^Power: draw at the stated peak load, hosts included \(per site at the edge\); an edge power budget is checked at full load\.$/m,
    );
    const json = JSON.parse(runCli(["recommend", f, "--format", "json", "--all"]).stdout).results[0];
    const over = json.recommendations.find((x: { violations: { rule: string }[] }) =>
      x.violations.some((v) => v.rule === "power_budget"),
    );
    const v = over.violations.find((x: { rule: string }) => x.rule === "power_budget");
    expect(v.message).toMatch(/^draws [\d.]+ W at full load > budget 6 W$/);
    expect(v.measured).toBeCloseTo(over.estimates.full_load_power_w, 6);
    expect(over.estimates.full_load_power_w).toBeGreaterThanOrEqual(over.estimates.power_w / over.units - 1e-9);
  });

  it("3D-UNet rates count 128³ patches, and the header says so", () => {
    const f = profile(
      "name: ct\nworkload:\n  kind: batch-inference\n  model: 3d-unet\nslo: { deadline: 8h }\nvolume: { items_per_run: 100k, runs_per_month: 4 }\n",
    );
    const r = runCli(["recommend", f, "--top", "1"]);
    expect(r.stdout.split("\n")[1]).toBe(
      "one sample = one 128³ sliding-window patch, not a whole CT volume (MLPerf counts volumes; a KiTS19 case is tens of patches)",
    );
  });

  it("stale prices name what to do about them", () => {
    const f = profile(
      "name: cam\nworkload:\n  kind: edge-inference\n  model: yolov8n\n  precision: int8\nslo: { latency_p99: 100ms, throughput: 5/s }\n",
    );
    const r = runCli(["recommend", f, "--all"], { HWADVISE_TODAY: "2031-01-01" });
    expect(r.stdout).toMatch(/^stale catalog figures: /m);
    expect(r.stdout).toMatch(
      /^ {2}check one with `hwadvise catalog show [a-z0-9._-]+`; put a current quote in an overlay \(overrides: \[\{ id: [a-z0-9._-]+, … \}\]\) and pass it with --catalog$/m,
    );
  });
});
