import { spawnSync } from "node:child_process";
import { join } from "node:path";

export const ROOT = join(import.meta.dirname, "..", "..");
export const BIN = join(ROOT, "dist", "hwadvise.cjs");

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run the built CLI as a user would, colour off, date pinned (staleness flags are reproducible). */
export function hw(args: string[], opts: { input?: string; cwd?: string; env?: Record<string, string> } = {}): Run {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: opts.cwd ?? ROOT,
    input: opts.input,
    encoding: "utf8",
    env: { PATH: process.env.PATH ?? "", NO_COLOR: "1", HWADVISE_TODAY: "2026-11-28", ...opts.env },
    timeout: 60_000,
    maxBuffer: 256 * 1024 * 1024,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
