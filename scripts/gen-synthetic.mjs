// Seeded generator of synthetic workload profiles and a synthetic catalog, for `npm run bench`.
// Profiles are variations of profiles/*.yaml (other presets of the same model family, SLOs and volumes
// scaled); offerings are variations of the built-in offerings (prices, counts, regions) over the
// built-in chips, so every generated file validates and exercises the same paths real ones do.
// Usage: node scripts/gen-synthetic.mjs <out-dir> [--profiles N] [--offerings N] [--seed S]
// Writes <out-dir>/profiles/p-00000.yaml …, <out-dir>/catalog/chips.yaml and offerings-NN.yaml
// (at most OFFERINGS_PER_FILE per file: input files are capped at 1 MiB).
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { parse, stringify } from "yaml";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
export const OFFERINGS_PER_FILE = 400; // offerings with many region prices run to ~2 kB each

/** mulberry32: small, fast, and the same sequence on every machine for a given seed. */
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = (r, xs) => xs[Math.floor(r() * xs.length)];
/** A factor between lo and hi, uniform on a log scale. */
const factor = (r, lo, hi) => Math.exp(Math.log(lo) + r() * (Math.log(hi) - Math.log(lo)));
const round3 = (x) => Number(x.toPrecision(3));

/** Scale a quantity: "800ms" → "1.2e3ms"-free "1200ms", "$0.13" → "$0.2", 64 → 90. Integers stay integers. */
function scaleQty(v, f) {
  if (typeof v === "number") return Number.isInteger(v) ? Math.max(1, Math.round(v * f)) : round3(v * f);
  const m = /^(\$?)([0-9.]+)\s*([A-Za-z/]*)$/.exec(String(v));
  if (!m) return v;
  return `${m[1]}${round3(Number(m[2]) * f)}${m[3]}`;
}

function scaleFields(obj, keys, r, lo, hi) {
  if (!obj) return;
  for (const k of keys) if (obj[k] !== undefined) obj[k] = scaleQty(obj[k], factor(r, lo, hi));
}

function templates() {
  const dir = join(root, "profiles");
  return readdirSync(dir)
    .filter((f) => f.endsWith(".yaml"))
    .sort()
    .map((f) => parse(readFileSync(join(dir, f), "utf8")))
    .filter((p) => p.workload && !p.stages); // single-stage profiles: pipelines have their own shape
}

export function generateProfiles(n, r, models) {
  const tpl = templates();
  const family = new Map(models.map((m) => [m.id, m.family]));
  const out = [];
  for (let i = 0; i < n; i++) {
    const p = structuredClone(pick(r, tpl));
    p.name = `synthetic-${String(i).padStart(5, "0")}-${p.name}`;
    delete p.description;
    const m = p.workload.model;
    if (typeof m === "string" && family.has(m)) {
      // Another preset of the same family keeps the profile's kind and fields meaningful.
      const same = models.filter((x) => x.family === family.get(m) && (!x.params || x.params < 1e11 || m === x.id));
      p.workload.model = pick(r, same).id;
    }
    scaleFields(p.slo, ["latency_p99", "throughput", "ttft", "tokens_per_s", "concurrency", "deadline"], r, 0.5, 2);
    scaleFields(p.volume, ["requests_per_day", "items_per_run"], r, 0.2, 5);
    scaleFields(p.workload.dataset, ["tokens", "samples"], r, 0.2, 5);
    scaleFields(p.constraints?.budget, ["monthly", "capex", "per_1m_inferences", "total"], r, 0.3, 3);
    if (p.volume?.sites !== undefined) p.volume.sites = Math.max(1, Math.round(p.volume.sites * factor(r, 0.1, 3)));
    out.push(p);
  }
  return out;
}

