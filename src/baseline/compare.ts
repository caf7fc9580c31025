import type { Problem } from "../errors.js";
import type { ProfileResult } from "../result.js";
import { byCodePoint, fingerprint } from "./canonical.js";
import { diffCatalog, diffProfile, driverField, explainDecision, relevantCatalogChanges } from "./explain.js";
import {
  canonicalProfile,
  figuresOfTop,
  lockCombinationOf,
  lockStagesOf,
  lockTopOf,
  modelHash,
  type LockCombination,
  type LockFile,
  type LockIdentity,
  type LockTop,
} from "./lock.js";
import type { CheckResult, CheckStatus, FieldChange, IdentityCheck, ProfileCheck, StageCheck } from "./model.js";
import { compareFigures, mergeThresholds, type MaterialRow, type Thresholds } from "./thresholds.js";
import type { Profile } from "../profile/schema.js";
import type { ResolvedModel } from "../estimate/workload.js";
import type { RuleId } from "../rules/index.js";

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
  /** Thresholds of this run (config file, then --threshold); a profile's own `check.thresholds` win over them. */
  readonly thresholds?: Thresholds;
  /** `warning`: a crossed threshold is reported but does not fail the run. Default `error`. */
  readonly materialAs?: "error" | "warning";
  /** What produced this run's figures; compared with the baseline's. */
  readonly identity?: LockIdentity;
  /** The command that reruns `check` with the baseline's catalog files (shown when they differ). */
  readonly rerun?: string;
  /** The git ref the baseline was recomputed at (`check --base`). */
  readonly base?: string;
}

/** Worst first: the status a profile takes from its parts (stages, combination). */
const SEVERITY_ORDER: readonly CheckStatus[] = ["class-changed", "no-feasible", "option-changed", "new", "unchanged"];
const worse = (a: CheckStatus, b: CheckStatus) => (SEVERITY_ORDER.indexOf(a) <= SEVERITY_ORDER.indexOf(b) ? a : b);

const statusOf = (old: LockTop | null | undefined, cur: LockTop | null): CheckStatus => {
  if (old === undefined) return "new";
  if (old === null) return cur === null ? "unchanged" : "class-changed";
  if (cur === null) return "no-feasible";
  if (old.class !== cur.class) return "class-changed";
  if (old.id !== cur.id || old.devices !== cur.devices) return "option-changed";
  return "unchanged";
};

/** A combination on another class in any stage is a class change; one that no longer meets every rule is `no-feasible`. */
export function combinationStatus(old: LockCombination | null | undefined, cur: LockCombination | null): CheckStatus {
  if (old === undefined) return "new";
  if (old === null || !old.feasible) return cur?.feasible ? "class-changed" : "unchanged";
  if (cur === null || !cur.feasible) return "no-feasible";
  const before = new Map(old.options.map((o) => [o.stage, o]));
  let status: CheckStatus = "unchanged";
  for (const o of cur.options) {
    const b = before.get(o.stage);
    if (!b) continue; // a stage new since the baseline: its stage entry says so
    if (b.class !== o.class) return "class-changed";
    if (b.id !== o.id || b.devices !== o.devices) status = "option-changed";
  }
  return status;
}

/** Fields under `stages.<i>.` with that prefix taken off, so the rules' field lists apply to a stage. */
function stageFields(fields: readonly FieldChange[], i: number): FieldChange[] {
  const prefix = `stages.${i}.`;
  return fields.filter((f) => f.path.startsWith(prefix)).map((f) => ({ ...f, path: f.path.slice(prefix.length) }));
}

