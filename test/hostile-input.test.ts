import { spawnSync } from "node:child_process";
import { chmodSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { run } from "../src/cli/main.js";
import { ALL_COMMANDS } from "../src/cli/commands/all.js";
import type { Ctx } from "../src/cli/context.js";
import { formatProblem } from "../src/errors.js";
import { parseProfile } from "../src/profile/parse.js";
import { MAX_INPUT_BYTES, parseYamlSource } from "../src/yaml-source.js";
import { BIN, hw } from "./helpers/cli.js";
import { builtinData } from "./helpers/data.js";
import { badLines, runCli, scratch } from "./helpers/run.js";

/** Validation errors of a profile text, formatted as the CLI prints them. */
function problems(text: string): string[] {
  const r = parseProfile("p.yaml", text, builtinData().models);
  return r.ok ? [] : r.problems.map(formatProblem);
}

const GOOD = "name: t\nworkload:\n  kind: realtime-inference\n  model: resnet50\n";

/** Run `recommend` on one file holding `content`; assert the error contract; return stderr lines. */
function recommendFile(
  content: string | Uint8Array,
  args: string[] = [],
): { code: number; lines: string[]; stdout: string; file: string } {
  const s = scratch();
  const file = s.write("in.yaml", content);
  const r = runCli(["recommend", file, ...args]);
  expect(badLines(r.stderr, [file])).toEqual([]);
  return {
    code: r.code,
    lines: r.stderr
      .split("\n")
      .filter(Boolean)
      .map((l) => l.slice(file.length)),
    stdout: r.stdout,
    file,
  };
}

describe("files that are not a profile at all", () => {
  it("an empty file", () => {
    expect(recommendFile("")).toMatchObject({
      code: 2,
      lines: [": file is empty; expected a YAML mapping"],
      stdout: "",
    });
  });
  it("only comments (and blank lines)", () => {
    expect(recommendFile("# a profile\n\n# to be written\n").lines).toEqual([
      ": profile is empty; expected a mapping with `name:` and `workload:` (see profiles/ for examples)",
    ]);
  });
  it("a list or a scalar at the top", () => {
    expect(recommendFile("- name: t\n- workload: x\n").lines).toEqual([
      ":1:1: expected a mapping with `name:` and `workload:`, found a list",
    ]);
    expect(recommendFile("just a sentence\n").lines).toEqual([
      ":1:1: expected a mapping with `name:` and `workload:`, found a string",
    ]);
    expect(recommendFile("42\n").lines).toEqual([
      ":1:1: expected a mapping with `name:` and `workload:`, found a number",
    ]);
  });
  it("binary data", () => {
    expect(recommendFile(new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0])).lines).toEqual([
      ": file holds binary data (NUL bytes), expected YAML text",
    ]);
  });
  it("invalid UTF-8 (a Latin-1 file)", () => {
    // "name: café" in Latin-1: é is the lone byte 0xE9, not a UTF-8 sequence.
    expect(recommendFile(new Uint8Array([...Buffer.from("name: caf"), 0xe9, 0x0a])).lines).toEqual([
      ": file is not valid UTF-8 text",
    ]);
  });
  it("a file over 1 MiB is refused before parsing (even if it is valid YAML)", () => {
    const big = GOOD + `description: "${"x".repeat(MAX_INPUT_BYTES)}"\n`;
    const t0 = performance.now();
    const r = recommendFile(big);
    expect(r.code).toBe(2);
    expect(r.lines[0]).toMatch(/^: file is 1024 KiB, over the 1024 KiB limit; refusing to parse it$/);
    expect(performance.now() - t0).toBeLessThan(2000);
    // The pure parser refuses too, for callers that bypass the reader.
    const p = parseYamlSource("x.yaml", big);
    expect(p.ok).toBe(false);
  });
});

