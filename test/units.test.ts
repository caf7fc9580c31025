import { describe, expect, it } from "vitest";
import {
  parseBytesGb,
  parseCount,
  parseDurationH,
  parseDurationMs,
  parseFlops,
  parseFraction,
  parsePowerW,
  parseRatePerS,
  parseUsd,
  parseYears,
} from "../src/profile/units.js";

const v = (r: { ok: boolean; value?: number }) => (r.ok ? (r as { value: number }).value : undefined);

describe("unit parsing", () => {
  it.each([
    ["50ms", 50],
    ["1.5s", 1500],
    ["250us", 0.25],
    ["2 min", 120_000],
    [40, 40],
  ])("duration %s → %d ms", (input, ms) => expect(v(parseDurationMs(input))).toBeCloseTo(ms, 9));

  it.each([
    ["72h", 72],
    ["14d", 336],
    ["90min", 1.5],
    [10, 10],
  ])("deadline %s → %d h", (input, h) => expect(v(parseDurationH(input))).toBeCloseTo(h, 9));

  it.each([
    ["15W", 15],
    ["2kW", 2000],
    ["500mW", 0.5],
    ["1.2 MW", 1.2e6],
  ])("power %s → %d W", (input, w) => expect(v(parsePowerW(input))).toBeCloseTo(w, 9));

  it.each([
    ["7B", 7e9],
    ["350M", 3.5e8],
    ["11.2M", 1.12e7],
    ["2M", 2e6],
    ["50k", 5e4],
    ["1_000", 1000],
  ])("count %s → %d", (input, n) => expect(v(parseCount(input))).toBeCloseTo(n, 0));

  it("FLOPs with or without the unit name", () => {
    expect(v(parseFlops("28.6G"))).toBeCloseTo(28.6e9, 0);
    expect(v(parseFlops("8.2GFLOPs"))).toBeCloseTo(8.2e9, 0);
    expect(v(parseFlops("1.2T"))).toBeCloseTo(1.2e12, 0);
  });

  it.each([
    ["$5000", 5000],
    ["$100k", 100_000],
    ["$0.50", 0.5],
    ["$2.5M", 2.5e6],
    ["$1,200", 1200],
  ])("money %s → %d USD", (input, usd) => expect(v(parseUsd(input))).toBeCloseTo(usd, 9));

  it.each([
    ["30/s", 30],
    ["1800/min", 30],
    ["2M/day", 2e6 / 86400],
    ["100 rps", 100],
    ["60fps", 60],
    ["15Hz", 15],
    ["15 hz", 15],
    ["1kHz", 1000],
    ["2.5k fps", 2500],
    [12, 12],
  ])("rate %s → %d per second", (input, r) => expect(v(parseRatePerS(input))).toBeCloseTo(r, 9));

  it("sizes, shares and years", () => {
    expect(v(parseBytesGb("512MB"))).toBeCloseTo(0.512, 9);
    expect(v(parseBytesGb("80GiB"))).toBeCloseTo(85.899, 3);
    expect(v(parseFraction("5%"))).toBeCloseTo(0.05, 9);
    expect(v(parseYears("36mo"))).toBeCloseTo(3, 9); // 36 × 30.4375 d = 1095.75 d = 3 × 365.25 d
    expect(v(parseYears("3y"))).toBe(3);
  });

  it.each(["30 parsecs", "fast", "", "ms", "1e999ms", "$", "--5ms"])("rejects %j with what it expected", (input) => {
    const r = parseDurationMs(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.expected).toMatch(/duration such as/);
  });

  it("rejects a dollar sign on a non-money quantity and non-finite numbers", () => {
    expect(parsePowerW("$15").ok).toBe(false);
    expect(parseCount(Number.NaN).ok).toBe(false);
    expect(parseCount(Number.POSITIVE_INFINITY).ok).toBe(false);
    expect(parseFraction("150%").ok).toBe(false);
  });
});
