import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { hw, ROOT } from "./helpers/cli.js";
import { hwInProcess, recommendAll } from "./helpers/run.js";

// Commands run in this process (the CLI's own `run`: same argv, directory and environment, no spawn) unless
// the test is about the process: standard input, colour on a pipe, the start-up bundle, a second process.

interface Rec {
  rank: number;
  id: string;
  class: string;
  deployment: string;
  region?: string;
  devices: number;
  feasible: boolean;
  score: number;
  estimates: Record<string, number | string>;
  host?: { id?: string; capex_usd?: number; existing?: boolean; power_w?: number };
  violations: { rule: string; message: string; measured?: unknown; limit?: unknown }[];
}

function recommend(profile: string, ...flags: string[]): Rec[] {
  const r = hwInProcess(["recommend", profile, "--format", "json", ...flags]);
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  const j = JSON.parse(r.stdout);
  expect(j.schemaVersion).toBe(1);
  return j.results[0].recommendations as Rec[];
}

/** "offering@region" → the region's country, from the built-in catalog the CLI runs with. */
function regionCountries(): Map<string, string> {
  const builtin = JSON.parse(readFileSync(join(ROOT, "dist", "builtin.json"), "utf8")) as {
    files: { data: { offerings?: { id: string; regions?: { region: string; country: string }[] }[] } }[];
  };
  return new Map(
    builtin.files.flatMap((f) =>
      (f.data.offerings ?? []).flatMap((o) =>
        (o.regions ?? []).map((g) => [`${o.id}@${g.region}`, g.country] as const),
      ),
    ),
  );
}

/** Offering id → its regions with country and price, from the built-in catalog the CLI runs with. */
function offeringRegions(): Map<string, { region: string; country: string; usd_per_hour: number }[]> {
  const builtin = JSON.parse(readFileSync(join(ROOT, "dist", "builtin.json"), "utf8")) as {
    files: {
      data: { offerings?: { id: string; regions?: { region: string; country: string; usd_per_hour: number }[] }[] };
    }[];
  };
  return new Map(builtin.files.flatMap((f) => (f.data.offerings ?? []).map((o) => [o.id, o.regions ?? []] as const)));
}

const rulesOf = (recs: Rec[], pred: (r: Rec) => boolean) =>
  new Set(recs.filter(pred).flatMap((r) => r.violations.map((v) => v.rule)));

