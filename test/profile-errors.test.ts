import { describe, expect, it } from "vitest";
import { formatProblem } from "../src/errors.js";
import { parseProfile } from "../src/profile/parse.js";
import { builtinData } from "./helpers/data.js";
import { spawnSync } from "node:child_process";
import { hw, ROOT } from "./helpers/cli.js";

function problems(text: string): string[] {
  const r = parseProfile("p.yaml", text, builtinData().models);
  if (r.ok) return [];
  return r.problems.map(formatProblem);
}

const base = "name: t\nworkload:\n  kind: realtime-inference\n  model: resnet50\n";

describe("profile validation errors name file:line:col and field", () => {
  it("unknown key with a did-you-mean, at the key's position", () => {
    expect(problems(base + "slo:\n  latncy_p99: 50ms\n")).toEqual([
      "p.yaml:6:3 slo.latncy_p99: unknown key `latncy_p99` — did you mean `latency_p99`?",
    ]);
  });
  it("the same words in another order are suggested too (p99_latency for latency_p99)", () => {
    expect(problems(base + "slo:\n  p99_latency: 50ms\n")).toEqual([
      "p.yaml:6:3 slo.p99_latency: unknown key `p99_latency` — did you mean `latency_p99`?",
    ]);
  });
  it("a bad unit says what was expected and what was found", () => {
    expect(problems(base + "slo:\n  latency_p99: 30 parsecs\n")).toEqual([
      'p.yaml:6:16 slo.latency_p99: expected a duration such as 50ms, 1.5s, 72h or 14d, found "30 parsecs"',
    ]);
  });
  it("a tensor-parallel degree that is not a power of two", () => {
    const llm = "name: t\nworkload:\n  kind: realtime-inference\n  model: llama-3-70b\n";
    expect(problems(llm.replace("llama-3-70b\n", "llama-3-70b\n  tensor_parallel: 6\n"))).toEqual([
      "p.yaml:5:20 workload.tensor_parallel: a power of two (1, 2, 4, 8 …)",
    ]);
    expect(problems(llm.replace("llama-3-70b\n", "llama-3-70b\n  tensor_parallel: 8\n"))).toEqual([]);
  });
  it("an LLM request longer than the model's context window, with the same network's longer-window presets", () => {
    const llm = (model: string, tokens: string) =>
      `name: t\nworkload:\n  kind: realtime-inference\n  model: ${model}\n${tokens}`;
    expect(problems(llm("llama-3-70b", "  input_tokens: 8000\n"))).toEqual([
      "p.yaml:5:17 workload.input_tokens: a request of 8,000 input + 256 output tokens is longer than Meta Llama 3 70B's" +
        " context window (8,192 tokens); shorten it, or name a model with a longer window: `llama-3.1-70b` (131,072)," +
        " `llama-3.3-70b` (131,072)",
    ]);
    // Exactly the window fits; the answer's length alone can overflow it.
    expect(problems(llm("llama-3-70b", "  input_tokens: 7936\n"))).toEqual([]);
    expect(problems(llm("llama-3-8b", "  output_tokens: 9000\n"))[0]).toMatch(
      /^p\.yaml:5:18 workload\.output_tokens: a request of 512 input \+ 9,000 output tokens is longer than Meta Llama 3 8B's context window \(8,192 tokens\); shorten it, or name a model with a longer window: `llama-3\.1-8b`/,
    );
    // An inline model states its own window; without one nothing is checked.
    const inline = (extra: string) =>
      `name: t\nworkload:\n  kind: realtime-inference\n  model:\n    name: lm\n    family: decoder-llm\n    params: 1B\n${extra}  input_tokens: 6000\n`;
    expect(problems(inline("    max_context: 4k\n"))).toEqual([
      "p.yaml:9:17 workload.input_tokens: a request of 6,000 input + 256 output tokens is longer than lm's context window (4,000 tokens); shorten it",
    ]);
    expect(problems(inline(""))).toEqual([]);
    // Fine-tuning may extend the window on purpose.
    expect(
      problems(
        "name: t\nworkload:\n  kind: fine-tuning\n  model: llama-3-8b\n  input_tokens: 30000\n  dataset: { tokens: 10M }\n",
      ),
    ).toEqual([]);
  });
  it("wrong type", () => {
    expect(problems(base + "slo:\n  concurrency: lots\n")[0]).toMatch(
      /^p\.yaml:6:16 slo\.concurrency: expected number, found "lots"$/,
    );
  });
  it("a scalar where a mapping goes lists the keys the mapping takes", () => {
    expect(problems(base + "constraints:\n  budget: 500\n")).toEqual([
      "p.yaml:6:11 constraints.budget: expected a mapping, found 500 — budget takes monthly, capex, per_1m_inferences, total (e.g. budget: { monthly: 500 })",
    ]);
    expect(problems(base + "energy: $0.20\n")[0]).toMatch(
      /^p\.yaml:5:9 energy: expected a mapping, found "\$0\.20" — energy takes price_per_kwh, pue/,
    );
  });
  it("rates as cameras and sensors state them", () => {
    expect(problems(base + "slo:\n  throughput: 60fps\n  latency_p99: 30ms\n")).toEqual([]);
    expect(problems(base + "slo:\n  throughput: 15Hz\n")).toEqual([]);
  });
  it("enum with a near miss", () => {
    expect(problems("name: t\nworkload:\n  kind: realtime-inferense\n  model: resnet50\n")[0]).toMatch(
      /^p\.yaml:3:9 workload\.kind: expected one of .* found "realtime-inferense" — did you mean "realtime-inference"\?$/,
    );
  });
  it("missing required field points at the parent", () => {
    expect(problems("name: t\nworkload:\n  model: resnet50\n")[0]).toMatch(
      /^p\.yaml:3:3 workload\.kind: required field is missing; expected one of "training"/,
    );
  });
  it("unknown model preset lists near names", () => {
    expect(problems("name: t\nworkload:\n  kind: batch-inference\n  model: resnet-50\n")[0]).toMatch(
      /^p\.yaml:4:10 workload\.model: unknown model preset "resnet-50" — did you mean `resnet50`/,
    );
  });
  it("YAML syntax errors carry the parser's position", () => {
    const p = problems("name: t\nworkload: {kind: x\n");
    expect(p[0]).toMatch(/^p\.yaml:\d+:\d+: invalid YAML: /);
  });
  it("duplicate keys are errors", () => {
    expect(problems(base + "name: again\n")[0]).toMatch(/^p\.yaml:5:1: invalid YAML: .*unique/);
  });
  it("non-positive and absurd quantities are rejected", () => {
    expect(problems(base + "slo:\n  latency_p99: -5ms\n")[0]).toMatch(/slo\.latency_p99: expected a value above 0/);
    expect(problems(base + "slo:\n  throughput: 0/s\n")[0]).toMatch(/slo\.throughput: expected a value above 0/);
    expect(
      problems(
        "name: t\nworkload:\n  kind: batch-inference\n  model: { params: 1e30, flops_per_sample: 1G, family: cnn }\n",
      )[0],
    ).toMatch(/workload\.model\.params: expected at most/);
  });
  it("a top-level list or scalar, and an empty file", () => {
    expect(problems("- a\n- b\n")[0]).toMatch(/^p\.yaml:1:1: expected a mapping .* found a list$/);
    expect(problems("42\n")[0]).toMatch(/found a number/);
    expect(problems("# only a comment\n")[0]).toMatch(/^p\.yaml: profile is empty/);
  });
  it("a training profile without a dataset", () => {
    expect(problems("name: t\nworkload:\n  kind: training\n  model: llama-3-8b\n")[0]).toMatch(
      /needs workload\.dataset/,
    );
  });
});

