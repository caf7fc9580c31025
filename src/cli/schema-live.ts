import { z } from "zod";
import { LockSchema } from "../baseline/lock.js";
import { CheckResultSchema } from "../baseline/model.js";
import { CatalogFileSchema } from "../catalog/schema.js";
import { CatalogAuditSchema } from "../catalog/audit.js";
import { ProfileSchema } from "../profile/schema.js";
import { EstimateResultSchema, RecommendResultSchema } from "../report/schema.js";
import type { SchemaName } from "./commands/schema.js";

// The JSON Schemas rendered from the zod schemas: by the build (dist/schemas.json), by the test that
// pins schema/*.schema.json, and by `hwadvise schema` when it runs without a build.

/** JSON Schemas the CLI can print; `profile` is what editors use (committed as schema/profile.schema.json). */
export const SCHEMAS: Record<SchemaName, () => unknown> = {
  profile: () => profileJsonSchema(),
  catalog: () => jsonSchema(CatalogFileSchema(), "hwadvise catalog file (built-in or overlay)"),
  "recommend-result": () => jsonSchema(RecommendResultSchema(), "hwadvise recommend --format json output", "output"),
  "estimate-result": () => jsonSchema(EstimateResultSchema(), "hwadvise estimate --format json output", "output"),
  "check-result": () => jsonSchema(CheckResultSchema(), "hwadvise check --format json output", "output"),
  "catalog-audit": () => jsonSchema(CatalogAuditSchema(), "hwadvise catalog audit --format json output", "output"),
  lock: () =>
    jsonSchema(
      LockSchema(),
      "hwadvise lock file (hwadvise.lock.json, written by `hwadvise lock` and `check --update`)",
      "output",
    ),
};

/** `io: "input"` for files people write (defaults optional); `"output"` for what the CLI prints (all fields it always sets are required). */
export function jsonSchema(schema: z.ZodType, title: string, io: "input" | "output" = "input"): unknown {
  const s = z.toJSONSchema(schema, { target: "draft-7", io, unrepresentable: "any" }) as Record<string, unknown>;
  return { $schema: s.$schema, title, ...Object.fromEntries(Object.entries(s).filter(([k]) => k !== "$schema")) };
}

/** A pipeline profile (`stages:`) may leave out the top-level workload: require one of the two. */
function profileJsonSchema(): unknown {
  const s = jsonSchema(ProfileSchema(), "hwadvise workload profile") as Record<string, unknown>;
  const required = (s.required as string[] | undefined)?.filter((k) => k !== "workload");
  return { ...s, required, anyOf: [{ required: ["workload"] }, { required: ["stages"] }] };
}

/** The schema as `hwadvise schema <name>` prints it (built from the zod schemas). */
export function renderSchema(name: SchemaName): string {
  return JSON.stringify(SCHEMAS[name](), null, 2) + "\n";
}
