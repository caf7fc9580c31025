import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { landedCost, parseLandedTable, type LandedTable } from "../src/catalog/landed.js";
import { ROOT } from "./helpers/cli.js";
import { hwInProcess } from "./helpers/run.js";

const table = (): LandedTable => {
  const r = parseLandedTable(
    "catalog/landed-cost.yaml",
    readFileSync(join(ROOT, "catalog", "landed-cost.yaml"), "utf8"),
  );
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.value;
};

describe("landedCost (pure)", () => {
  it("the built-in table validates, lists every country our users work in, and dates and sources each row", () => {
    const t = table();
    expect(t.countries.map((c) => c.country).sort()).toEqual(["AR", "BR", "CL", "CO", "MX", "PE", "US"]);
    for (const c of t.countries) {
      expect(c.source).toMatch(/^https?:\/\//);
      expect(c.as_of).toMatch(/^\d{4}-\d{2}/);
      for (const e of c.estimated ?? []) expect(["freight_insurance", ...c.levies.map((l) => l.name)]).toContain(e);
    }
  });

  it("Brazil compounds: II on CIF, IPI on CIF + II, PIS/COFINS on CIF, ICMS grossed up inside its own base", () => {
    // $10,000 card: freight 5% → CIF 10,500; II 16% = 1,680; IPI 9.75% × 12,180 = 1,187.55;
    // PIS 2.1% × 10,500 = 220.5; COFINS 9.65% × 10,500 = 1,013.25; fees 3% × 10,500 = 315;
    // before ICMS 14,916.30; ICMS = 14,916.30 / 0.82 × 0.18 = 3,274.31; landed 18,190.61.
    const l = landedCost(10_000, "BR", table());
    expect(l.lines.map((x) => Math.round(x.usd * 100) / 100)).toEqual([
      500, 1680, 1187.55, 220.5, 1013.25, 315, 3274.31,
    ]);
    expect(l.landedUsd).toBeCloseTo(18_190.61, 1);
  });

  it("Colombia: 19% IVA on customs value + duty is creditable; freight and fees are not", () => {
    // 10,000 + freight 500 = CIF 10,500; duty 0; IVA 19% × 10,500 = 1,995; fees 2% × 10,500 = 210 → 12,705.
    const l = landedCost(10_000, "CO", table());
    expect(l.landedUsd).toBeCloseTo(12_705, 6);
    expect(l.creditableUsd).toBeCloseTo(1_995, 6);
  });

  it("the US, and a country the table does not list, land at the price", () => {
    expect(landedCost(10_000, "US", table()).landedUsd).toBe(10_000);
    expect(landedCost(10_000, "JP", table())).toEqual({
      country: "JP",
      priceUsd: 10_000,
      lines: [],
      landedUsd: 10_000,
      creditableUsd: 0,
    });
  });

  it("landing is linear in the price and never below it, in every listed country", () => {
    const t = table();
    fc.assert(
      fc.property(
        fc.constantFrom(...t.countries.map((c) => c.country)),
        fc.double({ min: 1, max: 1e7, noNaN: true }),
        fc.double({ min: 1, max: 100, noNaN: true }),
        (country, price, k) => {
          const a = landedCost(price, country, t).landedUsd;
          expect(a).toBeGreaterThanOrEqual(price);
          expect(landedCost(price * k, country, t).landedUsd).toBeCloseTo(a * k, 3);
        },
      ),
    );
  });

  it("a table that lists a country twice is rejected with its path", () => {
    const r = parseLandedTable(
      "t.yaml",
      "countries:\n  - { country: CO, name: a, freight_insurance: 0, levies: [], source: 'https://x.org', as_of: '2026-12' }\n  - { country: CO, name: b, freight_insurance: 0, levies: [], source: 'https://x.org', as_of: '2026-12' }\n",
    );
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems[0]!.path).toBe("countries[1].country");
  });
});