/** Compare one profile's fresh result with its baseline entry and say what moved and why. Pure. */
export function compareProfile(
  i: CheckInput,
  lock: LockFile,
  catalogNow: LockFile["catalog"],
  opts: CompareOptions,
): ProfileCheck {
  const entry = lock.profiles[i.key];
  const current = lockTopOf(i.result);
  const baseline = entry ? entry.top : undefined;
  const stagesNow = lockStagesOf(i.result);
  const comboNow = lockCombinationOf(i.result);
  let status = statusOf(baseline, current);
  let changedIn: string | undefined;
  let stages: StageCheck[] | undefined;
  let combination: ProfileCheck["combination"];
  if (stagesNow) {
    const before = new Map((entry?.stages ?? []).map((s) => [s.name, s.top]));
    stages = stagesNow.map((s) => {
      const old = entry ? (before.has(s.name) ? before.get(s.name)! : undefined) : undefined;
      // A stage the baseline lacks (added or renamed) brings hardware of its own: a class change.
      const st = entry && old === undefined ? (s.top === null ? "unchanged" : "class-changed") : statusOf(old, s.top);
      return { stage: s.name, status: st, ...(old !== undefined ? { baseline: old } : {}), current: s.top };
    });
    // The profile's status is its worst part's (the first stage's is the `top` one), named after the first such part.
    status = entry ? "unchanged" : "new";
    for (const s of stages) {
      const next = worse(status, s.status);
      if (next !== status) changedIn = `stage ${s.stage}`;
      status = next;
    }
    if (comboNow !== undefined) {
      const cs = entry ? combinationStatus(entry.combination, comboNow) : "new";
      combination = {
        status: cs,
        ...(entry && entry.combination !== undefined ? { baseline: entry.combination } : {}),
        current: comboNow,
      };
      if (worse(status, cs) !== status) {
        status = cs;
        changedIn = "combination";
      }
    }
    if (status === "unchanged" || status === "new") changedIn = undefined;
  }
  const thresholds = mergeThresholds(opts.thresholds, i.profile.check?.thresholds);
  let material: MaterialRow[] = [];
  if (entry) {
    if (comboNow !== undefined) {
      if (entry.combination && comboNow)
        material = compareFigures(entry.combination.figures, comboNow.figures, thresholds);
    } else if (baseline && current)
      material = compareFigures(figuresOfTop(baseline), figuresOfTop(current), thresholds);
  }
  const materialCrossed = material.some((m) => m.crossed);
  const materialFails = materialCrossed && opts.materialAs !== "warning";
  const failed =
    status === "class-changed" ||
    status === "no-feasible" ||
    materialFails ||
    (opts.strict && (status === "option-changed" || status === "new"));
  const severity = failed
    ? "error"
    : status === "new" || materialCrossed
      ? "warning"
      : status === "option-changed"
        ? "notice"
        : "ok";
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
    ...(changedIn ? { changed_in: changedIn } : {}),
    ...(stages ? { stages } : {}),
    ...(combination ? { combination } : {}),
    material,
    material_crossed: materialCrossed,
  };
  if (!entry || (status === "unchanged" && !materialCrossed)) return base;
  const reasons: string[] = [];
  const failedRules: RuleId[] = [];
  let driverFieldsOf: FieldChange[] = fields;
  let driverStage: number | undefined;
  const tops: ({ id: string; chip?: string } | null | undefined)[] = [baseline, current];
  if (stages && i.result.pipeline) {
    i.result.pipeline.stages.forEach((ps, k) => {
      const s = stages![k]!;
      if (s.status === "unchanged" || s.status === "new") return;
      if (s.baseline === undefined) {
        reasons.push(
          `stage ${s.stage}: not in the baseline (added or renamed); now ${s.current ? `${s.current.class}: ${s.current.name}` : "no feasible option"}`,
        );
        return;
      }
      const d = explainDecision(s.baseline, ps.result);
      reasons.push(...d.reasons.map((r) => `stage ${s.stage}: ${r}`));
      if (failedRules.length === 0 && d.failedRules.length) {
        failedRules.push(...d.failedRules);
        driverFieldsOf = stageFields(fields, k);
        driverStage = k;
      }
      tops.push(s.baseline, s.current);
    });
    if (combination && combination.status !== "unchanged" && combination.status !== "new") {
      const c = combination.current;
      if (c && !c.feasible)
        reasons.push(
          `combination: no combination meets every rule (${i.result.pipeline.combinations[0]?.violations.join("; ")})`,
        );
      for (const o of [...(combination.baseline?.options ?? []), ...(c?.options ?? [])]) tops.push({ id: o.id });
    }
  } else {
    const d = explainDecision(baseline ?? null, i.result);
    reasons.push(...d.reasons);
    failedRules.push(...d.failedRules);
  }
  if (modelChanged) reasons.push(`model preset ${i.model.id} changed since the baseline`);
  const catalogEntries = relevantCatalogChanges(diffCatalog(lock.catalog, catalogNow), tops);
  let driver = driverField(driverFieldsOf, failedRules);
  // A stage's driver was found on paths relative to the stage: point at the field in the profile.
  if (driver && driverStage !== undefined)
    driver = fields.find((f) => f.path === `stages.${driverStage}.${driver!.path}`) ?? driver;
  return {
    ...base,
    catalog_entries: catalogEntries,
    reasons,
    ...(driver ? { driver: driver.path, ...(driver.line !== undefined ? { line: driver.line } : {}) } : {}),
  };
}

