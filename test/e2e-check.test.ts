import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { hw, ROOT } from "./helpers/cli.js";
import { hwInProcess } from "./helpers/run.js";
import { validateJson } from "./helpers/json-schema.js";

// Commands run in this process (the CLI's own `run`, no spawn); a few run the built CLI, for exit codes
// 0, 1 and 2 from a real process, standard input, and a lock written by a process that the runs here repeat.

const PROFILES = ["speech-transcription.yaml", "retail-checkout.yaml", "media-indexing.yaml"];

/** A fresh repository-like directory with a few example profiles under profiles/. */
function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), "hwadvise-check-"));
  mkdirSync(join(dir, "profiles"));
  for (const p of PROFILES) copyFileSync(join(ROOT, "profiles", p), join(dir, "profiles", p));
  return dir;
}

const GLOB = "profiles/**/*.yaml";
const read = (dir: string, f: string) => readFileSync(join(dir, f), "utf8");
const lineOf = (text: string, needle: string) => text.split("\n").findIndex((l) => l.includes(needle)) + 1;
const json = (stdout: string) =>
  JSON.parse(stdout) as {
    profiles: Record<string, any>[];
    errors: Record<string, any>[];
    summary: Record<string, number>;
    not_checked: string[];
  };

describe("hwadvise lock", () => {
  it("writes a baseline that is byte-identical across runs and directories", () => {
    const a = workspace();
    const b = workspace();
    const r = hw(["lock", GLOB], { cwd: a });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("wrote hwadvise.lock.json: 3 profiles");
    const first = read(a, "hwadvise.lock.json");
    expect(hwInProcess(["lock", GLOB], { cwd: a }).code).toBe(0);
    expect(read(a, "hwadvise.lock.json")).toBe(first);
    // Another absolute path (as on another machine), the directory form of the pattern: same bytes.
    expect(hwInProcess(["lock", "profiles"], { cwd: b }).code).toBe(0);
    expect(read(b, "hwadvise.lock.json")).toBe(first);
    const lock = JSON.parse(first);
    expect(Object.keys(lock)).toEqual(["schemaVersion", "generator", "identity", "catalog", "profiles"]);
    expect(Object.keys(lock.profiles)).toEqual([
      "profiles/media-indexing.yaml",
      "profiles/retail-checkout.yaml",
      "profiles/speech-transcription.yaml",
    ]);
    expect(first.endsWith("}\n")).toBe(true);
    expect(first).toContain('\n  "schemaVersion": 2,\n');
  });

  it("keys profiles relative to the lock file's directory and refuses to write when a profile is bad", () => {
    const dir = workspace();
    mkdirSync(join(dir, "ci"));
    expect(hwInProcess(["lock", GLOB, "--lockfile", "ci/base.json"], { cwd: dir }).code).toBe(0);
    expect(Object.keys(JSON.parse(read(dir, "ci/base.json")).profiles)).toContain("../profiles/retail-checkout.yaml");
    writeFileSync(
      join(dir, "profiles", "bad.yaml"),
      "name: x\nworkload: { kind: realtime-inference, model: resnet50 }\nslo:\n  latency_p99: fast\n",
    );
    const r = hwInProcess(["lock", GLOB, "--lockfile", "other.json"], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^profiles\/bad\.yaml:4:\d+ slo\.latency_p99: /m);
    expect(r.stderr).toContain("other.json not written");
    expect(() => read(dir, "other.json")).toThrow();
  });
});

/** The one deployment speech-transcription's locked top option is not in: allowing only it moves the class. */
function otherDeployment(dir: string): { from: string; keep: string } {
  const top = JSON.parse(read(dir, "hwadvise.lock.json")).profiles["profiles/speech-transcription.yaml"].top;
  return { from: top.deployment, keep: top.deployment === "cloud" ? "on-prem" : "cloud" };
}

