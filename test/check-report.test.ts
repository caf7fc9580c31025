import { describe, expect, it } from "vitest";
import { diffProfile } from "../src/baseline/explain.js";
import { roundFigure } from "../src/baseline/canonical.js";
import type { CheckResult, ProfileCheck } from "../src/baseline/model.js";
import { renderCheckGithub, renderCheckJunit } from "../src/report/check.js";

const top = (cls: "cloud-gpu" | "edge-npu", id: string) => ({
  id,
  name: `1× ${id}`,
  class: cls,
  deployment: cls === "cloud-gpu" ? ("cloud" as const) : ("edge" as const),
  chip: "c",
  units: 1,
  devices: 1,
  score: 90,
  estimates: {},
});

function changed(i: number): ProfileCheck {
  return {
    file: `p/${i}.yaml`,
    key: `p/${i}.yaml`,
    name: `w,${i}: 100%`,
    status: "class-changed",
    severity: "error",
    failed: true,
    baseline: top("cloud-gpu", "a"),
    current: top("edge-npu", "b"),
    profile_changed: true,
    fields: [{ path: "slo.latency_p99", before: 200, after: 10, line: 7 }],
    model_changed: false,
    catalog_entries: [],
    reasons: ["a now fails latency_p99: p99 12 ms > SLO 10 ms"],
    material: [],
    material_crossed: false,
    driver: "slo.latency_p99",
    line: 7,
  };
}

function result(profiles: ProfileCheck[]): CheckResult {
  const identity = { hwadvise: "0.1.0", calibration: "v1:0123456789ab", builtin: true, overlays: [] };
  return {
    schemaVersion: 1,
    lockfile: "hwadvise.lock.json",
    strict: false,
    ok: false,
    moved: true,
    material_as: "error",
    identity: {
      same: true,
      catalog_differs: false,
      model_differs: false,
      baseline: identity,
      current: identity,
      messages: [],
    },
    summary: {
      checked: profiles.length,
      unchanged: 0,
      option_changed: 0,
      class_changed: profiles.length,
      no_feasible: 0,
      new: 0,
      errors: 0,
      failed: profiles.length,
      material: 0,
    },
    catalog: { changed: false, added: [], removed: [], modified: [] },
    profiles,
    not_checked: [],
    errors: [],
  };
}

describe("check reporters", () => {
  it("github: escapes per the workflow-command rules and aggregates past 10 annotations of a level", () => {
    const one = renderCheckGithub(result([changed(1)])).split("\n");
    // ':' and ',' are escaped in properties only; '%' and newlines everywhere.
    expect(one[0]).toBe(
      "::error file=p/1.yaml,line=7,title=hwadvise%3A hardware class changed::w,1: 100%25: cloud-gpu: 1× a → edge-npu: 1× b%0AWhy: profile: slo.latency_p99 200 ms → 10 ms; catalog unchanged; a now fails latency_p99: p99 12 ms > SLO 10 ms",
    );
    const many = renderCheckGithub(result(Array.from({ length: 12 }, (_, i) => changed(i + 1))))
      .split("\n")
      .filter((l) => l.startsWith("::error"));
    // 9 shown one by one + 1 summary of the remaining 3 = GitHub's 10 per step.
    expect(many).toHaveLength(10);
    expect(many[9]).toBe("::error title=hwadvise%3A 3 more::3 more: p/10.yaml, p/11.yaml, p/12.yaml");
  });

  it("junit: XML-escapes names and messages", () => {
    const p = { ...changed(1), file: `a&<"'>.yaml` };
    const x = renderCheckJunit(result([p]));
    expect(x).toContain('name="a&amp;&lt;&quot;&apos;&gt;.yaml"');
    expect(x).toContain("p99 12 ms &gt; SLO 10 ms");
  });
});

describe("baseline arithmetic", () => {
  it("rounds estimates to 4 significant figures but keeps whole counts exact", () => {
    expect(roundFigure(0.1 + 0.2)).toBe(0.3); // 0.30000000000000004 → 0.3
    expect(roundFigure(12345.678)).toBe(12350);
    expect(roundFigure(4096)).toBe(4096);
    expect(roundFigure(-0)).toBe(0);
  });

  it("diffs a profile by leaf field; lists compare whole", () => {
    const before = { slo: { latency_p99: 200 }, constraints: { deployment: ["cloud", "on-prem"] }, name: "x" };
    const after = { slo: { latency_p99: 10, ttft: 5 }, constraints: { deployment: ["cloud"] }, name: "x" };
    expect(diffProfile(before, after, (p) => p.length * 10)).toEqual([
      { path: "constraints.deployment", before: ["cloud", "on-prem"], after: ["cloud"], line: 20 },
      { path: "slo.latency_p99", before: 200, after: 10, line: 20 },
      { path: "slo.ttft", after: 5, line: 20 },
    ]);
  });
});
