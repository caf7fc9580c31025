// The pure core under load: parse profiles → resolveWorkload → recommendWorkload over a catalog of
// generated offerings. Bundled and run in a child process by scripts/bench.mjs, so its peak memory
// (maxRSS) is its own. Prints one JSON line.
// Usage: node bench-core.cjs <profile-dir> <profiles> <offerings> <catalog files…>
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { mergeCatalog, parseCatalogFile, type ParsedCatalogFile } from "../src/catalog/parse.js";
import type { Catalog } from "../src/catalog/schema.js";
import { readBuiltin } from "../src/cli/builtin.js";
import { resolveModel, resolveWorkload } from "../src/estimate/workload.js";
import { parseProfile } from "../src/profile/parse.js";
import { recommendWorkload } from "../src/recommend.js";

const [dir, nProfilesArg, nOfferingsArg, ...catalogFiles] = process.argv.slice(2);
const nProfiles = Number(nProfilesArg);
const nOfferings = Number(nOfferingsArg);
const b = readBuiltin();

/** As the CLI loads overlays: the parsed files (with their YAML documents) are garbage once merged. */
function loadCatalog(): Catalog {
  const files: ParsedCatalogFile[] = [];
  for (const f of catalogFiles) {
    const r = parseCatalogFile({ file: f, text: readFileSync(f, "utf8") });
    if (!r.ok) throw new Error(`${f}: ${r.problems[0]?.message}`);
    files.push(r.value);
  }
  const merged = mergeCatalog(files);
  if (!merged.ok) throw new Error(merged.problems[0]?.message);
  return { chips: merged.value.chips, offerings: merged.value.offerings.slice(0, nOfferings) };
}

const t0 = performance.now();
const catalog = loadCatalog();
const t1 = performance.now();

const names = readdirSync(dir!)
  .filter((f) => f.endsWith(".yaml"))
  .sort()
  .slice(0, nProfiles);
const workloads = names.map((f) => {
  const r = parseProfile(f, readFileSync(join(dir!, f), "utf8"), b.models);
  if (!r.ok) throw new Error(`${f}: ${r.problems[0]?.message}`);
  return { file: f, w: resolveWorkload(r.value.profile, resolveModel(r.value.profile.workload.model, b.models)) };
});
const t2 = performance.now();

// As `check` evaluates: every option estimated, judged and ranked; only the winner written out.
let feasible = 0;
let checksum = 0;
for (const { file, w } of workloads) {
  const r = recommendWorkload(file, w, catalog, b.calibration, { today: "2026-11-28", keep: { top: 1 } });
  const top = r.recommendations[0];
  if (top?.feasible) feasible++;
  checksum += r.recommendations.length;
}
const t3 = performance.now();

const evaluations = workloads.length * catalog.offerings.length;
console.log(
  JSON.stringify({
    profiles: workloads.length,
    offerings: catalog.offerings.length,
    evaluations,
    catalog_parse_ms: t1 - t0,
    profile_parse_ms: t2 - t1,
    eval_ms: t3 - t2,
    evals_per_s: evaluations / ((t3 - t2) / 1000),
    profiles_with_feasible_option: feasible,
    recommendations: checksum,
    max_rss_mb: process.resourceUsage().maxRSS / 1024,
  }),
);
