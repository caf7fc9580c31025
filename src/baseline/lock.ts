import { z } from "zod";
import { lazily } from "../once.js";
import { DEPLOYMENTS, OFFERING_CLASSES, type Catalog } from "../catalog/schema.js";
import type { Calibration } from "../estimate/perf.js";
import type { ResolvedModel } from "../estimate/workload.js";
import { fail, ok, type Result } from "../errors.js";
import type { Profile } from "../profile/schema.js";
import type { ProfileResult, Recommendation } from "../report/model.js";
import { byCodePoint, fingerprint, roundFigure, shortHash, sortDeep } from "./canonical.js";

/** The lock file format this hwadvise writes and reads. Bump on any incompatible change. */
export const LOCK_VERSION = 1;
export const DEFAULT_LOCKFILE = "hwadvise.lock.json";


export type LockTop = z.output<Schemas["LockTopSchema"]>;

export type LockEntry = z.output<Schemas["LockEntrySchema"]>;

export type LockFile = z.output<Schemas["LockSchema"]>;

/** Estimates worth recording: the ones a planner reads. Rounded; absent when they do not apply. */
const KEY_ESTIMATES = [
  "latency_p99_ms",
  "throughput_per_s",
  "ttft_ms",
  "tokens_per_s",
  "time_to_train_h",
  "power_w",
  "cost_per_1m_usd",
  "monthly_cost_usd",
  "total_cost_usd",
  "capex_usd",
  "memory_needed_gb",
  "precision",
  "batch",
] as const;

export const roundScore = (s: number): number => Math.round(s * 10) / 10;

/** The top option of a result as the baseline records it; null when no option is feasible. */
export function lockTopOf(result: ProfileResult): LockTop | null {
  const top = result.recommendations.find((r) => r.feasible);
  return top ? lockTop(top) : null;
}

export function lockTop(r: Recommendation): LockTop {
  const estimates: Record<string, number | string> = {};
  for (const k of KEY_ESTIMATES) {
    const v = r.estimates[k];
    if (v === undefined) continue;
    estimates[k] = typeof v === "number" ? roundFigure(v) : v;
  }
  return { id: r.id, name: r.name, class: r.class, deployment: r.deployment, chip: r.chip, units: r.units, devices: r.devices, score: roundScore(r.score), estimates };
}

/** The validated profile as plain, key-sorted data (what the lock stores and fingerprints). */
export function canonicalProfile(p: Profile): Record<string, unknown> {
  return sortDeep(JSON.parse(JSON.stringify(p))) as Record<string, unknown>;
}

export function modelHash(m: ResolvedModel): string {
  return shortHash(m);
}

export interface LockInput {
  /** Path relative to the lock file's directory, '/'-separated. */
  readonly key: string;
  readonly profile: Profile;
  readonly model: ResolvedModel;
  readonly result: ProfileResult;
}

export function buildLockEntry(i: LockInput): LockEntry {
  const profile = canonicalProfile(i.profile);
  return { name: i.profile.name, fingerprint: fingerprint(profile), model: { id: i.model.id, hash: modelHash(i.model) }, top: lockTopOf(i.result), profile };
}

/** Per-entry hashes of the merged catalog and the calibration, and the fingerprint of the whole. */
export function catalogFingerprint(catalog: Catalog, calibration: Calibration): LockFile["catalog"] {
  const chips = [...catalog.chips.values()].sort((a, b) => byCodePoint(a.id, b.id));
  const offerings = [...catalog.offerings].sort((a, b) => byCodePoint(a.id, b.id));
  const entries: Record<string, string> = { calibration: shortHash(calibration) };
  for (const c of chips) entries[`chip:${c.id}`] = shortHash(c);
  for (const o of offerings) entries[`offering:${o.id}`] = shortHash(o);
  return { fingerprint: fingerprint({ chips, offerings, calibration }), entries: sortDeep(entries) as Record<string, string> };
}

export function buildLock(catalog: LockFile["catalog"], inputs: readonly LockInput[]): LockFile {
  const profiles: Record<string, LockEntry> = {};
  for (const i of [...inputs].sort((a, b) => byCodePoint(a.key, b.key))) profiles[i.key] = buildLockEntry(i);
  return { schemaVersion: LOCK_VERSION, generator: "hwadvise", catalog, profiles };
}

