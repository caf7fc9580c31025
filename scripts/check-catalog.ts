// Validate catalog/*.yaml and print counts per class. Run: npx tsx scripts/check-catalog.ts
import "./fail-cleanly.js";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseCatalogFile, mergeCatalog, type ParsedCatalogFile } from "../src/catalog/parse.js";
import { formatProblem } from "../src/errors.js";
import { catalogFileNames } from "../src/cli/builtin.js";

const dir = join(import.meta.dirname, "..", "catalog");
process.stdout.on("error", () => process.exit(0));
const files = catalogFileNames(join(dir, ".."));
const parsed: ParsedCatalogFile[] = [];
let bad = false;
for (const f of files) {
  const r = parseCatalogFile({ file: join("catalog", f), text: readFileSync(join(dir, f), "utf8") });
  if (!r.ok) {
    bad = true;
    r.problems.forEach((p) => console.error(formatProblem(p)));
  } else parsed.push(r.value);
}
const m = mergeCatalog(parsed);
if (!m.ok) {
  m.problems.forEach((p) => console.error(formatProblem(p)));
  process.exit(2);
}
if (bad) process.exit(2);
const count = (xs: string[]) =>
  Object.entries(
    xs.reduce<Record<string, number>>((a, x) => {
      a[x] = (a[x] ?? 0) + 1;
      return a;
    }, {}),
  )
    .sort()
    .map(([k, v]) => `${k}=${v}`)
    .join(" ");
console.log(`chips ${m.value.chips.size}: ${count([...m.value.chips.values()].map((c) => c.class))}`);
console.log(`offerings ${m.value.offerings.length}: ${count(m.value.offerings.map((o) => o.class))}`);
console.log(`providers: ${count(m.value.offerings.map((o) => o.provider ?? o.deployment))}`);
const regionKeys = m.value.offerings.flatMap((o) =>
  (o.regions ?? []).map((r) => `${o.provider ?? "?"}/${r.region}(${r.country})`),
);
console.log(`cloud regions (offerings priced there): ${count(regionKeys)}`);
console.log(
  `cloud countries: ${count(m.value.offerings.flatMap((o) => [...new Set((o.regions ?? []).map((r) => r.country))]))}`,
);
console.log(`deployments: ${count(m.value.offerings.map((o) => o.deployment))}`);
