import { dirname, relative, resolve, sep } from "node:path";
import type { CheckInput } from "../baseline/compare.js";
import { catalogFingerprint, type LockFile } from "../baseline/lock.js";
import { UsageError, type Problem } from "../errors.js";
import { resolveModel, resolveWorkload } from "../estimate/workload.js";
import { recommendWorkload } from "../recommend.js";
import { builtin, loadCatalog, todayIso, type CatalogFlags, type Ctx } from "./context.js";
import { loadProfiles } from "./load-profiles.js";
import { expandPaths } from "./paths.js";

export interface Evaluated {
  readonly inputs: CheckInput[];
  readonly problems: Problem[];
  /** Lock keys of the profiles that could not be read. */
  readonly erroredKeys: string[];
  readonly catalog: LockFile["catalog"];
}

/** A profile's key in the lock file: its path relative to the lock file's directory, '/'-separated. */
export function lockKey(file: string, lockfile: string): string {
  return relative(dirname(resolve(lockfile)), resolve(file)).split(sep).join("/");
}

/**
 * Expand the patterns, load and validate the catalog once, then recommend for every profile. Profiles
 * that fail to read or validate come back as problems (never dropped silently).
 */
export function evaluateProfiles(patterns: readonly string[], flags: CatalogFlags, lockfile: string, ctx: Ctx, baseline?: LockFile): Evaluated {
  if (patterns.includes("-")) throw new UsageError("lock and check key the baseline by file path, so they cannot read a profile from stdin ('-'); name the files");
  const catalog = loadCatalog(flags, ctx.env);
  const b = builtin();
  const files = expandPaths(patterns);
  const { profiles, problems } = loadProfiles(files, b.models);
  const today = todayIso(ctx.env);
  const inputs = profiles.map((p): CheckInput => {
    const model = resolveModel(p.profile.workload.model, b.models)!;
    const w = resolveWorkload(p.profile, model, b.landed);
    const key = lockKey(p.file, lockfile);
    // The baseline and the comparison read the best option, the nearest when none is feasible, and
    // the baseline's top option: only those are written out (a large catalog ranks thousands).
    const oldTop = baseline?.profiles[key]?.top?.id;
    const keep = { top: 1, ids: oldTop === undefined ? undefined : new Set([oldTop]) };
    return { file: p.file, key, profile: p.profile, model, result: recommendWorkload(p.file, w, catalog, b.calibration, { today, keep }), lineOf: p.lineOf };
  });
  const erroredKeys = [...new Set(problems.map((p) => lockKey(p.file, lockfile)))];
  return { inputs, problems, erroredKeys, catalog: catalogFingerprint(catalog, b.calibration) };
}

const shellQuote = (s: string) => (/^[\w./=-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

/** The `hwadvise lock …` command that (re)creates this baseline, for messages that name the fix. */
export function lockCommand(patterns: readonly string[], lockfile: string, defaultLockfile: string, flags: CatalogFlags): string {
  const parts = ["hwadvise", "lock", ...patterns.map(shellQuote)];
  if (lockfile !== defaultLockfile) parts.push("--lockfile", shellQuote(lockfile));
  for (const c of flags.catalog ?? []) parts.push("--catalog", shellQuote(c));
  if (flags.builtin === false) parts.push("--no-builtin");
  return parts.join(" ");
}
