import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { hw, ROOT } from "./helpers/cli.js";
import { hwInProcess } from "./helpers/run.js";

// The CLI runs in this process (its own `run`: same argv and environment, no spawn); a bad profile's exit 2
// comes from the built CLI.

interface Rec {
  id: string;
  name: string;
  deployment: string;
  feasible: boolean;
  estimates: Record<string, number | string>;
  violations: { rule: string; message: string }[];
  breakdown: string[];
}

const dir = mkdtempSync(join(tmpdir(), "hw-energy-"));
let n = 0;
/** A profile file from YAML text (written to a temp dir). */
function profile(text: string): string {
  const f = join(dir, `p${n++}.yaml`);
  writeFileSync(f, text);
  return f;
}
/** An example profile with some lines replaced. */
const variant = (example: string, from: string, to: string) => {
  const text = readFileSync(join(ROOT, "profiles", example), "utf8");
  expect(text).toContain(from);
  return profile(text.replace(from, to));
};

function recommend(file: string, extra: string[] = []): { recs: Rec[]; notes: string[] } {
  const r = hwInProcess(["recommend", file, "--format", "json", "--all", "--explain", ...extra]);
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  const res = JSON.parse(r.stdout).results[0];
  return { recs: res.recommendations as Rec[], notes: res.notes as string[] };
}

describe("off-grid solar camera", () => {
  it("ranks a feasible option first, says by how much the others miss and what panel and battery would carry the top one", () => {
    const { recs, notes } = recommend("profiles/solar-camera-offgrid.yaml");
    const top = recs[0]!;
    expect(top.feasible).toBe(true);
    // Within the site's supply: needs ≤ what the 40 W panel gives (40 × 4 × 0.774 = 123.84 Wh) and the battery 2 days.
    expect(top.estimates.site_wh_per_day as number).toBeLessThanOrEqual(123.84);
    expect(top.estimates.panel_wh_per_day).toBeCloseTo(123.84, 6);
    expect(top.estimates.battery_days as number).toBeGreaterThanOrEqual(2);
    expect(top.estimates.carbon_kg_per_month).toBe(0); // a solar site emits nothing in operation
    expect(top.breakdown.some((l) => l.startsWith("site energy: "))).toBe(true);
    const short = recs.filter((r) => r.violations.some((v) => v.rule === "energy_balance"));
    expect(short.length).toBeGreaterThan(0);
    for (const r of short) {
      const v = r.violations.find((x) => x.rule === "energy_balance")!;
      expect(v.message).toMatch(
        /^needs [\d.,]+ k?Wh\/day, the panel gives 124 Wh; (battery covers [\d.]+ of 2 days|no battery)/,
      );
      // What it needs per day is what it draws on average, around the clock.
      expect(
        Math.abs((r.estimates.site_wh_per_day as number) / ((r.estimates.avg_power_w as number) * 24) - 1),
      ).toBeLessThan(1e-4);
    }
    expect(
      notes.some((x) =>
        /^the top option needs [\d.]+ Wh\/day per site: the stated 40 W panel and 200 Wh battery carry it \([\d.]+ days on the battery alone\); a \d+ W panel \(at 4 peak-sun hours\) and a \d+ Wh battery \(2 days\) would be enough$/.test(
          x,
        ),
      ),
    ).toBe(true);
  });

  it("a larger panel and battery never turn a feasible option infeasible", () => {
    const small = recommend("profiles/solar-camera-offgrid.yaml").recs;
    const big = recommend(variant("solar-camera-offgrid.yaml", "battery: 200Wh", "battery: 2kWh")).recs;
    const feasibleBig = new Set(big.filter((r) => r.feasible).map((r) => r.id));
    for (const r of small.filter((x) => x.feasible)) expect(feasibleBig.has(r.id), r.id).toBe(true);
    expect(feasibleBig.size).toBeGreaterThanOrEqual(small.filter((x) => x.feasible).length);
  });
});

