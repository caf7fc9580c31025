import type { Command } from "commander";
import { buildLock, DEFAULT_LOCKFILE, renderLock } from "../../baseline/lock.js";
import { formatProblem } from "../../errors.js";
import { collect, type Ctx } from "../context.js";
import { evaluateProfiles } from "../evaluate.js";
import { writeFileAtomic } from "../write.js";

interface Opts {
  lockfile: string;
  catalog?: string[];
  builtin?: boolean;
}

/** Write the baseline file atomically, or explain why it cannot be written. The only writer besides `check --update`. */
export function writeLock(path: string, text: string): void {
  writeFileAtomic(path, text, "the baseline");
}

export function registerLock(program: Command, ctx: Ctx, setExit: (code: number) => void): void {
  program
    .command("lock")
    .description(
      `record each profile's top option as the baseline \`check\` compares with (default ./${DEFAULT_LOCKFILE})`,
    )
    .argument("<profiles...>", "profile files, directories or quoted globs")
    .option("--lockfile <path>", "baseline file to write", DEFAULT_LOCKFILE)
    .option("--catalog <file>", "overlay a catalog file (repeatable; also HWADVISE_CATALOG)", collect)
    .option("--no-builtin", "use only the --catalog files")
    .action((patterns: string[], opts: Opts) => {
      const ev = evaluateProfiles(patterns, opts, opts.lockfile, ctx);
      if (ev.problems.length) {
        for (const p of ev.problems) ctx.err(formatProblem(p) + "\n");
        ctx.err(
          `hwadvise: ${opts.lockfile} not written: fix the profiles above first (a baseline must cover every profile)\n`,
        );
        setExit(2);
        return;
      }
      const lock = buildLock(ev.catalog, ev.identity, ev.inputs);
      writeLock(opts.lockfile, renderLock(lock));
      const none = Object.values(lock.profiles).filter((e) => e.top === null).length;
      ctx.err(
        `wrote ${opts.lockfile}: ${ev.inputs.length} profile${ev.inputs.length === 1 ? "" : "s"}${none ? `, ${none} without a feasible option` : ""}\n`,
      );
      setExit(0);
    });
}