describe("hwadvise check", () => {
  it("exit 0 when unchanged; a deployment edit that moves the class exits 1 naming the change and the field; revert exits 0", () => {
    const dir = workspace();
    expect(hwInProcess(["lock", GLOB], { cwd: dir }).code).toBe(0);
    const lockBytes = read(dir, "hwadvise.lock.json");
    const clean = hw(["check", GLOB], { cwd: dir });
    expect(clean.code).toBe(0);
    expect(clean.stdout).toContain("3 profiles checked against hwadvise.lock.json: 3 unchanged");

    const file = "profiles/speech-transcription.yaml";
    const base = JSON.parse(lockBytes).profiles[file].top;
    // Allowing only the other deployment (the baseline is rented or owned) must move it to another class.
    const { from, keep } = otherDeployment(dir);
    expect(["cloud", "on-prem"]).toContain(from);
    const original = read(dir, file);
    writeFileSync(join(dir, file), original.replace("deployment: [cloud, on-prem]", `deployment: [${keep}]`));

    const r = hw(["check", GLOB], { cwd: dir });
    expect(r.code).toBe(1);
    const j = json(hwInProcess(["check", GLOB, "--format", "json"], { cwd: dir }).stdout);
    const p = j.profiles.find((x) => x.file === file)!;
    expect(p.status).toBe("class-changed");
    expect(p.driver).toBe("constraints.deployment");
    expect(p.line).toBe(lineOf(original, "deployment:"));
    expect(p.fields).toEqual([
      { path: "constraints.deployment", before: ["cloud", "on-prem"], after: [keep], line: p.line },
    ]);
    expect(p.reasons[0]).toBe(`${base.id} now fails deployment: ${from} not allowed (allowed: ${keep})`);
    expect(j.summary).toMatchObject({ checked: 3, class_changed: 1, unchanged: 2, failed: 1, errors: 0 });
    expect(r.stdout).toContain(
      `${file} (callcenter-transcription) — hardware class changed: ${base.class} → ${p.current.class}`,
    );
    expect(r.stdout).toContain(`was  ${base.class}: ${base.name}`);
    expect(r.stdout).toContain(`now  ${p.current.class}: ${p.current.name}`);
    expect(r.stdout).toContain(`why  profile: constraints.deployment ["cloud","on-prem"] → ["${keep}"]`);
    expect(r.stdout).toContain("why  catalog unchanged");

    // GitHub: an error annotation at the deployment line, properties escaped (':' → %3A).
    const gh = hwInProcess(["check", GLOB, "--format", "github"], { cwd: dir });
    expect(gh.code).toBe(1);
    const ann = gh.stdout.split("\n").filter((l) => l.startsWith("::"));
    expect(ann).toHaveLength(1);
    expect(ann[0]).toMatch(
      new RegExp(
        `^::error file=profiles/speech-transcription\\.yaml,line=${p.line},title=hwadvise%3A hardware class changed::callcenter-transcription: ${base.class}: .* → ${p.current.class}: .*%0AWhy: profile: constraints\\.deployment`,
      ),
    );

    // Markdown: one row for the changed profile, unchanged ones not listed.
    const md = hwInProcess(["check", GLOB, "--format", "markdown"], { cwd: dir }).stdout;
    expect(md).toContain("| | Profile | Baseline | Now | Why |");
    const rows = md.split("\n").filter((l) => l.startsWith("| ❌"));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toContain(`\`${file}\` | ${base.class}: ${base.name} | ${p.current.class}: `);
    expect(md).not.toContain("retail-checkout.yaml");

    // JUnit: three test cases, one failure carrying the class change.
    const junit = hwInProcess(["check", GLOB, "--format", "junit"], { cwd: dir }).stdout;
    expect(junit).toContain('<testsuites name="hwadvise check" tests="3" failures="1" errors="0">');
    expect(junit.match(/<testcase /g)).toHaveLength(3);
    expect(junit).toMatch(
      new RegExp(
        `<testcase classname="hwadvise.check" name="${file}" file="${file}">\\n\\s+<failure type="class-changed" message="callcenter-transcription: hardware class changed: ${base.class} → ${p.current.class}(; [^"]* beyond threshold)?">`,
      ),
    );
    expect(junit).toContain("[&quot;cloud&quot;,&quot;on-prem&quot;]");

    // check never writes without --update.
    expect(read(dir, "hwadvise.lock.json")).toBe(lockBytes);
    writeFileSync(join(dir, file), original);
    expect(hwInProcess(["check", GLOB], { cwd: dir }).code).toBe(0);
  });

  it("a tightened SLO that leaves no feasible option exits 1; --update accepts it", () => {
    const dir = workspace();
    expect(hwInProcess(["lock", GLOB], { cwd: dir }).code).toBe(0);
    const file = "profiles/retail-checkout.yaml";
    // 0.01 ms p99 is below any device's fixed overhead (≥ 0.05 ms per batch in calibration.json).
    writeFileSync(join(dir, file), read(dir, file).replace("latency_p99: 50ms", "latency_p99: 0.01ms"));
    const r = hwInProcess(["check", GLOB, "--format", "json"], { cwd: dir });
    expect(r.code).toBe(1);
    const p = json(r.stdout).profiles.find((x) => x.file === file)!;
    expect(p.status).toBe("no-feasible");
    expect(p.current).toBeNull();
    expect(p.driver).toBe("slo.latency_p99");
    expect(p.reasons.some((s: string) => s.includes("now fails latency_p99"))).toBe(true);
    const up = hwInProcess(["check", GLOB, "--update"], { cwd: dir });
    expect(up.code).toBe(0);
    expect(up.stderr).toContain("updated hwadvise.lock.json: 3 profiles");
    expect(JSON.parse(read(dir, "hwadvise.lock.json")).profiles[file].top).toBeNull();
    expect(hwInProcess(["check", GLOB], { cwd: dir }).code).toBe(0);
  });

  it("a malformed profile exits 2 with its location, even next to a class change, and is never skipped", () => {
    const dir = workspace();
    expect(hwInProcess(["lock", GLOB], { cwd: dir }).code).toBe(0);
    const file = "profiles/speech-transcription.yaml";
    writeFileSync(
      join(dir, file),
      read(dir, file).replace("deployment: [cloud, on-prem]", `deployment: [${otherDeployment(dir).keep}]`),
    );
    writeFileSync(
      join(dir, "profiles", "broken.yaml"),
      "name: broken\nworkload:\n  kind: realtime-inference\n  model: resnet50\nslo:\n  latncy_p99: 5ms\n",
    );
    const r = hwInProcess(["check", GLOB, "--format", "json"], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^profiles\/broken\.yaml:6:3 slo(\.latncy_p99)?: .*latency_p99/m);
    const j = json(r.stdout);
    expect(j.errors[0]).toMatchObject({ file: "profiles/broken.yaml", line: 6, col: 3 });
    expect(j.summary.errors).toBe(1);
    expect(j.not_checked).toEqual([]);
    const junit = hwInProcess(["check", GLOB, "--format", "junit"], { cwd: dir }).stdout;
    expect(junit).toContain('tests="4" failures="1" errors="1"');
    expect(junit).toMatch(
      /name="profiles\/broken\.yaml" file="profiles\/broken\.yaml">\n\s+<error type="invalid-profile" message="profiles\/broken\.yaml:6:3/,
    );
    const gh = hwInProcess(["check", GLOB, "--format", "github"], { cwd: dir }).stdout;
    expect(gh).toMatch(/^::error file=profiles\/broken\.yaml,line=6,col=3,title=hwadvise%3A invalid profile::/m);
    const up = hwInProcess(["check", GLOB, "--update"], { cwd: dir });
    expect(up.code).toBe(2);
    expect(up.stderr).toContain("hwadvise.lock.json not updated");
  });

  it("a missing or foreign baseline exits 2 and names the fix", () => {
    const dir = workspace();
    const r = hw(["check", GLOB], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      "hwadvise.lock.json: no baseline here — create it with `hwadvise lock 'profiles/**/*.yaml'` and commit it (or compare with a commit instead: `hwadvise check … --base origin/main`)\n",
    );
    writeFileSync(join(dir, "hwadvise.lock.json"), JSON.stringify({ schemaVersion: 99, profiles: {} }));
    const v = hwInProcess(["check", GLOB], { cwd: dir });
    expect(v.code).toBe(2);
    expect(v.stderr).toContain(
      "hwadvise.lock.json schemaVersion: schemaVersion 99 is not one this hwadvise reads (2); regenerate it with `hwadvise lock 'profiles/**/*.yaml'`",
    );
    expect(hwInProcess(["check", GLOB, "--format", "xml"], { cwd: dir }).code).toBe(2);
    expect(hw(["check", "-"], { cwd: dir, input: "name: x" }).code).toBe(2);
  });

  it("a profile without a baseline entry is a warning (exit 0), a failure with --strict", () => {
    const dir = workspace();
    expect(
      hwInProcess(["lock", "profiles/media-indexing.yaml", "profiles/retail-checkout.yaml"], { cwd: dir }).code,
    ).toBe(0);
    const r = hwInProcess(["check", GLOB, "--format", "github"], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^::warning file=profiles\/speech-transcription\.yaml,title=hwadvise%3A no baseline entry::callcenter-transcription: /m,
    );
    expect(hwInProcess(["check", GLOB, "--strict"], { cwd: dir }).code).toBe(1);
    // Baseline entries no pattern matched are listed, not failed.
    const sub = json(hwInProcess(["check", "profiles/retail-checkout.yaml", "--format", "json"], { cwd: dir }).stdout);
    expect(sub.not_checked).toEqual(["profiles/media-indexing.yaml"]);
  });

  it("a catalog overlay that makes the runner-up of the same class cheapest is a notice (exit 0), a failure with --strict", () => {
    const dir = workspace();
    const file = "profiles/retail-checkout.yaml";
    const recs = JSON.parse(hwInProcess(["recommend", file, "--format", "json"], { cwd: dir }).stdout).results[0]
      .recommendations as { id: string; class: string; feasible: boolean }[];
    const top = recs[0]!;
    const second = recs.find((x) => x.feasible && x.id !== top.id && x.class === top.class)!;
    expect(second).toBeDefined();
    // Overlay the runner-up with a price cut to a tenth; everything else about it unchanged.
    const o = JSON.parse(hwInProcess(["catalog", "show", second.id, "--format", "json"]).stdout);
    delete o.schemaVersion;
    delete o.kind;
    delete o.chip_entry;
    if (o.capex_usd !== undefined) o.capex_usd /= 10;
    for (const r of o.regions ?? [])
      for (const k of ["usd_per_hour", "usd_per_hour_1y", "usd_per_hour_3y"]) if (r[k] !== undefined) r[k] /= 10;
    writeFileSync(join(dir, "cheaper.yaml"), JSON.stringify({ offerings: [o] }));
    const withOverlay = JSON.parse(
      hwInProcess(["recommend", file, "--format", "json", "--catalog", "cheaper.yaml"], { cwd: dir }).stdout,
    ).results[0].recommendations[0];
    expect(withOverlay.id).toBe(second.id); // precondition: the overlay moves the top within the class

    expect(hwInProcess(["lock", GLOB], { cwd: dir }).code).toBe(0);
    const r = hwInProcess(["check", GLOB, "--catalog", "cheaper.yaml", "--format", "json"], { cwd: dir });
    expect(r.code).toBe(0);
    const j = json(r.stdout);
    const p = j.profiles.find((x) => x.file === file)!;
    expect(p).toMatchObject({
      status: "option-changed",
      severity: "notice",
      failed: false,
      fields: [],
      catalog_entries: [`offering:${second.id}`],
    });
    expect(p.baseline.id).toBe(top.id);
    expect(p.current.id).toBe(second.id);
    expect(p.reasons[0]).toMatch(
      new RegExp(
        `^${top.id} still passes every rule but scores [\\d.]+ \\(was [\\d.]+\\), below ${second.id} at [\\d.]+$`,
      ),
    );
    expect(j.summary.failed).toBe(0);
    expect((j as any).catalog).toMatchObject({
      changed: true,
      modified: [`offering:${second.id}`],
      added: [],
      removed: [],
    });
    const gh = hwInProcess(["check", GLOB, "--catalog", "cheaper.yaml", "--format", "github"], { cwd: dir }).stdout;
    expect(gh).toMatch(
      /^::notice file=profiles\/retail-checkout\.yaml,title=hwadvise%3A top option changed::retail-checkout-vision: /m,
    );
    expect(gh).toContain(`catalog: offering:${second.id} changed`);
    const strict = hw(["check", GLOB, "--catalog", "cheaper.yaml", "--strict"], { cwd: dir });
    expect(strict.code).toBe(1);
    expect(strict.stdout).toContain(`✗ ${file} (retail-checkout-vision) — top option changed within ${top.class}`);
  });
});

