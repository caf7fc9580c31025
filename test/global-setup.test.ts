import { mkdirSync, mkdtempSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { staleBundle } from "./global-setup.js";

describe("the suite never tests a stale bundle", () => {
  const tree = () => {
    const root = mkdtempSync(join(tmpdir(), "hw-stale-"));
    for (const d of ["src/cli", "catalog", "scripts", "dist"]) mkdirSync(join(root, d), { recursive: true });
    const old = new Date("2026-01-01T00:00:00Z");
    for (const f of ["src/cli/main.ts", "catalog/chips.yaml", "scripts/build.mjs", "package.json"]) {
      writeFileSync(join(root, f), "x");
      utimesSync(join(root, f), old, old);
    }
    for (const d of ["src/cli", "src", "catalog", "scripts"]) utimesSync(join(root, d), old, old);
    return root;
  };
  const build = (root: string, at: Date) => {
    for (const f of ["hwadvise.cjs", "hwadvise-main.cjs", "hwadvise-schema.cjs", "builtin.json"]) {
      writeFileSync(join(root, "dist", f), "x");
      utimesSync(join(root, "dist", f), at, at);
    }
  };

  it("asks for a build when dist/ is missing, and not when it is newer than its inputs", () => {
    const root = tree();
    expect(staleBundle(root)).toBe("dist/ has no bundle");
    build(root, new Date("2026-02-01T00:00:00Z"));
    expect(staleBundle(root)).toBeUndefined();
  });

  it("a source file or catalog file edited after the build makes it stale, naming what changed", () => {
    const root = tree();
    build(root, new Date("2026-02-01T00:00:00Z"));
    const later = new Date("2026-03-01T00:00:00Z");
    utimesSync(join(root, "src/cli/main.ts"), later, later);
    expect(staleBundle(root)).toBe("src is newer than dist/");
    const root2 = tree();
    build(root2, new Date("2026-02-01T00:00:00Z"));
    utimesSync(join(root2, "catalog/chips.yaml"), later, later);
    expect(staleBundle(root2)).toBe("catalog is newer than dist/");
  });
});