describe("landed prices through the CLI", () => {
  const dir = mkdtempSync(join(tmpdir(), "hwadvise-landed-"));
  const profile = (extra: string) => {
    const p = join(dir, `p-${Math.random().toString(36).slice(2)}.yaml`);
    writeFileSync(
      p,
      `name: landed\nworkload: { kind: realtime-inference, model: resnet50 }\nslo: { latency_p99: 50ms, throughput: 200/s }\n${extra}`,
    );
    return p;
  };
  const buyTotal = (file: string, option: string, more: string[] = []) => {
    const r = hwInProcess(["tco", file, "--option", option, "--format", "json", ...more]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const o = JSON.parse(r.stdout).options[0];
    return { way: o.ways.find((w: { way: string }) => w.way === "buy"), notes: o.notes as string[] };
  };

  it("the same bought card costs more to land in Brazil and Colombia than in the US, with the line items shown", () => {
    const us = buyTotal(profile("constraints: { site_country: US }\n"), "onprem-h100-pcie-card");
    const br = buyTotal(profile("constraints: { site_country: BR }\n"), "onprem-h100-pcie-card");
    const co = buyTotal(profile("constraints: { data_residency: [CO] }\n"), "onprem-h100-pcie-card");
    expect(br.way.total_usd).toBeGreaterThan(co.way.total_usd);
    expect(co.way.total_usd).toBeGreaterThan(us.way.total_usd);
    const labels = (w: { line_items: { item: string }[] }) => w.line_items.map((x) => x.item);
    expect(labels(br.way)).toEqual(
      expect.arrayContaining(["landed in BR: II (import duty)", "landed in BR: IPI", "landed in BR: ICMS (SP)"]),
    );
    expect(labels(co.way)).toContain("landed in CO: IVA");
    expect(labels(us.way).some((l) => l.startsWith("landed"))).toBe(false);
    expect(br.notes.some((n) => /landed in BR .*= \$[\d,]+ landed in BR$/.test(n))).toBe(true);
    const explain = hwInProcess([
      "recommend",
      profile("constraints: { site_country: BR, deployment: [on-prem] }\n"),
      "--explain",
    ]);
    expect(explain.stdout).toMatch(/capex \$[\d,]+ \+ freight and insurance 5% of .* landed in BR; capex/);
  });

  it("a pipeline's owned stage is landed too: the media pipeline's São Paulo GPUs (data residency BR)", () => {
    const r = hwInProcess(["recommend", "profiles/media-pipeline.yaml", "--explain"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /capex \$[\d,]+ \+ freight and insurance 5% of .* ICMS \(SP\) 18% of \$[\d,]+ = \$[\d,]+ = \$[\d,]+ landed in BR/,
    );
  });

  it("a local reseller's quote in pesos is never taxed again, even with costs.import_duty stated", () => {
    const overlay = join(dir, "co-quote.yaml");
    writeFileSync(
      overlay,
      `offerings:
  - id: co-reseller-l4
    name: "NVIDIA L4 server from a Bogotá reseller"
    chip: nvidia-l4
    count: 1
    class: onprem-gpu
    deployment: on-prem
    capex_usd: 60000000
    currency: COP
    fx_per_usd: 4000
    source: https://example.com/quote
    as_of: "2026-11"
`,
    );
    // 60,000,000 COP ÷ 4,000 = $15,000, and nothing on top.
    const { way, notes } = buyTotal(
      profile("constraints: { site_country: CO }\ncosts: { import_duty: 19% }\n"),
      "co-reseller-l4",
      ["--catalog", overlay],
    );
    const start = way.line_items.filter((x: { when: string }) => x.when === "start");
    expect(start.map((x: { item: string; total_usd: number }) => [x.item, Math.round(x.total_usd)])).toEqual([
      ["hardware", 15_000],
    ]);
    expect(notes).toContain("co-reseller-l4 is a local quote in COP: import duty not added again");
  });
});
