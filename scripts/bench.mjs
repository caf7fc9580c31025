// `npm run bench`: start-up time against `node -e 0` measured in the same run, and evaluation speed,
// linearity and peak memory over generated profiles × offerings (scripts/gen-synthetic.mjs, seeded).
// `--quick` is the short form CI runs: few repetitions, small sizes, no targets judged — it checks the
// bench runs and its outputs are sane (exit 1 if not). Timings never fail the run.
// Needs a build (npm run build): it times dist/hwadvise.cjs as a user runs it.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { generate } from "./gen-synthetic.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const BIN = join(root, "dist", "hwadvise.cjs");
const quick = process.argv.includes("--quick");
const keep = process.argv.includes("--keep");
const START_RATIO = 1.5;
const EVALS_PER_S = 1_000_000;
const MAX_RSS_MB = 300;

if (!existsSync(BIN)) {
  console.error("bench: dist/hwadvise.cjs is missing; run `npm run build` first");
  process.exit(2);
}

const tmp = mkdtempSync(join(tmpdir(), "hwadvise-bench-"));
const insane = [];
const sane = (ok, what) => {
  if (!ok) insane.push(what);
};
const env = { PATH: process.env.PATH ?? "", NO_COLOR: "1", HWADVISE_TODAY: "2026-11-28" };
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const fmt = (x, d = 1) => x.toFixed(d);
const verdict = (ok) => (quick ? "(quick)" : ok ? "PASS" : "FAIL");
const results = [];

/** Wall time of one process, ms; with `rss`, its peak resident memory too (a preload reports it at exit). */
function timed(cmd, args, { rss = false, cwd = root } = {}) {
  const rssFile = join(tmp, "rss.txt");
  const pre = rss ? ["--require", join(tmp, "rss.cjs")] : [];
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, [...pre, ...args], {
    cwd,
    env: { ...env, BENCH_RSS_FILE: rssFile },
    encoding: "utf8",
    maxBuffer: 1 << 30,
  });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  return {
    ms,
    code: r.status,
    stdout: r.stdout ?? "",
    stderr: r.stderr ?? "",
    rssMb: rss && existsSync(rssFile) ? Number(readFileSync(rssFile, "utf8")) / 1024 : undefined,
  };
}
writeFileSync(
  join(tmp, "rss.cjs"),
  'process.on("exit", () => require("fs").writeFileSync(process.env.BENCH_RSS_FILE, String(process.resourceUsage().maxRSS)));\n',
);

function hwadviseHas(command) {
  // commander answers `--help` for an unknown command with the program's help: look for the command's own usage line.
  const r = spawnSync(process.execPath, [BIN, command, "--help"], { cwd: root, env, encoding: "utf8" });
  return r.status === 0 && r.stdout.includes(`Usage: hwadvise ${command}`);
}

// ── 1. Start-up: interleaved repetitions, medians, ratio to `node -e 0` ─────────────────────────────
const argNum = (name, d) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : d;
};
const reps = argNum("--reps", quick ? 3 : 21);
const startCases = [
  { name: "recommend profiles/llm-chat.yaml", args: ["recommend", "profiles/llm-chat.yaml"] },
  { name: "catalog", args: ["catalog"] },
  { name: "schema profile", args: ["schema", "profile"] },
];
const base = [];
const times = startCases.map(() => []);
for (let i = 0; i < reps + 1; i++) {
  const n = timed(process.execPath, ["-e", "0"]);
  const ts = startCases.map((c) => timed(process.execPath, [BIN, ...c.args]));
  if (i === 0) {
    // The first round warms the file cache; check the outputs, keep no times.
    ts.forEach((t, j) =>
      sane(
        t.code === 0 && t.stdout.length > 100,
        `${startCases[j].name}: exit ${t.code}, ${t.stdout.length} bytes out ${t.stderr.slice(0, 200)}`,
      ),
    );
    continue;
  }
  base.push(n.ms);
  ts.forEach((t, j) => times[j].push(t.ms));
}
const nodeMs = median(base);
console.log(
  `start-up (median of ${reps} interleaved runs; reference \`node -e 0\` = ${fmt(nodeMs)} ms, target ≤ ${START_RATIO}×)`,
);
for (const [j, c] of startCases.entries()) {
  const ms = median(times[j]);
  const ratio = ms / nodeMs;
  results.push({ target: `start: hwadvise ${c.name}`, ok: ratio <= START_RATIO });
  console.log(
    `  hwadvise ${c.name.padEnd(34)} ${fmt(ms).padStart(7)} ms  ref ${fmt(nodeMs)} ms  ratio ${fmt(ratio, 2)}×  ${verdict(ratio <= START_RATIO)}`,
  );
}

