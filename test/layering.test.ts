import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "./helpers/cli.js";

// The core computes numbers and typed data; reporters write them; only the CLI touches argv, files and
// stdout. A core module that imports a reporter (or the CLI) turns that back into a tangle.

const CORE = [
  "advise",
  "apiprices",
  "baseline",
  "calibrate",
  "catalog",
  "cost",
  "energy",
  "estimate",
  "models",
  "pipeline",
  "profile",
  "rank",
  "rules",
  "tco",
];

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith(".ts") ? [p] : [];
  });
}

/** Each import specifier of a module, resolved against src/ ("report/format.js", "../x" kept as written when outside). */
function importsOf(file: string): string[] {
  const text = readFileSync(file, "utf8");
  return [...text.matchAll(/^(?:import|export)\b[^;]*?from\s+"([^"]+)"/gms)].map((m) => m[1]!);
}

describe("layering", () => {
  const src = join(ROOT, "src");
  const core = [...CORE.flatMap((d) => files(join(src, d))), join(src, "recommend.ts"), join(src, "result.ts")];

  it("the core imports nothing from report/ or cli/", () => {
    const bad: string[] = [];
    for (const f of core) {
      for (const spec of importsOf(f)) {
        const target = relative(src, join(f, "..", spec));
        if (/^(report|cli)\//.test(target)) bad.push(`${relative(src, f)} → ${target}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it("the check sees imports (it would catch one)", () => {
    expect(importsOf(join(src, "report", "registry.ts")).some((s) => s === "./recommend.js")).toBe(true);
    expect(core.length).toBeGreaterThan(60);
  });

  it("no source file over 500 lines", () => {
    const long = files(src)
      .filter((f) => readFileSync(f, "utf8").split("\n").length > 500)
      .map((f) => relative(src, f));
    expect(long).toEqual([]);
  });
});
