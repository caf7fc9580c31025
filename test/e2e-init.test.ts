import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { WORKLOAD_KINDS } from "../src/profile/schema.js";
import { BIN, hw } from "./helpers/cli.js";
import { runCli } from "./helpers/run.js";

const scratch = () => mkdtempSync(join(tmpdir(), "hw-init-"));

describe("hwadvise init", () => {
  it.each(
    WORKLOAD_KINDS.flatMap(
      (k) =>
        [
          [k, undefined],
          [k, "llama-3-8b"],
          [k, "resnet50"],
        ] as const,
    ),
  )("%s with model %s: writes a profile that validates and recommends", (kind, model) => {
    // In process (the CLI's own entry point, no spawn): 18 cases × 2 runs. The tests below run the
    // built CLI for init's exit codes, output streams and files.
    const dir = scratch();
    const file = join(dir, "p.yaml");
    const w = runCli(["init", file, "--kind", kind, ...(model ? ["--model", model] : [])]);
    expect([w.code, w.stdout]).toEqual([0, ""]);
    expect(w.stderr).toMatch(/^wrote .*p\.yaml \(/);
    const text = readFileSync(file, "utf8");
    // The editor line points at the schema the package ships, relative to the profile's folder.
    const ref = /^# yaml-language-server: \$schema=(.+)$/m.exec(text)![1]!;
    expect(existsSync(join(dir, ref))).toBe(true);
    expect(text).toMatch(new RegExp(`^  kind: ${kind} `, "m"));
    const r = runCli(["recommend", file, "--format", "json", "--top", "3"]);
    expect(r.code, r.stderr).toBe(0);
    const res = JSON.parse(r.stdout).results[0];
    expect(res.recommendations.length).toBeGreaterThan(0);
    // Anything but an LLM squeezed onto a 15 W edge device has a feasible answer as written.
    const llmAtEdge = kind === "edge-inference" && model === "llama-3-8b";
    if (!llmAtEdge) expect(res.recommendations[0].feasible, `${kind} ${model}`).toBe(true);
  });

  it("comments give the unit of each field it writes", () => {
    const r = hw(["init", "-", "--kind", "realtime-inference", "--model", "llama-3-8b"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/ttft: 800ms +# p99 time to first token/);
    expect(r.stdout).toMatch(/tokens_per_s: 20 +# decode speed each stream must see, tokens\/s/);
    expect(r.stdout).toMatch(/concurrency: 32 +# streams/);
    const t = hw(["init", "-", "--kind", "training", "--model", "llama-3-8b"]);
    expect(t.stdout).toMatch(/seq_len: 4096 +# tokens per training sequence/);
  });

  it("never overwrites a file unless --force, and says so", () => {
    const dir = scratch();
    const file = join(dir, "mine.yaml");
    writeFileSync(file, "name: keep me\n");
    const r = hw(["init", file, "--kind", "training"]);
    expect([r.code, r.stderr]).toEqual([
      2,
      `hwadvise: ${file} exists; it was left as it is (pass --force to overwrite it)\n`,
    ]);
    expect(readFileSync(file, "utf8")).toBe("name: keep me\n");
    const f = hw(["init", file, "--kind", "training", "--force"]);
    expect(f.code).toBe(0);
    expect(readFileSync(file, "utf8")).toMatch(/kind: training/);
  });

  it("bad flags are usage errors (exit 2, one line), and nothing is written", () => {
    const dir = scratch();
    const file = join(dir, "x.yaml");
    const k = hw(["init", file, "--kind", "inference"]);
    expect([k.code, k.stderr]).toEqual([
      2,
      'hwadvise: unknown workload kind "inference"; expected one of training, fine-tuning, batch-inference, realtime-inference, streaming, edge-inference\n',
    ]);
    const m = hw(["init", file, "--kind", "training", "--model", "llama-9"]);
    expect(m.code).toBe(2);
    expect(m.stderr).toMatch(/^hwadvise: unknown model preset "llama-9"; did you mean llama-/);
    expect(existsSync(file)).toBe(false);
    const d = hw(["init", join(dir, "no", "such", "p.yaml"), "--kind", "training"]);
    expect([d.code, d.stderr.split("\n").length]).toEqual([2, 2]);
  });

  it("without a terminal it never asks: the defaults answer", () => {
    const dir = scratch();
    const r = hw(["init", join(dir, "svc.yaml")], { input: "edge-inference\n" });
    expect(r.code).toBe(0);
    const text = readFileSync(join(dir, "svc.yaml"), "utf8");
    expect(text).toMatch(/kind: realtime-inference/);
    expect(text).toMatch(/^name: svc$/m);
    expect(r.stderr).not.toMatch(/\[/);
  });

  const hasScript = spawnSync("script", ["--version"]).status === 0;
  it.skipIf(!hasScript)("on a terminal it asks for kind, model and name, re-asking a kind it does not know", () => {
    const dir = scratch();
    const file = join(dir, "q.yaml");
    // `script` gives the CLI a pseudo-terminal and types these lines into it.
    const r = spawnSync(
      "script",
      ["-qec", `${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} init ${JSON.stringify(file)}`, "/dev/null"],
      {
        input: "finetune\nfine-tuning\n\nlegal-lora\n",
        encoding: "utf8",
        env: { PATH: process.env.PATH ?? "", NO_COLOR: "1", TERM: "dumb" },
        timeout: 20_000,
      },
    );
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Workload kind \(training, fine-tuning/);
    expect(r.stdout).toMatch(/"finetune" is not one of them/);
    const text = readFileSync(file, "utf8");
    expect(text).toMatch(/kind: fine-tuning/);
    expect(text).toMatch(/model: llama-3-8b/);
    expect(text).toMatch(/^name: legal-lora$/m);
  });
});
