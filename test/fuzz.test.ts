import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BIN, ROOT } from "./helpers/cli.js";
import { badLines, runCli, scratch } from "./helpers/run.js";

/**
 * Fuzz the CLI's read → parse → validate path with random bytes and mutated copies of profiles/ and a
 * catalog overlay. Seeded and reproducible: HWADVISE_FUZZ_SEED and HWADVISE_FUZZ_N explore further
 * outside CI. Every input must give exit 0 or 2, no stack trace, and stderr lines in the one format.
 */

const SEED = Number(process.env.HWADVISE_FUZZ_SEED ?? 6);
const N = Number(process.env.HWADVISE_FUZZ_N ?? 1500);

/** mulberry32: a tiny, well-mixed 32-bit PRNG; the same seed gives the same inputs everywhere. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
  return { next, int, pick };
}
type Rng = ReturnType<typeof prng>;

const PROFILES = readdirSync(join(ROOT, "profiles"))
  .filter((f) => f.endsWith(".yaml"))
  .sort()
  .map((f) => readFileSync(join(ROOT, "profiles", f), "utf8"));
const OVERLAY = `chips:
  - id: fuzz-chip
    name: Fuzz chip
    vendor: Fuzz
    class: gpu
    peak_tops: { fp16: 100, int8: 200 }
    memory_gb: 24
    memory_bw_gbps: 1000
    tdp_w: 300
    idle_w: 30
    runtimes: [onnx, tensorrt]
    source: "https://example.com"
    as_of: 2026-01-01
offerings:
  - id: fuzz-offering
    name: Fuzz box
    chip: fuzz-chip
    count: 2
    class: cloud-gpu
    deployment: cloud
    regions:
      - { region: r1, country: US, usd_per_hour: 3.5, source: "https://example.com", as_of: 2026-01-01 }
    source: "https://example.com"
    as_of: 2026-01-01
disable: [aws-g6-xlarge]
`;

/** Values that stress types, units and ranges. */
const VALUES = [
  "0",
  "-1",
  "1e308",
  "-1e308",
  "1e-320",
  ".nan",
  ".inf",
  "-.inf",
  "~",
  "null",
  "true",
  "''",
  '""',
  "[]",
  "{}",
  "[1, 2]",
  "{ a: 1 }",
  "30 parsecs",
  "5ms",
  "-5ms",
  "0/s",
  "7B",
  "1e30",
  "$-5",
  "NaN",
  "0x10",
  "1_000",
  "2026-13-45",
  "&a x",
  "*a",
  "*nope",
  "!!binary aGk=",
  "!!js/function f",
  "'unterminated",
  '"\\u0000"',
  "__proto__",
  "constructor",
  "\u202e\u0007",
  "🦄",
  "a".repeat(300),
];
const KEYS = [
  "__proto__",
  "constructor",
  "prototype",
  "nmae",
  "workload",
  "slo",
  "latency_p99",
  "model",
  "kind",
  "chips",
  "offerings",
  "<<",
  "? complex",
  "'quoted key'",
  "a\tb",
  "0",
  "",
  "-",
];

