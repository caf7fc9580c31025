import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "./helpers/cli.js";

/** Every match of a global pattern, as arrays of its groups. */
const all = (text: string, re: RegExp) => [...text.matchAll(re)].map((m) => m.slice(1));
/**
 * A figure printed with `d` decimals agrees with the value computed from other printed figures, which carry
 * a relative rounding error of their own (`rel`).
 */
const agrees = (printed: number, exact: number, d: number, rel = 0.001) =>
  Math.abs(printed - exact) <= 0.5 * 10 ** -d + Math.abs(exact) * (rel + 0.001);

// The short form of `npm run bench`: it must run every section, and each figure it prints must be a
// measurement (a finite number consistent with the others it is derived from), not only a line of the
// right shape. No timing target is asserted: the machine may be loaded. 10 generated profiles instead of
// --quick's 20: every section and figure is the same, in a fifth less time.
const P = 10;
describe("npm run bench -- --quick", () => {
  it("runs the start-up, scale and CLI sections and reports every figure", () => {
    const r = spawnSync(
      process.execPath,
      [join(ROOT, "scripts", "bench.mjs"), "--quick", "--reps", "1", "--profiles", String(P)],
      { cwd: ROOT, encoding: "utf8", timeout: 120_000 },
    );
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const out = r.stdout;

    // Start-up: the reference and each command's median, and the ratio printed is their quotient.
    const ref = Number(/reference `node -e 0` = ([\d.]+) ms/.exec(out)?.[1]);
    expect(ref).toBeGreaterThan(1);
    expect(ref).toBeLessThan(5000);
    const starts = all(out, /^ {2}hwadvise (.+?)\s+([\d.]+) ms {2}ref ([\d.]+) ms {2}ratio ([\d.]+)×/gm);
    expect(starts.map(([name]) => name)).toEqual(["recommend profiles/llm-chat.yaml", "catalog", "schema profile"]);
    for (const [name, ms, rowRef, ratio] of starts) {
      expect([name, Number(rowRef)]).toEqual([name, ref]);
      expect(Number(ms), name).toBeGreaterThan(0);
      expect(
        agrees(Number(ratio), Number(ms) / ref, 2, 0.05 / Number(ms) + 0.05 / ref),
        `${name}: ratio ${ratio} for ${ms} / ${ref} ms`,
      ).toBe(true);
    }

    // Scale: one row per run of the core (P profiles × 30 and × 300 offerings, 2 × 300); each row's
    // evaluations are profiles × offerings, and ns/eval and evals/s follow from its evaluations and time.
    const rows = all(out, /^ {2}(\d+) × (\d+)\s+(\d+)\s+([\d.]+) ms\s+(\d+)\s+([\d.]+) M\/s\s+(\S+) MB$/gm);
    expect(rows.map(([p, n]) => `${p}×${n}`)).toEqual([`${P}×30`, `${P}×300`, "2×300"]);
    for (const [p, n, evals, ms, ns, mPerS, rss] of rows) {
      const at = `${p} × ${n}`;
      expect([at, Number(evals)]).toEqual([at, Number(p) * Number(n)]);
      expect(Number(ms), at).toBeGreaterThan(0);
      const msRounding = 0.05 / Number(ms); // the time is printed to 0.1 ms
      expect(agrees(Number(ns), (Number(ms) * 1e6) / Number(evals), 0, msRounding), `${at}: ${ns} ns/eval`).toBe(true);
      expect(agrees(Number(mPerS), Number(evals) / Number(ms) / 1000, 2, msRounding), `${at}: ${mPerS} M/s`).toBe(true);
      expect(Number(rss), `${at}: peak RSS ${rss} MB`).toBeGreaterThan(10);
      expect(Number(rss), `${at}: peak RSS ${rss} MB`).toBeLessThan(4000);
    }
    // The summary line quotes the P × 300 row.
    const full = rows.find(([p, n]) => p === String(P) && n === "300")!;
    expect(out).toContain(`${P} × 300: ${full[5]} M evals/s`);
    expect(out).toContain(`${P} × 300: peak RSS ${full[6]} MB`);

    // The CLI section: each command ran (recommend exits 0; check 0 or 1 against the baseline the bench
    // wrote), with a wall time and a peak memory of its own.
    const cli = all(out, /^ {2}hwadvise (\w+) (.+?)\s+([\d.]+) s {2}exit (\d+) {2}peak RSS (\S+) MB/gm);
    expect(cli.map(([cmd, what]) => `${cmd} ${what}`)).toEqual([
      `recommend ${P} profiles × built-in catalog`,
      "recommend 2 profiles × 300 offerings",
      `check ${P} profiles × 300 offerings`,
    ]);
    for (const [cmd, what, s, code, rss] of cli) {
      const name = `${cmd} ${what}`;
      expect([name, Number(code)]).toEqual([name, cmd === "check" && code === "1" ? 1 : 0]);
      expect(Number(s) * 1000, name).toBeGreaterThan(0);
      expect(Number(rss), `${name}: peak RSS ${rss} MB`).toBeGreaterThan(10);
      expect(Number(rss), `${name}: peak RSS ${rss} MB`).toBeLessThan(4000);
    }
  }, 150_000);
});
