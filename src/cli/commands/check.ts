import type { Command } from "commander";
import { compareAll } from "../../baseline/compare.js";
import {
  buildLock,
  DEFAULT_LOCKFILE,
  LOCK_VERSION,
  parseLock,
  renderLock,
  type LockFile,
  type LockIdentity,
} from "../../baseline/lock.js";
import { parseThresholdFlag, type Thresholds } from "../../baseline/thresholds.js";
import { formatProblem, InputError, UsageError } from "../../errors.js";
import { reporterFor } from "../../report/registry.js";
import { chooseFormat, formatHelp } from "../format.js";
import { checkoutBase } from "../base.js";
import { loadConfig } from "../config.js";
import { collect, colorFrom, overlayPaths, paintFor, type Ctx } from "../context.js";
import { evaluateProfiles, lockCommand } from "../evaluate.js";
import { MAX_LOCK_BYTES, readInput } from "../io.js";
import { writeLock } from "./lock.js";

interface Opts {
  lockfile: string;
  strict?: boolean;
  update?: boolean;
  format: string;
  catalog?: string[];
  builtin?: boolean;
  color?: boolean;
  threshold?: string[];
  materialWarning?: boolean;
  config?: string;
  base?: string;
}

/** Read the baseline; a missing or unreadable one names the `hwadvise lock …` that (re)creates it. */
function readLock(path: string, regenerate: string): LockFile {
  // Bounded like every input (a FIFO, a device or gigabytes is refused, not read), by the lock's own bound.
  const { text } = readInput(path, {
    maxBytes: MAX_LOCK_BYTES,
    missing: `no baseline here — create it with \`${regenerate}\` and commit it (or compare with a commit instead: \`hwadvise check … --base origin/main\`)`,
    expected: `the JSON \`hwadvise lock\` writes; regenerate it with \`${regenerate}\``,
  });
  const r = parseLock(path, text, regenerate);
  if (!r.ok) throw new InputError(r.problems);
  return r.value;
}

const EMPTY_LOCK: LockFile = {
  schemaVersion: LOCK_VERSION,
  generator: "hwadvise",
  identity: { hwadvise: "", calibration: "", builtin: true, overlays: [] },
  catalog: { fingerprint: `sha256:${"0".repeat(64)}`, entries: {} },
  profiles: {},
};

/** `--threshold monthly_cost=+40%` (repeatable) as a thresholds layer. */
function thresholdFlags(values: readonly string[] | undefined): Thresholds {
  const out: Record<string, string> = {};
  for (const v of values ?? []) {
    const r = parseThresholdFlag(v);
    if (!r.ok) throw new UsageError(r.message);
    out[r.figure] = r.value;
  }
  return out as Thresholds;
}

/** The `check` that uses the catalog files the baseline was made with. */
function rerunWith(patterns: readonly string[], opts: Opts, baseline: LockIdentity, envOverlays: boolean): string {
  const cmd = lockCommand(patterns, opts.lockfile, DEFAULT_LOCKFILE, {
    catalog: baseline.overlays.map((o) => o.file),
    builtin: baseline.builtin,
  }).replace(/^hwadvise lock/, "hwadvise check");
  return envOverlays ? `HWADVISE_CATALOG= ${cmd}` : cmd;
}

/**
 * Exit codes: 2 when any profile could not be read (even if others changed: the run is incomplete),
 * else 1 when a profile failed (class change in any stage or the combination, newly infeasible, a
 * figure beyond its threshold unless --material-warning; with --strict also option changes and missing
 * baseline entries), else 0. With --update the baseline is rewritten and the exit is 0 (2 if a profile
 * has errors, in which case nothing is written). A different catalog or model is a warning, not a failure.
 */