/** One mutation of a YAML text. */
function mutate(text: string, r: Rng): string {
  const lines = text.split("\n");
  switch (r.int(10)) {
    case 0: {
      // byte flips
      const b = Buffer.from(text);
      for (let i = 0, n = 1 + r.int(4); i < n && b.length; i++) b[r.int(b.length)] = r.int(256);
      return b.toString("latin1");
    }
    case 1:
      lines.splice(r.int(lines.length), 1 + r.int(2));
      return lines.join("\n");
    case 2: {
      const i = r.int(lines.length);
      lines.splice(i, 0, ...Array.from({ length: 1 + r.int(3) }, () => lines[i] ?? ""));
      return lines.join("\n");
    }
    case 3: {
      // rename a key
      const i = r.int(lines.length);
      lines[i] = (lines[i] ?? "").replace(/^(\s*-?\s*)[^\s:#][^:]*:/, `$1${r.pick(KEYS)}:`);
      return lines.join("\n");
    }
    case 4: {
      // swap a value
      const i = r.int(lines.length);
      lines[i] = (lines[i] ?? "").replace(/:\s+\S.*$/, `: ${r.pick(VALUES)}`);
      return lines.join("\n");
    }
    case 5:
      return text.slice(0, r.int(text.length + 1));
    case 6: {
      // re-indent a line
      const i = r.int(lines.length);
      lines[i] = r.pick(["", " ", "   ", "\t", "    - "]) + (lines[i] ?? "").trimStart();
      return lines.join("\n");
    }
    case 7: {
      // swap two lines
      const i = r.int(lines.length);
      const j = r.int(lines.length);
      [lines[i], lines[j]] = [lines[j]!, lines[i]!];
      return lines.join("\n");
    }
    case 8:
      return (
        r.pick(["\ufeff", "---\n", "%YAML 1.1\n---\n", "# c\n", "", "a: &a 1\n"]) +
        text +
        r.pick(["", "\n---\nname: second\n", "\n...\n", "\n" + r.pick(KEYS) + ": " + r.pick(VALUES) + "\n"])
      );
    default:
      return text.replace(/\n/g, "\r\n");
  }
}

function randomInput(r: Rng, base: string): Uint8Array {
  const kind = r.int(20);
  if (kind === 0) return Uint8Array.from({ length: r.int(200) }, () => r.int(256)); // random bytes
  if (kind === 1)
    return Buffer.from(
      Array.from({ length: r.int(200) }, () =>
        r.pick([" ", "\n", ":", "-", "[", "]", "{", "}", "&", "*", "!", "|", ">", "'", '"', "#", "a", "1", "\t", "?"]),
      ).join(""),
    ); // YAML punctuation soup
  let text = base;
  for (let i = 0, n = 1 + r.int(3); i < n; i++) text = mutate(text, r);
  return r.int(8) === 0 ? Buffer.from(text, "latin1") : Buffer.from(text);
}

interface Outcome {
  code: number;
  stderr: string;
}

function check(o: Outcome, file: string, input: Uint8Array, label: string): void {
  const ctx = `${label}: input ${JSON.stringify(Buffer.from(input).toString("latin1").slice(0, 300))}`;
  expect([0, 2], ctx).toContain(o.code);
  expect(o.stderr, ctx).not.toMatch(/^\s+at |internal error|TypeError|ReferenceError|RangeError/m);
  expect(badLines(o.stderr, [file]), ctx).toEqual([]);
  if (o.code === 2) expect(o.stderr, ctx).not.toBe("");
}

describe("fuzz: random and mutated inputs never crash the CLI", () => {
  it(`${N} in-process runs (seed ${SEED}): profiles and catalog overlays`, () => {
    const r = prng(SEED);
    const s = scratch();
    // Profiles are recommended against a one-offering catalog: the whole CLI path runs, ranking 97 options does not.
    const tiny = s.write("tiny-catalog.yaml", OVERLAY.replace("disable: [aws-g6-xlarge]\n", ""));
    const codes = { 0: 0, 2: 0 } as Record<number, number>;
    const t0 = performance.now();
    for (let i = 0; i < N; i++) {
      const overlay = r.int(4) === 0;
      const input = randomInput(r, overlay ? OVERLAY : r.pick(PROFILES));
      const file = s.write(`in-${i}.yaml`, input);
      // `catalog` validates the overlay only; `recommend` with --top 1 keeps the rendering cheap.
      const o = overlay
        ? runCli(["catalog", "--catalog", file, "--format", "json"])
        : runCli(["recommend", file, "--format", "json", "--no-builtin", "--catalog", tiny]);
      check(o, file, input, `iteration ${i} (seed ${SEED})`);
      if (o.code === 0 && !overlay) expect(JSON.parse(o.stdout).results).toHaveLength(1);
      codes[o.code] = (codes[o.code] ?? 0) + 1;
    }
    // Both outcomes occur: the mutations are neither all harmless nor all fatal.
    expect(codes[0]).toBeGreaterThan(N / 20);
    expect(codes[2]).toBeGreaterThan(N / 4);
    expect(performance.now() - t0).toBeLessThan(60_000);
  }, 90_000);

  it("a few mutated inputs through the built CLI as a subprocess (stdin and files)", () => {
    const r = prng(SEED + 1);
    const s = scratch();
    for (let i = 0; i < 6; i++) {
      const input = randomInput(r, r.pick(PROFILES));
      const viaStdin = i % 2 === 0;
      const file = viaStdin ? "<stdin>" : s.write(`sp-${i}.yaml`, input);
      const p = spawnSync(
        process.execPath,
        [BIN, "recommend", viaStdin ? "-" : file, "--format", "json", "--top", "1"],
        {
          input: viaStdin ? input : undefined,
          encoding: "utf8",
          maxBuffer: 256 * 1024 * 1024,
          env: { PATH: process.env.PATH ?? "", NO_COLOR: "1" },
        },
      );
      check({ code: p.status ?? -1, stderr: p.stderr }, file, input, `subprocess ${i}`);
    }
  });
});
