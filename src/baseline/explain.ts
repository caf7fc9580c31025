import type { ProfileResult, Recommendation } from "../result.js";
import type { RuleId } from "../rules/index.js";
import { byCodePoint } from "./canonical.js";
import type { LockTop } from "./lock.js";
import type { CatalogDiff, FieldChange } from "./model.js";

type Path = readonly (string | number)[];

/** Leaves of a validated profile: objects are walked, arrays and scalars compared whole. */
function leaves(
  value: unknown,
  prefix: string[] = [],
  out = new Map<string, { path: string[]; value: unknown }>(),
): Map<string, { path: string[]; value: unknown }> {
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) leaves(v, [...prefix, k], out);
  } else if (
    Array.isArray(value) &&
    value.length &&
    value.every((v) => v !== null && typeof v === "object" && !Array.isArray(v))
  ) {
    // A list of mappings (pipeline stages) is walked by index, so a change names `stages.1.slo.latency_p99`.
    value.forEach((v, i) => leaves(v, [...prefix, String(i)], out));
  } else if (prefix.length) out.set(prefix.join("."), { path: prefix, value });
  return out;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Fields that differ between the baseline's copy of a profile and the profile now, in path order. */
export function diffProfile(
  before: unknown,
  after: unknown,
  lineOf: (path: Path) => number | undefined = () => undefined,
): FieldChange[] {
  const a = leaves(before);
  const b = leaves(after);
  const paths = [...new Set([...a.keys(), ...b.keys()])].sort(byCodePoint);
  const out: FieldChange[] = [];
  for (const p of paths) {
    const x = a.get(p);
    const y = b.get(p);
    if (x && y && same(x.value, y.value)) continue;
    const line = lineOf((y ?? x)!.path.map((k) => (/^\d+$/.test(k) ? Number(k) : k)));
    out.push({
      path: p,
      ...(x ? { before: x.value } : {}),
      ...(y ? { after: y.value } : {}),
      ...(line !== undefined ? { line } : {}),
    });
  }
  return out;
}

/** Catalog entries added, removed and modified since the baseline (each list sorted). */
export function diffCatalog(
  before: { fingerprint: string; entries: Record<string, string> },
  after: { fingerprint: string; entries: Record<string, string> },
): CatalogDiff {
  const added: string[] = [];
  const removed: string[] = [];
  const modified: string[] = [];
  for (const [k, h] of Object.entries(after.entries)) {
    const old = before.entries[k];
    if (old === undefined) added.push(k);
    else if (old !== h) modified.push(k);
  }
  for (const k of Object.keys(before.entries)) if (!(k in after.entries)) removed.push(k);
  return {
    changed: before.fingerprint !== after.fingerprint,
    added: added.sort(byCodePoint),
    removed: removed.sort(byCodePoint),
    modified: modified.sort(byCodePoint),
  };
}

/** Catalog changes that concern an option: its offering and its chip (a calibration change is reported as a model change). */
export function relevantCatalogChanges(
  diff: CatalogDiff,
  tops: readonly ((Pick<LockTop, "id"> & { chip?: string }) | null | undefined)[],
): string[] {
  const keys = new Set<string>();
  for (const t of tops) {
    if (!t) continue;
    keys.add(`offering:${t.id}`);
    if (t.chip) keys.add(`chip:${t.chip}`);
  }
  return [...diff.added, ...diff.removed, ...diff.modified].filter((k) => keys.has(k)).sort(byCodePoint);
}

/** The profile fields each rule reads: a changed one of these is what moved a decision. */
const RULE_FIELDS: Partial<Record<RuleId, readonly string[]>> = {
  deployment: ["constraints.deployment", "workload.kind"],
  connectivity: ["constraints.connectivity", "slo"],
  data_residency: ["constraints.data_residency"],
  runtimes: ["constraints.runtimes"],
  training: ["workload.kind", "workload.method"],
  precision: ["workload.precision", "workload.quantization", "workload.model"],
  memory: [
    "workload.model",
    "workload.precision",
    "workload.input_tokens",
    "workload.output_tokens",
    "workload.batch_size",
    "slo.concurrency",
  ],
  latency_p99: ["slo.latency_p99", "slo.throughput", "volume", "workload.model", "workload.batch_size"],
  throughput: ["slo.throughput", "volume", "workload.model"],
  ttft: ["slo.ttft", "workload.input_tokens", "workload.model"],
  tokens_per_s: ["slo.tokens_per_s", "slo.concurrency", "workload.model"],
  deadline: ["slo.deadline", "workload.dataset", "volume", "workload.model", "schedule.window"],
  power_budget: ["constraints.power_budget", "volume.sites"],
  power_cap: ["constraints.power_cap"],
  energy_balance: ["energy.supply", "volume", "slo.throughput"],
  max_devices: ["constraints.max_devices"],
  budget_monthly: ["constraints.budget.monthly"],
  budget_capex: ["constraints.budget.capex", "volume.sites"],
  budget_per_1m: ["constraints.budget.per_1m_inferences"],
  budget_total: ["constraints.budget.total"],
  licence: ["constraints.allow_consumer_hardware", "constraints.deployment"],
  lifecycle: ["constraints.allow_discontinued"],
  host: ["constraints.host"],
};

const COSMETIC = new Set(["name", "description"]);
const under = (path: string, prefix: string) => path === prefix || path.startsWith(prefix + ".");

/**
 * The field that drove the change: the first changed field a rule the old top now fails reads; else
 * the first changed field that is not cosmetic (a priority change moves scores, not rules).
 */
export function driverField(fields: readonly FieldChange[], failedRules: readonly RuleId[]): FieldChange | undefined {
  for (const rule of failedRules) {
    for (const prefix of RULE_FIELDS[rule] ?? []) {
      const f = fields.find((x) => under(x.path, prefix));
      if (f) return f;
    }
  }
  return fields.find((f) => !COSMETIC.has(f.path));
}

const score = (s: number) => (Math.round(s * 10) / 10).toFixed(1);

/** Why the top option moved: the old top's fate in the new ranking, and what replaced it. */
export function explainDecision(
  old: LockTop | null,
  result: ProfileResult,
): { reasons: string[]; failedRules: RuleId[] } {
  const recs = result.recommendations;
  const top = recs.find((r) => r.feasible);
  const reasons: string[] = [];
  let failedRules: RuleId[] = [];
  if (old) {
    const now: Recommendation | undefined = recs.find((r) => r.id === old.id);
    if (!now) reasons.push(`${old.id} is no longer in the catalog (removed or disabled)`);
    else if (!now.feasible) {
      failedRules = now.violations.map((v) => v.rule);
      for (const v of now.violations) reasons.push(`${old.id} now fails ${v.rule}: ${v.message}`);
    } else if (top && top.id !== old.id) {
      reasons.push(
        `${old.id} still passes every rule but scores ${score(now.score)} (was ${score(old.score)}), below ${top.id} at ${score(top.score)}`,
      );
    } else if (top && top.devices !== old.devices) {
      reasons.push(`${old.id} stays on top with ${top.devices} devices instead of ${old.devices}`);
    }
  }
  if (!top) {
    const nearest = recs[0];
    if (nearest) {
      if (!old || nearest.id !== old.id)
        reasons.push(
          `no option passes every rule; nearest ${nearest.id} fails ${nearest.violations.map((v) => `${v.rule}: ${v.message}`).join("; ")}`,
        );
      else reasons.push("no option passes every rule");
    } else reasons.push("the catalog has no options");
  } else if (!old) reasons.push(`${top.id} now passes every rule (the baseline had no feasible option)`);
  return { reasons, failedRules };
}