describe("JSON output contracts", () => {
  const schemaOf = (name: string) => JSON.parse(readFileSync(join(ROOT, "schema", `${name}.schema.json`), "utf8"));

  it("the committed schemas are what `hwadvise schema` prints", () => {
    for (const name of ["check-result", "recommend-result", "lock"])
      expect(hwInProcess(["schema", name]).stdout).toBe(
        readFileSync(join(ROOT, "schema", `${name}.schema.json`), "utf8"),
      );
  });

  it("recommend's JSON for every example profile (with --explain) validates against schema/recommend-result.schema.json", () => {
    const schema = schemaOf("recommend-result");
    // --explain on one profile only: with every breakdown the output passes the helper's 1 MiB pipe buffer.
    for (const args of [["profiles"], ["profiles/llm-chat.yaml", "--explain"]]) {
      const out = JSON.parse(hwInProcess(["recommend", ...args, "--format", "json"]).stdout);
      expect(out.results.length).toBeGreaterThanOrEqual(1);
      expect(validateJson(schema, out)).toEqual([]);
    }
    // The validator does catch a broken document.
    const out = JSON.parse(hwInProcess(["recommend", "profiles/retail-checkout.yaml", "--format", "json"]).stdout);
    delete out.results[0].recommendations[0].feasible;
    out.results[0].recommendations[1].class = "gpu";
    expect(validateJson(schema, out)).toEqual([
      "$.results[0].recommendations[0]: missing required feasible",
      '$.results[0].recommendations[1].class: "gpu" not in enum',
    ]);
  });

  it("check's JSON (changes, notices, new entries and errors) validates against schema/check-result.schema.json", () => {
    const dir = workspace();
    expect(
      hwInProcess(["lock", "profiles/speech-transcription.yaml", "profiles/retail-checkout.yaml"], { cwd: dir }).code,
    ).toBe(0);
    const file = "profiles/speech-transcription.yaml";
    writeFileSync(
      join(dir, file),
      read(dir, file).replace("deployment: [cloud, on-prem]", `deployment: [${otherDeployment(dir).keep}]`),
    );
    writeFileSync(join(dir, "profiles", "broken.yaml"), "name: broken\n");
    const r = hwInProcess(["check", GLOB, "--format", "json"], { cwd: dir });
    const out = JSON.parse(r.stdout);
    expect(out.summary).toMatchObject({ class_changed: 1, new: 1, errors: 1 });
    expect(validateJson(schemaOf("check-result"), out)).toEqual([]);
    out.profiles[0].status = "moved";
    expect(validateJson(schemaOf("check-result"), out)).toEqual(['$.profiles[0].status: "moved" not in enum']);
  });
});