// ── 2. Scale: the pure core over generated profiles × offerings ─────────────────────────────────────
const P = argNum("--profiles", quick ? 20 : 1000);
const N = argNum("--offerings", quick ? 300 : 10000);
const gen = generate({ dir: join(tmp, "syn"), profiles: P, offerings: N, seed: 7 });
const core = join(tmp, "bench-core.cjs");
await build({
  entryPoints: [join(root, "scripts", "bench-core.ts")],
  bundle: true,
  platform: "node",
  format: "cjs",
  target: "node20",
  outfile: core,
  logLevel: "error",
  // builtin.ts finds the package root from import.meta.url: point it into dist/.
  banner: { js: `var __import_meta_url = ${JSON.stringify("file://" + join(root, "dist", "bench-core.cjs"))};` },
  define: { "import.meta.url": "__import_meta_url" },
});

function runCore(profiles, offerings) {
  const r = timed(process.execPath, [core, gen.profileDir, String(profiles), String(offerings), ...gen.catalogFiles]);
  sane(r.code === 0, `core ${profiles}×${offerings}: exit ${r.code} ${r.stderr.slice(0, 300)}`);
  if (r.code !== 0) return undefined;
  const j = JSON.parse(r.stdout.trim().split("\n").pop());
  sane(
    j.evaluations === profiles * offerings && j.recommendations >= profiles,
    `core ${profiles}×${offerings}: ${j.evaluations} evaluations, ${j.recommendations} recommendations`,
  );
  sane(j.profiles_with_feasible_option > 0, `core ${profiles}×${offerings}: no profile found a feasible option`);
  return j;
}

const sweeps = quick
  ? [
      [P, 30],
      [P, 300],
      [2, N],
    ]
  : [
      [100, 100],
      [100, 1000],
      [100, 10000],
      [10, 1000],
      [1000, 1000],
    ];
console.log(`\nscale: parse profiles → resolveWorkload → recommendWorkload (${gen.chips} chips; one process per row)`);
console.log("  profiles × offerings   evaluations   eval time   ns/eval   evals/s      peak RSS");
const rows = [];
for (const [p, n] of sweeps) {
  const j = runCore(p, n);
  if (!j) continue;
  rows.push(j);
  console.log(
    `  ${`${p} × ${n}`.padEnd(22)} ${String(j.evaluations).padStart(11)} ${fmt(j.eval_ms).padStart(9)} ms ${fmt((j.eval_ms * 1e6) / j.evaluations, 0).padStart(8)} ${fmt(j.evals_per_s / 1e6, 2).padStart(7)} M/s ${fmt(j.max_rss_mb, 0).padStart(7)} MB`,
  );
}
const full = rows.find((r) => r.profiles === P && r.offerings === N) ?? runCore(P, N);
if (full && !rows.includes(full)) {
  rows.push(full);
  console.log(
    `  ${`${P} × ${N}`.padEnd(22)} ${String(full.evaluations).padStart(11)} ${fmt(full.eval_ms).padStart(9)} ms ${fmt((full.eval_ms * 1e6) / full.evaluations, 0).padStart(8)} ${fmt(full.evals_per_s / 1e6, 2).padStart(7)} M/s ${fmt(full.max_rss_mb, 0).padStart(7)} MB`,
  );
}
if (full) {
  // Linear in profiles × offerings: work never grows faster than the number of evaluations. Going from
  // one run to a bigger one (more profiles, more offerings or both), the time per evaluation must not
  // rise by more than 20% (measurement noise). It may fall: each profile also estimates every distinct
  // chip × count once (~1 ms), which larger catalogs spread over more evaluations. The fit
  // T = a·profiles + b·profiles·offerings over the runs shows both parts.
  const runs = rows.filter((r) => r.evaluations >= (quick ? 1 : 100_000));
  let worst = 0;
  const steps = [];
  for (const x of runs) {
    for (const y of runs) {
      if (y === x || y.profiles < x.profiles || y.offerings < x.offerings) continue;
      const growth = y.eval_ms / y.evaluations / (x.eval_ms / x.evaluations);
      steps.push(`${x.profiles}×${x.offerings} → ${y.profiles}×${y.offerings}: ${fmt(growth, 2)}×`);
      worst = Math.max(worst, growth);
    }
  }
  const linearOk = steps.length > 0 && worst <= 1.2;
  results.push({ target: "scale: linear", ok: linearOk });
  // Least squares for T = a·P + b·P·N (ms), over every run.
  const [sxx, sxy, syy, sx1, sy1] = rows.reduce(
    (acc, r) => {
      const x = r.profiles,
        y = r.evaluations;
      return [acc[0] + x * x, acc[1] + x * y, acc[2] + y * y, acc[3] + x * r.eval_ms, acc[4] + y * r.eval_ms];
    },
    [0, 0, 0, 0, 0],
  );
  const det = sxx * syy - sxy * sxy;
  const a = (sx1 * syy - sy1 * sxy) / det;
  const bb = (sy1 * sxx - sx1 * sxy) / det;
  console.log(`  fit over the runs: ${fmt(a, 2)} ms per profile + ${fmt(bb * 1e6, 0)} ns per evaluation`);
  console.log(
    `  linear in profiles × offerings: time per evaluation from each run to a bigger one: ${steps.join(", ") || "(no pair)"}; worst ${fmt(worst, 2)}× (target ≤ 1.2×, never superlinear)  ${verdict(linearOk)}`,
  );
  results.push({ target: "scale: evals/s", ok: full.evals_per_s >= EVALS_PER_S });
  results.push({ target: "scale: peak memory", ok: full.max_rss_mb < MAX_RSS_MB });
  console.log(
    `  ${P} × ${N}: ${fmt(full.evals_per_s / 1e6, 2)} M evals/s  ref ${EVALS_PER_S / 1e6} M/s  ratio ${fmt(full.evals_per_s / EVALS_PER_S, 2)}×  ${verdict(full.evals_per_s >= EVALS_PER_S)}`,
  );
  console.log(
    `  ${P} × ${N}: peak RSS ${fmt(full.max_rss_mb, 0)} MB  ref ${MAX_RSS_MB} MB  ratio ${fmt(full.max_rss_mb / MAX_RSS_MB, 2)}×  ${verdict(full.max_rss_mb < MAX_RSS_MB)}`,
  );
  console.log(
    `  (catalog parse ${fmt(full.catalog_parse_ms, 0)} ms, profile parse ${fmt(full.profile_parse_ms, 0)} ms, not in evals/s)`,
  );
}