export function registerCheck(program: Command, ctx: Ctx, setExit: (code: number) => void): void {
  program
    .command("check")
    .description(
      "compare each profile (every pipeline stage and the combination) with the baseline; exit 1 when a " +
        "hardware class changed or a figure moved beyond its threshold",
    )
    .argument("<profiles...>", "profile files, directories or quoted globs")
    .option("--lockfile <path>", "baseline to compare with", DEFAULT_LOCKFILE)
    .option(
      "--base <git-ref>",
      "compare with the profiles and catalog overlays at this commit instead of a lock file (e.g. origin/main)",
    )
    .option(
      "--strict",
      "also fail on a changed top option within the same class and on profiles without a baseline entry",
    )
    .option(
      "--threshold <figure=change>",
      "material-change threshold, repeatable: monthly_cost=+25%, capex=+25%, devices=x2, power=+25%, " +
        "latency_p99=+25%, ttft=+25%, tokens_per_s=-20%, time_to_train=+25% (defaults), or =off",
      collect,
    )
    .option("--material-warning", "report figures beyond their thresholds as warnings (exit 0 for them)")
    .option("--config <file>", "settings file (default ./hwadvise.config.yaml when present)")
    .option("--update", "rewrite the baseline from this run (accept the changes)")
    .option("-f, --format <format>", formatHelp("check"), "table")
    .option("--catalog <file>", "overlay a catalog file (repeatable; also HWADVISE_CATALOG)", collect)
    .option("--no-builtin", "use only the --catalog files")
    .action((patterns: string[], opts: Opts) => {
      const format = chooseFormat("check", opts.format);
      if (opts.base !== undefined && opts.update)
        throw new UsageError(
          "--update rewrites a lock file and --base compares with a commit instead: use one or the other",
        );
      const flagThresholds = thresholdFlags(opts.threshold);
      const config = loadConfig(opts.config);
      const regenerate = lockCommand(patterns, opts.lockfile, DEFAULT_LOCKFILE, opts);
      let lock: LockFile;
      let label = opts.lockfile;
      if (opts.base !== undefined) {
        const tree = checkoutBase(opts.base, [...patterns, ...overlayPaths(opts, ctx.env)]);
        try {
          const base = evaluateProfiles(patterns, opts, opts.lockfile, ctx, undefined, { cwd: tree.cwd });
          lock = buildLock(base.catalog, base.identity, base.inputs);
          label = `${opts.base} (--base)`;
          // A profile that did not validate at the base has no baseline entry: it shows as new.
          for (const p of base.problems)
            ctx.err(
              `hwadvise: at ${opts.base}, ` +
                `${formatProblem({ ...p, file: p.file.startsWith(tree.cwd) ? p.file.slice(tree.cwd.length + 1) : p.file })} (no baseline for it)\n`,
            );
        } finally {
          tree.remove();
        }
      } else {
        try {
          lock = readLock(opts.lockfile, regenerate);
        } catch (e) {
          // --update replaces a missing or unreadable baseline instead of failing on it.
          if (!(opts.update && e instanceof InputError)) throw e;
          lock = EMPTY_LOCK;
        }
      }
      const ev = evaluateProfiles(patterns, opts, opts.lockfile, ctx, lock);
      const materialAs = opts.materialWarning ? "warning" : (config.check.material ?? "error");
      const rerun = rerunWith(patterns, opts, lock.identity, Boolean(ctx.env.HWADVISE_CATALOG));
      const result = compareAll(
        ev.inputs,
        ev.problems,
        lock === EMPTY_LOCK ? { ...lock, identity: ev.identity } : lock,
        ev.catalog,
        {
          strict: Boolean(opts.strict),
          lockfile: label,
          erroredKeys: ev.erroredKeys,
          thresholds: { ...config.check.thresholds, ...flagThresholds },
          materialAs,
          identity: ev.identity,
          rerun,
          ...(opts.base !== undefined ? { base: opts.base } : {}),
        },
      );
      ctx.out(reporterFor("check", format)(result, { paint: paintFor(colorFrom(opts, ctx)) }));
      for (const p of ev.problems) ctx.err(formatProblem(p) + "\n");
      if (ev.problems.length) {
        if (opts.update) ctx.err(`hwadvise: ${opts.lockfile} not updated: fix the profiles above first\n`);
        setExit(2);
        return;
      }
      if (opts.update) {
        writeLock(opts.lockfile, renderLock(buildLock(ev.catalog, ev.identity, ev.inputs)));
        ctx.err(`updated ${opts.lockfile}: ${ev.inputs.length} profile${ev.inputs.length === 1 ? "" : "s"}\n`);
        setExit(0);
        return;
      }
      setExit(result.summary.failed ? 1 : 0);
    });
}
