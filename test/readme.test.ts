import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { hw, ROOT } from "./helpers/cli.js";
import { hwInProcess } from "./helpers/run.js";

/** The fenced block that follows `marker` in the README. */
function blockAfter(readme: string, marker: string): string {
  const at = readme.indexOf(marker);
  if (at < 0) throw new Error(`README has no ${marker}`);
  const start = readme.indexOf("```\n", at) + 4;
  return readme.slice(start, readme.indexOf("```", start));
}

// Outputs the README shows are what the CLI prints now: a model or catalog change that moves them
// fails here until the README is regenerated. The first example runs the built CLI; the others run the
// CLI in this process (its own `run`, the same argv and environment, no spawn).
describe("README examples", () => {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  const examples = [
    {
      marker: "`hwadvise tco profiles/llm-chat.yaml --every 6`:",
      args: ["tco", "profiles/llm-chat.yaml", "--every", "6"],
      prefix: false,
      built: true,
    },
    {
      marker:
        "`hwadvise recommend profiles/retail-checkout-pipeline.yaml --top 3` (followed by each stage's own table):",
      args: ["recommend", "profiles/retail-checkout-pipeline.yaml", "--top", "3"],
      prefix: true,
    },
    {
      marker: "`hwadvise recommend profiles/solar-camera-offgrid.yaml --top 3`:",
      args: ["recommend", "profiles/solar-camera-offgrid.yaml", "--top", "3"],
      prefix: true,
    },
    {
      marker: "`hwadvise recommend profiles/rack-power-envelope.yaml --top 3`:",
      args: ["recommend", "profiles/rack-power-envelope.yaml", "--top", "3"],
      prefix: true,
    },
    {
      marker: "`hwadvise catalog audit` says what the catalog can ever recommend (as of 2026-12-05):",
      args: ["catalog", "audit"],
      prefix: true,
      env: { HWADVISE_TODAY: "2026-12-05" },
    },
  ];
  for (const ex of examples) {
    it(`shows the current output of hwadvise ${ex.args.join(" ")}`, () => {
      const shown = blockAfter(readme, ex.marker);
      expect(shown.length).toBeGreaterThan(500);
      const env = { COLUMNS: "120", ...("env" in ex ? ex.env : {}) };
      const r = "built" in ex ? hw(ex.args, { env }) : hwInProcess(ex.args, { env });
      expect(r.code).toBe(0);
      if (ex.prefix) expect(r.stdout.startsWith(shown), "the README block is the start of the output").toBe(true);
      else expect(r.stdout).toBe(shown);
    });
  }
});
