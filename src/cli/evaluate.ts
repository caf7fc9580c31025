import { dirname, relative, resolve, sep } from "node:path";
import type { CheckInput } from "../baseline/compare.js";
import {
  catalogFingerprint,
  lockIdentity,
  overlayIdentity,
  type LockFile,
  type LockIdentity,
} from "../baseline/lock.js";
import { UsageError, type Problem } from "../errors.js";
import { adviseProfile } from "../advise/recommend.js";
import { resolveModel } from "../estimate/workload.js";
import { builtin, loadCatalog, overlayPaths, type CatalogFlags, type Ctx } from "./context.js";
import { runOf } from "./format.js";
import { VERSION } from "./main.js";
import { loadProfiles } from "./load-profiles.js";
import { expandPaths } from "./paths.js";

export interface Evaluated {
  readonly inputs: CheckInput[];
  readonly problems: Problem[];
  /** Lock keys of the profiles that could not be read. */
  readonly erroredKeys: string[];
  readonly catalog: LockFile["catalog"];
  /** The hwadvise version, calibration and catalog files that produced these figures. */
  readonly identity: LockIdentity;
}

/** A profile's key in the lock file: its path relative to the lock file's directory, '/'-separated. */
export function lockKey(file: string, lockfile: string): string {
  return relative(dirname(resolve(lockfile)), resolve(file))
    .split(sep)
    .join("/");
}

/**
 * Where to read profiles and overlays from instead of the working directory: a copy of the tree at a
 * git ref (`check --base`). Paths given relative to the working directory are read under `cwd`.
 */
export interface ReadRoot {
  readonly cwd: string;
}

/**
 * Expand the patterns, load and validate the catalog once, then recommend for every profile (each
 * stage and the combinations of a pipeline). Profiles that fail to read or validate come back as
 * problems (never dropped silently).
 */
export function evaluateProfiles(
  patterns: readonly string[],
  flags: CatalogFlags,
  lockfile: string,
  ctx: Ctx,
  baseline?: LockFile,
  root?: ReadRoot,
): Evaluated {
  if (patterns.includes("-"))
    throw new UsageError(
      "lock and check key the baseline by file path, so they cannot read a profile from stdin ('-'); name the files",
    );
  const overlayNames = overlayPaths(flags, ctx.env);
  const at = (f: string) => (root ? resolve(root.cwd, f) : f);
  const b = builtin();
  // Each overlay is hashed as it is read (a large catalog's text is neither read twice nor kept).
  const hashed: LockIdentity["overlays"][number][] = [];
  const onOverlay = (i: number, text: string) => hashed.push(overlayIdentity(overlayNames[i]!, text));
  const catalog = root
    ? loadCatalog({ catalog: overlayNames.map(at), builtin: flags.builtin }, {}, onOverlay)
    : loadCatalog(flags, ctx.env, onOverlay);
  const files = root ? expandPaths(patterns, root.cwd).map(at) : expandPaths(patterns);
  const keyFile = at(lockfile);
  const { profiles, problems } = loadProfiles(files, b.models);
  const run = runOf(catalog, ctx);
  const inputs = profiles.map((p): CheckInput => {
    const model = resolveModel(p.profile.workload.model, b.models);
    const key = lockKey(p.file, keyFile);
    const entry = baseline?.profiles[key];
    // The baseline and the comparison read the best option, the nearest when none is feasible, and
    // the baseline's top option: only those are written out (a large catalog ranks thousands).
    // A pipeline combines up to 3 options a stage: keep them, and each stage's old top.
    const keep = p.profile.stages
      ? { top: 3, ids: new Set((entry?.stages ?? []).flatMap((s) => (s.top ? [s.top.id] : []))) }
      : { top: 1, ids: entry?.top?.id === undefined ? undefined : new Set([entry.top.id]) };
    return { file: p.file, key, profile: p.profile, model, result: adviseProfile(p, run, keep), lineOf: p.lineOf };
  });
  const erroredKeys = [...new Set(problems.map((p) => lockKey(p.file, keyFile)))];
  const identity = lockIdentity(VERSION, b.calibration, flags.builtin !== false, hashed);
  return { inputs, problems, erroredKeys, catalog: catalogFingerprint(catalog, b.calibration), identity };
}

const shellQuote = (s: string) => (/^[\w./=-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

/** The `hwadvise lock …` command that (re)creates this baseline, for messages that name the fix. */
export function lockCommand(
  patterns: readonly string[],
  lockfile: string,
  defaultLockfile: string,
  flags: CatalogFlags,
): string {
  const parts = ["hwadvise", "lock", ...patterns.map(shellQuote)];
  if (lockfile !== defaultLockfile) parts.push("--lockfile", shellQuote(lockfile));
  for (const c of flags.catalog ?? []) parts.push("--catalog", shellQuote(c));
  if (flags.builtin === false) parts.push("--no-builtin");
  return parts.join(" ");
}
