import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { sanitize, sanitizeDeep } from "../src/report/sanitize.js";
import { ROOT } from "./helpers/cli.js";
import { runCli, scratch } from "./helpers/run.js";

/**
 * Text that drives a terminal: CSI clear-screen, OSC set-window-title ended by BEL, NUL, a carriage
 * return that would let what follows overwrite the line, a right-to-left override (Trojan Source) and
 * the one-byte C1 CSI. As YAML double-quoted escapes, and as the string a parser makes of them.
 */
const YAML_HOSTILE = String.raw`\e[2J\e]0;pwned\a\0\rX\u202eY\u009b`;
const HOSTILE = "\u001b[2J\u001b]0;pwned\u0007\u0000\rX\u202eY\u009b";
const SHOWN = String.raw`\x1b[2J\x1b]0;pwned\x07\x00\rX\u202eY\x9b`;

/** Characters no human format may print raw (newline excepted: it ends lines). */
// eslint-disable-next-line no-control-regex
const RAW = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;

function inert(out: string, shows = true): void {
  const at = out.search(RAW);
  expect(at < 0 ? "" : JSON.stringify(out.slice(Math.max(0, at - 20), at + 20))).toBe("");
  if (shows) expect(out).toContain(SHOWN);
}

/**
 * A workspace with a hostile profile (name, custom model name and file name), a catalog overlay that
 * renames the profile's top option to hostile text, and a baseline holding another profile (so `check`
 * reports the hostile one as new, with its name, path and option).
 */
function workspace() {
  const s = scratch();
  const profileText = `name: "shop${YAML_HOSTILE}"\ndescription: "d${YAML_HOSTILE}"\nworkload:\n  kind: edge-inference\n  model: { name: "model${YAML_HOSTILE}", params: 11M, flops_per_sample: 28G, family: cnn }\n`;
  const profile = s.write("p\u001b[31m.yaml", profileText);
  const top = JSON.parse(runCli(["recommend", profile, "--format", "json", "--top", "1"]).stdout).results[0]
    .recommendations[0].id as string;
  const overlay = s.write("overlay.yaml", `overrides:\n  - id: ${top}\n    name: "board${YAML_HOSTILE}"\n`);
  const other = s.write("other.yaml", "name: other\nworkload:\n  kind: realtime-inference\n  model: resnet50\n");
  const lock = join(s.dir, "lock.json");
  expect(runCli(["lock", other, "--lockfile", lock]).code).toBe(0);
  return { dir: s.dir, profile, overlay, lock, top };
}

