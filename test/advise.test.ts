import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { adviseEstimate, bareUnit } from "../src/advise/estimate.js";
import { adviseProfile } from "../src/advise/recommend.js";
import type { Run } from "../src/advise/run.js";
import { ProfileSchema } from "../src/profile/schema.js";
import { EstimateResultSchema } from "../src/report/schema.js";
import { builtinData } from "./helpers/data.js";
import { ROOT } from "./helpers/cli.js";
import { hwInProcess } from "./helpers/run.js";

// The use cases behind `estimate` and `recommend` (src/advise): one chip × count must come out of both
// with the same figures under the same names, and every figure must say at which load it holds.

function run(): Run {
  const b = builtinData();
  return {
    catalog: b.catalog,
    models: b.models,
    calibration: b.calibration,
    apiPrices: b.apiPrices,
    today: "2026-11-28",
    staleMonths: 12,
  };
}

const input = (file: string) => ({
  file,
  profile: ProfileSchema().parse(parse(readFileSync(join(ROOT, file), "utf8"))),
});

/** A recommend catalog holding only the bare unit `estimate` provisions, so both rank the very same thing. */
function recommendBare(file: string, chipId: string, count: number) {
  const r = run();
  const chip = r.catalog.chips.get(chipId)!;
  const catalog = { ...r.catalog, offerings: [bareUnit(chip, count)] };
  return adviseProfile(input(file), { ...r, catalog }).recommendations[0]!;
}

describe("estimate and recommend agree (one use case, one meaning per field)", () => {
  const cases: [string, string, number][] = [
    ["profiles/llm-chat.yaml", "nvidia-a100-80gb-sxm", 1],
    ["profiles/llm-chat.yaml", "nvidia-h100-sxm", 2],
    ["profiles/fraud-streaming.yaml", "nvidia-l4", 1],
    ["profiles/retail-checkout.yaml", "hailo-8", 1],
    ["profiles/lora-finetune.yaml", "nvidia-l40s", 4],
  ];
  for (const [file, chip, count] of cases) {
    it(`${file} on ${count}× ${chip}: every figure estimate reports is recommend's, under the same name`, () => {
      const r = run();
      const e = adviseEstimate(input(file), r.catalog.chips.get(chip)!, count, r);
      const rec = recommendBare(file, chip, count);
      expect(Object.keys(e.estimates).length).toBeGreaterThan(4);
      for (const [k, v] of Object.entries(e.estimates))
        expect(v, k).toEqual((rec.estimates as Record<string, unknown>)[k]);
      expect(e.units).toBe(rec.units);
      // power_w is the whole deployment at the stated load, hosts included, in both commands.
      if (e.estimates.power_w !== undefined)
        expect(e.devices_power_w! + e.host_power_w!).toBeCloseTo(e.estimates.power_w, 6);
      expect(EstimateResultSchema().safeParse(JSON.parse(JSON.stringify(e))).success).toBe(true);
    });
  }

  it("a datacenter card's power_w includes its host (fraud-streaming on an L4: ~220 W, not the card's 20 W)", () => {
    const r = run();
    const e = adviseEstimate(input("profiles/fraud-streaming.yaml"), r.catalog.chips.get("nvidia-l4")!, 1, r);
    expect(e.host_power_w).toBeGreaterThanOrEqual(150);
    expect(e.devices_power_w).toBeLessThan(80);
    expect(e.estimates.power_w).toBeCloseTo(e.devices_power_w! + e.host_power_w!, 6);
  });

  it("an LLM's memory counts what its slots hold: weights + slots × one request's KV cache", () => {
    const r = run();
    const e = adviseEstimate(input("profiles/llm-chat.yaml"), r.catalog.chips.get("nvidia-a100-80gb-sxm")!, 1, r);
    const line = e.breakdown.find((l) => l.includes("KV cache") && l.includes("per request"))!;
    const weights = Number(/weights ([\d.]+) GB/.exec(line)![1]);
    const perRequestGb = Number(/([\d.]+) MB per request/.exec(line)![1]) / 1000;
    const slots = e.serving!.slots * e.serving!.replicas;
    expect(slots).toBeGreaterThan(8);
    expect(e.estimates.memory_needed_gb!).toBeCloseTo(weights + slots * perRequestGb, 1);
    expect(e.estimates.memory_needed_gb!).toBeLessThanOrEqual(e.estimates.memory_available_gb!);
  });

  it("the stated load is reported with the figures that hold at it; none stated = flat out", () => {
    const r = run();
    const chat = adviseEstimate(input("profiles/llm-chat.yaml"), r.catalog.chips.get("nvidia-a100-80gb-sxm")!, 1, r);
    expect(chat.load_per_s).toBeGreaterThan(0);
    expect(chat.estimates.utilization_pct).toBeGreaterThan(0);
    const t = hwInProcess(["estimate", "profiles/llm-chat.yaml", "--chip", "nvidia-a100-80gb-sxm"]);
    expect(t.code).toBe(0);
    expect(t.stdout.split("\n")[1]).toMatch(/^ {2}at the stated load of [\d.]+\/s, served by 1 unit of 1 device/);
    // The per-stream rate the table shows is the one its breakdown reaches (one figure, one load).
    const shown = Number(/tokens\/s per stream +([\d.]+)/.exec(t.stdout)![1]);
    expect(shown).toBeCloseTo(chat.estimates.tokens_per_s!, 0);
    // The breakdown's decode step is the copy's flat-out one; where the load runs fewer streams a step, a line
    // says what they get.
    expect(t.stdout).toMatch(
      new RegExp(
        `→ memory-bound; ${shown} tokens/s per stream|→ compute-bound; ${shown} tokens/s per stream|` +
          `at the stated load: \\d+ concurrent a copy, ${shown} tokens/s per stream`,
      ),
    );
    expect(t.stdout).not.toMatch(/\$0\.00/); // no prices: no cost arithmetic in the breakdown
    // Through the CLI too: power_w carries the host, as recommend's does (it said 20.1 W for this L4 before).
    const j = JSON.parse(
      hwInProcess(["estimate", "profiles/fraud-streaming.yaml", "--chip", "nvidia-l4", "--format", "json"]).stdout,
    );
    expect(j.estimates.power_w).toBeGreaterThan(150);
    expect(j.estimates.power_w).toBeCloseTo(j.devices_power_w + j.host_power_w, 3);
  });
});