/** "screen: 1× Hailo-8 (…) + verify: 1× NVIDIA L4 (…)" */
export function describeCombination(c: LockCombination | null | undefined): string {
  if (c === undefined) return "no baseline";
  if (c === null) return "no combination";
  return c.options.map((o) => `${o.stage}: ${o.class} ${o.name}`).join(" + ") + (c.feasible ? "" : " (infeasible)");
}

const overlayList = (i: LockIdentity) => (i.overlays.length ? i.overlays.map((o) => o.file).join(", ") : "no overlays");

/** Whether this run used what the baseline was made with, and what to rerun when it did not. Pure. */
export function compareIdentity(
  baseline: LockIdentity | undefined,
  current: LockIdentity,
  rerun?: string,
): IdentityCheck {
  if (!baseline) return { same: true, catalog_differs: false, model_differs: false, current, messages: [] };
  const messages: string[] = [];
  const files = (i: LockIdentity) => JSON.stringify([i.builtin, i.overlays.map((o) => o.file)]);
  const catalogDiffers = files(baseline) !== files(current);
  if (catalogDiffers) {
    const builtin =
      baseline.builtin !== current.builtin
        ? ` (built-in catalog ${baseline.builtin ? "used" : "not used"} then, ${current.builtin ? "used" : "not used"} now)`
        : "";
    messages.push(
      `different catalog files: the baseline was made with ${overlayList(baseline)}, this run used ` +
        `${overlayList(current)}${builtin}; options and prices differ for that reason alone`,
    );
  } else {
    for (const [k, o] of current.overlays.entries())
      if (baseline.overlays[k]!.hash !== o.hash) messages.push(`catalog overlay ${o.file} changed since the baseline`);
  }
  const calibration = baseline.calibration !== current.calibration;
  const version = baseline.hwadvise !== current.hwadvise;
  if (calibration)
    messages.push(
      `model: calibration ${baseline.calibration} → ${current.calibration}; estimates move for that reason alone`,
    );
  if (version)
    messages.push(`model: hwadvise ${baseline.hwadvise} → ${current.hwadvise}; its estimator may give other figures`);
  return {
    same: !catalogDiffers && !calibration && !version,
    catalog_differs: catalogDiffers,
    model_differs: calibration || version,
    baseline,
    current,
    messages,
    ...(catalogDiffers && rerun ? { rerun } : {}),
  };
}

/** Compare every checked profile against the baseline; `problems` are profiles that could not be read. */
export function compareAll(
  inputs: readonly CheckInput[],
  problems: readonly Problem[],
  lock: LockFile,
  catalogNow: LockFile["catalog"],
  opts: CompareOptions,
): CheckResult {
  const profiles = [...inputs]
    .sort((a, b) => byCodePoint(a.key, b.key))
    .map((i) => compareProfile(i, lock, catalogNow, opts));
  const checkedKeys = new Set([...inputs.map((i) => i.key), ...(opts.erroredKeys ?? [])]);
  const count = (s: CheckStatus) => profiles.filter((p) => p.status === s).length;
  const failedCount = profiles.filter((p) => p.failed).length;
  const erroredFiles = new Set(problems.map((p) => p.file));
  const identity = compareIdentity(lock.identity, opts.identity ?? lock.identity, opts.rerun);
  const moved =
    problems.length > 0 || !identity.same || profiles.some((p) => p.status !== "unchanged" || p.material_crossed);
  return {
    schemaVersion: 1,
    lockfile: opts.lockfile,
    ...(opts.base !== undefined ? { base: opts.base } : {}),
    strict: opts.strict,
    ok: failedCount === 0 && problems.length === 0,
    moved,
    material_as: opts.materialAs ?? "error",
    identity,
    summary: {
      checked: profiles.length,
      unchanged: count("unchanged"),
      option_changed: count("option-changed"),
      class_changed: count("class-changed"),
      no_feasible: count("no-feasible"),
      new: count("new"),
      errors: erroredFiles.size,
      failed: failedCount,
      material: profiles.filter((p) => p.material_crossed).length,
    },
    catalog: diffCatalog(lock.catalog, catalogNow),
    profiles,
    not_checked: Object.keys(lock.profiles)
      .filter((k) => !checkedKeys.has(k))
      .sort(byCodePoint),
    errors: problems.map((p) => ({
      file: p.file,
      ...(p.line !== undefined ? { line: p.line } : {}),
      ...(p.col !== undefined ? { col: p.col } : {}),
      ...(p.path !== undefined ? { path: p.path } : {}),
      message: p.message,
    })),
  };
}