describe("power caps", () => {
  const llm = (cap: string) =>
    profile(`name: capped
workload: { kind: batch-inference, model: resnet50, precision: int8 }
constraints: { deployment: [on-prem]${cap} }
`);
  it("power_cap: 350W runs an H200 server at ~0.76× its throughput and lower power", () => {
    const free = recommend(llm("")).recs.find((r) => r.id.includes("h200") && r.deployment === "on-prem")!;
    const capped = recommend(llm(", power_cap: 350W")).recs.find((r) => r.id === free.id)!;
    expect(capped.estimates.power_cap_w).toBe(350);
    expect(capped.name).toContain("@350 W");
    const ratio = (capped.estimates.throughput_per_s as number) / (free.estimates.throughput_per_s as number);
    expect(ratio).toBeGreaterThan(0.7);
    expect(ratio).toBeLessThan(0.8);
    expect(capped.estimates.power_w as number).toBeLessThan(free.estimates.power_w as number);
    expect(capped.breakdown[0]).toMatch(/^power cap: capped at 350 W of 700 W/);
  });

  it("estimate honours power_cap too: one H200 at 350 W draws 350 W at full load and keeps 76% of its ResNet-50 rate", () => {
    const run = (cap: string) => {
      const r = hwInProcess(["estimate", llm(cap), "--chip", "nvidia-h200-sxm", "--format", "json"]);
      expect(r.code).toBe(0);
      return JSON.parse(r.stdout) as {
        estimates: Record<string, number>;
        devices_power_w: number;
        host_power_w: number;
        breakdown: string[];
      };
    };
    const free = run("");
    const capped = run(", power_cap: 350W");
    expect(capped.estimates.power_cap_w).toBe(350);
    // No rate stated: flat out, the device at its cap; power_w adds the host, as in recommend.
    expect(capped.devices_power_w).toBe(350);
    expect(capped.estimates.power_w).toBe(350 + capped.host_power_w);
    // compute-bound: ((350 − 70) / (700 − 70))^1/3 = 0.763 of the rate, within the fixed per-batch overhead
    expect(capped.estimates.throughput_per_s! / free.estimates.throughput_per_s!).toBeGreaterThan(0.74);
    expect(capped.estimates.throughput_per_s! / free.estimates.throughput_per_s!).toBeLessThan(0.77);
    expect(capped.breakdown[0]).toBe(
      "power cap: capped at 350 W of 700 W: clock ((350 − 70 idle) / (700 − 70))^1/3 = 76.3% of peak",
    );
  });

  it("with a rack power envelope recommend caps GPUs to fit it and says so", () => {
    const { recs, notes } = recommend("profiles/rack-power-envelope.yaml");
    const capped = recs.filter((r) => r.estimates.power_cap_w !== undefined);
    // Uncapped, the 8-GPU baseboards (Gaudi 2, B200) draw more than the 5 kW envelope; they are offered
    // capped and say so in their names. Eight 300 W PCIe cards fit uncapped and come first.
    expect(recs[0]!.feasible).toBe(true);
    const firstCapped = recs.find((r) => r.feasible && r.estimates.power_cap_w !== undefined)!;
    expect(firstCapped.name).toMatch(/ @\d+ W \(/);
    expect(recs.indexOf(firstCapped)).toBeLessThan(3);
    // The note speaks of a cap only where the top option runs one.
    expect(notes.some((x) => x.startsWith("the top option runs each device capped"))).toBe(
      recs[0]!.estimates.power_cap_w !== undefined,
    );
    expect(capped.length).toBeGreaterThan(0);
    for (const r of capped.filter((x) => x.feasible)) expect(r.estimates.power_w as number).toBeLessThanOrEqual(5000);
    for (const r of recs.filter((x) => x.feasible)) expect(r.estimates.power_w as number).toBeLessThanOrEqual(5000);
  });

  it("under a 15 W budget the Jetson Orin Nano dev kit runs in its published 15 W mode (keeping its board's power)", () => {
    const { recs } = recommend("profiles/retail-checkout.yaml");
    const nano = recs.find((r) => r.id === "jetson-orin-nano-super-devkit")!;
    expect(nano.feasible).toBe(true);
    expect(nano.estimates.power_cap_w).toBe(15);
    expect(nano.name).toContain("@15 W");
    expect(nano.breakdown[0]).toBe("power cap: 15W power mode: 60% of peak compute, 68 GB/s");
  });

  it("a cap below a board's lowest published power mode is refused by name", () => {
    const f = profile(`name: nano
workload: { kind: edge-inference, model: mobilenet-v2 }
slo: { throughput: 1/s }
constraints: { deployment: [edge], power_cap: 2W }
`);
    const nano = recommend(f).recs.find((r) => r.id === "jetson-orin-nano-super-devkit")!;
    expect(nano.violations.find((v) => v.rule === "power_cap")?.message).toBe(
      "lowest power setting draws 7 W > cap 2 W",
    );
    // A Hailo-8 module has no power setting: above the cap it is refused, not silently capped.
    const hailo8 = recommend(f).recs.find((r) => r.id === "rpi-ai-hat-plus-26tops")!;
    // Hailo-8: 2.5 W typical (hailo.ai product brief); the 8.65 W figure is the module's peak.
    expect(hailo8.violations.find((v) => v.rule === "power_cap")?.message).toBe(
      "no power cap setting: draws up to 2.5 W > cap 2 W",
    );
    expect(hailo8.name).not.toContain("@2 W");
  });
});

describe("job windows and time-of-use tariffs", () => {
  it("owned hardware must finish within the window hours of the deadline; cloud capacity is not held to the window", () => {
    const base = (items: number, extra = "") => `name: win
workload: { kind: batch-inference, model: bert-base, precision: fp16 }
slo: { deadline: 20h }
volume: { items_per_run: ${items}, runs_per_month: 4 }
constraints: { deployment: [on-prem, cloud], max_devices: 1 }
${extra}`;
    // Size the job so that one on-prem device takes 12 h: it meets 20 h around the clock, but 20 h
    // from 23:00 hold one 8 h window, so the job needs 12 / 8 → 2 devices, over the limit of 1.
    const probe = recommend(profile(base(1e6))).recs.find((r) => r.deployment === "on-prem" && r.feasible)!;
    const items = Math.round((probe.estimates.throughput_per_s as number) * 12 * 3600);
    const free = recommend(profile(base(items))).recs;
    const night = recommend(profile(base(items, 'schedule: { window: "23:00-07:00" }\n'))).recs;
    expect(free.find((r) => r.id === probe.id)!.feasible).toBe(true);
    expect(night.find((r) => r.id === probe.id)!.violations.find((v) => v.rule === "max_devices")?.message).toBe(
      "needs 2 devices > max 1",
    );
    for (const r of night.filter((x) => x.deployment === "cloud"))
      expect(r.feasible, r.id).toBe(free.find((x) => x.id === r.id)!.feasible);
  });

  it("a night tariff lowers the energy price of owned hardware inside the window", () => {
    const { recs, notes } = recommend("profiles/night-window-batch.yaml");
    const owned = recs.find((r) => r.deployment === "on-prem" && r.feasible)!;
    // 23:00–07:00 lies wholly in the $0.09 band.
    expect(owned.breakdown.some((l) => l.includes("× $0.09/kWh"))).toBe(true);
    expect(notes.some((x) => x.startsWith("owned hardware runs only in the window 23:00–07:00"))).toBe(true);
  });
});

describe("carbon", () => {
  it("priorities.carbon moves the top pick to a cleaner grid", () => {
    const base = `name: c
workload: { kind: realtime-inference, model: resnet50 }
slo: { latency_p99: 50ms, throughput: 200/s }
constraints: { deployment: [cloud] }
`;
    const plain = recommend(profile(base)).recs[0]!;
    const green = recommend(profile(`${base}priorities: { carbon: 100, cost: 1 }\n`)).recs[0]!;
    // The cheapest regions are in the US (383.55 g/kWh); weighing carbon rents on a far cleaner grid
    // (Brazil's 103 g/kWh or Sweden's 36, whichever the catalog's cheapest clean option is in).
    expect(plain.estimates.grid_g_co2_per_kwh).toBe(383.55);
    expect(green.estimates.grid_g_co2_per_kwh as number).toBeLessThan(110);
    expect(green.estimates.carbon_g_per_1m as number).toBeLessThan((plain.estimates.carbon_g_per_1m as number) / 3);
  });

  it("every option reports inferences per joule and carbon, LLMs tokens per joule", () => {
    const { recs } = recommend("profiles/rack-power-envelope.yaml");
    for (const r of recs.filter((x) => x.feasible)) {
      expect(r.estimates.inferences_per_j as number).toBeGreaterThan(0);
      expect(r.estimates.tokens_per_j as number).toBeGreaterThan(0);
      expect(r.estimates.carbon_kg_per_month as number).toBeGreaterThan(0);
      expect(r.estimates.grid_g_co2_per_kwh).toBe(484.83); // Mexico
      if (r.estimates.power_cap_w !== undefined) expect(r.breakdown[0]).toMatch(/^power cap: capped at \d+ W of \d+ W/);
      expect(r.breakdown.some((l) => l.startsWith("efficiency: ") && l.includes("tokens/J"))).toBe(true);
    }
  });
});

describe("grid outages", () => {
  it("tco buys a UPS battery sized for the longest outage", () => {
    const r = hwInProcess(["tco", "profiles/rack-power-envelope.yaml", "--format", "json"]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    const buy = j.options[0].ways.find((w: { way: string }) => w.way === "buy");
    const ups = buy.line_items.find((l: { item: string }) => l.item === "UPS battery for outages");
    // 6 h/month of cuts → 1 h outages (at least 1 h); W × 1 h / 0.9 × $600/kWh.
    expect(ups.basis).toMatch(
      /^UPS for 1 h outages: \d+ W × 1 h ÷ 0\.9 inverter = [\d.,]+ k?Wh at \$600\/kWh = \$\d+$/,
    );
    const w = Number(/(\d+) W ×/.exec(ups.basis)![1]);
    expect(ups.total_usd).toBeCloseTo(((w * 1) / 0.9 / 1000) * 600, 0);
  });
});

describe("bad input", () => {
  it("a bad window or a panel without sun hours: one located error, exit 2", () => {
    const a = hw([
      "recommend",
      profile(`name: x\nworkload: { kind: batch-inference, model: resnet50 }\nschedule:\n  window: "25:00-06:00"\n`),
    ]);
    expect(a.code).toBe(2);
    expect(a.stderr).toMatch(
      /:4:\d+.*schedule\.window.*expected a daily window such as "22:00-06:00", found "25:00-06:00"/,
    );
    const b = hwInProcess([
      "recommend",
      profile(`name: x\nworkload: { kind: edge-inference, model: mobilenet-v2 }\nenergy:\n  supply: { solar: 40W }\n`),
    ]);
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/solar needs sun_hours/);
  });
});
