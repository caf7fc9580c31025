import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "./helpers/cli.js";

// The short form of `npm run bench`: it must run and its outputs be sane (the bench exits 1 if a
// command fails, a count is off or no profile finds a feasible option). No timing is asserted here.
describe("npm run bench -- --quick", () => {
  it("runs the start-up, scale and CLI sections and reports every figure", () => {
    const r = spawnSync(process.execPath, [join(ROOT, "scripts", "bench.mjs"), "--quick"], { cwd: ROOT, encoding: "utf8", timeout: 120_000 });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/reference `node -e 0` = [\d.]+ ms/);
    for (const c of ["recommend profiles/llm-chat.yaml", "catalog", "schema profile"]) expect(r.stdout).toMatch(new RegExp(`hwadvise ${c}\\s+[\\d.]+ ms\\s+ref [\\d.]+ ms\\s+ratio [\\d.]+×`));
    // 20 profiles × 300 offerings = 6,000 evaluations in the quick scale run.
    expect(r.stdout).toMatch(/20 × 300\s+6000\s/);
    expect(r.stdout).toMatch(/M evals\/s\s+ref 1 M\/s/);
    expect(r.stdout).toContain("quick run: outputs sane");
  }, 150_000);
});
