import { z } from "zod";
import { lazily } from "../once.js";
import { DEPLOYMENTS, OFFERING_CLASSES, type Catalog } from "../catalog/schema.js";
import type { Calibration } from "../estimate/perf.js";
import type { ResolvedModel } from "../estimate/workload.js";
import { fail, ok, type Result } from "../errors.js";
import type { Profile } from "../profile/schema.js";
import type { ProfileResult, Recommendation } from "../result.js";
import { byCodePoint, fingerprint, roundFigure, shortHash, sortDeep } from "./canonical.js";
import type { Figures } from "./thresholds.js";

/**
 * The lock file format this hwadvise writes and reads. Bump on any incompatible change.
 * 2: every pipeline stage and the chosen combination, and the identity of the catalog overlays, the
 * calibration and the hwadvise version. A version-1 file is refused with the command that regenerates
 * it: read as version 2 it would say nothing about the stages it never recorded, a silent pass.
 */
export const LOCK_VERSION = 2;
export const DEFAULT_LOCKFILE = "hwadvise.lock.json";

export type LockTop = z.output<Schemas["LockTopSchema"]>;

export type LockEntry = z.output<Schemas["LockEntrySchema"]>;

export type LockFile = z.output<Schemas["LockSchema"]>;

export type LockIdentity = z.output<Schemas["IdentitySchema"]>;

export type LockCombination = z.output<Schemas["CombinationSchema"]>;

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
  return {
    id: r.id,
    name: r.name,
    class: r.class,
    deployment: r.deployment,
    chip: r.chip,
    units: r.units,
    devices: r.devices,
    score: roundScore(r.score),
    estimates,
  };
}

/** The validated profile as plain, key-sorted data (what the lock stores and fingerprints). */
/** The figures material-change thresholds compare, read from a recorded top option. */
export function figuresOfTop(t: LockTop): Figures {
  const out: Record<string, number> = { devices: t.devices };
  for (const k of [
    "monthly_cost_usd",
    "capex_usd",
    "power_w",
    "latency_p99_ms",
    "ttft_ms",
    "tokens_per_s",
    "time_to_train_h",
  ] as const) {
    const v = t.estimates[k];
    if (typeof v === "number") out[k] = v;
  }
  return out as Figures;
}

/** Each pipeline stage's top option, in stage order; undefined for a single-workload profile. */
export function lockStagesOf(result: ProfileResult): { name: string; top: LockTop | null }[] | undefined {
  return result.pipeline?.stages.map((s) => ({ name: s.name, top: lockTopOf(s.result) }));
}

/**
 * The combination a pipeline's recommendation chose (its first), with each option's class and devices
 * read from its stage's ranking, and the totals a reviewer signs: monthly cost (transfers included),
 * capex, devices and power of all stages, end-to-end p99. Null when the pipeline has none.
 */
export function lockCombinationOf(result: ProfileResult): LockCombination | null | undefined {
  const p = result.pipeline;
  if (!p) return undefined;
  const c = p.combinations[0];
  if (!c) return null;
  let capex = 0;
  let devices = 0;
  const options = c.options.map((o, i) => {
    // Combinations are built from each stage's ranked recommendations, so the option is there.
    const rec = p.stages[i]!.result.recommendations.find((r) => r.id === o.id)!;
    capex += rec.estimates.capex_usd ?? 0;
    devices += rec.devices;
    return { stage: o.stage, id: o.id, name: o.name, class: rec.class, devices: rec.devices };
  });
  const figures: Record<string, number> = {
    monthly_cost_usd: roundFigure(c.monthly_cost_usd),
    devices,
    power_w: roundFigure(c.power_w),
  };
  if (capex > 0) figures.capex_usd = roundFigure(capex);
  if (c.latency_p99_ms !== undefined) figures.latency_p99_ms = roundFigure(c.latency_p99_ms);
  return { feasible: c.feasible, options, figures };
}

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
  const stages = lockStagesOf(i.result);
  const combination = lockCombinationOf(i.result);
  return {
    name: i.profile.name,
    fingerprint: fingerprint(profile),
    model: { id: i.model.id, hash: modelHash(i.model) },
    top: lockTopOf(i.result),
    ...(stages ? { stages } : {}),
    ...(combination !== undefined ? { combination } : {}),
    profile,
  };
}

