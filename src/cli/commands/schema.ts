import type { Command } from "commander";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { packageRoot } from "../builtin.js";
import { z } from "zod";
import { UsageError } from "../../errors.js";
import { ProfileSchema } from "../../profile/schema.js";
import { CatalogFileSchema } from "../../catalog/schema.js";
import { CheckResultSchema } from "../../baseline/model.js";
import { RecommendResultSchema } from "../../report/schema.js";
import type { Ctx } from "../context.js";

/** JSON Schemas the CLI can print; `profile` is what editors use (committed as schema/profile.schema.json). */
export const SCHEMAS: Record<string, () => unknown> = {
  profile: () => profileJsonSchema(),
  catalog: () => jsonSchema(CatalogFileSchema(), "hwadvise catalog file (built-in or overlay)"),
  "recommend-result": () => jsonSchema(RecommendResultSchema(), "hwadvise recommend --format json output", "output"),
  "check-result": () => jsonSchema(CheckResultSchema(), "hwadvise check --format json output", "output"),
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
export function renderSchema(name: string): string {
  return JSON.stringify(SCHEMAS[name]!(), null, 2) + "\n";
}

/** The schemas the build rendered (dist/schemas.json), so printing one builds no zod schema; undefined without a build. */
function prebuilt(): Record<string, string> | undefined {
  try {
    return JSON.parse(readFileSync(join(packageRoot(), "dist", "schemas.json"), "utf8")) as Record<string, string>;
  } catch {
    return undefined;
  }
}

export function registerSchema(program: Command, ctx: Ctx, setExit: (code: number) => void): void {
  program
    .command("schema")
    .description(`print a JSON Schema: ${Object.keys(SCHEMAS).join(", ")}`)
    .argument("<name>", Object.keys(SCHEMAS).join(" | "))
    .action((name: string) => {
      if (!Object.hasOwn(SCHEMAS, name)) throw new UsageError(`unknown schema ${JSON.stringify(name)}; expected one of ${Object.keys(SCHEMAS).join(", ")}`);
      ctx.out(prebuilt()?.[name] ?? renderSchema(name));
      setExit(0);
    });
}
