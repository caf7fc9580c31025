import { describe, expect, it } from "vitest";
import { LIMITS } from "../src/catalog/schema.js";
import { builtinData } from "./helpers/data.js";
import { badLines, runCli, scratch } from "./helpers/run.js";

const chip = (over: Record<string, string> = {}) => {
  const f: Record<string, string> = {
    id: "my-chip",
    name: "My chip",
    vendor: "Me",
    class: "gpu",
    peak_tops: "{ fp16: 100 }",
    memory_gb: "24",
    memory_bw_gbps: "1000",
    tdp_w: "300",
    idle_w: "30",
    runtimes: "[onnx]",
    source: '"https://example.com"',
    as_of: "2026-01-01",
    ...over,
  };
  return (
    "  - " +
    Object.entries(f)
      .map(([k, v]) => `${k}: ${v}`)
      .join("\n    ") +
    "\n"
  );
};
const offering = (over: Record<string, string> = {}) => {
  const f: Record<string, string> = {
    id: "my-offering",
    name: "Mine",
    chip: "my-chip",
    count: "1",
    class: "cloud-gpu",
    deployment: "cloud",
    regions: '[{ region: r1, country: US, usd_per_hour: 2, source: "https://example.com", as_of: 2026-01-01 }]',
    source: '"https://example.com"',
    as_of: "2026-01-01",
    ...over,
  };
  return (
    "  - " +
    Object.entries(f)
      .map(([k, v]) => `${k}: ${v}`)
      .join("\n    ") +
    "\n"
  );
};

/** `catalog --catalog FILE` on one overlay: the stderr lines with the file name cut off, and the exit code. */
function overlay(content: string | Uint8Array): { code: number; lines: string[] } {
  const s = scratch();
  const file = s.write("overlay.yaml", content);
  const r = runCli(["catalog", "--catalog", file, "--format", "json"]);
  expect(badLines(r.stderr, [file])).toEqual([]);
  if (r.code !== 0) expect(r.stdout).toBe("");
  return {
    code: r.code,
    lines: r.stderr
      .split("\n")
      .filter(Boolean)
      .map((l) => l.slice(file.length)),
  };
}

