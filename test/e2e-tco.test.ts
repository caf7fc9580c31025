import { describe, expect, it } from "vitest";
import { copyFileSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { hw, ROOT } from "./helpers/cli.js";
import { hwInProcess } from "./helpers/run.js";

interface Item {
  item: string;
  when: string;
  from_month: number;
  to_month: number;
  per_month_usd?: number;
  total_usd: number;
  total: number;
}
interface Way {
  way: string;
  total_usd: number;
  total: number;
  line_items: Item[];
  cumulative: number[];
}

// The built CLI makes the first JSON document and reads standard input; the other runs are the CLI's own
// \`run\` in this process (same argv and environment, no spawn).
describe("hwadvise tco (built CLI and in this process)", () => {
  it("JSON lists every line item; they add up to each way's total and its last cumulative month", () => {
    const r = hw(["tco", "profiles/llm-chat.yaml", "--format", "json"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    const j = JSON.parse(r.stdout);
    expect(j.schemaVersion).toBe(1);
    expect(j.horizon_months).toBe(36);
    const ways: Way[] = j.options.flatMap((o: { ways: Way[] }) => o.ways);
    expect(ways.map((w) => w.way)).toEqual(expect.arrayContaining(["buy", "lease", "rent-on-demand"]));
    for (const w of ways) {
      const sum = w.line_items.reduce((s, x) => s + x.total_usd, 0);
      expect(sum).toBeCloseTo(w.total_usd, 2);
      expect(w.cumulative).toHaveLength(37);
      expect(w.cumulative[36]).toBeCloseTo(w.total_usd, 2);
      for (const x of w.line_items)
        if (x.when === "monthly")
          expect(x.total_usd).toBeCloseTo(x.per_month_usd! * (x.to_month - x.from_month + 1), 2);
    }
    expect(j.break_even.length).toBeGreaterThan(0);
    // One statement, each half saying what it assumes; the month it names is the chart's crossover.
    expect(j.break_even[0].statement).toMatch(
      /^buying \d+× \S+ beats renting \d+× \S+ on demand billed only for busy hours above [\d.]+% average utilisation over 3 years; at [\d.]+% utilisation, its cumulative cost falls below renting's in month \d+$/,
    );
    const b = j.break_even[0];
    const buy = j.options.find((o: { id: string }) => o.id === b.owned).ways.find((w: Way) => w.way === "buy") as Way;
    const rent = j.options
      .find((o: { id: string }) => o.id === b.rented)
      .ways.find((w: Way) => w.way === "rent-on-demand") as Way;
    expect(buy.cumulative[b.month - 1]!).toBeGreaterThan(rent.cumulative[b.month - 1]!);
    expect(buy.cumulative[b.month]!).toBeLessThanOrEqual(rent.cumulative[b.month]!);
  });

  it("--horizon and --option choose what is compared", () => {
    const j = JSON.parse(
      hwInProcess([
        "tco",
        "profiles/llm-chat.yaml",
        "--option",
        "onprem-h100-pcie-card",
        "--horizon",
        "5y",
        "--format",
        "json",
      ]).stdout,
    );
    expect(j.horizon_months).toBe(60);
    expect(j.options.map((o: { id: string }) => o.id)).toEqual(["onprem-h100-pcie-card"]);
  });

  it("--currency needs a rate: without one it is a usage error, with --fx every amount is converted", () => {
    const bad = hwInProcess(["tco", "profiles/llm-chat.yaml", "--currency", "COP"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe(
      "hwadvise: no exchange rate for COP: give --fx <COP per USD> or costs.fx.COP in profiles/llm-chat.yaml (hwadvise never fetches rates)\n",
    );
    const j = JSON.parse(
      hwInProcess(["tco", "profiles/llm-chat.yaml", "--currency", "COP", "--fx", "4000", "--format", "json"]).stdout,
    );
    expect(j.currency).toBe("COP");
    expect(j.fx_per_usd).toBe(4000);
    const w = j.options[0].ways[0] as Way;
    expect(w.total / w.total_usd).toBeCloseTo(4000, 3);
  });

  it("the profile's costs.fx supplies the rate", () => {
    const profile = `name: t
workload: { kind: realtime-inference, model: resnet50 }
slo: { latency_p99: 50ms, throughput: 200/s }
costs: { fx: { BRL: 5.7 }, import_duty: 27% }
`;
    const r = hw(["tco", "-", "--currency", "BRL", "--format", "json"], { input: profile });
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.fx_per_usd).toBe(5.7);
    expect(j.assumptions.import_duty).toBe(0.27);
    expect(j.assumptions.sources.import_duty).toBe("profile");
  });

  it("prints totals, the cumulative table, a chart with crossovers, and the break-even sentence", () => {
    const r = hwInProcess(["tco", "profiles/llm-chat.yaml"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("cost of ownership over 36 months, USD");
    expect(r.stdout).toContain("Cumulative cost (every 3 months");
    expect(r.stdout).toMatch(/ months\n +[ ^]+ crossovers\n/);
    expect(r.stdout).toMatch(/Break-even:\n {2}buying/);
  });

  it("training: a one-off run compares buying for the run (purchase − resale + running) with renting it, as recommend costs it", () => {
    const rec = JSON.parse(
      hwInProcess(["recommend", "profiles/pretrain-deadline.yaml", "--format", "json", "--all"]).stdout,
    );
    const recs = rec.results[0].recommendations as {
      id: string;
      estimates: { total_cost_usd: number; monthly_cost_usd: number; capex_usd?: number };
    }[];
    const owned = recs.find((x) => x.id === "onprem-hgx-b200-baseboard")!;
    const r = hwInProcess([
      "tco",
      "profiles/pretrain-deadline.yaml",
      "--option",
      "onprem-hgx-b200-baseboard",
      "--option",
      "lambda-gpu-8x-b200-sxm6",
      "--format",
      "json",
    ]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    // a 687 h run spans one month: the comparison is that month, not a 3-year horizon
    expect(j.horizon_months).toBe(1);
    const buy = j.options[0].ways.find((w: Way) => w.way === "buy") as Way;
    // recommend's JSON holds 6 significant figures
    expect(buy.total_usd / owned.estimates.total_cost_usd).toBeCloseTo(1, 5);
    expect(buy.line_items.find((x: Item) => x.item === "hardware")!.total_usd / owned.estimates.capex_usd!).toBeCloseTo(
      1,
      5,
    );
    const rent = j.options[1].ways.find((w: Way) => w.way === "rent-on-demand") as Way;
    expect(rent.total_usd / recs.find((x) => x.id === "lambda-gpu-8x-b200-sxm6")!.estimates.total_cost_usd).toBeCloseTo(
      1,
      5,
    );
    expect(j.break_even[0].statement).toMatch(
      /^for one run, buying \d+× onprem-hgx-b200-baseboard costs \$[\d,]+ \(purchase less resale, plus running costs\) against \$[\d,]+ renting \d+× lambda-gpu-8x-b200-sxm6 on demand: renting is cheaper$/,
    );
  });

  it("fine-tuning with recurring runs compares them over the horizon", () => {
    const profile = `name: weekly-lora
workload: { kind: fine-tuning, model: llama-3-8b, method: lora, dataset: { tokens: 50M, epochs: 3 } }
slo: { deadline: 48h }
volume: { runs_per_month: 4 }
`;
    const r = hw(["tco", "-", "--format", "json", "--option", "onprem-a100-80gb-card"], { input: profile });
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.horizon_months).toBe(36);
    expect(j.options[0].utilisation_source).toMatch(/^4 runs\/month × /);
  });

  it("recommend, tco and the check baseline state the same monthly cost and capex for an option", () => {
    const rec = JSON.parse(hwInProcess(["recommend", "profiles/llm-chat.yaml", "--format", "json", "--all"]).stdout)
      .results[0].recommendations as { id: string; estimates: { monthly_cost_usd: number; capex_usd?: number } }[];
    const tco = JSON.parse(hwInProcess(["tco", "profiles/llm-chat.yaml", "--format", "json"]).stdout);
    expect(tco.options.length).toBeGreaterThan(1);
    for (const o of tco.options as {
      id: string;
      monthly_cost_usd: number;
      recommend_way: string;
      months: number;
      ways: (Way & { line_items: (Item & { item: string })[] })[];
    }[]) {
      const r = rec.find((x) => x.id === o.id)!;
      // recommend's JSON holds 4 significant figures of money; tco's 9
      expect(o.monthly_cost_usd / r.estimates.monthly_cost_usd).toBeCloseTo(1, 3);
      const way = o.ways.find((w) => w.way === o.recommend_way)!;
      expect(way.total_usd / o.months / o.monthly_cost_usd).toBeCloseTo(1, 6);
      if (r.estimates.capex_usd !== undefined)
        expect(
          way.line_items.filter((x) => x.when === "start").reduce((s, x) => s + x.total_usd, 0) / r.estimates.capex_usd,
        ).toBeCloseTo(1, 3);
    }
    // the baseline check compares against holds the top option's figures from the same cost
    const dir = mkdtempSync(join(tmpdir(), "hwadvise-tco-"));
    copyFileSync(join(ROOT, "profiles", "llm-chat.yaml"), join(dir, "llm-chat.yaml"));
    expect(hwInProcess(["lock", "llm-chat.yaml"], { cwd: dir }).code).toBe(0);
    const top = JSON.parse(readFileSync(join(dir, "hwadvise.lock.json"), "utf8")).profiles["llm-chat.yaml"].top;
    expect(top.estimates.monthly_cost_usd / rec.find((x) => x.id === top.id)!.estimates.monthly_cost_usd).toBeCloseTo(
      1,
      3,
    );
    // (the lock keeps four significant figures)
    expect(top.estimates.capex_usd / rec.find((x) => x.id === top.id)!.estimates.capex_usd!).toBeCloseTo(1, 3);
  });

  it("bad flags are usage errors", () => {
    expect(hwInProcess(["tco", "profiles/llm-chat.yaml", "--horizon", "soon"]).code).toBe(2);
    const r = hwInProcess(["tco", "profiles/llm-chat.yaml", "--option", "onprem-h100-pcie"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("did you mean `onprem-h100-pcie-card`");
  });
});
