import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { auditCatalog, provenanceOf } from "../src/catalog/audit.js";
import type { Catalog } from "../src/catalog/schema.js";
import { hw, ROOT } from "./helpers/cli.js";
import { hwInProcess } from "./helpers/run.js";
import { validateJson } from "./helpers/json-schema.js";
import { makeChip, makeOffering } from "./helpers/data.js";

const TODAY = { HWADVISE_TODAY: "2026-12-05" };

describe("auditCatalog (pure)", () => {
  const chip = makeChip({ id: "c1", class: "cpu" });
  const region = (country: string, as_of: string, usd = 0.1) => ({
    region: `r-${country}`,
    country,
    usd_per_hour: usd,
    source: "https://github.com/skypilot-org/skypilot-catalog/blob/abc/catalogs/v8/oci/vms.csv",
    as_of,
  });
  const cat = (offerings: Catalog["offerings"], more: ReturnType<typeof makeChip>[] = []): Catalog => ({
    chips: new Map([chip, ...more].map((c) => [c.id, c])),
    offerings,
  });

  it("a price from 2025-12 is fresh on 2026-12-05, one from 2025-11 is stale; the oldest region decides", () => {
    const a = auditCatalog(
      cat([
        makeOffering({
          id: "fresh",
          chip: "c1",
          class: "cpu",
          deployment: "cloud",
          as_of: "2025-12",
          regions: [region("US", "2025-12")],
        }),
        makeOffering({
          id: "old-region",
          chip: "c1",
          class: "cpu",
          deployment: "cloud",
          as_of: "2026-11",
          regions: [region("US", "2026-11"), region("BR", "2025-11")],
        }),
      ]),
      [chip],
      { today: "2026-12-05", staleMonths: 12 },
    );
    expect(a.stale).toEqual({ offerings: 1, share: 0.5, ids: ["old-region"] });
  });

  it("a country whose regions rent only CPUs says so; chips nobody sells are listed, disabled ones with their reason", () => {
    const unsold = makeChip({ id: "unsold", class: "fpga" });
    const gone = makeChip({ id: "gone", class: "asic", disabled: true, note: "sold only as an API" });
    // `gone` is in the files but not in the merged catalog (disabled); `unsold` is live but nobody sells it.
    const a = auditCatalog(
      cat(
        [makeOffering({ id: "vm", chip: "c1", class: "cpu", deployment: "cloud", regions: [region("CO", "2026-12")] })],
        [unsold],
      ),
      [chip, unsold, gone],
      { today: "2026-12-05", staleMonths: 12 },
    );
    expect(a.in_country.find((r) => r.country === "CO")).toMatchObject({
      cloud_offerings: 1,
      accelerator_offerings: 0,
      cpu_offerings: 1,
      cpu_only: true,
    });
    expect(a.in_country.find((r) => r.country === "AR")).toMatchObject({ cloud_offerings: 0, cpu_only: false });
    expect(a.chips_without_offering).toEqual([
      { id: "unsold", class: "fpga", vendor: unsold.vendor, disabled: false },
      { id: "gone", class: "asic", vendor: gone.vendor, disabled: true, reason: "sold only as an API" },
    ]);
  });

  it("provenance: maker and cloud pages, the open catalog regenerated from pricing APIs, MLCommons, anyone else", () => {
    expect(provenanceOf("https://aws.amazon.com/ec2/pricing/on-demand/")).toBe("vendor");
    expect(provenanceOf("https://docs.oracle.com/en-us/iaas/Content/Compute/References/computeshapes.htm")).toBe(
      "vendor",
    );
    expect(provenanceOf("https://github.com/skypilot-org/skypilot-catalog/blob/abc/catalogs/v8/gcp/vms.csv")).toBe(
      "provider-api",
    );
    expect(provenanceOf("https://github.com/someone/gpu-prices/blob/main/x.csv")).toBe("third-party");
    expect(provenanceOf("https://mlcommons.org/benchmarks/inference-datacenter/")).toBe("mlcommons");
    expect(provenanceOf("https://notamazon.com/x")).toBe("third-party");
  });
});

describe("hwadvise catalog audit (JSON in this process, the table from the built CLI)", () => {
  const json = () => {
    const r = hwInProcess(["catalog", "audit", "--format", "json"], { env: TODAY });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    return JSON.parse(r.stdout);
  };

  it("JSON carries schemaVersion and validates against schema/catalog-audit.schema.json", () => {
    const a = json();
    expect(a.schemaVersion).toBe(1);
    expect(
      validateJson(JSON.parse(readFileSync(join(ROOT, "schema", "catalog-audit.schema.json"), "utf8")), a),
    ).toEqual([]);
  });

  it("the built-in catalog meets the targets of issue #17 but one; every chip without an offering says why", () => {
    const a = json();
    const target = (name: string) => a.targets.find((t: { name: string }) => t.name === name);
    // Met: stale prices 18 of 211 (8.5%, limit 10%) after re-reading the small AWS shapes, taking May-2026
    // street/used prices for the RTX cards and retiring the discontinued Coral Dev Board.
    expect(target("stale offerings (share)")).toMatchObject({ met: true });
    expect(a.stale.share).toBeLessThanOrEqual(0.1);
    // The one known miss: 8 chips have no offering (limit 5). 5 are disabled with the reason (MI250X,
    // Trainium2, Groq, Snapdragon 8 Gen 3, speedAI240: no public price, no on-demand rental, or no longer
    // sold); M3 Max, GH200 144 GB and Cloud AI 100 Ultra are still sold but no dated public price or rental
    // was found, and their published results calibrate or validate the model.
    const known = new Set(["chips without an offering"]);
    const missed = a.targets
      .filter((t: { name: string; met: boolean }) => !t.met && !known.has(t.name))
      .map(
        (t: { name: string; measured: number; comparison: string; limit: number }) =>
          `${t.name}: ${t.measured} (want ${t.comparison} ${t.limit})`,
      );
    expect(missed).toEqual([]);
    expect(a.chips_without_offering.length).toBeLessThanOrEqual(8);
    for (const c of a.chips_without_offering)
      expect(c.reason, c.id).toMatch(c.disabled ? /^DISABLED: .{30,}/ : /^NO OFFERING.{30,}/);
    // Colombia: Oracle's Bogotá region rents CPUs only, and the audit says so.
    expect(a.in_country.find((r: { country: string }) => r.country === "CO")).toMatchObject({
      accelerator_offerings: 0,
      cpu_only: true,
    });
  });

  it("the table shows the targets, the in-country counts and the stale share; audit takes no id", () => {
    const r = hw(["catalog", "audit"], { env: TODAY });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^Catalog audit \(as of 2026-12-05; a price older than 12 months is stale\): \d+ chips, \d+ offerings/,
    );
    expect(r.stdout).toMatch(/\nCO +\d+ +0 \(CPU only\)|\nCO +\d+ +\d+ +\d+/);
    expect(r.stdout).toContain("Stale prices: ");
    const bad = hw(["catalog", "audit", "x"], { env: TODAY });
    expect(bad).toMatchObject({ code: 2, stdout: "" });
    expect(bad.stderr).toContain("catalog audit takes no id");
  });
});
