import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { ROOT } from "./helpers/cli.js";
import { hwInProcess } from "./helpers/run.js";

/**
 * The scenario suite (test/scenarios/README.md): realistic profiles, each with the pick an ML systems
 * engineer would sign (class, deployment), what they would never pick, and why. Every scenario runs
 * through the built CLI in one call; a scenario marked `known_gap` is expected NOT to hold yet (it
 * runs as a failing test, so fixing the gap turns it red until the mark is removed).
 */
interface Expect {
  readonly class: string | string[];
  readonly deployment: string | string[];
  /** Offering ids, chip ids or classes that must not be among the top `top` feasible rows. */
  readonly never?: string[];
  readonly rationale: string;
  readonly top?: number;
  readonly known_gap?: string;
}
interface Scenario {
  readonly file: string;
  readonly expect: Expect;
  readonly profile: Record<string, unknown>;
}
interface Row {
  id: string;
  chip: string;
  class: string;
  deployment: string;
  feasible: boolean;
}

const DIR = join(ROOT, "test", "scenarios");
const list = (x: string | string[]) => (Array.isArray(x) ? x : [x]);

export function loadScenarios(): Scenario[] {
  return readdirSync(DIR)
    .filter((f) => f.endsWith(".yaml"))
    .sort()
    .map((f) => {
      const doc = parse(readFileSync(join(DIR, f), "utf8")) as { expect?: Expect; profile?: Record<string, unknown> };
      if (!doc.expect || !doc.profile) throw new Error(`${f}: a scenario has an \`expect:\` block and a \`profile:\``);
      if (!doc.expect.rationale)
        throw new Error(`${f}: expect.rationale is required (one line: why an engineer picks this)`);
      return { file: f, expect: doc.expect, profile: doc.profile };
    });
}

/** Why a ranking does not hold the expectation, or undefined when it does. */
export function judgeScenario(e: Expect, rows: readonly Row[]): string | undefined {
  const top = rows[0];
  if (!top?.feasible) return "no feasible option";
  if (!list(e.class).includes(top.class))
    return `top pick ${top.id} is ${top.class}, expected ${list(e.class).join(" or ")}`;
  if (!list(e.deployment).includes(top.deployment))
    return `top pick ${top.id} is ${top.deployment}, expected ${list(e.deployment).join(" or ")}`;
  const shown = rows.filter((r) => r.feasible).slice(0, e.top ?? 3);
  for (const r of shown) {
    const hit = (e.never ?? []).find((n) => n === r.id || n === r.chip || n === r.class);
    if (hit) return `${r.id} is in the top ${e.top ?? 3}, but an engineer would never pick ${hit}`;
  }
  return undefined;
}

describe("scenario suite: the pick an ML systems engineer would sign", () => {
  const scenarios = loadScenarios();
  // One CLI call (in this process: the CLI's own `run`, no spawn) for all scenarios: the profiles (expect
  // blocks stripped) in a scratch directory.
  const tmp = mkdtempSync(join(tmpdir(), "hwadvise-scenarios-"));
  for (const s of scenarios) writeFileSync(join(tmp, s.file), stringify(s.profile));
  const run = hwInProcess(["recommend", tmp, "--format", "json"]);
  const byFile = new Map<string, Row[]>();
  if (run.code === 0)
    for (const r of JSON.parse(run.stdout).results) byFile.set(r.profile.file.split(/[\\/]/).pop(), r.recommendations);
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it("has at least 20 scenarios, and every profile is valid", () => {
    expect(scenarios.length).toBeGreaterThanOrEqual(20);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
  });

  for (const s of scenarios) {
    const test = s.expect.known_gap ? it.fails : it;
    test(`${s.file.replace(/\.yaml$/, "")}: ${s.expect.rationale}`, () => {
      const rows = byFile.get(s.file);
      expect(rows, `${s.file} was not in the output`).toBeDefined();
      expect(judgeScenario(s.expect, rows!)).toBeUndefined();
    });
  }

  it("the judge itself: a wrong class, a never-pick in the top rows, or nothing feasible fails", () => {
    const e: Expect = { class: "cpu", deployment: "cloud", never: ["asic"], rationale: "test" };
    const row = (over: Partial<Row>): Row => ({
      id: "x",
      chip: "c",
      class: "cpu",
      deployment: "cloud",
      feasible: true,
      ...over,
    });
    expect(judgeScenario(e, [row({})])).toBeUndefined();
    expect(judgeScenario(e, [row({ class: "cloud-gpu" })])).toMatch(/expected cpu/);
    expect(judgeScenario(e, [row({}), row({ id: "tpu", class: "asic" })])).toMatch(/never pick asic/);
    expect(judgeScenario(e, [row({}), row({}), row({}), row({ class: "asic" })])).toBeUndefined(); // only the top 3
    expect(judgeScenario(e, [row({ feasible: false })])).toBe("no feasible option");
  });
});