describe("YAML that does not parse reports the parser's position", () => {
  it("tabs as indentation", () => {
    expect(problems("name: t\nworkload:\n\tkind: training\n")).toEqual([
      "p.yaml:3:1: invalid YAML: Tabs are not allowed as indentation",
    ]);
  });
  it("bad indentation", () => {
    expect(problems("name: t\nworkload:\n  kind: batch-inference\n model: resnet50\n")).toEqual([
      "p.yaml:4:1: invalid YAML: All mapping items must start at the same column",
    ]);
  });
  it("an unclosed quote", () => {
    expect(problems('name: "t\nworkload:\n  kind: batch-inference\n')[0]).toBe(
      'p.yaml:4:1: invalid YAML: Missing closing "quote',
    );
  });
  it("a duplicate key names the key and its line", () => {
    expect(problems(GOOD + "slo:\n  latency_p99: 5ms\n  latency_p99: 9ms\n")).toEqual([
      "p.yaml:7:3: invalid YAML: duplicate key `latency_p99` (keys must be unique in a mapping)",
    ]);
  });
  it("an alias bomb (billion laughs) is refused quickly, with bounded memory, pointing at the first alias", () => {
    // 9 levels of 9 aliases each: 9^9 ≈ 387M nodes if expanded.
    let bomb = "a0: &a0 [x, x, x, x, x, x, x, x, x]\n";
    for (let i = 1; i <= 9; i++)
      bomb += `a${i}: &a${i} [${Array.from({ length: 9 }, () => `*a${i - 1}`).join(", ")}]\n`;
    const heapBefore = process.memoryUsage().heapUsed;
    const t0 = performance.now();
    const p = problems(bomb);
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(64 * 1024 * 1024);
    expect(p).toEqual([
      "p.yaml:2:10: YAML could not be read: Excessive alias count indicates a resource exhaustion attack",
    ]);
  });
});

describe("encodings and line endings people's editors produce are accepted", () => {
  it("a UTF-8 byte-order mark", () => {
    const r = recommendFile(new Uint8Array([0xef, 0xbb, 0xbf, ...Buffer.from(GOOD)]), ["--format", "json"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).results[0].profile.name).toBe("t");
  });
  it("CRLF line endings, with positions still right", () => {
    const r = recommendFile(GOOD.replace(/\n/g, "\r\n"), ["--format", "json"]);
    expect(r.code).toBe(0);
    expect(problems((GOOD + "slo:\n  latncy_p99: 5ms\n").replace(/\n/g, "\r\n"))).toEqual([
      "p.yaml:6:3 slo.latncy_p99: unknown key `latncy_p99` — did you mean `latency_p99`?",
    ]);
  });
});

