import type { Problem } from "../errors.js";
import type { ProfileResult } from "../report/model.js";
import { byCodePoint, fingerprint } from "./canonical.js";
import { diffCatalog, diffProfile, driverField, explainDecision, relevantCatalogChanges } from "./explain.js";
import { canonicalProfile, lockTopOf, modelHash, type LockFile } from "./lock.js";
import type { CheckResult, CheckStatus, ProfileCheck } from "./model.js";
import type { Profile } from "../profile/schema.js";
import type { ResolvedModel } from "../estimate/workload.js";

export interface CheckInput {
  readonly file: string;
  readonly key: string;
  readonly profile: Profile;
  readonly model: ResolvedModel;
  readonly result: ProfileResult;
  /** Line of a profile field (nearest existing parent for removed ones). */
  readonly lineOf: (path: readonly (string | number)[]) => number | undefined;
}

export interface CompareOptions {
  readonly strict: boolean;
  readonly lockfile: string;
  /** Lock keys of profiles that could not be read: they were checked (and failed), not skipped. */
  readonly erroredKeys?: readonly string[];
}

const statusOf = (old: ProfileCheck["baseline"], cur: ProfileCheck["current"]): CheckStatus => {
  if (old === undefined) return "new";
  if (old === null) return cur === null ? "unchanged" : "class-changed";
  if (cur === null) return "no-feasible";
  if (old.class !== cur.class) return "class-changed";
  if (old.id !== cur.id || old.devices !== cur.devices) return "option-changed";
  return "unchanged";
};

/** Compare one profile's fresh result with its baseline entry and say what moved and why. Pure. */
export function compareProfile(i: CheckInput, lock: LockFile, catalogNow: LockFile["catalog"], opts: CompareOptions): ProfileCheck {
  const entry = lock.profiles[i.key];
  const current = lockTopOf(i.result);
  const baseline = entry ? entry.top : undefined;
  const status = statusOf(baseline, current);
  const failed = status === "class-changed" || status === "no-feasible" || (opts.strict && (status === "option-changed" || status === "new"));
  const severity = failed ? "error" : status === "new" ? "warning" : status === "option-changed" ? "notice" : "ok";
  const canonical = canonicalProfile(i.profile);
  const fields = entry ? diffProfile(entry.profile, canonical, i.lineOf) : [];
  const modelChanged = entry !== undefined && entry.model.id === i.model.id && entry.model.hash !== modelHash(i.model);
  const base: ProfileCheck = {
    file: i.file,
    key: i.key,
    name: i.profile.name,
    status,
    severity,
    failed,
    ...(entry ? { baseline } : {}),
    current,
    profile_changed: entry !== undefined && entry.fingerprint !== fingerprint(canonical),
    fields,
    model_changed: modelChanged,
    catalog_entries: [],
    reasons: [],
  };
  if (!entry || status === "unchanged") return base;
  const { reasons, failedRules } = explainDecision(baseline ?? null, i.result);
  if (modelChanged) reasons.push(`model preset ${i.model.id} changed since the baseline`);
  const catalogEntries = relevantCatalogChanges(diffCatalog(lock.catalog, catalogNow), [baseline, current]);
  const driver = driverField(fields, failedRules);
  return {
    ...base,
    catalog_entries: catalogEntries,
    reasons,
    ...(driver ? { driver: driver.path, ...(driver.line !== undefined ? { line: driver.line } : {}) } : {}),
  };
}

/** Compare every checked profile against the baseline; `problems` are profiles that could not be read. */
export function compareAll(inputs: readonly CheckInput[], problems: readonly Problem[], lock: LockFile, catalogNow: LockFile["catalog"], opts: CompareOptions): CheckResult {
  const profiles = [...inputs].sort((a, b) => byCodePoint(a.key, b.key)).map((i) => compareProfile(i, lock, catalogNow, opts));
  const checkedKeys = new Set([...inputs.map((i) => i.key), ...(opts.erroredKeys ?? [])]);
  const count = (s: CheckStatus) => profiles.filter((p) => p.status === s).length;
  const failedCount = profiles.filter((p) => p.failed).length;
  const erroredFiles = new Set(problems.map((p) => p.file));
  return {
    schemaVersion: 1,
    lockfile: opts.lockfile,
    strict: opts.strict,
    ok: failedCount === 0 && problems.length === 0,
    summary: {
      checked: profiles.length,
      unchanged: count("unchanged"),
      option_changed: count("option-changed"),
      class_changed: count("class-changed"),
      no_feasible: count("no-feasible"),
      new: count("new"),
      errors: erroredFiles.size,
      failed: failedCount,
    },
    catalog: diffCatalog(lock.catalog, catalogNow),
    profiles,
    not_checked: Object.keys(lock.profiles).filter((k) => !checkedKeys.has(k)).sort(byCodePoint),
    errors: problems.map((p) => ({ file: p.file, ...(p.line !== undefined ? { line: p.line } : {}), ...(p.col !== undefined ? { col: p.col } : {}), ...(p.path !== undefined ? { path: p.path } : {}), message: p.message })),
  };
}