export function generateOfferings(n, r, builtinOfferings) {
  const out = [];
  for (let i = 0; i < n; i++) {
    const t = pick(r, builtinOfferings);
    const o = structuredClone(t);
    delete o.note;
    o.id = `syn-${String(i).padStart(5, "0")}-${t.id}`;
    o.name = `${t.name} (variant ${i})`;
    // Bigger units of datacenter parts now and then: more chip × count pairs, as real catalogs have.
    const grow = o.deployment !== "edge" && r() < 0.2 ? 2 : 1;
    o.count = t.count * grow;
    if (o.power_w !== undefined) o.power_w = Math.round(o.power_w * grow);
    const f = factor(r, 0.7, 1.4) * grow;
    if (o.capex_usd !== undefined) o.capex_usd = Math.round(o.capex_usd * f);
    if (o.lease_usd_per_month !== undefined) o.lease_usd_per_month = Math.round(o.lease_usd_per_month * f);
    if (o.regions) {
      o.regions = o.regions.map(({ note, ...reg }) => ({
        ...reg,
        usd_per_hour: round3(reg.usd_per_hour * f * factor(r, 0.9, 1.1)),
      }));
      for (const reg of o.regions) {
        delete reg.usd_per_hour_1y;
        delete reg.usd_per_hour_3y;
      }
    }
    out.push(o);
  }
  return out;
}

/** Write `profiles` profile files and a catalog of `offerings` offerings (plus the built-in chips) under dir. */
export function generate({ dir, profiles = 1000, offerings = 10000, seed = 7 }) {
  const builtin = JSON.parse(readFileSync(join(root, "dist", "builtin.json"), "utf8"));
  const chips = builtin.files.flatMap((f) => f.data.chips ?? []).map(({ note, ...c }) => c);
  // Variations of the offerings a merge keeps: retired ones (disabled, or on a disabled chip) would be dropped again.
  const disabledChips = new Set(
    builtin.files.flatMap((f) => (f.data.chips ?? []).filter((c) => c.disabled).map((c) => c.id)),
  );
  const builtinOfferings = builtin.files
    .flatMap((f) => f.data.offerings ?? [])
    .filter((o) => !o.disabled && !disabledChips.has(o.chip));
  const r = rng(seed);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, "profiles"), { recursive: true });
  mkdirSync(join(dir, "catalog"), { recursive: true });
  const ps = generateProfiles(profiles, r, builtin.models);
  ps.forEach((p, i) => writeFileSync(join(dir, "profiles", `p-${String(i).padStart(5, "0")}.yaml`), stringify(p)));
  // JSON is YAML too, and far quicker to write and read for thousands of entries.
  writeFileSync(join(dir, "catalog", "chips.yaml"), JSON.stringify({ chips }));
  const os = generateOfferings(offerings, r, builtinOfferings);
  const catalogFiles = [join(dir, "catalog", "chips.yaml")];
  for (let i = 0; i * OFFERINGS_PER_FILE < os.length; i++) {
    const file = join(dir, "catalog", `offerings-${String(i).padStart(2, "0")}.yaml`);
    writeFileSync(file, JSON.stringify({ offerings: os.slice(i * OFFERINGS_PER_FILE, (i + 1) * OFFERINGS_PER_FILE) }));
    catalogFiles.push(file);
  }
  return { profileDir: join(dir, "profiles"), catalogFiles, chips: chips.length };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2);
  const opt = (name, d) => {
    const i = args.indexOf(name);
    return i >= 0 ? Number(args[i + 1]) : d;
  };
  const dir = args.find((a, i) => !a.startsWith("--") && !(i > 0 && args[i - 1].startsWith("--")));
  if (!dir) {
    console.error("usage: node scripts/gen-synthetic.mjs <out-dir> [--profiles N] [--offerings N] [--seed S]");
    process.exit(2);
  }
  const g = generate({
    dir,
    profiles: opt("--profiles", 1000),
    offerings: opt("--offerings", 10000),
    seed: opt("--seed", 7),
  });
  console.log(
    `wrote ${opt("--profiles", 1000)} profiles to ${g.profileDir} and ${g.catalogFiles.length} catalog files (${g.chips} chips)`,
  );
}