describe("a catalog overlay that is not a catalog", () => {
  it("empty, only comments, a list, a scalar", () => {
    expect(overlay("")).toEqual({ code: 2, lines: [": file is empty; expected a YAML mapping"] });
    expect(overlay("# nothing yet\n").lines).toEqual([
      ": catalog file is empty; expected a mapping with `chips:` and/or `offerings:`",
    ]);
    expect(overlay("- my-chip\n").lines).toEqual([
      ":1:1: expected a mapping with `chips:` and/or `offerings:`, found a list",
    ]);
    expect(overlay("chips\n").lines).toEqual([
      ":1:1: expected a mapping with `chips:` and/or `offerings:`, found a scalar",
    ]);
  });
  it("invalid YAML, duplicate keys, an alias bomb", () => {
    expect(overlay("chips:\n\t- id: x\n").lines[0]).toMatch(/^:2:1: invalid YAML: Tabs are not allowed/);
    expect(overlay("chips: []\nchips: []\n").lines).toEqual([
      ":2:1: invalid YAML: duplicate key `chips` (keys must be unique in a mapping)",
    ]);
    let bomb = "a0: &a0 [x, x, x, x, x, x, x, x, x]\n";
    for (let i = 1; i <= 9; i++)
      bomb += `a${i}: &a${i} [${Array.from({ length: 9 }, () => `*a${i - 1}`).join(", ")}]\n`;
    expect(overlay(bomb).lines).toEqual([
      ":2:10: YAML could not be read: Excessive alias count indicates a resource exhaustion attack",
    ]);
  });
  it("binary, invalid UTF-8; a BOM and CRLF are fine", () => {
    expect(overlay(new Uint8Array([0, 1, 2, 3])).lines).toEqual([
      ": file holds binary data (NUL bytes), expected YAML text",
    ]);
    expect(overlay(new Uint8Array([0x63, 0x68, 0x69, 0x70, 0x73, 0x3a, 0x20, 0xff, 0x0a])).lines).toEqual([
      ": file is not valid UTF-8 text",
    ]);
    expect(
      overlay(new Uint8Array([0xef, 0xbb, 0xbf, ...Buffer.from(("chips:\n" + chip()).replace(/\n/g, "\r\n"))])).code,
    ).toBe(0);
  });
  it("unknown keys at any depth, with did-you-mean", () => {
    expect(overlay("chip:\n" + chip()).lines).toEqual([":1:1 chip: unknown key `chip` — did you mean `chips`?"]);
    expect(overlay("chips:\n" + chip({ memroy_gb: "3" })).lines).toEqual([
      ":14:5 chips[0].memroy_gb: unknown key `memroy_gb` — did you mean `memory_gb`?",
    ]);
    expect(overlay("chips:\n" + chip({ peak_tops: "{ fp61: 100 }" })).lines).toEqual([
      ":6:18 chips[0].peak_tops.fp61: unknown key `fp61` — did you mean `fp16`?",
    ]);
  });
  it("wrong types, NaN, a number as a string", () => {
    expect(overlay("chips:\n" + chip({ memory_gb: ".nan", tdp_w: '"300"', class: "gpus" })).lines).toEqual([
      ':5:12 chips[0].class: expected one of "gpu", "asic", "edge-gpu", "npu", "mcu", "fpga", "cpu", found "gpus" — did you mean "gpu"?',
      ":7:16 chips[0].memory_gb: expected a finite number, found NaN",
      ':9:12 chips[0].tdp_w: expected number, found "300" — write the number without quotes',
    ]);
  });
});

describe("catalog references and ids", () => {
  it("an offering that references a missing chip names the nearest one", () => {
    expect(overlay("offerings:\n" + offering({ chip: "nvidia-l5" })).lines).toEqual([
      ":4:11 offerings[0].chip: no chip `nvidia-l5` in the catalog — did you mean `nvidia-l4`?",
    ]);
  });
  it("duplicate chip and offering ids in one file", () => {
    expect(overlay("chips:\n" + chip() + chip() + "offerings:\n" + offering() + offering()).lines).toEqual([
      ":14:9 chips[1].id: duplicate chip id `my-chip`",
      ":36:9 offerings[1].id: duplicate offering id `my-offering`",
    ]);
  });
  it("an overlay may replace a built-in entry by id (not a duplicate)", () => {
    expect(overlay("offerings:\n" + offering({ id: "aws-g6-xlarge", chip: "nvidia-l4" })).code).toBe(0);
  });
  it("disabling an id that does not exist", () => {
    expect(overlay("disable: [nvidia-l5]\n").lines).toEqual([
      ":1:11 disable[0]: no chip or offering `nvidia-l5` to disable — did you mean `nvidia-l4`?",
    ]);
  });
});

