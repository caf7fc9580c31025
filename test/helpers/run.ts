import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ALL_COMMANDS } from "../../src/cli/commands/all.js";
import { run } from "../../src/cli/main.js";

export interface InProcess {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run the CLI in this process with a fake context (no spawn: ~1 ms a call instead of ~100 ms). Never reads stdin. */
export function runCli(argv: string[], env: Record<string, string> = {}): InProcess {
  let stdout = "";
  let stderr = "";
  const fullEnv: Record<string, string> = { NO_COLOR: "1", HWADVISE_TODAY: "2026-11-28", ...env };
  const code = run(
    argv,
    {
      out: (s) => {
        stdout += s;
      },
      err: (s) => {
        stderr += s;
      },
      env: fullEnv,
      isTTY: false,
      // As start.ts on a pipe: COLUMNS when it is a number, else 120.
      columns: Number(fullEnv.COLUMNS) || 120,
    },
    ALL_COMMANDS,
  );
  return { code, stdout, stderr };
}

/** A scratch directory for input files; the OS cleans it. */
export function scratch(): { dir: string; write: (name: string, content: string | Uint8Array) => string } {
  const dir = mkdtempSync(join(tmpdir(), "hwadvise-test-"));
  return {
    dir,
    write: (name, content) => {
      const p = join(dir, name);
      writeFileSync(p, content);
      return p;
    },
  };
}

const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** `file[:line:col][ field]: message` — the one error format (see formatProblem). */
export function errorLineRe(file: string): RegExp {
  return new RegExp(`^${esc(file)}(?::\\d+:\\d+)?(?: [^\\n]+?)?: [^\\n]+$`);
}

/** Every stderr line is a located problem for one of `files`; none is a stack frame. */
export function badLines(stderr: string, files: readonly string[]): string[] {
  const res = files.map(errorLineRe);
  return stderr
    .split("\n")
    .filter((l) => l !== "")
    .filter((l) => /^\s+at /.test(l) || !res.some((re) => re.test(l)));
}

/**
 * `hw` (helpers/cli.ts) in this process: the same argv, working directory and environment, without a
 * process start. For tests of what a command decides; keep some `hw` runs for the built bundle's wiring.
 * Changes directory for the call (test files run in their own forked worker, one test at a time).
 */
export function hwInProcess(
  args: string[],
  opts: { cwd?: string; env?: Record<string, string>; input?: undefined } = {},
): InProcess {
  const back = process.cwd();
  if (opts.cwd) process.chdir(opts.cwd);
  try {
    return runCli(args, { PATH: process.env.PATH ?? "", ...opts.env });
  } finally {
    process.chdir(back);
  }
}

/**
 * A profile written to a scratch directory and run through `recommend --format json --all` in this process:
 * the exit code and every recommendation for it, best first, in the JSON shape the caller reads (`R`).
 */
export function recommendAll<R>(name: string, yaml: string): { code: number; recs: R[] } {
  const r = runCli(["recommend", scratch().write(name, yaml), "--format", "json", "--all"]);
  return {
    code: r.code,
    recs:
      r.code === 0 ? (JSON.parse(r.stdout) as { results: { recommendations: R[] }[] }).results[0]!.recommendations : [],
  };
}
