import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "./helpers/cli.js";
import { hwInProcess } from "./helpers/run.js";
import { validateJson } from "./helpers/json-schema.js";

// `check` as a reviewer meets it (issue #18): pipelines locked stage by stage, figures that move a lot
// within a class, a run against another catalog, a quiet run, and a baseline taken from a git commit.

const GLOB = "profiles/**/*.yaml";

function workspace(profiles: readonly string[]): string {
  const dir = mkdtempSync(join(tmpdir(), "hwadvise-trust-"));
  mkdirSync(join(dir, "profiles"));
  for (const p of profiles) copyFileSync(join(ROOT, "profiles", p), join(dir, "profiles", p));
  return dir;
}
const read = (dir: string, f: string) => readFileSync(join(dir, f), "utf8");
const edit = (dir: string, f: string, from: string, to: string) => {
  const text = read(dir, f);
  expect(text, `${f} contains ${from}`).toContain(from);
  writeFileSync(join(dir, f), text.replace(from, to));
};
const json = (stdout: string) => JSON.parse(stdout);

describe("pipelines: every stage and the combination are locked", () => {
  it("a class change in the second stage is a class change named with the stage (exit 1); before, only the first stage was compared", () => {
    const dir = workspace(["retail-checkout-pipeline.yaml"]);
    const file = "profiles/retail-checkout-pipeline.yaml";
    expect(hwInProcess(["lock", GLOB], { cwd: dir }).code).toBe(0);
    const lockJson = JSON.parse(read(dir, "hwadvise.lock.json"));
    const lockSchema = JSON.parse(readFileSync(join(ROOT, "schema", "lock.schema.json"), "utf8"));
    expect(validateJson(lockSchema, lockJson)).toEqual([]);
    expect(
      validateJson(lockSchema, {
        ...lockJson,
        schemaVersion: 1,
        catalog: { ...lockJson.catalog, fingerprint: "md5:x" },
      }),
    ).toEqual(["$.schemaVersion: expected 2", '$.catalog.fingerprint: "md5:x" does not match ^sha256:[0-9a-f]{64}$']);
    const entry = lockJson.profiles[file];
    expect(entry.stages.map((s: { name: string }) => s.name)).toEqual(["screen", "verify"]);
    expect(entry.stages[1].top.deployment).toBe("cloud"); // precondition: verify runs in the cloud
    expect(entry.combination.options.map((o: { stage: string }) => o.stage)).toEqual(["screen", "verify"]);
    expect(hwInProcess(["check", GLOB], { cwd: dir }).code).toBe(0);

    // Only the verify stage's constraints move: the first stage's top stays the same. Bought, on a stack the
    // Inferentia chips do not run, verify must leave their class (an on-prem accelerator card of the same
    // class, a Tenstorrent one, could otherwise win it on a few dollars).
    edit(
      dir,
      file,
      "constraints: { deployment: [cloud] }",
      "constraints: { deployment: [on-prem], runtimes: [tensorrt, onnx] }",
    );
    const r = hwInProcess(["check", GLOB, "--format", "json"], { cwd: dir });
    expect(r.code).toBe(1);
    const p = json(r.stdout).profiles[0];
    expect(p.current.id).toBe(entry.top.id); // the first stage did not move
    expect(p.status).toBe("class-changed");
    expect(p.changed_in).toBe("stage verify");
    expect(p.stages.map((s: { stage: string; status: string }) => [s.stage, s.status])).toEqual([
      ["screen", "unchanged"],
      ["verify", "class-changed"],
    ]);
    const now = p.stages[1].current.class;
    expect(now).not.toBe(entry.stages[1].top.class);
    expect(now).toMatch(/^(onprem-gpu|asic|fpga|cpu)$/); // bought, as the edit asks
    expect(p.combination.current.options[1].class).toBe(now);
    expect(p.driver).toBe("stages.1.constraints.deployment");
    expect(p.line).toBe(
      read(dir, file)
        .split("\n")
        .findIndex((l) => l.includes("deployment: [on-prem]")) + 1,
    );
    const table = hwInProcess(["check", GLOB], { cwd: dir }).stdout;
    expect(table).toContain(
      `✗ ${file} (retail-checkout-pipeline) — hardware class changed in stage verify: ${entry.stages[1].top.class} → ${now}`,
    );
    expect(table).toContain(`was  verify: ${entry.stages[1].top.class}: ${entry.stages[1].top.name}`);
    expect(table).toContain("why  stage verify: " + entry.stages[1].top.id + " now fails deployment");
  });

  it("the combination is compared on its own: a baseline whose chosen verify option was of another class fails, named `combination`", () => {
    const dir = workspace(["retail-checkout-pipeline.yaml"]);
    const file = "profiles/retail-checkout-pipeline.yaml";
    expect(hwInProcess(["lock", GLOB], { cwd: dir }).code).toBe(0);
    const lock = JSON.parse(read(dir, "hwadvise.lock.json"));
    const chosen = lock.profiles[file].combination.options[1];
    // As if the combination had run verify on another class while every stage's own top stayed put.
    const other = chosen.class === "asic" ? "cloud-gpu" : "asic";
    lock.profiles[file].combination.options[1] = { ...chosen, class: other };
    writeFileSync(join(dir, "hwadvise.lock.json"), JSON.stringify(lock));
    const r = hwInProcess(["check", GLOB], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      `— hardware class changed in combination: screen edge-npu + verify ${other} → screen edge-npu + verify ${chosen.class}`,
    );
    const p = json(hwInProcess(["check", GLOB, "--format", "json"], { cwd: dir }).stdout).profiles[0];
    expect(p.stages.map((s: { status: string }) => s.status)).toEqual(["unchanged", "unchanged"]);
    expect(p).toMatchObject({
      status: "class-changed",
      changed_in: "combination",
      combination: { status: "class-changed" },
    });
  });

  it("a stage the baseline does not have (added or renamed) is a class change for that stage", () => {
    const dir = workspace(["retail-checkout-pipeline.yaml"]);
    const file = "profiles/retail-checkout-pipeline.yaml";
    expect(hwInProcess(["lock", GLOB], { cwd: dir }).code).toBe(0);
    edit(dir, file, "- name: verify", "- name: cloud-verify");
    const r = hwInProcess(["check", GLOB, "--format", "json"], { cwd: dir });
    expect(r.code).toBe(1);
    const p = json(r.stdout).profiles[0];
    expect(p).toMatchObject({ status: "class-changed", changed_in: "stage cloud-verify" });
    expect(p.stages[1].baseline).toBeUndefined();
    expect(p.reasons[0]).toMatch(/^stage cloud-verify: not in the baseline \(added or renamed\); now [a-z-]+: /);
  });
});