describe("no prototype pollution", () => {
  it("__proto__, constructor and prototype keys are unknown keys, and Object.prototype stays clean", () => {
    const text =
      GOOD +
      "__proto__:\n  polluted: yes\nconstructor:\n  prototype:\n    polluted: yes\nslo:\n  __proto__: { latency_p99: 1ms }\n";
    expect(problems(text)).toEqual([
      "p.yaml:5:1 __proto__: unknown key `__proto__`",
      "p.yaml:7:1 constructor: unknown key `constructor`",
      "p.yaml:11:3 slo.__proto__: unknown key `__proto__`",
    ]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.hasOwn(Object.prototype, "polluted")).toBe(false);
    expect(Object.keys(Object.prototype)).toEqual([]);
  });
  it("the same keys in a catalog overlay", () => {
    const s = scratch();
    const f = s.write("cat.yaml", "__proto__:\n  polluted: yes\nchips: []\n");
    const r = runCli(["catalog", "--catalog", f]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`${f}:1:1 __proto__: unknown key \`__proto__\`\n`);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe("values of the wrong type or out of range", () => {
  it("a number written as a string gets a hint to drop the quotes", () => {
    expect(problems(GOOD + 'slo:\n  concurrency: "4"\n')).toEqual([
      'p.yaml:6:16 slo.concurrency: expected number, found "4" — write the number without quotes',
    ]);
  });
  it("a quantity written as a quoted plain number is fine (it is a string with no unit)", () => {
    expect(problems(GOOD + 'slo:\n  latency_p99: "50"\n')).toEqual([]);
  });
  it("strings where numbers go, numbers where strings go", () => {
    expect(problems("name: 5\nworkload:\n  kind: 7\n  model: 12\n")).toEqual([
      'p.yaml:1:7 name: expected string, found 5 — quote it if you mean the text: "5"',
      'p.yaml:3:9 workload.kind: expected one of "training", "fine-tuning", "batch-inference", "realtime-inference", "streaming", "edge-inference", found 7',
      "p.yaml:4:10 workload.model: expected a preset id (a string) or a mapping, found 12",
    ]);
    expect(problems(GOOD + "slo:\n  throughput: [30]\n")).toEqual([
      "p.yaml:6:15 slo.throughput: expected a number or a quantity with a unit, found a list",
    ]);
  });
  it("NaN and Infinity are not numbers a profile can use", () => {
    expect(problems(GOOD + "slo:\n  latency_p99: .nan\n  throughput: .inf\nvolume:\n  peak_factor: -.inf\n")).toEqual([
      "p.yaml:6:16 slo.latency_p99: expected a finite number, found NaN",
      "p.yaml:7:15 slo.throughput: expected a finite number, found Infinity",
      "p.yaml:9:16 volume.peak_factor: expected a finite number, found -Infinity",
    ]);
    expect(problems(GOOD + "slo:\n  latency_p99: NaN ms\n")).toEqual([
      'p.yaml:6:16 slo.latency_p99: expected a duration such as 50ms, 1.5s, 72h or 14d, found "NaN ms"',
    ]);
  });
  it("negative and zero where they make no sense", () => {
    expect(
      problems(
        GOOD + "slo:\n  latency_p99: -5ms\n  throughput: 0/s\n  concurrency: 0\nhorizon: -3y\nenergy:\n  pue: 0\n",
      ),
    ).toEqual([
      'p.yaml:6:16 slo.latency_p99: expected a value above 0 ms, found "-5ms"',
      'p.yaml:7:15 slo.throughput: expected a value above 0 /s, found "0/s"',
      "p.yaml:8:16 slo.concurrency: expected number to be >0, found 0",
      'p.yaml:9:10 horizon: expected at least 0.1 y, found "-3y"',
      "p.yaml:11:8 energy.pue: expected number to be >=1, found 0",
    ]);
  });
  it("unknown units", () => {
    expect(problems(GOOD + "slo:\n  latency_p99: 30 parsecs\nconstraints:\n  power_budget: 15 horsepower\n")).toEqual([
      'p.yaml:6:16 slo.latency_p99: expected a duration such as 50ms, 1.5s, 72h or 14d, found "30 parsecs"',
      'p.yaml:8:17 constraints.power_budget: expected a power such as 15W, 500mW or 2kW, found "15 horsepower"',
    ]);
  });
  it("an unknown model preset lists near names", () => {
    expect(problems("name: t\nworkload:\n  kind: streaming\n  model: llama-3-7b\n")).toEqual([
      'p.yaml:4:10 workload.model: unknown model preset "llama-3-7b" — did you mean `llama-2-7b`, `llama-3-70b`, `llama-3-8b`, `llama-2-70b`? (`hwadvise models` lists them; or give { params, flops_per_sample, family })',
    ]);
  });
  it("unknown keys at any depth, with did-you-mean", () => {
    expect(problems("name: t\nworkload:\n  kind: batch-inference\n  modle: resnet50\n")).toEqual([
      "p.yaml:3:3 workload.model: required field is missing; expected a preset id (a string) or a mapping",
      "p.yaml:4:3 workload.modle: unknown key `modle` — did you mean `model`?",
    ]);
    expect(problems(GOOD + "constraints:\n  budget:\n    montly: $5k\n")).toEqual([
      "p.yaml:7:5 constraints.budget.montly: unknown key `montly` — did you mean `monthly`?",
    ]);
    expect(
      problems(
        "name: t\nworkload:\n  kind: batch-inference\n  model: { params: 7B, family: decoder-llm, layerz: 32 }\n",
      ),
    ).toEqual(["p.yaml:4:45 workload.model.layerz: unknown key `layerz` — did you mean `layers`?"]);
    expect(problems("nmae: t\n" + GOOD.slice(8))).toEqual([
      "p.yaml:1:1 name: required string is missing",
      "p.yaml:1:1 nmae: unknown key `nmae` — did you mean `name`?",
    ]);
  });
  it("a key holding a newline or terminal escape stays on one line, escaped", () => {
    const p = problems(GOOD + '"sl\\no\\u001b[31m": 1\n');
    expect(p).toEqual(["p.yaml:5:1 sl\\no\\x1b[31m: unknown key `sl\\no\\x1b[31m`"]);
  });
});

describe("absurd magnitudes give a validation error or a clean infeasible answer, never NaN or Infinity", () => {
  it("a 10^30-parameter model is refused at validation", () => {
    expect(
      problems(
        "name: t\nworkload:\n  kind: batch-inference\n  model: { params: 1e30, flops_per_sample: 1G, family: cnn }\n",
      ),
    ).toEqual(["p.yaml:4:20 workload.model.params: expected at most 1e15, found 1e+30"]);
  });
  it("budgets and energy prices beyond any plan are refused", () => {
    expect(problems(GOOD + "constraints:\n  budget: { monthly: 1e300 }\nenergy: { price_per_kwh: $1e9 }\n")).toEqual([
      "p.yaml:6:22 constraints.budget.monthly: expected at most 1e12 USD, found 1e+300",
      'p.yaml:7:26 energy.price_per_kwh: expected at most 100 USD, found "$1e9"',
    ]);
  });
  it("more active parameters than parameters is refused", () => {
    expect(
      problems("name: t\nworkload:\n  kind: streaming\n  model: { params: 1B, active_params: 7B, family: moe-llm }\n"),
    ).toEqual([
      "p.yaml:4:39 workload.model.active_params: active parameters (7000000000) cannot exceed total params (1000000000)",
    ]);
  });
  const cases: [string, string][] = [
    ["a throughput no fleet reaches", GOOD + "slo:\n  throughput: 1e300\n"],
    [
      "a largest-allowed LLM with the longest prompts",
      "name: t\nworkload:\n  kind: streaming\n  model: { params: 1e15, family: decoder-llm, layers: 100000, hidden: 1000000000, kv_heads: 1000000, head_dim: 100000 }\n  input_tokens: 10000000\n  output_tokens: 10000000\nslo:\n  concurrency: 10000000\n",
    ],
    [
      "training the largest model on the most tokens by a tiny deadline",
      "name: t\nworkload:\n  kind: training\n  model: { params: 1e15, family: decoder-llm }\n  dataset: { tokens: 1e16, epochs: 100000 }\nslo:\n  deadline: 1e-9h\n",
    ],
    [
      "a batch job of 10^15 items of the largest CNN",
      "name: t\nworkload:\n  kind: batch-inference\n  model: { params: 1e15, flops_per_sample: 1e21, family: cnn }\nvolume:\n  items_per_run: 1e15\n  runs_per_month: 100000\n",
    ],
    [
      "an edge fleet at extremes",
      "name: t\nworkload:\n  kind: edge-inference\n  model: resnet50\nvolume:\n  sites: 10000000\n  requests_per_day: 1e15\n  peak_factor: 1000\nconstraints:\n  budget: { monthly: 1e12, capex: 1e-300 }\n  power_budget: 1e-300\nenergy: { price_per_kwh: 100, pue: 5 }\nhorizon: 0.1\n",
    ],
    [
      "tiny rates and budgets",
      GOOD +
        "slo:\n  throughput: 1e-300\n  latency_p99: 1e-300\nconstraints:\n  budget: { per_1m_inferences: 1e-300 }\n",
    ],
  ];
  for (const [name, text] of cases) {
    it(name, () => {
      const r = recommendFile(text, ["--format", "json", "--all"]);
      expect(r.code).toBe(0);
      expect(r.stdout).not.toMatch(/null|NaN|Infinity/);
      const recs = JSON.parse(r.stdout).results[0].recommendations as { feasible: boolean; violations: unknown[] }[];
      expect(recs.length).toBeGreaterThan(50);
      expect(recs.every((x) => !x.feasible && x.violations.length > 0)).toBe(true);
    });
  }
  it("the capped fleet is not passed off as meeting an absurd throughput", () => {
    const r = recommendFile(GOOD + "slo:\n  throughput: 1e300\n", ["--format", "json"]);
    const recs: { feasible: boolean; violations: { rule: string }[] }[] = JSON.parse(r.stdout).results[0]
      .recommendations;
    expect(recs.some((x) => x.feasible)).toBe(false);
    // Every option that fits and is allowed is refused for throughput (the nearest infeasible ones
    // may be others: they rank by their distance to every violated limit, and 1e300/s is far).
    const onlyThroughput = recs.filter((x) =>
      x.violations.every((v) => v.rule === "throughput" || v.rule === "latency_p99"),
    );
    expect(onlyThroughput.length).toBeGreaterThan(0);
    for (const x of onlyThroughput) expect(x.violations.map((v) => v.rule)).toContain("throughput");
  });
});

describe("paths that are not readable files", () => {
  it("does not exist", () => {
    const r = runCli(["recommend", "no/such/profile.yaml"]);
    expect([r.code, r.stderr]).toEqual([2, "no/such/profile.yaml: no such file\n"]);
  });
  it("a parent in the path is a file", () => {
    const r = runCli(["recommend", "package.json/profile.yaml"]);
    expect([r.code, r.stderr]).toEqual([
      2,
      "package.json/profile.yaml: no such file (a parent in the path is a file, not a directory)\n",
    ]);
  });
  it("a directory is expanded; an empty one is reported", () => {
    const s = scratch();
    const r = runCli(["recommend", s.dir]);
    expect([r.code, r.stderr]).toEqual([
      2,
      `${s.dir}: is a directory; name a YAML file (or use a glob such as 'profiles/*.yaml')\n`,
    ]);
    s.write("a.yaml", GOOD);
    const ok = runCli(["recommend", s.dir, "--format", "json"]);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout).results[0].profile.file).toBe(`${s.dir}/a.yaml`);
  });
  it("a directory given to --catalog", () => {
    const r = runCli(["catalog", "--catalog", "profiles"]);
    expect([r.code, r.stderr]).toEqual([
      2,
      "profiles: is a directory; name a YAML file (or use a glob such as 'profiles/*.yaml')\n",
    ]);
  });
  it("cannot be read (chmod 000)", () => {
    const s = scratch();
    const f = s.write("locked.yaml", GOOD);
    chmodSync(f, 0o000);
    // root reads any file: run the CLI as `nobody` then, so the test still checks what a user sees.
    const asRoot = process.getuid?.() === 0;
    const r = spawnSync(process.execPath, [BIN, "recommend", f], {
      encoding: "utf8",
      env: { PATH: process.env.PATH ?? "", NO_COLOR: "1" },
      ...(asRoot ? { uid: 65534, gid: 65534 } : {}),
    });
    expect([r.status, r.stderr]).toEqual([2, `${f}: permission denied\n`]);
  });
});

describe("stdin", () => {
  it("empty", () => {
    expect(hw(["recommend", "-"], { input: "" })).toEqual({
      code: 2,
      stdout: "",
      stderr: "<stdin>: standard input is empty; expected a YAML profile\n",
    });
  });
  it("closed (Node reopens a closed fd 0 on /dev/null: reported as empty, not a crash)", () => {
    const r = spawnSync("sh", ["-c", `"${process.execPath}" "${BIN}" recommend - <&-`], {
      encoding: "utf8",
      env: { PATH: process.env.PATH ?? "", NO_COLOR: "1" },
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(
      /^<stdin>: standard input is (empty; expected a YAML profile|closed; pipe a profile in or name a file)\n$/,
    );
  });
  it("a good profile on stdin", () => {
    const r = hw(["recommend", "-", "--format", "json", "--top", "1"], { input: GOOD });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).results[0].profile.file).toBe("<stdin>");
  });
});

describe("several profiles where some are bad", () => {
  it("the good ones are still reported, every bad one is named, exit 2", () => {
    const s = scratch();
    const bad1 = s.write("b1.yaml", "name: t\nworkload: {kind: nope, model: resnet50}\n");
    const bad2 = s.write("b2.yaml", "");
    const r = runCli([
      "recommend",
      "profiles/farm-sensor.yaml",
      bad1,
      "profiles/llm-chat.yaml",
      bad2,
      "--format",
      "json",
    ]);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout).results.map((x: { profile: { file: string } }) => x.profile.file)).toEqual([
      "profiles/farm-sensor.yaml",
      "profiles/llm-chat.yaml",
    ]);
    expect(badLines(r.stderr, [bad1, bad2])).toEqual([]);
    expect(r.stderr.split("\n").filter(Boolean)).toHaveLength(2);
  });
});

