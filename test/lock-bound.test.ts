import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { MAX_LOCK_BYTES } from "../src/cli/io.js";
import { MAX_INPUT_BYTES } from "../src/yaml-source.js";
import { ROOT } from "./helpers/cli.js";
import { hwInProcess } from "./helpers/run.js";

/** A directory with one example profile and its baseline, written by `hwadvise lock`. */
function locked(): string {
  const dir = mkdtempSync(join(tmpdir(), "hwadvise-lock-bound-"));
  mkdirSync(join(dir, "profiles"));
  copyFileSync(join(ROOT, "profiles", "retail-checkout.yaml"), join(dir, "profiles", "retail-checkout.yaml"));
  expect(hwInProcess(["lock", "profiles"], { cwd: dir }).code).toBe(0);
  return dir;
}

// A baseline grows with its profiles (1,000 profiles lock to ~2.2 MiB), so it has its own bound instead of
// the 1 MiB that profiles and catalogs get; the bound still refuses a runaway file before reading it.
describe("the baseline's size bound", () => {
  it("is its own, well above the profiles' bound", () => {
    expect(MAX_INPUT_BYTES).toBe(1024 * 1024);
    expect(MAX_LOCK_BYTES).toBe(64 * 1024 * 1024);
  });

  it("check reads a baseline larger than a profile may be (2 MiB) and compares with it", () => {
    const dir = locked();
    const lockPath = join(dir, "hwadvise.lock.json");
    const text = readFileSync(lockPath, "utf8");
    // The same baseline padded to 2 MiB with whitespace JSON ignores: as big as ~900 profiles' worth.
    writeFileSync(lockPath, text + " ".repeat(2 * 1024 * 1024 - text.length));
    const r = hwInProcess(["check", "profiles"], { cwd: dir });
    expect(r.stderr).not.toMatch(/limit/);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("1 profile checked against hwadvise.lock.json: 1 unchanged");
  });

  it("a baseline over the bound is refused before it is read (exit 2, names the limit)", () => {
    const dir = locked();
    // A sparse file: 1 byte over the bound without writing 64 MiB.
    truncateSync(join(dir, "hwadvise.lock.json"), MAX_LOCK_BYTES + 1);
    const r = hwInProcess(["check", "profiles"], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `hwadvise.lock.json: file is ${Math.round((MAX_LOCK_BYTES + 1) / 1024)} KiB, over the ${MAX_LOCK_BYTES / 1024} KiB limit; refusing to parse it\n`,
    );
  });

  it("profiles keep the 1 MiB bound", () => {
    const dir = locked();
    const profile = join(dir, "profiles", "retail-checkout.yaml");
    writeFileSync(profile, readFileSync(profile, "utf8") + `# ${"x".repeat(MAX_INPUT_BYTES)}\n`);
    const r = hwInProcess(["check", "profiles"], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /profiles\/retail-checkout\.yaml: file is \d+ KiB, over the 1024 KiB limit; refusing to parse it/,
    );
  });
});