describe("user text that drives the terminal is shown escaped in every human format, exact in JSON", () => {
  const w = workspace();
  for (const format of ["table", "markdown", "github"]) {
    it(`recommend --format ${format}`, () => {
      const r = runCli(["recommend", w.profile, "--catalog", w.overlay, "--format", format, "--top", "2", "--explain"]);
      expect(r.code).toBe(0);
      inert(r.stdout);
      expect(r.stdout).toContain(`shop${SHOWN}`);
      // The table wraps the option's name across lines; the other formats show it whole.
      if (format !== "table") expect(r.stdout).toContain(`board${SHOWN}`);
      if (format !== "markdown") expect(r.stdout).toContain(String.raw`p\x1b[31m.yaml`);
    });
  }
  it("recommend --format json keeps the exact strings", () => {
    const r = runCli(["recommend", w.profile, "--catalog", w.overlay, "--format", "json", "--top", "1"]);
    const res = JSON.parse(r.stdout).results[0];
    expect([
      res.profile.name,
      res.profile.file,
      res.model.name,
      res.recommendations[0].name.includes(`board${HOSTILE}`),
    ]).toEqual([`shop${HOSTILE}`, w.profile, `model${HOSTILE}`, true]);
  });
  for (const format of ["table", "markdown", "github", "junit"]) {
    it(`check --format ${format}`, () => {
      const r = runCli(["check", w.profile, "--lockfile", w.lock, "--catalog", w.overlay, "--format", format]);
      expect(r.code).toBe(0);
      inert(r.stdout);
      expect(r.stdout).toContain(String.raw`p\x1b[31m.yaml`);
      if (format !== "junit") expect(r.stdout).toContain(`board${SHOWN}`);
    });
  }
  it("check --format json keeps the exact strings", () => {
    const r = runCli(["check", w.profile, "--lockfile", w.lock, "--catalog", w.overlay, "--format", "json"]);
    const p = JSON.parse(r.stdout).profiles[0];
    expect([p.file.endsWith("p\u001b[31m.yaml"), p.name, p.current.name.includes(`board${HOSTILE}`)]).toEqual([
      true,
      `shop${HOSTILE}`,
      true,
    ]);
  });
  it("estimate, tco, catalog list and catalog show", () => {
    const outs = [
      runCli(["estimate", w.profile, "--chip", "nvidia-l4"]),
      runCli(["tco", w.profile, "--catalog", w.overlay]),
      runCli(["catalog", "--catalog", w.overlay]),
      runCli(["catalog", "show", w.top, "--catalog", w.overlay]),
    ];
    expect(outs.map((o) => o.code)).toEqual([0, 0, 0, 0]);
    // The catalog listing shows ids (validated), not names: nothing to show, nothing raw either.
    outs.forEach((o, i) => inert(o.stdout, i !== 2));
  });
  it("errors on stderr name a hostile path and value escaped, on one line", () => {
    const s = scratch();
    const f = s.write(
      "bad\u001b]0;x\u0007.yaml",
      `name: t\nworkload:\n  kind: "k${YAML_HOSTILE}"\n  model: resnet50\n`,
    );
    const r = runCli(["recommend", f]);
    expect(r.code).toBe(2);
    expect(r.stderr.split("\n").filter(Boolean)).toHaveLength(1);
    expect(r.stderr.slice(0, -1)).not.toMatch(RAW);
    expect(r.stderr).toContain(String.raw`bad\x1b]0;x\x07.yaml:3:9 workload.kind:`);
  });
  it("a stage name or overlay id with escapes is refused at validation, shown escaped", () => {
    const s = scratch();
    const pipeline = readFileSync(join(ROOT, "profiles", "media-pipeline.yaml"), "utf8").replace(
      "  - name: preprocess",
      `  - name: "pre${YAML_HOSTILE}"`,
    );
    const r = runCli(["recommend", s.write("pl.yaml", pipeline)]);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toMatch(RAW);
    const o = runCli(["catalog", "--catalog", s.write("o.yaml", `overrides:\n  - id: "x${YAML_HOSTILE}"\n`)]);
    expect(o.code).toBe(2);
    expect(o.stderr.slice(0, -1)).not.toMatch(RAW);
  });
  it("a pipeline profile's name in the table", () => {
    const s = scratch();
    const pipeline = readFileSync(join(ROOT, "profiles", "media-pipeline.yaml"), "utf8").replace(
      "name: media-pipeline",
      `name: "media${YAML_HOSTILE}"`,
    );
    const r = runCli(["recommend", s.write("pl.yaml", pipeline), "--top", "1"]);
    expect(r.code).toBe(0);
    inert(r.stdout);
  });
});

describe("sanitize", () => {
  it("escapes C0, DEL, C1, bidi controls and line separators; leaves printable text, accents, CJK and emoji alone", () => {
    expect(sanitize("a\u001b[31mb\u0007\u0000\r\n\t\u007f\u0085\u202e\u2066\u200f\u2028")).toBe(
      String.raw`a\x1b[31mb\x07\x00\r\n\t\x7f\x85\u202e\u2066\u200f\u2028`,
    );
    expect(sanitize("São Paulo — 東京 🦄 ≤ 5 ms")).toBe("São Paulo — 東京 🦄 ≤ 5 ms");
  });
  it("law: the result holds no unsafe character, and text without one is unchanged", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), (s) => {
        const out = sanitize(s);
        expect(out).not.toMatch(RAW);
        if (!RAW.test(s.replace(/\n/g, ""))) expect(out).toBe(s.replace(/\n/g, "\\n"));
      }),
    );
  });
  it("sanitizeDeep escapes strings and keys at any depth, returns clean values as they are, and keeps __proto__ an own key", () => {
    const clean = { a: [1, "x", { b: "y" }], c: null };
    expect(sanitizeDeep(clean)).toBe(clean);
    const dirty = JSON.parse('{"n":"a\\u001b","list":[{"k\\u0007":"v"}],"__proto__":"p\\u202e"}');
    const out = sanitizeDeep(dirty) as Record<string, unknown>;
    expect(out).toEqual(JSON.parse(String.raw`{"n":"a\\x1b","list":[{"k\\x07":"v"}],"__proto__":"p\\u202e"}`));
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(dirty.n).toBe("a\u001b"); // the input is not changed
  });
});