/** The lock file's bytes: fixed top-level order, sorted keys below, 2-space indent, trailing newline. */
export function renderLock(lock: LockFile): string {
  const ordered = {
    schemaVersion: lock.schemaVersion,
    generator: lock.generator,
    catalog: { fingerprint: lock.catalog.fingerprint, entries: sortDeep(lock.catalog.entries) },
    profiles: Object.fromEntries(
      Object.keys(lock.profiles)
        .sort(byCodePoint)
        .map((k) => {
          const e = lock.profiles[k]!;
          return [k, { name: e.name, fingerprint: e.fingerprint, model: e.model, top: e.top === null ? null : { ...e.top, estimates: sortDeep(e.top.estimates) }, profile: sortDeep(e.profile) }];
        }),
    ),
  };
  return JSON.stringify(ordered, null, 2) + "\n";
}

/** Read a lock file's text back through the schema; an unknown version or shape says how to regenerate. */
export function parseLock(file: string, text: string, regenerate: string): Result<LockFile> {
  const hint = `regenerate it with \`${regenerate}\``;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return fail([{ file, message: `is not valid JSON (${(e as Error).message.split("\n")[0]}); ${hint}` }]);
  }
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) return fail([{ file, message: `expected a JSON object written by \`hwadvise lock\`; ${hint}` }]);
  const version = (raw as Record<string, unknown>).schemaVersion;
  if (version !== LOCK_VERSION) {
    return fail([{ file, path: "schemaVersion", message: `schemaVersion ${JSON.stringify(version ?? null)} is not one this hwadvise reads (${LOCK_VERSION}); ${hint}` }]);
  }
  const r = LockSchema().safeParse(raw);
  if (!r.success) {
    const i = r.error.issues[0]!;
    return fail([{ file, path: i.path.map(String).join("."), message: `${i.message}; the baseline looks hand-edited or damaged — ${hint}` }]);
  }
  return ok(r.data);
}

// Built on first use, not at import: constructing these zod schemas costs milliseconds a command
// that never reads them (catalog, schema, --version) should not pay.
function define() {
  const Fingerprint = z.string().regex(/^sha256:[0-9a-f]{64}$/);
  const ShortHash = z.string().regex(/^[0-9a-f]{12}$/);
  /** The top option of a profile as the baseline records it. */
  const LockTopSchema = z.strictObject({
    id: z.string().describe("Offering id of the top feasible option."),
    name: z.string().describe("Human name of the option, with its device count."),
    class: z.enum(OFFERING_CLASSES).describe("Hardware class: the unit `check` compares."),
    deployment: z.enum(DEPLOYMENTS),
    chip: z.string(),
    units: z.number().describe("Units (instances, servers, boards); per site at the edge."),
    devices: z.number().describe("Devices in the whole deployment."),
    score: z.number().describe("Ranking score 0–100, one decimal."),
    estimates: z.record(z.string(), z.union([z.number(), z.string()])).describe("Key estimates, 4 significant figures."),
  });
  const LockEntrySchema = z.strictObject({
    name: z.string(),
    /** sha256 of the canonical JSON of the validated profile. */
    fingerprint: Fingerprint,
    /** The model the profile resolved to and a hash of its figures (a preset edit shows here). */
    model: z.strictObject({ id: z.string(), hash: ShortHash }),
    /** Top feasible option, or null when none was feasible. */
    top: LockTopSchema.nullable(),
    /** Canonical copy of the validated profile (units resolved), so `check` can name the fields that changed. */
    profile: z.record(z.string(), z.unknown()),
  });
  const LockSchema = z.strictObject({
    schemaVersion: z.literal(LOCK_VERSION),
    generator: z.literal("hwadvise"),
    catalog: z.strictObject({
      /** sha256 of the canonical JSON of the merged catalog (chips, offerings) and the calibration. */
      fingerprint: Fingerprint,
      /** Per-entry hashes (`chip:<id>`, `offering:<id>`, `calibration`), to name the entries that changed. */
      entries: z.record(z.string(), ShortHash),
    }),
    /** One entry per profile, keyed by its path relative to the lock file's directory, '/'-separated. */
    profiles: z.record(z.string(), LockEntrySchema),
  });
  return { Fingerprint, ShortHash, LockTopSchema, LockEntrySchema, LockSchema };
}
type Schemas = ReturnType<typeof define>;
const schema = lazily(define);
export const LockTopSchema = schema("LockTopSchema");
export const LockEntrySchema = schema("LockEntrySchema");
export const LockSchema = schema("LockSchema");
