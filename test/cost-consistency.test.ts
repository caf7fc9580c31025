import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { costItems, monthlyUsd } from "../src/cost/index.js";
import { resolveModel, resolveWorkload, type Workload } from "../src/estimate/workload.js";
import { stageProfile, resolveShares } from "../src/pipeline/index.js";
import { parseProfile } from "../src/profile/parse.js";
import type { Profile } from "../src/profile/schema.js";
import { estimateAsRanked, offeringFacts, recommendWorkload } from "../src/recommend.js";
import { estimateTco } from "../src/tco/index.js";
import { builtinData } from "./helpers/data.js";
import { ROOT } from "./helpers/cli.js";

/** Every example profile as workloads: single ones, and each stage of a pipeline. */
function exampleWorkloads(): { name: string; w: Workload }[] {
  const b = builtinData();
  const dir = join(ROOT, "profiles");
  const out: { name: string; w: Workload }[] = [];
  for (const f of readdirSync(dir)
    .filter((x) => x.endsWith(".yaml"))
    .sort()) {
    const r = parseProfile(f, readFileSync(join(dir, f), "utf8"), b.models);
    if (!r.ok) throw new Error(`${f} does not parse`);
    const p: Profile = r.value.profile;
    const profiles = p.stages ? p.stages.map((_, i) => stageProfile(p, i, resolveShares(p.stages!)[i]!)) : [p];
    for (const sp of profiles)
      out.push({ name: `${f}:${sp.name}`, w: resolveWorkload(sp, resolveModel(sp.workload.model, b.models)) });
  }
  return out;
}

// recommend, check and pipelines read an option's monthly cost and capex from the recommendation;
// tco lays the same option out as line items; --explain prints them. One cost module makes them one figure.
describe("one cost of ownership: recommend, tco and --explain agree on every option of the catalog", () => {
  const b = builtinData();
  for (const { name, w } of exampleWorkloads()) {
    it(name, () => {
      const r = recommendWorkload(name, w, b.catalog, b.calibration);
      let compared = 0;
      for (const rec of r.recommendations) {
        const o = b.catalog.offerings.find((x) => x.id === rec.id)!;
        const est = estimateAsRanked(o, b.catalog.chips.get(o.chip)!, w, b.calibration, offeringFacts(b.catalog, o));
        if (!est.cost || rec.estimates.monthly_cost_usd === undefined) continue;
        const t = estimateTco([est], w, w.costs);
        const way = t.options[0]!.ways.find((x) => x.way === est.cost!.way)!;
        const months = est.cost.tenure.months;
        // tco's way total over the months it is paid = recommend's monthly cost
        expect(way.totalUsd / months, `${rec.id} ${way.way}`).toBeCloseTo(rec.estimates.monthly_cost_usd, 6);
        expect(monthlyUsd(est.cost)).toBeCloseTo(rec.estimates.monthly_cost_usd, 6);
        // the line items --explain prints add up to the same total
        const items = costItems(est.cost, w.costs);
        expect(items.reduce((s, x) => s + x.totalUsd, 0)).toBeCloseTo(way.totalUsd, 6);
        // capex: what the buy way pays at the start (cash share + import) is recommend's capex
        if (rec.estimates.capex_usd !== undefined && w.costs.financed === 0) {
          const upfront = way.lineItems.filter((x) => x.when === "start").reduce((s, x) => s + x.totalUsd, 0);
          expect(upfront, rec.id).toBeCloseTo(rec.estimates.capex_usd, 6);
        }
        compared++;
      }
      expect(compared).toBeGreaterThan(10);
    });
  }
});