/** What produces a baseline's figures besides the profiles: hwadvise's version, the calibration, the catalog files. */
export function lockIdentity(
  hwadvise: string,
  calibration: Calibration,
  builtin: boolean,
  overlays: readonly LockIdentity["overlays"][number][],
): LockIdentity {
  return {
    hwadvise,
    calibration: `v${calibration.version}:${shortHash(calibration)}`,
    builtin,
    overlays: [...overlays],
  };
}

/** An overlay file as the baseline names it: its path as given ('/'-separated) and a hash of its text. */
export function overlayIdentity(file: string, text: string): LockIdentity["overlays"][number] {
  return { file: file.split("\\").join("/"), hash: shortHash(text) };
}

/** Per-entry hashes of the merged catalog and the calibration, and the fingerprint of the whole. */
export function catalogFingerprint(catalog: Catalog, calibration: Calibration): LockFile["catalog"] {
  const chips = [...catalog.chips.values()].sort((a, b) => byCodePoint(a.id, b.id));
  const offerings = [...catalog.offerings].sort((a, b) => byCodePoint(a.id, b.id));
  const entries: Record<string, string> = { calibration: shortHash(calibration) };
  for (const c of chips) entries[`chip:${c.id}`] = shortHash(c);
  for (const o of offerings) entries[`offering:${o.id}`] = shortHash(o);
  return {
    fingerprint: fingerprint({ chips, offerings, calibration }),
    entries: sortDeep(entries) as Record<string, string>,
  };
}

export function buildLock(
  catalog: LockFile["catalog"],
  identity: LockIdentity,
  inputs: readonly LockInput[],
): LockFile {
  const profiles: Record<string, LockEntry> = {};
  for (const i of [...inputs].sort((a, b) => byCodePoint(a.key, b.key))) profiles[i.key] = buildLockEntry(i);
  return { schemaVersion: LOCK_VERSION, generator: "hwadvise", identity, catalog, profiles };
}