describe("the CLI reports bad input on stderr, one line per problem, exit 2, no stack", () => {
  it("a missing file", () => {
    const r = hw(["recommend", "nope.yaml"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("nope.yaml: no such file\n");
    expect(r.stdout).toBe("");
  });
  it("one bad profile among good ones: the others are still reported", () => {
    const r = hw(["recommend", "profiles/farm-sensor.yaml", "-", "--format", "json"], {
      input: "name: x\nworkload: { kind: nope, model: resnet50 }\n",
    });
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout).results).toHaveLength(1);
    expect(r.stderr).toMatch(/^<stdin>:2:\d+ workload\.kind: expected one of/);
    expect(r.stderr).not.toMatch(/at .*\.cjs/);
  });
  it("usage errors exit 2", () => {
    expect(hw(["recommend"]).code).toBe(2);
    expect(hw(["recomend", "x"]).code).toBe(2);
    expect(hw(["recommend", "profiles/farm-sensor.yaml", "--format", "xml"]).code).toBe(2);
    expect(hw(["recommend", "profiles/farm-sensor.yaml", "--top", "zero"]).code).toBe(2);
  });
});

describe("the project's scripts fail like the CLI: one line, no stack", () => {
  it("npm run accuracy with a file that is not there", () => {
    const r = spawnSync("npm", ["run", "--silent", "accuracy", "--", "/no/such/results.csv"], {
      cwd: ROOT,
      encoding: "utf8",
      env: { ...process.env, NO_COLOR: "1" },
    });
    expect([r.status, r.stderr]).toEqual([
      2,
      "npm run accuracy: no such file: /no/such/results.csv (HWADVISE_DEBUG=1 shows the stack)\n",
    ]);
  });
});
