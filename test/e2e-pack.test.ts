import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "./helpers/cli.js";

// What a team does to use hwadvise from its own repository: install the packed package as a dev
// dependency, then run it with npx. The bin is one bundle, so the install needs nothing from the registry.
describe("the packed package in an empty project", () => {
  it("npm pack → npm install <tarball> → npx hwadvise recommend / init work there", () => {
    const tmp = mkdtempSync(join(tmpdir(), "hw-pack-"));
    const env = {
      ...process.env,
      NO_COLOR: "1",
      npm_config_audit: "false",
      npm_config_fund: "false",
      npm_config_update_notifier: "false",
    };
    // --ignore-scripts: dist/ is already built (the suite's setup builds it); a rebuild here would race the
    // end-to-end tests running the same bundle.
    const pack = spawnSync("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", tmp], {
      cwd: ROOT,
      encoding: "utf8",
      env,
    });
    expect(pack.status, pack.stderr).toBe(0);
    const [info] = JSON.parse(pack.stdout) as { filename: string; files: { path: string }[] }[];
    const shipped = info!.files.map((f) => f.path);
    expect(shipped).toEqual(
      expect.arrayContaining([
        "dist/hwadvise.cjs",
        "dist/builtin.json",
        "schema/profile.schema.json",
        "catalog/models.yaml",
      ]),
    );
    expect(shipped.some((p) => p.startsWith("src/") || p.startsWith("test/") || p.startsWith("data/"))).toBe(false);

    const proj = join(tmp, "team-repo");
    mkdirSync(proj);
    writeFileSync(join(proj, "package.json"), JSON.stringify({ name: "team-repo", private: true }));
    const install = spawnSync("npm", ["install", "--save-dev", "--offline", join(tmp, info!.filename)], {
      cwd: proj,
      encoding: "utf8",
      env,
    });
    expect(install.status, install.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(proj, "package.json"), "utf8")).devDependencies.hwadvise).toMatch(
      /hwadvise-0\.1\.0\.tgz$/,
    );

    const npx = (args: string[]) =>
      spawnSync("npx", ["--no", "hwadvise", ...args], { cwd: proj, encoding: "utf8", env });
    // The bin npx finds (node_modules/.bin/hwadvise), run as a script: the commands after npx's own two runs,
    // without npx's second of start-up each.
    const bin = (args: string[]) =>
      spawnSync(join(proj, "node_modules", ".bin", "hwadvise"), args, { cwd: proj, encoding: "utf8", env });
    const init = bin(["init", "profiles/vision.yaml", "--kind", "edge-inference"]);
    expect(init.status).toBe(2); // no such folder yet: a usage error, nothing written
    mkdirSync(join(proj, "profiles"));
    expect(npx(["init", "profiles/vision.yaml", "--kind", "edge-inference"]).status).toBe(0);
    // The editor line points into the installed package.
    expect(readFileSync(join(proj, "profiles", "vision.yaml"), "utf8")).toMatch(
      /^# yaml-language-server: \$schema=\.\.\/node_modules\/hwadvise\/schema\/profile\.schema\.json$/m,
    );
    expect(existsSync(join(proj, "node_modules", "hwadvise", "schema", "profile.schema.json"))).toBe(true);
    const rec = npx(["recommend", "profiles/vision.yaml", "--format", "json", "--top", "1"]);
    expect(rec.status, rec.stderr).toBe(0);
    expect(JSON.parse(rec.stdout).results[0].recommendations[0].feasible).toBe(true);
    const lock = bin(["lock", "profiles/vision.yaml"]);
    expect(lock.status, lock.stderr).toBe(0);
    expect(bin(["check", "profiles/vision.yaml"]).status).toBe(0);
  }, 120_000);
});