// ── 3. The CLI over many profiles (and `check` once it exists) ──────────────────────────────────────
console.log("\nCLI over many profiles (wall time includes start-up, parsing and rendering)");
const catalogArgs = ["--no-builtin", ...gen.catalogFiles.flatMap((f) => ["--catalog", f])];
const cliCases = [
  { name: `recommend ${P} profiles × built-in catalog`, args: ["recommend", "syn/profiles/*.yaml"], ok: [0] },
];
const fewProfiles = quick ? 2 : 10;
const few = join(tmp, "few");
spawnSync("mkdir", ["-p", few]);
for (let i = 0; i < fewProfiles; i++)
  writeFileSync(join(few, `p-${i}.yaml`), readFileSync(join(gen.profileDir, `p-${String(i).padStart(5, "0")}.yaml`)));
cliCases.push({
  name: `recommend ${fewProfiles} profiles × ${N} offerings`,
  args: ["recommend", "few/*.yaml", ...catalogArgs],
  ok: [0],
});
if (hwadviseHas("check")) {
  // check compares with a baseline: write it first (untimed), then time the comparison.
  const lock = spawnSync(process.execPath, [BIN, "lock", "syn/profiles/*.yaml", ...catalogArgs], {
    cwd: tmp,
    encoding: "utf8",
  });
  sane(lock.status === 0, `lock: exit ${lock.status} ${String(lock.stderr).slice(0, 300)}`);
  cliCases.push({
    name: `check ${P} profiles × ${N} offerings`,
    args: ["check", "syn/profiles/*.yaml", ...catalogArgs],
    ok: [0, 1],
  });
} else console.log("  (no `check` command in this build: not timed)");
for (const c of cliCases) {
  const r = timed(process.execPath, [BIN, ...c.args], { rss: true, cwd: tmp }); // globs are relative to the working directory
  sane(c.ok.includes(r.code ?? -1) && r.stdout.length > 0, `${c.name}: exit ${r.code} ${r.stderr.slice(0, 300)}`);
  const rssOk = (r.rssMb ?? Infinity) < MAX_RSS_MB;
  if (c.args[0] === "check") results.push({ target: "check: peak memory", ok: rssOk });
  console.log(
    `  hwadvise ${c.name.padEnd(44)} ${fmt(r.ms / 1000, 2).padStart(7)} s  exit ${r.code}  peak RSS ${fmt(r.rssMb ?? NaN, 0)} MB  ${c.args[0] === "check" ? verdict(rssOk) : ""}`,
  );
}

if (!keep) rmSync(tmp, { recursive: true, force: true });
else console.log(`\nkept ${tmp}`);
if (insane.length) {
  console.error(`\nbench: outputs not sane:\n${insane.map((s) => `  - ${s}`).join("\n")}`);
  process.exit(1);
}
if (quick) console.log("\nquick run: outputs sane; no targets judged");
else
  console.log(
    `\n${results.filter((r) => r.ok).length} of ${results.length} targets met${
      results.some((r) => !r.ok)
        ? `; not met: ${results
            .filter((r) => !r.ok)
            .map((r) => r.target)
            .join(", ")}`
        : ""
    }`,
  );