describe("example profiles: the top option's class and the reasons that exclude the obvious wrong ones", () => {
  it("retail POS fleet: an edge NPU within 15 W per device; cloud is excluded", () => {
    const recs = recommend("profiles/retail-checkout.yaml");
    expect(recs[0]!.feasible).toBe(true);
    expect(recs[0]!.class).toBe("edge-npu");
    expect(recs[0]!.estimates.latency_p99_ms as number).toBeLessThanOrEqual(50);
    expect(rulesOf(recs, (r) => r.deployment === "cloud")).toContain("deployment");
    expect(rulesOf(recs, (r) => r.deployment === "edge")).toContain("power_budget");
  });

  it("offline solar farm sensor: a whole edge unit under 15 W at full load; the cloud is unreachable", () => {
    const recs = recommend("profiles/farm-sensor.yaml");
    expect(recs[0]!.class).toBe("edge-npu");
    expect(recs[0]!.estimates.power_w as number).toBeLessThanOrEqual(15);
    // A HAT is judged with the Raspberry Pi it sits on: 12 W board + 2.5 W Hailo-8L, not 2.5 W alone.
    const hat = recs.find((r) => r.id === "rpi-ai-hat-plus-13tops")!;
    expect(hat.host).toMatchObject({ id: "raspberry-pi-5-4gb-board", capex_usd: 50 * 70 });
    const cloud = recs.filter((r) => r.deployment === "cloud");
    expect(cloud.length).toBeGreaterThan(0);
    for (const r of cloud) expect(r.violations.map((v) => v.rule)).toContain("connectivity");
  });

  it("tinyML keyword spotter: a microcontroller-class edge part under 0.5 W", () => {
    const recs = recommend("profiles/kws-tinyml.yaml");
    expect(recs[0]!.feasible).toBe(true);
    expect(recs[0]!.class).toBe("edge-npu");
    expect(recs[0]!.estimates.power_w as number).toBeLessThan(0.5);
    expect(rulesOf(recs, (r) => r.id.includes("jetson"))).toContain("power_budget");
  });

  it("fraud stream with Colombian data residency: a small CPU machine in Oracle's Bogotá region, the only in-country cloud", () => {
    const recs = recommend("profiles/fraud-streaming.yaml");
    // A 92k-parameter MLP at 3,000/s needs a core or two, not an accelerator; the data may not leave Colombia.
    expect(recs[0]).toMatchObject({ deployment: "cloud", class: "cpu", region: "sa-bogota-1" });
    const aws = recs.filter((r) => r.id.startsWith("aws-"));
    expect(aws.length).toBeGreaterThan(0);
    for (const r of aws) expect(r.violations.map((v) => v.rule)).toContain("data_residency");
  });

  it("LLM chat in Brazil: a datacenter GPU or ASIC that meets TTFT and per-stream speed", () => {
    const recs = recommend("profiles/llm-chat.yaml");
    const top = recs[0]!;
    expect(["cloud-gpu", "onprem-gpu", "asic"]).toContain(top.class);
    expect(top.estimates.ttft_ms as number).toBeLessThanOrEqual(800);
    expect(top.estimates.tokens_per_s as number).toBeGreaterThanOrEqual(20);
    expect(rulesOf(recs, () => true)).toContain("data_residency");
  });

  it("LoRA fine-tune on a budget: a cloud accelerator within $1,000 and 48 h; inference-only parts excluded", () => {
    const recs = recommend("profiles/lora-finetune.yaml");
    const top = recs[0]!;
    expect(top.deployment).toBe("cloud");
    expect(top.estimates.total_cost_usd as number).toBeLessThanOrEqual(1000);
    expect(top.estimates.time_to_train_h as number).toBeLessThanOrEqual(48);
    expect(rulesOf(recs, (r) => r.id.startsWith("aws-inf2"))).toContain("training");
  });

  it("pretraining with a 30-day deadline: many datacenter accelerators within max_devices; every option needing more than 1,024 devices is held to the cap", () => {
    const recs = recommend("profiles/pretrain-deadline.yaml", "--all");
    const top = recs[0]!;
    expect(top.feasible).toBe(true);
    expect(["cloud-gpu", "onprem-gpu", "asic"]).toContain(top.class);
    expect(top.estimates.time_to_train_h as number).toBeLessThanOrEqual(30 * 24);
    // Many: more than one 8-accelerator server, and no more than the profile's max_devices: 1024.
    expect(top.devices).toBeGreaterThan(8);
    expect(top.devices).toBeLessThanOrEqual(1024);
    // The rule fires exactly for the options that need more than 1,024 devices, with what they need and the cap.
    for (const r of recs) {
      const v = r.violations.find((x) => x.rule === "max_devices");
      expect([r.id, v && { measured: v.measured, limit: v.limit }]).toEqual([
        r.id,
        r.devices > 1024 ? { measured: r.devices, limit: 1024 } : undefined,
      ]);
    }
    // Both sides of the boundary occur: microcontrollers need 100,000+ devices; others stop at exactly 1,024.
    expect(recs.filter((r) => r.devices > 1024).length).toBeGreaterThan(0);
    expect(recs.filter((r) => r.devices === 1024).length).toBeGreaterThan(0);
  });

  it("media batch indexing in Brazil: a rented accelerator in sa-east-1 that finishes overnight", () => {
    const recs = recommend("profiles/media-indexing.yaml");
    const top = recs[0]!;
    expect(top.deployment).toBe("cloud");
    expect(["cloud-gpu", "asic"]).toContain(top.class);
    expect(top.region).toBe("sa-east-1");
    // Overnight: 20M frames at the option's throughput within the 6 h deadline.
    expect(20e6 / (top.estimates.throughput_per_s as number) / 3600).toBeLessThanOrEqual(6);
    // Every feasible cloud option is priced in a Brazilian region (data_residency: [BR]), not only the top one.
    const countryOf = regionCountries();
    const cloud = recs.filter((r) => r.feasible && r.deployment === "cloud");
    expect(cloud.length).toBeGreaterThan(1);
    for (const r of cloud) expect([r.id, countryOf.get(`${r.id}@${r.region}`)]).toEqual([r.id, "BR"]);
    expect(rulesOf(recs, () => true)).toContain("data_residency");
  });

  it("Chilean data residency: every feasible cloud option is priced in Chile, though its offering also rents elsewhere", () => {
    const recs = recommend("test/fixtures/residency-chile/profile.yaml", "--all");
    const regions = offeringRegions();
    const cloud = recs.filter((r) => r.feasible && r.deployment === "cloud");
    expect(cloud.length).toBeGreaterThan(0);
    for (const r of cloud)
      expect([r.id, r.region, regions.get(r.id)!.find((g) => g.region === r.region)?.country]).toEqual([
        r.id,
        r.region,
        "CL",
      ]);
    // Not vacuous: feasible options whose offering rents cheaper outside Chile (a region picker that ignored
    // residency would have priced them there) are still priced in Chile.
    const dearer = cloud.filter((r) => {
      const rs = regions.get(r.id)!;
      const chosen = rs.find((g) => g.region === r.region)!;
      return rs.some((g) => g.country !== "CL" && g.usd_per_hour < chosen.usd_per_hour);
    });
    expect(dearer.length).toBeGreaterThan(0);
  });

  it("a run with a deadline is provisioned to make it nine times in ten at its typical error, not at the window's edge", () => {
    // LoRA on 2 × 200M tokens in Brazil within 24 h. Sized at the estimate alone, four single-L4 VMs finished
    // in ~23 h and were offered, flagged, beside runs with room: at ±13% typical error they miss two runs in five
    // (Φ(0.28)). Each run is now sized to finish in 24 h / e^(1.2816 σ), σ = ln(1 + error) / 0.674.
    const { code, recs } = recommendAll<Rec & { flags?: string[]; units: number }>(
      "br-lora.yaml",
      [
        "name: br-lora",
        "workload: { kind: fine-tuning, model: llama-3.1-8b, method: lora, dataset: { tokens: 200M, epochs: 2 } }",
        "slo: { deadline: 24h }",
        "constraints: { deployment: [cloud], data_residency: [BR] }",
        "",
      ].join("\n"),
    );
    expect(code).toBe(0);
    const feasible = recs.filter((r) => r.feasible);
    const hours = (r: Rec) => r.estimates.time_to_train_h as number;
    const headroom = (r: Rec) =>
      Math.exp((1.2816 * Math.log(1 + (r.estimates.uncertainty_pct as number) / 100)) / 0.6745);
    // JSON rounds the error to a whole per cent: 1% either way.
    for (const r of feasible)
      expect([r.id, hours(r) * headroom(r)]).toEqual([r.id, expect.toSatisfy((x: number) => x <= 24 * 1.01)]);
    expect(feasible.some((r) => r.flags?.some((f) => f.startsWith("deadline tight:")))).toBe(false);
    // Not vacuous: the two-T4 VMs are more than the deadline alone would take (4 would finish in ~23.5 h).
    // (Single-L4 VMs no longer take this run: its state is sharded over two GPUs, which must share a VM.)
    const t4 = feasible.find((r) => r.id === "gcp-n1-standard-16-t4x2");
    expect(t4?.units).toBeGreaterThan(4);
    expect(hours(t4!)).toBeLessThan(24 / 1.2);
    expect(hours(t4!) * (t4!.units / (t4!.units - 1))).toBeGreaterThan(24 / 1.2);
    expect(recs.find((r) => r.id === "aws-g6-xlarge")?.feasible).toBe(false);
  });

  it("a run of fixed work is weighed by the energy it takes, not its draw: one 8-GPU node, not eight single-GPU VMs", () => {
    const profile = (priorities: string) =>
      [
        "name: br-full-ft",
        "workload: { kind: fine-tuning, model: llama-3.1-8b, method: full, dataset: { tokens: 200M, epochs: 2 } }",
        "slo: { deadline: 72h }",
        "constraints: { deployment: [cloud], data_residency: [BR] }",
        priorities,
        "",
      ].join("\n");
    // Power alone: the feasible options rank by kWh a run (draw × hours), lowest first.
    const alone = recommendAll<Rec>("power-only.yaml", profile("priorities: { cost: 0, power: 1, throughput: 0 }"));
    expect(alone.code).toBe(0);
    const kwh = (r: Rec) => (r.estimates.power_w as number) * (r.estimates.time_to_train_h as number);
    const feasible = alone.recs.filter((r) => r.feasible);
    const byScore = feasible.map((r) => r.id);
    expect(byScore).toEqual([...feasible].sort((a, b) => kwh(a) - kwh(b)).map((r) => r.id));
    // Not vacuous: draw alone would order them otherwise.
    const draw = [...feasible].sort((a, b) => (a.estimates.power_w as number) - (b.estimates.power_w as number));
    expect(draw.map((r) => r.id)).not.toEqual(byScore);
    // With the defaults the full fine-tune runs on one 8-GPU node in hours, not on eight rented single-L4 VMs.
    const { recs } = recommendAll<Rec & { units: number }>("br-full-ft.yaml", profile(""));
    const top = recs.find((r) => r.feasible)!;
    expect([top.units, top.devices]).toEqual([1, 8]);
    expect(top.estimates.time_to_train_h as number).toBeLessThan(6);
  });

  it("a sharded training state stays in one VM or host: no full fine-tune split over single-GPU VMs or two-card hosts", () => {
    type R = Rec & { units: number; devices: number; host?: { id: string; units: number } };
    const { code, recs } = recommendAll<R>(
      "nightly-ft.yaml",
      [
        "name: nightly-ft",
        "workload: { kind: fine-tuning, model: llama-3-8b, method: full, dataset: { tokens: 1B, epochs: 1 } }",
        "slo: { deadline: 20h }",
        "constraints: { deployment: [cloud, on-prem], runtimes: [cuda] }",
        "volume: { runs_per_month: 30 }",
        "horizon: 3y",
        "",
      ].join("\n"),
    );
    expect(code).toBe(0);
    // 128 GB of Adam state: two 96 GB GH200s at least. Three rented single-GH200 VMs had ranked first.
    const gh = recs.find((r) => r.id === "lambda-gpu-1x-gh200")!;
    expect(gh.feasible).toBe(false);
    expect(gh.violations.map((v) => v.message).join()).toMatch(
      /needs 2 devices sharded and gpu_1x_gh200 has 1 GPU\(s\): .* rent an instance with enough GPUs/,
    );
    // A VM that holds the shards takes it: the top option is one instance of several GPUs.
    const top = recs.find((r) => r.feasible)!;
    expect(top.devices).toBeGreaterThanOrEqual(2);
    expect(top.units).toBe(1);
    // Cards bought for it sit in hosts that take a whole shard group (four 48 GB cards), not 2-slot hosts.
    const ada = recs.find((r) => r.id === "onprem-rtx-6000-ada-card")!;
    expect(ada.feasible).toBe(true);
    expect(ada.host?.id).toMatch(/^host-pcie-server-\d+slot$/);
    expect(ada.host?.id).not.toBe("host-pcie-server-2slot");
    // A card so small that no host holds its shard group says so.
    expect(
      recs
        .find((r) => r.id === "onprem-rtx-2000e-ada-card")!
        .violations.map((v) => v.message)
        .join(),
    ).toMatch(/needs \d+ devices sharded in one host and no host in the catalog takes \d+/);
  });

  it("with no load stated, an option is held to its draw, not its energy per answer at its own capacity: no rack in the top five", () => {
    const { code, recs } = recommendAll<Rec & { devices: number }>(
      "one-assistant.yaml",
      [
        "name: one-assistant",
        "workload:",
        "  kind: realtime-inference",
        "  model: { family: moe-llm, params: 117B, active_params: 5.1B, experts: 128, experts_per_token: 4 }",
        "  precision: int4",
        "slo: { ttft: 2s, tokens_per_s: 20 }",
        "",
      ].join("\n"),
    );
    expect(code).toBe(0);
    const feasible = recs.filter((r) => r.feasible);
    // A GB200 NVL72 rack (72 GPUs, 82 kW) meets the SLOs too: per answer at its capacity it is as frugal as one
    // card, and it ranked third while that was what the power criterion read.
    expect(feasible.some((r) => r.devices >= 72)).toBe(true);
    for (const r of feasible.slice(0, 5)) expect(r.estimates.power_w as number, r.id).toBeLessThan(10_000);
  });

  it("QLoRA runs only where bitsandbytes does: TPUs and Trainium are ruled out for it, not for LoRA", () => {
    type R = Omit<Rec, "violations"> & {
      chip: string;
      violations: { rule: string; message: string; field?: string }[];
    };
    const run = (method: string) =>
      recommendAll<R>(
        `${method}.yaml`,
        [
          `name: small-${method}`,
          `workload: { kind: fine-tuning, model: llama-3.2-3b, method: ${method}, dataset: { tokens: 5M, epochs: 1 } }`,
          "slo: { deadline: 12h }",
          "constraints: { deployment: [cloud, on-prem] }",
          "",
        ].join("\n"),
      ).recs;
    const noBnb = (r: R) => /^(google-tpu|aws-trainium)/.test(r.chip);
    const qlora = run("qlora");
    const ruledOut = qlora.filter(noBnb);
    expect(ruledOut.length).toBeGreaterThan(0);
    for (const r of ruledOut) {
      expect(r.feasible).toBe(false);
      const v = r.violations.find((x) => x.rule === "training")!;
      expect(v.message).toMatch(/^QLoRA needs bitsandbytes .*: use method lora or full$/);
      expect(v.field).toBe("workload.method");
    }
    expect(qlora.find((r) => r.feasible)!.chip).toMatch(/^nvidia-/);
    // Not vacuous: with LoRA the same TPUs can win.
    expect(run("lora").some((r) => r.feasible && noBnb(r))).toBe(true);
  });

  it("every example profile gives a feasible recommendation with finite, non-negative figures", () => {
    // One CLI run for all of them (recommend takes many profiles).
    const files = readdirSync("profiles")
      .filter((x) => x.endsWith(".yaml"))
      .map((f) => `profiles/${f}`);
    const r = hwInProcess(["recommend", ...files, "--format", "json"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const results = JSON.parse(r.stdout).results as { profile: { file: string }; recommendations: Rec[] }[];
    expect(results.map((x) => x.profile.file).sort()).toEqual([...files].sort());
    const bad: string[] = []; // every figure checked, the bad ones listed together
    for (const { profile, recommendations: recs } of results) {
      const f = profile.file;
      expect(recs[0]!.feasible, f).toBe(true);
      for (const r of recs) {
        for (const [k, v] of Object.entries(r.estimates))
          if (typeof v === "number" && !(Number.isFinite(v) && v >= 0)) bad.push(`${f} ${r.id} ${k}=${v}`);
        if (!r.feasible && r.violations.length === 0) bad.push(`${f} ${r.id}: infeasible without a violation`);
      }
    }
    expect(bad).toEqual([]);
  }, 120_000);
});

describe("recommend output and exit codes", () => {
  it("prints a table with the reasons for the nearest infeasible options", () => {
    const r = hwInProcess(["recommend", "profiles/farm-sensor.yaml", "--all"], { env: { COLUMNS: "200" } });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("farm-pest-sensor");
    expect(r.stdout).toMatch(/options meet every constraint/);
    expect(r.stdout).toMatch(/draws [\d.]+ W at full load > budget 15(\.0)? W/); // e.g. a HAT on its Pi, host included
    expect(r.stdout).not.toMatch(/\u001b\[/); // no ANSI when NO_COLOR / piped
  });

  it("the table fits the terminal width: 120 columns by default, 80 when that is all there is", () => {
    for (const [cols, max] of [
      ["", 120],
      ["80", 80],
    ] as const) {
      const r = hwInProcess(
        ["recommend", "profiles/llm-chat.yaml", "profiles/farm-sensor.yaml", "profiles/lora-finetune.yaml"],
        { env: cols ? { COLUMNS: cols } : {} },
      );
      const widest = Math.max(
        ...r.stdout
          .split("\n")
          .filter((l) => /^[│┌├└]/.test(l))
          .map((l) => [...l].length),
      );
      expect(widest, `COLUMNS=${cols || "(unset)"}`).toBeLessThanOrEqual(max);
    }
  });

  it("colour only when asked for on a pipe", () => {
    const r = hw(["recommend", "profiles/farm-sensor.yaml", "--color"], { env: { NO_COLOR: "" } });
    expect(r.stdout).toMatch(/\u001b\[/);
  });

  it("--top limits feasible rows, --all shows every option", () => {
    const top = JSON.parse(
      hwInProcess(["recommend", "profiles/farm-sensor.yaml", "--format", "json", "--top", "2"]).stdout,
    );
    expect(top.results[0].recommendations).toHaveLength(2);
    const all = hwInProcess(["recommend", "profiles/farm-sensor.yaml", "--all"]);
    const every = JSON.parse(hwInProcess(["recommend", "profiles/farm-sensor.yaml", "--format", "json"]).stdout)
      .results[0].recommendations.length;
    expect(all.stdout.split("\n").filter((l) => /^│ \d+/.test(l)).length).toBe(every);
  });

  it("several profiles at once, and '-' for stdin", () => {
    const r = hw(["recommend", "profiles/farm-sensor.yaml", "-", "--format", "json"], {
      input: "name: piped\nworkload: { kind: batch-inference, model: resnet50 }\n",
    });
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.results.map((x: { profile: { file: string } }) => x.profile.file)).toEqual([
      "profiles/farm-sensor.yaml",
      "<stdin>",
    ]);
  });

  it("is deterministic: same input, same bytes (the built CLI, then a run in this process after many others)", () => {
    const a = hw(["recommend", "profiles/llm-chat.yaml", "--format", "json", "--explain"]);
    const b = hwInProcess(["recommend", "profiles/llm-chat.yaml", "--format", "json", "--explain"]);
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
  });

  it("fields that do not apply are absent: no TTFT for a CNN, no latency for training", () => {
    const cnn = JSON.parse(hwInProcess(["recommend", "profiles/retail-checkout.yaml", "--format", "json"]).stdout)
      .results[0].recommendations[0].estimates;
    expect(cnn).not.toHaveProperty("ttft_ms");
    expect(cnn).toHaveProperty("latency_p99_ms");
    const train = JSON.parse(hwInProcess(["recommend", "profiles/lora-finetune.yaml", "--format", "json"]).stdout)
      .results[0].recommendations[0].estimates;
    expect(train).not.toHaveProperty("latency_p99_ms");
    expect(train).toHaveProperty("time_to_train_h");
  });

  it("--explain shows the breakdown: bound, devices and cost arithmetic", () => {
    const r = hwInProcess(["recommend", "profiles/retail-checkout.yaml", "--explain", "--top", "1"]);
    expect(r.stdout).toMatch(/-bound/);
    expect(r.stdout).toMatch(/capex \$/);
    expect(r.stdout).toMatch(/unit\(s\) of/);
  });

  it("markdown and github formats", () => {
    const md = hwInProcess(["recommend", "profiles/farm-sensor.yaml", "--format", "markdown"]);
    expect(md.stdout).toMatch(/^### farm-pest-sensor/m);
    expect(md.stdout).toMatch(/^\| # \| Option/m);
    const gh = hwInProcess(["recommend", "profiles/farm-sensor.yaml", "--format", "github"]);
    expect(gh.stdout).toMatch(
      /^::notice file=profiles\/farm-sensor.yaml,title=farm-pest-sensor::edge-npu%3A|^::notice file=profiles\/farm-sensor.yaml,title=farm-pest-sensor::edge-npu: /m,
    );
  });

  it("an impossible profile exits 0 and says so plainly", () => {
    const r = hw(["recommend", "-"], {
      input:
        "name: impossible\nworkload: { kind: realtime-inference, model: llama-3.1-405b }\nslo: { latency_p99: 1ms }\nconstraints: { deployment: [edge] }\n",
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/No option meets every constraint/);
  });
});

describe("catalog, models, schema and estimate commands", () => {
  it("catalog --format json lists chips and offerings with ids, names and classes", () => {
    const r = hwInProcess(["catalog", "--format", "json"]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.chips.length).toBeGreaterThan(60);
    for (const o of j.offerings) {
      expect(o).toHaveProperty("id");
      expect(o).toHaveProperty("chip");
      expect(o).toHaveProperty("count");
      expect(o).toHaveProperty("deployment");
    }
  });

  it("catalog filters and show", () => {
    const j = JSON.parse(hwInProcess(["catalog", "--format", "json", "--class", "cloud-gpu", "--region", "BR"]).stdout);
    expect(j.offerings.length).toBeGreaterThan(0);
    for (const o of j.offerings) {
      expect(o.class).toBe("cloud-gpu");
      expect(o.regions.some((r: { country: string }) => r.country === "BR")).toBe(true);
    }
    const show = hwInProcess(["catalog", "show", "nvidia-h100-sxm"]);
    expect(show.code).toBe(0);
    expect(show.stdout).toMatch(/source: https?:\/\//);
    const miss = hwInProcess(["catalog", "show", "nvidia-h100-sx"]);
    expect(miss.code).toBe(2);
    expect(miss.stderr).toMatch(/did you mean `nvidia-h100-sxm/);
  });

  it("every committed schema/*.schema.json is what the zod schemas generate now", async () => {
    const { readFileSync } = await import("node:fs");
    const { renderSchema } = await import("../src/cli/schema-live.js");
    const { SCHEMA_NAMES } = await import("../src/cli/commands/schema.js");
    expect([...SCHEMA_NAMES].sort()).toEqual([
      "catalog",
      "catalog-audit",
      "check-result",
      "estimate-result",
      "lock",
      "profile",
      "recommend-result",
    ]);
    for (const name of SCHEMA_NAMES)
      expect(renderSchema(name), `${name} (npm run schemas rewrites the files)`).toBe(
        readFileSync(`schema/${name}.schema.json`, "utf8"),
      );
  });

  it("schema answers the same from its start-up bundle as from the full CLI (output, errors, help, exit code)", async () => {
    const { spawnSync } = await import("node:child_process");
    const { join } = await import("node:path");
    const full = (args: string[]) => {
      const r = spawnSync(process.execPath, [join("dist", "hwadvise-main.cjs"), ...args], {
        encoding: "utf8",
        env: { PATH: process.env.PATH ?? "", NO_COLOR: "1" },
      });
      return { code: r.status, stdout: r.stdout, stderr: r.stderr };
    };
    for (const args of [
      ["schema", "profile"],
      ["schema", "check-result"],
      ["schema", "nope"],
      ["schema"],
      ["schema", "--help"],
      ["schema", "profile", "--format", "json"],
    ]) {
      expect(hw(args), args.join(" ")).toEqual(full(args));
    }
  });

  it("schema profile matches the committed schema/profile.schema.json", async () => {
    const { readFileSync } = await import("node:fs");
    expect(hw(["schema", "profile"]).stdout).toBe(readFileSync("schema/profile.schema.json", "utf8"));
  });

  it("an LLM served with static batches carries less than with continuous batching, on the same chip", async () => {
    const { mkdtempSync, writeFileSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const dir = mkdtempSync(join(tmpdir(), "hwstatic-"));
    const profile = (batching: string) =>
      `name: t\nworkload: { kind: realtime-inference, model: llama-3.1-8b, batching: ${batching} }\nslo: { latency_p99: 20s }\n`;
    writeFileSync(join(dir, "s.yaml"), profile("static"));
    writeFileSync(join(dir, "c.yaml"), profile("continuous"));
    writeFileSync(join(dir, "bad.yaml"), profile("dynamic"));
    const tput = (f: string) =>
      JSON.parse(hwInProcess(["estimate", f, "--chip", "nvidia-l4", "--format", "json"], { cwd: dir }).stdout).estimates
        .throughput_per_s as number;
    expect(tput("s.yaml")).toBeGreaterThan(0);
    expect(tput("s.yaml")).toBeLessThan(tput("c.yaml"));
    const bad = hwInProcess(["estimate", "bad.yaml", "--chip", "nvidia-l4"], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe(
      'bad.yaml:2:70 workload.batching: expected one of "continuous", "static", found "dynamic"\n',
    );
  });

  it("estimate one chip × count, as JSON with recommend's field names", () => {
    const r = hwInProcess([
      "estimate",
      "profiles/llm-chat.yaml",
      "--chip",
      "nvidia-h100-sxm",
      "--count",
      "2",
      "--format",
      "json",
    ]);
    expect(r.code).toBe(0);
    const e = JSON.parse(r.stdout).estimates;
    for (const k of [
      "latency_p99_ms",
      "throughput_per_s",
      "ttft_ms",
      "tokens_per_s",
      "output_tokens_per_s",
      "power_w",
      "bound",
    ])
      expect(e).toHaveProperty(k);
    // Provenance: the spec sheet used, and the error band with what it was measured on.
    const lines = JSON.parse(r.stdout).breakdown as string[];
    expect(lines.some((l) => /^spec: NVIDIA H100 .*https?:\/\/.* \(as of \d{4}-\d{2}-\d{2}\)$/.test(l))).toBe(true);
    expect(lines.find((l) => l.startsWith("confidence:"))).toMatch(
      new RegExp(
        `^confidence: ±${e.uncertainty_pct}% typical, ±${e.uncertainty_p90_pct}% at p90 — error on \\d+ published results the fit did not see, for gpu/llm$`,
      ),
    );
  });
});
