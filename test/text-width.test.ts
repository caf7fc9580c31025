import { createRequire } from "node:module";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { narrowWidth } from "../src/report/text-width.js";

// The measure the table renderer (cli-table3) uses; the build puts narrowWidth in front of it.
const stringWidth = createRequire(import.meta.url)("string-width") as (s: string) => number;

describe("narrowWidth, the build's fast path in front of string-width", () => {
  const chars = Array.from({ length: 0x2300 }, (_, i) => String.fromCharCode(i));

  it("gives string-width's answer for every character it accepts, and accepts what reports print", () => {
    const accepted = chars.filter((c) => narrowWidth(c) !== undefined);
    for (const c of accepted) expect(narrowWidth(c), `U+${c.charCodeAt(0).toString(16)}`).toBe(stringWidth(c));
    for (const c of "aZ09 ×—–…≥≤→•ñÁü$%|") expect(accepted).toContain(c);
  });

  it("declines what it cannot measure by length: controls, ANSI escapes, © and ®, wide and emoji characters", () => {
    for (const s of ["\u001b[2mdim\u001b[22m", "\t", "©", "®", "日本", "✅", "e\u0301"])
      expect(narrowWidth(s)).toBeUndefined();
  });

  it("agrees with string-width on any string of accepted characters", () => {
    const alphabet = chars.filter((c) => narrowWidth(c) !== undefined);
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...alphabet), { maxLength: 40 }), (cs) => {
        const s = cs.join("");
        expect(narrowWidth(s)).toBe(stringWidth(s));
      }),
      { seed: 7, numRuns: 300 },
    );
  });
});