describe("exit codes, stack traces and pipes", () => {
  it("an internal error is exit 3 with one line; --debug shows the stack", () => {
    const s = scratch();
    const f = s.write("p.yaml", GOOD);
    // An output stream that throws is a failure no input explains: the CLI must contain it.
    for (const debug of [false, true]) {
      let err = "";
      const ctx: Ctx = {
        out: () => {
          throw new Error("disk full");
        },
        err: (x) => {
          err += x;
        },
        env: { NO_COLOR: "1" },
        isTTY: false,
        columns: 80,
      };
      expect(run(["recommend", f, ...(debug ? ["--debug"] : [])], ctx, ALL_COMMANDS)).toBe(3);
      if (debug) expect(err).toMatch(/^Error: disk full\n\s+at /);
      else expect(err).toBe("hwadvise: internal error: disk full (this is a bug; rerun with --debug for the stack)\n");
    }
  });
  it("`| head -1` ends quietly (no EPIPE stack trace)", () => {
    const r = spawnSync(
      "sh",
      // One profile's --all JSON is ~400 KB: six pipe buffers past what head reads before it exits.
      ["-c", `"${process.execPath}" "${BIN}" recommend profiles/llm-chat.yaml --all --format json | head -1`],
      { encoding: "utf8", env: { PATH: process.env.PATH ?? "", NO_COLOR: "1" } },
    );
    expect(r.stdout.split("\n")[0]).toBe("{");
    expect(r.stderr).toBe("");
  });
});
