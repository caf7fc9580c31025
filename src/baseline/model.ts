import { z } from "zod";
import { lazily } from "../once.js";
import { LockTopSchema } from "./lock.js";

/** The JSON contract of `hwadvise check --format json` (schemaVersion 1); its JSON Schema is generated from this. */
export const CHECK_STATUSES = ["unchanged", "option-changed", "class-changed", "no-feasible", "new"] as const;
export type CheckStatus = (typeof CHECK_STATUSES)[number];

export type FieldChange = z.output<Schemas["FieldChangeSchema"]>;

export type CatalogDiff = z.output<Schemas["CatalogDiffSchema"]>;

export type ProfileCheck = z.output<Schemas["ProfileCheckSchema"]>;


export type CheckResult = z.output<Schemas["CheckResultSchema"]>;

// Built on first use, not at import: constructing these zod schemas costs milliseconds a command
// that never reads them (catalog, schema, --version) should not pay.
function define() {
  const FieldChangeSchema = z.strictObject({
    path: z.string().describe("Dotted path of the profile field, e.g. `slo.latency_p99`."),
    /** Validated value in the baseline (units resolved: ms, W, USD …); absent when the field was added. */
    before: z.unknown().optional(),
    /** Validated value now; absent when the field was removed. */
    after: z.unknown().optional(),
    line: z.number().int().positive().optional().describe("Line of the field (or its nearest existing parent) in the profile."),
  });
  const CatalogDiffSchema = z.strictObject({
    changed: z.boolean().describe("Whether the catalog fingerprint (merged catalog + calibration) differs from the baseline's."),
    added: z.array(z.string()).describe("Entries (`chip:<id>`, `offering:<id>`) new since the baseline."),
    removed: z.array(z.string()),
    modified: z.array(z.string()).describe("Entries whose content changed (`calibration` for the calibration)."),
  });
  const ProfileCheckSchema = z.strictObject({
    file: z.string().describe("Profile path as given (relative to the working directory)."),
    key: z.string().describe("Its key in the lock file (relative to the lock file's directory)."),
    name: z.string(),
    status: z.enum(CHECK_STATUSES),
    severity: z.enum(["ok", "notice", "warning", "error"]),
    failed: z.boolean().describe("Whether this profile makes `check` exit 1 (depends on --strict)."),
    baseline: LockTopSchema().nullable().optional().describe("Top option in the baseline (null: none feasible; absent: no baseline entry)."),
    current: LockTopSchema().nullable().describe("Top option now (null: none feasible)."),
    profile_changed: z.boolean().describe("Whether the validated profile differs from the baseline's copy."),
    fields: z.array(FieldChangeSchema).describe("Profile fields that changed since the baseline."),
    model_changed: z.boolean().describe("The model preset's figures changed (same id)."),
    catalog_entries: z.array(z.string()).describe("Changed catalog entries that concern the old or new top option."),
    reasons: z.array(z.string()).describe("Why the decision moved: rules the old top now fails, or the score margin."),
    driver: z.string().optional().describe("The profile field that drove the change, where known."),
    line: z.number().int().positive().optional().describe("Line of `driver` in the profile."),
  });
  const CheckProblemSchema = z.strictObject({
    file: z.string(),
    line: z.number().optional(),
    col: z.number().optional(),
    path: z.string().optional(),
    message: z.string(),
  });
  const CheckResultSchema = z.strictObject({
    schemaVersion: z.literal(1),
    lockfile: z.string().describe("The baseline compared against."),
    strict: z.boolean(),
    ok: z.boolean().describe("No profile failed and none had errors (exit 0)."),
    summary: z.strictObject({
      checked: z.number().int(),
      unchanged: z.number().int(),
      option_changed: z.number().int(),
      class_changed: z.number().int(),
      no_feasible: z.number().int(),
      new: z.number().int(),
      errors: z.number().int().describe("Profiles that could not be read or validated (exit 2)."),
      failed: z.number().int(),
    }),
    catalog: CatalogDiffSchema,
    profiles: z.array(ProfileCheckSchema),
    not_checked: z.array(z.string()).describe("Baseline entries no pattern matched this run (deleted or not selected)."),
    errors: z.array(CheckProblemSchema).describe("Input problems, one per line as on stderr."),
  });
  return { FieldChangeSchema, CatalogDiffSchema, ProfileCheckSchema, CheckProblemSchema, CheckResultSchema };
}
type Schemas = ReturnType<typeof define>;
const schema = lazily(define);
export const FieldChangeSchema = schema("FieldChangeSchema");
export const CatalogDiffSchema = schema("CatalogDiffSchema");
export const ProfileCheckSchema = schema("ProfileCheckSchema");
export const CheckProblemSchema = schema("CheckProblemSchema");
export const CheckResultSchema = schema("CheckResultSchema");