describe("material changes within a class", () => {
  // The issue's chatbot: from a few RTX 4090 cards to an 8-GPU HGX server, same class (onprem-gpu).
  const file = "profiles/llm-chat.yaml";
  function bigger(): { dir: string; before: any } {
    const dir = workspace(["llm-chat.yaml", "retail-checkout.yaml"]);
    expect(hwInProcess(["lock", GLOB], { cwd: dir }).code).toBe(0);
    const before = JSON.parse(read(dir, "hwadvise.lock.json")).profiles[file].top;
    edit(dir, file, "model: llama-3-8b", "model: llama-3-70b");
    edit(dir, file, "concurrency: 64", "concurrency: 256");
    // TensorRT-LLM keeps it on NVIDIA GPUs: the change stays within the baseline's class.
    edit(dir, file, "  data_residency: [BR]", "  data_residency: [BR]\n  runtimes: [tensorrt-llm]");
    return { dir, before };
  }

  it("a 100× rise in cost within the class fails (exit 1) with a before → after table in every format", () => {
    const { dir, before } = bigger();
    const r = hwInProcess(["check", GLOB, "--format", "json"], { cwd: dir });
    expect(r.code).toBe(1);
    const out = json(r.stdout);
    const p = out.profiles.find((x: { file: string }) => x.file === file);
    expect(p.status).toBe("option-changed"); // precondition: same class, so before #18 this was a notice and exit 0
    expect(p.current.class).toBe(before.class);
    expect(p).toMatchObject({ failed: true, severity: "error", material_crossed: true });
    const row = (f: string) => p.material.find((m: { figure: string }) => m.figure === f);
    // Figures read back from the baseline and the new top; change = after / before − 1.
    const cost = row("monthly_cost");
    expect(cost).toMatchObject({
      before: before.estimates.monthly_cost_usd,
      after: p.current.estimates.monthly_cost_usd,
      threshold: "+25%",
      crossed: true,
    });
    expect(cost.change_pct).toBeCloseTo((cost.after / cost.before - 1) * 100, 0);
    expect(cost.after / cost.before).toBeGreaterThan(10);
    expect(row("capex")).toMatchObject({ before: before.estimates.capex_usd, crossed: true });
    expect(row("devices")).toMatchObject({
      before: before.devices,
      after: p.current.devices,
      threshold: "x2",
      crossed: p.current.devices >= 2 * before.devices,
    });
    expect(row("power").crossed).toBe(true);
    expect(out.summary).toMatchObject({ material: 1, failed: 1, option_changed: 1 });
    expect(
      validateJson(JSON.parse(readFileSync(join(ROOT, "schema", "check-result.schema.json"), "utf8")), out),
    ).toEqual([]);

    const md = hwInProcess(["check", GLOB, "--format", "markdown"], { cwd: dir }).stdout;
    expect(md).toContain("| Profile | Figure | Before | After | Change | Threshold |");
    expect(md).toMatch(
      new RegExp(
        `^\\| \`${file}\` \\| monthly cost \\| \\$[\\d.,k]+/mo \\| \\$[\\d.,k]+/mo \\| \\+[\\d,.]+% \\| ❌ beyond \\+25% \\|$`,
        "m",
      ),
    );
    const gh = hwInProcess(["check", GLOB, "--format", "github"], { cwd: dir }).stdout;
    expect(gh).toMatch(
      /^::error file=profiles\/llm-chat\.yaml,line=\d+,title=hwadvise%3A top option changed::llm-chat-support: .*%0AFigures: monthly cost \$[\d.,k]+\/mo → \$[\d.,k]+\/mo \(\+[\d,.]+%25, beyond \+25%25\)/m,
    );
    const table = hwInProcess(["check", GLOB], { cwd: dir }).stdout;
    expect(table).toContain(
      `✗ ${file} (llm-chat-support) — top option changed within ${before.class}; monthly cost, capex`,
    );
    // A same-class change that fails only on its figures is a material change in JUnit.
    expect(hwInProcess(["check", GLOB, "--format", "junit"], { cwd: dir }).stdout).toContain(
      '<failure type="material-change" message="llm-chat-support: top option changed within',
    );
  });

  it("--material-warning, the config file and the profile's own thresholds turn it down; bad settings exit 2 with their location", () => {
    const { dir } = bigger();
    const warn = hwInProcess(["check", GLOB, "--material-warning", "--format", "json"], { cwd: dir });
    expect(warn.code).toBe(0);
    expect(json(warn.stdout).profiles.find((x: { file: string }) => x.file === file)).toMatchObject({
      failed: false,
      severity: "warning",
      material_crossed: true,
    });

    // Every figure off by flag: nothing is material, the same-class change is a notice again.
    const off = [
      "monthly_cost",
      "capex",
      "devices",
      "power",
      "latency_p99",
      "ttft",
      "tokens_per_s",
      "time_to_train",
    ].flatMap((f) => ["--threshold", `${f}=off`]);
    expect(hwInProcess(["check", GLOB, ...off], { cwd: dir }).code).toBe(0);
    // A threshold above the rise: monthly cost alone at x1000 still leaves capex failing.
    const high = json(
      hwInProcess(["check", GLOB, "--threshold", "monthly_cost=x1000", "--format", "json"], { cwd: dir }).stdout,
    ).profiles.find((x: { file: string }) => x.file === file);
    expect(high.material.find((m: { figure: string }) => m.figure === "monthly_cost")).toMatchObject({
      threshold: "x1000",
      crossed: false,
    });
    expect(high.failed).toBe(true);

    writeFileSync(join(dir, "hwadvise.config.yaml"), "check:\n  material: warning\n");
    expect(hwInProcess(["check", GLOB], { cwd: dir }).code).toBe(0);
    // The flag beats the file; the profile's own thresholds beat both.
    writeFileSync(
      join(dir, "hwadvise.config.yaml"),
      "check:\n  thresholds: { monthly_cost: off, capex: off, devices: off, power: off, latency_p99: x3, ttft: x3 }\n",
    );
    const quiet = json(hwInProcess(["check", GLOB, "--format", "json"], { cwd: dir }).stdout).profiles.find(
      (x: { file: string }) => x.file === file,
    );
    // The SLO estimates stay within their thresholds here (the bigger server keeps tokens/s; TTFT and p99, a
    // larger model's prompt and answer, rise about 90%, under the x3 the file allows).
    expect(quiet.material.filter((m: { crossed: boolean }) => m.crossed)).toEqual([]);
    expect(quiet).toMatchObject({ failed: false, severity: "notice" });
    expect(hwInProcess(["check", GLOB, "--threshold", "capex=+25%"], { cwd: dir }).code).toBe(1);
    writeFileSync(join(dir, file), read(dir, file) + "check:\n  thresholds: { capex: off }\n");
    expect(hwInProcess(["check", GLOB, "--threshold", "capex=+25%"], { cwd: dir }).code).toBe(0);

    writeFileSync(join(dir, "hwadvise.config.yaml"), "check:\n  thresholds:\n    monthly_cost: lots\n");
    const bad = hwInProcess(["check", GLOB], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(
      /^hwadvise\.config\.yaml:3:19 check\.thresholds\.monthly_cost: expected a change such as \+25%, -20% or x2, or off$/m,
    );
    writeFileSync(join(dir, "hwadvise.config.yaml"), "check:\n  treshold: {}\n");
    expect(hwInProcess(["check", GLOB], { cwd: dir }).stderr).toMatch(
      /^hwadvise\.config\.yaml:2:3 .*treshold.*thresholds/m,
    );
    const flag = hwInProcess(["check", GLOB, "--threshold", "cost=+10%"], { cwd: dir });
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain('unknown figure "cost"; one of monthly_cost, capex');
    expect(hwInProcess(["check", GLOB, "--config", "missing.yaml"], { cwd: dir }).code).toBe(2);
  });
});

describe("catalog and model identity", () => {
  it("a run without the baseline's overlay says so in every format, with the command to rerun; before, it printed ok", () => {
    const dir = workspace(["retail-checkout.yaml", "speech-transcription.yaml"]);
    // An overlay that moves none of these profiles: only the identity differs.
    writeFileSync(join(dir, "ours.yaml"), "disable: [aws-p5-48xlarge]\n");
    expect(hwInProcess(["lock", GLOB, "--catalog", "ours.yaml"], { cwd: dir }).code).toBe(0);
    expect(JSON.parse(read(dir, "hwadvise.lock.json")).identity).toMatchObject({
      builtin: true,
      overlays: [{ file: "ours.yaml" }],
    });
    const same = hwInProcess(["check", GLOB, "--catalog", "ours.yaml"], { cwd: dir });
    expect(same.stdout).toBe("ok: 2 profiles checked against hwadvise.lock.json: 2 unchanged\n");

    const rerun = "hwadvise check 'profiles/**/*.yaml' --catalog ours.yaml";
    const table = hwInProcess(["check", GLOB], { cwd: dir });
    expect(table.code).toBe(0); // a warning, not a failure: nothing moved
    expect(table.stdout.split("\n")[0]).toBe(
      "! catalog: different catalog files: the baseline was made with ours.yaml, this run used no overlays; options and prices differ for that reason alone",
    );
    expect(table.stdout).toContain(
      `! rerun with the baseline's catalog: ${rerun}, or accept this one with \`--update\``,
    );
    const j = json(hwInProcess(["check", GLOB, "--format", "json"], { cwd: dir }).stdout);
    expect(j.identity).toMatchObject({ same: false, catalog_differs: true, model_differs: false, rerun });
    expect(validateJson(JSON.parse(readFileSync(join(ROOT, "schema", "check-result.schema.json"), "utf8")), j)).toEqual(
      [],
    );
    expect(j.moved).toBe(true);
    const md = hwInProcess(["check", GLOB, "--format", "markdown"], { cwd: dir }).stdout;
    expect(md).toContain("> ⚠️ catalog: different catalog files: the baseline was made with ours.yaml");
    expect(hwInProcess(["check", GLOB, "--format", "github"], { cwd: dir }).stdout).toMatch(
      /^::warning file=hwadvise\.lock\.json,title=hwadvise%3A different catalog than the baseline::catalog: different catalog files: .*%0Arerun with the baseline's catalog: hwadvise check 'profiles\/\*\*\/\*\.yaml' --catalog ours\.yaml/m,
    );
    const junit = hwInProcess(["check", GLOB, "--format", "junit"], { cwd: dir }).stdout;
    expect(junit).toContain('<testcase classname="hwadvise.check" name="catalog and model identity">');
    expect(junit).toContain("the baseline was made with ours.yaml, this run used no overlays");
    // An extra overlay is named too.
    expect(
      hwInProcess(["check", GLOB, "--catalog", "ours.yaml", "--catalog", "ours.yaml"], { cwd: dir }).stdout,
    ).toContain("this run used ours.yaml, ours.yaml");
  });

  it("a calibration or hwadvise version other than the baseline's is reported as its own cause", () => {
    const dir = workspace(["retail-checkout.yaml", "speech-transcription.yaml"]);
    expect(hwInProcess(["lock", GLOB], { cwd: dir }).code).toBe(0);
    const lock = JSON.parse(read(dir, "hwadvise.lock.json"));
    const now = lock.identity.calibration;
    expect(now).toMatch(/^v\d+:[0-9a-f]{12}$/);
    // A baseline made by an older release with another calibration, whose top for one profile differs.
    lock.identity.calibration = "v0:000000000000";
    lock.identity.hwadvise = "0.0.9";
    const file = "profiles/retail-checkout.yaml";
    lock.profiles[file].top.devices += 1;
    writeFileSync(join(dir, "hwadvise.lock.json"), JSON.stringify(lock));
    const r = hwInProcess(["check", GLOB, "--format", "json"], { cwd: dir });
    const j = json(r.stdout);
    expect(j.identity).toMatchObject({ same: false, catalog_differs: false, model_differs: true });
    expect(j.identity.rerun).toBeUndefined();
    const table = hwInProcess(["check", GLOB], { cwd: dir }).stdout;
    expect(table).toContain(`! model: calibration v0:000000000000 → ${now}; estimates move for that reason alone`);
    expect(table).toContain("! model: hwadvise 0.0.9 → 0.1.0; its estimator may give other figures");
    // On the changed profile, the model is a cause of its own next to the catalog and the profile.
    expect(table).toMatch(new RegExp(`why  model: calibration v0:000000000000 → ${now}`));
    expect(table).toContain("why  catalog unchanged");
  });

  it("a version-1 baseline exits 2 with the command that regenerates it", () => {
    const dir = workspace(["retail-checkout.yaml"]);
    writeFileSync(
      join(dir, "hwadvise.lock.json"),
      JSON.stringify({ schemaVersion: 1, generator: "hwadvise", catalog: {}, profiles: {} }),
    );
    const r = hwInProcess(["check", GLOB], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      "hwadvise.lock.json schemaVersion: schemaVersion 1 was written by an older hwadvise: it records neither pipeline stages nor which catalog overlays and model version made it; regenerate it with `hwadvise lock 'profiles/**/*.yaml'`\n",
    );
  });
});

describe("quiet when nothing moved", () => {
  it("the markdown summary is empty, so a CI step can post it only when something moved", () => {
    const dir = workspace(["retail-checkout.yaml", "retail-checkout-pipeline.yaml"]);
    expect(hwInProcess(["lock", GLOB], { cwd: dir }).code).toBe(0);
    const md = hwInProcess(["check", GLOB, "--format", "markdown"], { cwd: dir });
    expect(md.code).toBe(0);
    expect(md.stdout).toBe("");
    expect(json(hwInProcess(["check", GLOB, "--format", "json"], { cwd: dir }).stdout).moved).toBe(false);
    edit(dir, "profiles/retail-checkout.yaml", "latency_p99: 50ms", "latency_p99: 0.01ms");
    expect(hwInProcess(["check", GLOB, "--format", "markdown"], { cwd: dir }).stdout).toMatch(
      /^## hwadvise check\n\n❌ /,
    );
  });
});

describe("check --base <git-ref>", () => {
  const git = (cwd: string, ...args: string[]) => {
    const r = spawnSync(
      "git",
      ["-c", "user.email=ci@example.com", "-c", "user.name=ci", "-c", "commit.gpgsign=false", ...args],
      { cwd, encoding: "utf8" },
    );
    expect(r.status, r.stderr).toBe(0);
    return r.stdout.trim();
  };

  it("recomputes the baseline from the profiles and overlays at the ref, with no lock file", () => {
    const repo = workspace(["llm-chat.yaml", "retail-checkout.yaml"]);
    // The profiles live in a subdirectory of the repository: paths resolve from where check runs.
    mkdirSync(join(repo, "infra"));
    spawnSync("mv", [join(repo, "profiles"), join(repo, "infra", "profiles")]);
    writeFileSync(join(repo, "infra", "ours.yaml"), "disable: [aws-p5-48xlarge]\n");
    git(repo, "init", "-q");
    git(repo, "add", "-A");
    git(repo, "commit", "-qm", "base");
    const dir = join(repo, "infra");
    const quiet = hwInProcess(["check", GLOB, "--base", "HEAD", "--catalog", "ours.yaml", "--format", "markdown"], {
      cwd: dir,
    });
    expect(quiet.code).toBe(0);
    expect(quiet.stdout).toBe("");
    expect(() => read(dir, "hwadvise.lock.json")).toThrow(); // nothing written

    // An uncommitted edit is compared with HEAD; the working tree is left as it is.
    edit(dir, "profiles/llm-chat.yaml", "model: llama-3-8b", "model: llama-3-70b");
    const r = hwInProcess(["check", GLOB, "--base", "HEAD", "--catalog", "ours.yaml", "--format", "json"], {
      cwd: dir,
    });
    expect(r.code).toBe(1);
    const j = json(r.stdout);
    expect(j).toMatchObject({ base: "HEAD", lockfile: "HEAD (--base)", identity: { same: true } });
    expect(j.profiles.find((p: { file: string }) => p.file === "profiles/llm-chat.yaml")).toMatchObject({
      material_crossed: true,
      fields: [{ path: "workload.model", before: "llama-3-8b", after: "llama-3-70b" }],
    });
    expect(read(dir, "profiles/llm-chat.yaml")).toContain("llama-3-70b");
    expect(git(repo, "status", "--porcelain")).toBe("M infra/profiles/llm-chat.yaml");
    // An overlay edited since the ref is a catalog change, not another catalog.
    writeFileSync(join(dir, "ours.yaml"), "disable: [aws-p5-48xlarge, aws-p5-4xlarge]\n");
    expect(
      json(
        hwInProcess(["check", GLOB, "--base", "HEAD", "--catalog", "ours.yaml", "--format", "json"], { cwd: dir })
          .stdout,
      ).identity.messages,
    ).toEqual(["catalog overlay ours.yaml changed since the baseline"]);
    // A profile new since the ref has no baseline entry: a warning.
    copyFileSync(join(ROOT, "profiles", "speech-transcription.yaml"), join(dir, "profiles", "speech.yaml"));
    expect(
      json(hwInProcess(["check", GLOB, "--base", "HEAD", "--format", "json"], { cwd: dir }).stdout).summary.new,
    ).toBe(1);

    const unknown = hwInProcess(["check", GLOB, "--base", "no-such-branch"], { cwd: dir });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^hwadvise: --base no-such-branch: no such commit in this repository/);
    expect(hwInProcess(["check", GLOB, "--base", "HEAD", "--update"], { cwd: dir }).code).toBe(2);
    const outside = mkdtempSync(join(tmpdir(), "hwadvise-nogit-"));
    expect(hwInProcess(["check", GLOB, "--base", "HEAD"], { cwd: outside }).stderr).toMatch(
      /^hwadvise: --base needs a git repository/,
    );
  });
});

describe("README", () => {
  it("the CI section's material-change example is the output of a real run", () => {
    const readme = readFileSync(join(ROOT, "README.md"), "utf8");
    const marker = "`hwadvise check 'profiles/**/*.yaml' --format markdown` after that edit:";
    const at = readme.indexOf(marker);
    expect(at).toBeGreaterThan(0);
    const start = readme.indexOf("```\n", at) + 4;
    const shown = readme.slice(start, readme.indexOf("```", start));
    const dir = workspace(["llm-chat.yaml", "retail-checkout.yaml"]);
    expect(hwInProcess(["lock", GLOB], { cwd: dir }).code).toBe(0);
    edit(dir, "profiles/llm-chat.yaml", "model: llama-3-8b", "model: llama-3-70b");
    edit(dir, "profiles/llm-chat.yaml", "concurrency: 64", "concurrency: 256");
    const r = hwInProcess(["check", GLOB, "--format", "markdown"], { cwd: dir });
    expect(r.code).toBe(1);
    expect(shown).toContain("| Profile | Figure | Before | After | Change | Threshold |");
    expect(r.stdout).toBe(shown);
  });
});
