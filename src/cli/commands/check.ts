import type { Command } from "commander";
import { compareAll } from "../../baseline/compare.js";
import { buildLock, DEFAULT_LOCKFILE, parseLock, renderLock, type LockFile } from "../../baseline/lock.js";
import { formatProblem, InputError, UsageError } from "../../errors.js";
import { CHECK_RENDERERS, type CheckFormat } from "../../report/check.js";
import { collect, colorFrom, paintFor, type Ctx } from "../context.js";
import { evaluateProfiles, lockCommand } from "../evaluate.js";
import { readInput } from "../io.js";
import { writeLock } from "./lock.js";

export const CHECK_FORMATS = Object.keys(CHECK_RENDERERS) as CheckFormat[];

interface Opts {
  lockfile: string;
  strict?: boolean;
  update?: boolean;
  format: string;
  catalog?: string[];
  builtin?: boolean;
  color?: boolean;
}

/** Read the baseline; a missing or unreadable one names the `hwadvise lock …` that (re)creates it. */
function readLock(path: string, regenerate: string): LockFile {
  // Bounded like every input: a baseline that is a FIFO, a device or gigabytes is refused, not read.
  const { text } = readInput(path, { missing: `no baseline here — create it with \`${regenerate}\` and commit it`, expected: `the JSON \`hwadvise lock\` writes; regenerate it with \`${regenerate}\`` });
  const r = parseLock(path, text, regenerate);
  if (!r.ok) throw new InputError(r.problems);
  return r.value;
}

const EMPTY_LOCK: LockFile = { schemaVersion: 1, generator: "hwadvise", catalog: { fingerprint: `sha256:${"0".repeat(64)}`, entries: {} }, profiles: {} };

/**
 * Exit codes: 2 when any profile could not be read (even if others changed: the run is incomplete),
 * else 1 when a profile failed (class change, newly infeasible; with --strict also option changes and
 * missing baseline entries), else 0. With --update the baseline is rewritten and the exit is 0 (2 if a
 * profile has errors, in which case nothing is written).
 */
export function registerCheck(program: Command, ctx: Ctx, setExit: (code: number) => void): void {
  program
    .command("check")
    .description("compare each profile's top option with the baseline; exit 1 when a hardware class changed")
    .argument("<profiles...>", "profile files, directories or quoted globs")
    .option("--lockfile <path>", "baseline to compare with", DEFAULT_LOCKFILE)
    .option("--strict", "also fail on a changed top option within the same class and on profiles without a baseline entry")
    .option("--update", "rewrite the baseline from this run (accept the changes)")
    .option("-f, --format <format>", `output format: ${CHECK_FORMATS.join(", ")}`, "table")
    .option("--catalog <file>", "overlay a catalog file (repeatable; also HWADVISE_CATALOG)", collect)
    .option("--no-builtin", "use only the --catalog files")
    .action((patterns: string[], opts: Opts) => {
      if (!CHECK_FORMATS.includes(opts.format as CheckFormat)) throw new UsageError(`--format must be one of ${CHECK_FORMATS.join(", ")}, found ${JSON.stringify(opts.format)}`);
      const regenerate = lockCommand(patterns, opts.lockfile, DEFAULT_LOCKFILE, opts);
      let lock: LockFile;
      try {
        lock = readLock(opts.lockfile, regenerate);
      } catch (e) {
        // --update replaces a missing or unreadable baseline instead of failing on it.
        if (!(opts.update && e instanceof InputError)) throw e;
        lock = EMPTY_LOCK;
      }
      const ev = evaluateProfiles(patterns, opts, opts.lockfile, ctx, lock);
      const result = compareAll(ev.inputs, ev.problems, lock, ev.catalog, { strict: Boolean(opts.strict), lockfile: opts.lockfile, erroredKeys: ev.erroredKeys });
      const format = opts.format as CheckFormat;
      ctx.out(format === "table" ? CHECK_RENDERERS.table(result, { paint: paintFor(colorFrom(opts, ctx)) }) : CHECK_RENDERERS[format](result));
      for (const p of ev.problems) ctx.err(formatProblem(p) + "\n");
      if (ev.problems.length) {
        if (opts.update) ctx.err(`hwadvise: ${opts.lockfile} not updated: fix the profiles above first\n`);
        setExit(2);
        return;
      }
      if (opts.update) {
        writeLock(opts.lockfile, renderLock(buildLock(ev.catalog, ev.inputs)));
        ctx.err(`updated ${opts.lockfile}: ${ev.inputs.length} profile${ev.inputs.length === 1 ? "" : "s"}\n`);
        setExit(0);
        return;
      }
      setExit(result.summary.failed ? 1 : 0);
    });
}
