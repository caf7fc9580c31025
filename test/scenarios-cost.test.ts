import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { estimateOption } from "../src/estimate/option.js";
import { resolveModel, resolveWorkload } from "../src/estimate/workload.js";
import { parseProfile } from "../src/profile/parse.js";
import { recommendWorkload } from "../src/recommend.js";
import { builtinData } from "./helpers/data.js";
import { ROOT } from "./helpers/cli.js";

/**
 * Cost scenarios: a profile plus an `expect:` block saying what an ML systems engineer would sign —
 * the top pick's `class` (one or a list), `deployment`, how it is paid for (`pay`: rent, buy or lease),
 * offering ids or classes it must `never` be, and the `rationale`.
 */
interface Expect {
  readonly class?: string | string[];
  readonly deployment?: string;
  readonly pay?: "rent" | "buy" | "lease";
  readonly never?: string[];
  readonly rationale: string;
}

const DIR = join(ROOT, "test", "scenarios", "cost");
const PAY = { "rent-on-demand": "rent", buy: "buy", lease: "lease" } as const;

describe("cost scenarios: the way to pay an expert would sign", () => {
  const b = builtinData();
  for (const f of readdirSync(DIR)
    .filter((x) => x.endsWith(".yaml"))
    .sort()) {
    it(f, () => {
      const { expect: want, ...profileDoc } = parse(readFileSync(join(DIR, f), "utf8")) as { expect: Expect };
      expect(want?.rationale, `${f} states its rationale`).toBeTruthy();
      const parsed = parseProfile(f, stringify(profileDoc), b.models);
      if (!parsed.ok) throw new Error(`${f}: ${JSON.stringify(parsed.problems)}`);
      const p = parsed.value.profile;
      const w = resolveWorkload(p, resolveModel(p.workload.model, b.models));
      const top = recommendWorkload(f, w, b.catalog, b.calibration, { keep: { top: 1 } }).recommendations[0]!;
      const why = `${f}: top pick ${top.id} (${top.class}, ${top.deployment}); ${want.rationale}`;
      expect(top.feasible, why).toBe(true);
      if (want.class !== undefined) expect([want.class].flat(), why).toContain(top.class);
      if (want.deployment !== undefined) expect(top.deployment, why).toBe(want.deployment);
      for (const n of want.never ?? []) expect([top.id, top.class], why).not.toContain(n);
      if (want.pay !== undefined) {
        const o = b.catalog.offerings.find((x) => x.id === top.id)!;
        const est = estimateOption(o, b.catalog.chips.get(o.chip)!, w, b.calibration);
        expect(PAY[est.cost!.way], why).toBe(want.pay);
      }
    });
  }
});