describe("figures out of physical range", () => {
  it("every built-in entry is inside the limits (so the limits refuse only typos)", () => {
    const { catalog } = builtinData();
    for (const c of catalog.chips.values()) {
      expect(Math.max(...Object.values(c.peak_tops))).toBeLessThanOrEqual(LIMITS.peakTops);
      expect(c.tdp_w).toBeLessThanOrEqual(LIMITS.tdpW);
      expect(c.idle_w).toBeLessThan(c.tdp_w);
      expect(c.memory_gb).toBeLessThanOrEqual(LIMITS.memoryGb);
    }
    for (const o of catalog.offerings)
      for (const r of o.regions ?? []) expect(r.usd_per_hour / o.count).toBeLessThanOrEqual(LIMITS.usdPerHourPerDevice);
  });
  it("chip: peak, memory, TDP, idle ≥ TDP, zero and negative", () => {
    expect(
      overlay("chips:\n" + chip({ peak_tops: "{ fp16: 1e9 }", memory_gb: "20000", tdp_w: "1e6", memory_bw_gbps: "-5" }))
        .lines,
    ).toEqual([
      ":6:24 chips[0].peak_tops.fp16: expected number to be <=100000, found 1000000000",
      ":7:16 chips[0].memory_gb: expected number to be <=10000, found 20000",
      ":8:21 chips[0].memory_bw_gbps: expected number to be >0, found -5",
      ":9:12 chips[0].tdp_w: expected number to be <=30000, found 1000000",
    ]);
    expect(overlay("chips:\n" + chip({ idle_w: "300" })).lines).toEqual([
      ":10:13 chips[0].idle_w: idle power 300 W must be below TDP 300 W",
    ]);
    expect(overlay("chips:\n" + chip({ peak_tops: "{}" })).lines).toEqual([
      ":6:16 chips[0].peak_tops: needs at least one precision's peak",
    ]);
  });
  it("offering: price per device per hour, capex per device, power per device, zero price", () => {
    // 8 devices at $4,000/h is $500/device/h: allowed; $4,001 is not.
    expect(
      overlay(
        "offerings:\n" +
          offering({
            chip: "nvidia-l4",
            count: "8",
            regions:
              '[{ region: r1, country: US, usd_per_hour: 4000, source: "https://example.com", as_of: 2026-01-01 }]',
          }),
      ).code,
    ).toBe(0);
    expect(
      overlay(
        "offerings:\n" +
          offering({
            chip: "nvidia-l4",
            count: "8",
            regions:
              '[{ region: r1, country: US, usd_per_hour: 4001, source: "https://example.com", as_of: 2026-01-01 }]',
          }),
      ).lines,
    ).toEqual([
      ":8:56 offerings[0].regions[0].usd_per_hour: $4001/h for 8 device(s) is over $500/h per device; check the unit (USD per hour for the whole offering)",
    ]);
    expect(
      overlay(
        "offerings:\n" +
          offering({
            chip: "nvidia-l4",
            deployment: "on-prem",
            class: "onprem-gpu",
            regions: "[]",
            capex_usd: "$6M",
            power_w: "50000",
          }),
      ).lines,
    ).toEqual([
      ":11:16 offerings[0].capex_usd: $6000000 for 1 device(s) is over $5000000 per device; check the unit (USD for the whole unit)",
      ":12:14 offerings[0].power_w: 50000 W for 1 device(s) is over 30000 W per device; check the unit (watts for the whole unit)",
    ]);
    expect(
      overlay(
        "offerings:\n" +
          offering({
            chip: "nvidia-l4",
            regions: '[{ region: r1, country: US, usd_per_hour: 0, source: "https://example.com", as_of: 2026-01-01 }]',
          }),
      ).lines,
    ).toEqual([":8:56 offerings[0].regions[0].usd_per_hour: expected a value above 0 USD, found 0"]);
  });
});

describe("catalog overlays through the CLI", () => {
  it("a missing overlay file, and one from HWADVISE_CATALOG", () => {
    const r = runCli(["catalog", "--catalog", "nope.yaml"]);
    expect([r.code, r.stderr]).toEqual([2, "nope.yaml: no such file\n"]);
    const e = runCli(["catalog"], { HWADVISE_CATALOG: "nope2.yaml" });
    expect([e.code, e.stderr]).toEqual([2, "nope2.yaml: no such file\n"]);
  });
  it("a bad overlay stops recommend before any output (the catalog is shared by every profile)", () => {
    const s = scratch();
    const f = s.write("o.yaml", "chips: 5\n");
    const r = runCli(["recommend", "profiles/farm-sensor.yaml", "--catalog", f]);
    expect([r.code, r.stdout, r.stderr]).toEqual([2, "", `${f}:1:8 chips: expected array, found 5\n`]);
  });
});
