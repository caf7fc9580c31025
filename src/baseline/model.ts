import { z } from "zod";
import { lazily } from "../once.js";
import { CombinationSchema, IdentitySchema, LockTopSchema } from "./lock.js";
import { MATERIAL_FIGURE_NAMES, type MaterialFigure } from "./thresholds.js";

/** The JSON contract of `hwadvise check --format json` (schemaVersion 1); its JSON Schema is generated from this. */
export const CHECK_STATUSES = ["unchanged", "option-changed", "class-changed", "no-feasible", "new"] as const;
export type CheckStatus = (typeof CHECK_STATUSES)[number];

export type FieldChange = z.output<Schemas["FieldChangeSchema"]>;

export type CatalogDiff = z.output<Schemas["CatalogDiffSchema"]>;

export type ProfileCheck = z.output<Schemas["ProfileCheckSchema"]>;

export type CheckResult = z.output<Schemas["CheckResultSchema"]>;

export type IdentityCheck = z.output<Schemas["IdentityCheckSchema"]>;

export type StageCheck = z.output<Schemas["StageCheckSchema"]>;

// Built on first use, not at import: constructing these zod schemas costs milliseconds a command
// that never reads them (catalog, schema, --version) should not pay.
function define() {
  const FieldChangeSchema = z.strictObject({
    path: z.string().describe("Dotted path of the profile field, e.g. `slo.latency_p99`."),
    /** Validated value in the baseline (units resolved: ms, W, USD …); absent when the field was added. */
    before: z.unknown().optional(),
    /** Validated value now; absent when the field was removed. */
    after: z.unknown().optional(),
    line: z
      .number()
      .int()
      .positive()
      .optional()
      .describe("Line of the field (or its nearest existing parent) in the profile."),
  });
  const CatalogDiffSchema = z.strictObject({
    changed: z
      .boolean()
      .describe("Whether the catalog fingerprint (merged catalog + calibration) differs from the baseline's."),
    added: z.array(z.string()).describe("Entries (`chip:<id>`, `offering:<id>`) new since the baseline."),
    removed: z.array(z.string()),
    modified: z.array(z.string()).describe("Entries whose content changed (`calibration` for the calibration)."),
  });
  const StageCheckSchema = z.strictObject({
    stage: z.string().describe("Pipeline stage name."),
    status: z
      .enum(CHECK_STATUSES)
      .describe("This stage's top option against its baseline (`new`: the baseline has no stage of this name)."),
    baseline: LockTopSchema().nullable().optional(),
    current: LockTopSchema().nullable(),
  });
  const MaterialRowSchema = z.strictObject({
    figure: z
      .enum(MATERIAL_FIGURE_NAMES as [MaterialFigure, ...MaterialFigure[]])
      .describe("monthly_cost, capex, devices, power, latency_p99, ttft, tokens_per_s or time_to_train."),
    before: z.number().optional().describe("In the baseline (USD/month, USD, devices, W, ms, tokens/s or h)."),
    after: z.number().optional(),
    change_pct: z.number().optional().describe("after / before − 1, %; absent when the baseline figure is zero."),
    threshold: z.string().describe("The threshold in force for this profile (`+25%`, `x2`, `off`)."),
    crossed: z.boolean().describe("Moved at least this far in the worse direction."),
  });
  const ProfileCheckSchema = z.strictObject({
    file: z.string().describe("Profile path as given (relative to the working directory)."),
    key: z.string().describe("Its key in the lock file (relative to the lock file's directory)."),
    name: z.string(),
    status: z.enum(CHECK_STATUSES),
    severity: z.enum(["ok", "notice", "warning", "error"]),
    failed: z.boolean().describe("Whether this profile makes `check` exit 1 (depends on --strict)."),
    baseline: LockTopSchema()
      .nullable()
      .optional()
      .describe("Top option in the baseline (null: none feasible; absent: no baseline entry)."),
    current: LockTopSchema().nullable().describe("Top option now (null: none feasible)."),
    profile_changed: z.boolean().describe("Whether the validated profile differs from the baseline's copy."),
    fields: z.array(FieldChangeSchema).describe("Profile fields that changed since the baseline."),
    model_changed: z.boolean().describe("The model preset's figures changed (same id)."),
    catalog_entries: z.array(z.string()).describe("Changed catalog entries that concern the old or new top option."),
    reasons: z.array(z.string()).describe("Why the decision moved: rules the old top now fails, or the score margin."),
    changed_in: z
      .string()
      .optional()
      .describe("Pipelines: the part whose change sets `status` (`stage <name>` or `combination`)."),
    stages: z.array(StageCheckSchema).optional().describe("Pipelines: every stage compared on its own."),
    combination: z
      .strictObject({
        status: z.enum(CHECK_STATUSES),
        baseline: CombinationSchema().nullable().optional(),
        current: CombinationSchema().nullable(),
      })
      .optional()
      .describe(
        "Pipelines: the chosen combination against the baseline's (a stage on another class is a class change).",
      ),
    material: z
      .array(MaterialRowSchema)
      .describe(
        "Figures of the top option (pipelines: the combination's totals) that moved, against their thresholds.",
      ),
    material_crossed: z.boolean().describe("A figure moved beyond its threshold."),
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
  const IdentityCheckSchema = z.strictObject({
    same: z.boolean().describe("The run used the overlays, calibration and hwadvise version the baseline records."),
    catalog_differs: z
      .boolean()
      .describe(
        "Another set of catalog files (overlays added, dropped or reordered, or --no-builtin) than the baseline's.",
      ),
    model_differs: z
      .boolean()
      .describe("Another calibration or hwadvise version: estimates may move for that reason alone."),
    baseline: IdentitySchema().optional().describe("Absent in --base mode before a baseline exists."),
    current: IdentitySchema(),
    messages: z.array(z.string()).describe("What differs, one sentence each."),
    rerun: z.string().optional().describe("The command that compares like with like."),
  });
  const CheckResultSchema = z.strictObject({
    schemaVersion: z.literal(1),
    lockfile: z.string().describe("The baseline compared against (`<ref> (--base)` in base-commit mode)."),
    base: z
      .string()
      .optional()
      .describe("With --base: the git ref the baseline was recomputed at (no lock file read)."),
    strict: z.boolean(),
    ok: z.boolean().describe("No profile failed and none had errors (exit 0)."),
    moved: z
      .boolean()
      .describe(
        "Anything to tell a reviewer: a changed, new or materially moved profile, an error, or another catalog/model. The markdown output is empty when false.",
      ),
    material_as: z
      .enum(["error", "warning"])
      .describe("How a crossed threshold counts (`warning` with --material-warning: exit 0)."),
    identity: IdentityCheckSchema,
    summary: z.strictObject({
      checked: z.number().int(),
      unchanged: z.number().int(),
      option_changed: z.number().int(),
      class_changed: z.number().int(),
      no_feasible: z.number().int(),
      new: z.number().int(),
      errors: z.number().int().describe("Profiles that could not be read or validated (exit 2)."),
      failed: z.number().int(),
      material: z.number().int().describe("Profiles with a figure beyond its threshold."),
    }),
    catalog: CatalogDiffSchema,
    profiles: z.array(ProfileCheckSchema),
    not_checked: z
      .array(z.string())
      .describe("Baseline entries no pattern matched this run (deleted or not selected)."),
    errors: z.array(CheckProblemSchema).describe("Input problems, one per line as on stderr."),
  });
  return {
    FieldChangeSchema,
    CatalogDiffSchema,
    StageCheckSchema,
    MaterialRowSchema,
    ProfileCheckSchema,
    CheckProblemSchema,
    IdentityCheckSchema,
    CheckResultSchema,
  };
}
type Schemas = ReturnType<typeof define>;
const schema = lazily(define);
export const FieldChangeSchema = schema("FieldChangeSchema");
export const CatalogDiffSchema = schema("CatalogDiffSchema");
export const ProfileCheckSchema = schema("ProfileCheckSchema");
export const CheckProblemSchema = schema("CheckProblemSchema");
export const CheckResultSchema = schema("CheckResultSchema");
export const IdentityCheckSchema = schema("IdentityCheckSchema");
