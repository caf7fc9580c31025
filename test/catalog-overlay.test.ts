import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseCodedAmount } from "../src/catalog/currency.js";
import { hwInProcess } from "./helpers/run.js";

// The CLI runs in this process (its own `run`: same argv and environment, no spawn).
const dir = mkdtempSync(join(tmpdir(), "hwadvise-overlay-"));
function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

interface Entry {
  id: string;
  class: string;
  capex_usd?: number;
  note?: string;
  stale?: boolean;
  regions?: { region: string; usd_per_hour: number }[];
}
function catalogJson(args: string[], env: Record<string, string> = {}): { chips: Entry[]; offerings: Entry[] } {
  const r = hwInProcess(["catalog", "--format", "json", ...args], { env });
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout);
}
const offering = (c: { offerings: Entry[] }, id: string) => c.offerings.find((o) => o.id === id);

// A Colombian reseller's quote for a DGX H100: COP 1,230,000,000 at 4,100 COP/USD = USD 300,000.
const copQuote = file(
  "cop.yaml",
  `overrides:
  - id: onprem-dgx-h100
    capex_usd: "COP 1.23B"
    currency: COP
    fx_per_usd: 4100
    note: our reseller's quote
  - id: aws-p5-48xlarge
    regions:
      - { region: us-east-1, country: US, usd_per_hour: 40, source: "https://example.com/our-deal", as_of: "2026-11-01" }
disable: [aws-p5-4xlarge]
`,
);
// A later overlay wins: BRL 1,350,000 at 5.4 BRL/USD = USD 250,000, given as a plain number in BRL.
const brlQuote = file(
  "brl.yaml",
  `overrides:
  - { id: onprem-dgx-h100, currency: BRL, fx_per_usd: 5.4, capex_usd: 1350000 }
`,
);

describe("catalog overlays: override, local currency, disable, order", () => {
  it("an override merges a COP quote onto a built-in server and keeps its other fields", () => {
    const builtin = offering(catalogJson([]), "onprem-dgx-h100")!;
    const c = catalogJson(["--catalog", copQuote]);
    const dgx = offering(c, "onprem-dgx-h100")!;
    expect(dgx.capex_usd).toBeCloseTo(300_000, 6);
    expect(dgx.note).toBe("our reseller's quote");
    expect(dgx.class).toBe(builtin.class); // not given in the override: kept
    // regions replaced wholesale; the disabled offering is gone
    expect(offering(c, "aws-p5-48xlarge")!.regions).toEqual([
      expect.objectContaining({ region: "us-east-1", usd_per_hour: 40 }),
    ]);
    expect(offering(c, "aws-p5-4xlarge")).toBeUndefined();
    expect(c.offerings.length).toBe(catalogJson([]).offerings.length - 1);
  });

  it("--catalog is repeatable and HWADVISE_CATALOG is a path list; later files win", () => {
    expect(
      offering(catalogJson(["--catalog", copQuote, "--catalog", brlQuote]), "onprem-dgx-h100")!.capex_usd,
    ).toBeCloseTo(250_000, 6);
    expect(
      offering(catalogJson(["--catalog", brlQuote, "--catalog", copQuote]), "onprem-dgx-h100")!.capex_usd,
    ).toBeCloseTo(300_000, 6);
    const viaEnv = catalogJson([], { HWADVISE_CATALOG: `${copQuote}:${brlQuote}` });
    expect(offering(viaEnv, "onprem-dgx-h100")!.capex_usd).toBeCloseTo(250_000, 6);
    expect(offering(viaEnv, "aws-p5-4xlarge")).toBeUndefined(); // the first file of the list applied too
  });

  it("--no-builtin uses only the user's files", () => {
    const own = file(
      "own.yaml",
      `chips:
  - { id: my-npu, name: My NPU, vendor: Acme, class: npu, peak_tops: { int8: 4 }, memory_gb: 1, memory_bw_gbps: 10, tdp_w: 3, idle_w: 0.5, runtimes: [onnx], source: "https://example.com/npu", as_of: "2026-10" }
offerings:
  - { id: my-board, name: My board, chip: my-npu, count: 1, class: edge-npu, deployment: edge, capex_usd: "250 BRL", fx_per_usd: 5, source: "https://example.com/board", as_of: "2026-10" }
`,
    );
    const c = catalogJson(["--no-builtin", "--catalog", own]);
    expect(c.chips.map((x) => x.id)).toEqual(["my-npu"]);
    expect(c.offerings.map((x) => x.id)).toEqual(["my-board"]);
    expect(c.offerings[0]!.capex_usd).toBe(50); // 250 BRL / 5 BRL per USD
    const none = hwInProcess(["catalog", "--no-builtin"]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/--no-builtin needs at least one --catalog/);
  });
});