/** The lock file's bytes: fixed top-level order, sorted keys below, 2-space indent, trailing newline. */
export function renderLock(lock: LockFile): string {
  const ordered = {
    schemaVersion: lock.schemaVersion,
    generator: lock.generator,
    identity: {
      hwadvise: lock.identity.hwadvise,
      calibration: lock.identity.calibration,
      builtin: lock.identity.builtin,
      overlays: lock.identity.overlays,
    },
    catalog: { fingerprint: lock.catalog.fingerprint, entries: sortDeep(lock.catalog.entries) },
    profiles: Object.fromEntries(
      Object.keys(lock.profiles)
        .sort(byCodePoint)
        .map((k) => {
          const e = lock.profiles[k]!;
          const top = (t: LockTop | null) => (t === null ? null : { ...t, estimates: sortDeep(t.estimates) });
          return [
            k,
            {
              name: e.name,
              fingerprint: e.fingerprint,
              model: e.model,
              top: top(e.top),
              ...(e.stages ? { stages: e.stages.map((s) => ({ name: s.name, top: top(s.top) })) } : {}),
              ...(e.combination !== undefined
                ? {
                    combination:
                      e.combination === null ? null : { ...e.combination, figures: sortDeep(e.combination.figures) },
                  }
                : {}),
              profile: sortDeep(e.profile),
            },
          ];
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
  if (raw === null || typeof raw !== "object" || Array.isArray(raw))
    return fail([{ file, message: `expected a JSON object written by \`hwadvise lock\`; ${hint}` }]);
  const version = (raw as Record<string, unknown>).schemaVersion;
  if (version === 1) {
    return fail([
      {
        file,
        path: "schemaVersion",
        message:
          `schemaVersion 1 was written by an older hwadvise: it records neither pipeline stages nor which ` +
          `catalog overlays and model version made it; ${hint}`,
      },
    ]);
  }
  if (version !== LOCK_VERSION) {
    return fail([
      {
        file,
        path: "schemaVersion",
        message: `schemaVersion ${JSON.stringify(version ?? null)} is not one this hwadvise reads (${LOCK_VERSION}); ${hint}`,
      },
    ]);
  }
  const r = LockSchema().safeParse(raw);
  if (!r.success) {
    const i = r.error.issues[0]!;
    return fail([
      {
        file,
        path: i.path.map(String).join("."),
        message: `${i.message}; the baseline looks hand-edited or damaged — ${hint}`,
      },
    ]);
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
    estimates: z
      .record(z.string(), z.union([z.number(), z.string()]))
      .describe("Key estimates, 4 significant figures."),
  });
  const CombinationSchema = z.strictObject({
    feasible: z.boolean(),
    options: z
      .array(
        z.strictObject({
          stage: z.string(),
          id: z.string(),
          name: z.string(),
          class: z.enum(OFFERING_CLASSES),
          devices: z.number(),
        }),
      )
      .describe("The option each stage runs on."),
    figures: z
      .record(z.string(), z.number())
      .describe(
        "Totals over the stages: monthly_cost_usd (transfers included), capex_usd, devices, power_w, latency_p99_ms end to end; 4 significant figures.",
      ),
  });
  /** What produced a baseline: a check run with another set gives different figures for reasons no profile shows. */
  const IdentitySchema = z.strictObject({
    hwadvise: z.string().describe("Version of hwadvise (its estimator) that wrote the baseline."),
    calibration: z.string().describe("Calibration version and hash of its figures, `v<version>:<12 hex>`."),
    builtin: z.boolean().describe("Whether the built-in catalog was used (false with --no-builtin)."),
    overlays: z
      .array(z.strictObject({ file: z.string(), hash: ShortHash }))
      .describe("Catalog overlays (HWADVISE_CATALOG, then --catalog), in order, with a hash of their text."),
  });
  const LockEntrySchema = z.strictObject({
    name: z.string(),
    /** sha256 of the canonical JSON of the validated profile. */
    fingerprint: Fingerprint,
    /** The model the profile resolved to and a hash of its figures (a preset edit shows here). */
    model: z.strictObject({ id: z.string(), hash: ShortHash }),
    /** Top feasible option, or null when none was feasible. */
    top: LockTopSchema.nullable(),
    /** Pipeline profiles: every stage's top option, in stage order. */
    stages: z.array(z.strictObject({ name: z.string(), top: LockTopSchema.nullable() })).optional(),
    /** Pipeline profiles: the combination chosen end to end (null: none). */
    combination: CombinationSchema.nullable().optional(),
    /** Canonical copy of the validated profile (units resolved), so `check` can name the fields that changed. */
    profile: z.record(z.string(), z.unknown()),
  });
  const LockSchema = z.strictObject({
    schemaVersion: z.literal(LOCK_VERSION),
    generator: z.literal("hwadvise"),
    identity: IdentitySchema,
    catalog: z.strictObject({
      /** sha256 of the canonical JSON of the merged catalog (chips, offerings) and the calibration. */
      fingerprint: Fingerprint,
      /** Per-entry hashes (`chip:<id>`, `offering:<id>`, `calibration`), to name the entries that changed. */
      entries: z.record(z.string(), ShortHash),
    }),
    /** One entry per profile, keyed by its path relative to the lock file's directory, '/'-separated. */
    profiles: z.record(z.string(), LockEntrySchema),
  });
  return { Fingerprint, ShortHash, LockTopSchema, CombinationSchema, IdentitySchema, LockEntrySchema, LockSchema };
}
type Schemas = ReturnType<typeof define>;
const schema = lazily(define);
export const LockTopSchema = schema("LockTopSchema");
export const LockEntrySchema = schema("LockEntrySchema");
export const CombinationSchema = schema("CombinationSchema");
export const IdentitySchema = schema("IdentitySchema");
export const LockSchema = schema("LockSchema");