describe("every command's --format goes through one registry", () => {
  const commands: [string, string[]][] = [
    ["recommend", ["recommend", "profiles/retail-checkout.yaml"]],
    ["estimate", ["estimate", "profiles/retail-checkout.yaml", "--chip", "nvidia-l4"]],
    ["tco", ["tco", "profiles/llm-chat.yaml"]],
    ["check", ["check", "profiles/retail-checkout.yaml"]],
    ["catalog", ["catalog"]],
    ["catalog show", ["catalog", "show", "nvidia-l4"]],
    ["catalog audit", ["catalog", "audit"]],
    ["models", ["models"]],
    ["calibrate", ["calibrate", "test/fixtures/none.csv"]],
  ];
  it("an unknown format is a usage error (exit 2, one line naming the formats) in every command", () => {
    for (const [name, args] of commands) {
      const r = hwInProcess([...args, "--format", "xml"]);
      expect(r.code, name).toBe(2);
      expect(r.stdout, name).toBe("");
      expect(r.stderr, name).toMatch(/^hwadvise: --format must be one of [a-z, ]+, found "xml"\n$/);
    }
  });

  it("every JSON output carries schemaVersion (catalog show included)", () => {
    for (const [name, args] of commands.filter(([n]) => n !== "check" && n !== "calibrate")) {
      const r = hwInProcess([...args, "--format", "json"]);
      expect(r.code, name).toBe(0);
      expect(typeof JSON.parse(r.stdout).schemaVersion, name).toBe("number");
    }
  });
});