describe("catalog overlays: located errors, exit 2, no stack", () => {
  it("a local-currency price without a rate names the field and the missing rate", () => {
    const f = file("norate.yaml", `overrides:\n  - id: onprem-dgx-h100\n    capex_usd: "COP 1.23B"\n`);
    const r = hwInProcess(["catalog", "--catalog", f]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `${f}:3:16 overrides[0].capex_usd: a price in COP needs fx_per_usd on this entry (COP per 1 USD, e.g. fx_per_usd: 4100); hwadvise does not fetch exchange rates\n`,
    );
    const g = file("norate2.yaml", `overrides:\n  - id: onprem-dgx-h100\n    currency: BRL\n    capex_usd: 1350000\n`);
    expect(hwInProcess(["catalog", "--catalog", g]).stderr).toMatch(
      new RegExp(`^${g}:3:15 overrides\\[0\\]\\.currency: prices in BRL need fx_per_usd`),
    );
  });

  it("an unknown override id, a misspelt field and a merged entry that breaks a rule are each located", () => {
    const f = file(
      "bad.yaml",
      `overrides:
  - id: onprem-dgx-h10
    capex_usd: 1
  - id: onprem-dgx-b200
    capx_usd: 5
  - id: nvidia-h100-sxm
    idle_w: 5000
`,
    );
    const r = hwInProcess(["catalog", "--catalog", f]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toEqual([
      `${f}:2:9 overrides[0].id: no chip or offering \`onprem-dgx-h10\` to override — did you mean \`onprem-dgx-h100\`?`,
      `${f}:5:5 overrides[1].capx_usd: unknown key \`capx_usd\` — did you mean \`capex_usd\`?`,
      `${f}:7:13 overrides[2].idle_w: idle power 5000 W must be below TDP 700 W`, // H100 SXM TDP 700 W
    ]);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it("prices quoted in two currencies in one entry are refused", () => {
    const f = file(
      "mixed.yaml",
      `overrides:\n  - { id: onprem-dgx-h100, currency: COP, fx_per_usd: 4100, capex_usd: "BRL 1M" }\n`,
    );
    const r = hwInProcess(["catalog", "--catalog", f]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/overrides\[0\]\.capex_usd: price is in BRL but this entry's currency is COP/);
  });
});

describe("staleness: catalog and recommend flag entries older than --stale-months (default 12)", () => {
  // HWADVISE_TODAY is 2026-11-28 in the test helper: an entry as of 2025-10 is 13 months old.
  const old = file(
    "old.yaml",
    `chips:
  - { id: old-npu, name: Old NPU, vendor: Acme, class: npu, peak_tops: { int8: 26 }, memory_gb: 1, memory_bw_gbps: 10, tdp_w: 3, idle_w: 0.5, runtimes: [onnx], source: "https://example.com/npu", as_of: "2025-10" }
offerings:
  - { id: old-board, name: Old board, chip: old-npu, count: 1, class: edge-npu, deployment: edge, capex_usd: 100, source: "https://example.com/board", as_of: "2026-09" }
`,
  );
  it("catalog --format json marks stale entries; --stale-months moves the limit", () => {
    expect(catalogJson(["--no-builtin", "--catalog", old]).chips[0]!.stale).toBe(true);
    expect(catalogJson(["--no-builtin", "--catalog", old]).offerings[0]!.stale).toBe(false);
    expect(catalogJson(["--no-builtin", "--catalog", old, "--stale-months", "13"]).chips[0]!.stale).toBe(false);
    const table = hwInProcess(["catalog", "--no-builtin", "--catalog", old]);
    expect(table.stdout).toMatch(/2025-10 \(stale\)/);
    expect(hwInProcess(["catalog", "--stale-months", "x"]).stderr).toMatch(
      /--stale-months expects a whole number of months/,
    );
  });

  it("a recommendation using a stale chip says so; --stale-months 13 clears it; HWADVISE_TODAY moves it", () => {
    const profile = file(
      "kws.yaml",
      `name: kws\nworkload: { kind: edge-inference, model: ds-cnn-kws }\nconstraints: { deployment: [edge] }\n`,
    );
    const stale = (args: string[], env: Record<string, string> = {}) => {
      const r = hwInProcess(
        ["recommend", profile, "--no-builtin", "--catalog", old, "--format", "json", "--all", ...args],
        {
          env,
        },
      );
      expect(r.stderr).toBe("");
      return JSON.parse(r.stdout).results[0].recommendations[0].stale as string[] | undefined;
    };
    expect(stale([])).toEqual(["chip old-npu as of 2025-10"]);
    expect(stale(["--stale-months", "13"])).toBeUndefined();
    expect(stale([], { HWADVISE_TODAY: "2026-10-01" })).toBeUndefined(); // 12 months: not older than 12
    expect(stale(["--stale-months", "1"])).toEqual(["chip old-npu as of 2025-10", "price as of 2026-09"]); // 14 and 2 months
  });
});

describe("coded amounts", () => {
  it("reads the currency code before or after the amount, with k/M/B", () => {
    expect(parseCodedAmount("COP 1.2B")).toEqual({ code: "COP", amount: 1.2e9 });
    expect(parseCodedAmount("250k BRL")).toEqual({ code: "BRL", amount: 250_000 });
    expect(parseCodedAmount("1.2B")).toBeUndefined();
    expect(parseCodedAmount("COP lots")).toBeUndefined(); // no digits: not a coded amount, left to the schema
  });
});
