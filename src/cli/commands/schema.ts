import type { Command } from "commander";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { UsageError } from "../../errors.js";
import type { Ctx } from "../context.js";
import { packageRoot } from "../root.js";

/** JSON Schemas the CLI can print; `profile` is what editors use (committed as schema/profile.schema.json). */
export const SCHEMA_NAMES = [
  "profile",
  "catalog",
  "recommend-result",
  "estimate-result",
  "check-result",
  "catalog-audit",
  "lock",
] as const;
export type SchemaName = (typeof SCHEMA_NAMES)[number];

/** The schemas the build rendered (dist/schemas.json), so printing one builds no zod schema; undefined without a build. */
function prebuilt(): Record<string, string> | undefined {
  try {
    return JSON.parse(readFileSync(join(packageRoot(), "dist", "schemas.json"), "utf8")) as Record<string, string>;
  } catch {
    return undefined;
  }
}

/**
 * `hwadvise schema <name>`: prints the build's rendering (dist/schemas.json). `live` renders from the
 * zod schemas when there is no build (running from source); the start-up bundle for this command
 * leaves it out, and with it zod.
 */
export function registerSchema(
  program: Command,
  ctx: Ctx,
  setExit: (code: number) => void,
  live?: (name: SchemaName) => string,
): void {
  program
    .command("schema")
    .description(`print a JSON Schema: ${SCHEMA_NAMES.join(", ")}`)
    .argument("<name>", SCHEMA_NAMES.join(" | "))
    .action((name: string) => {
      if (!(SCHEMA_NAMES as readonly string[]).includes(name))
        throw new UsageError(`unknown schema ${JSON.stringify(name)}; expected one of ${SCHEMA_NAMES.join(", ")}`);
      const text = prebuilt()?.[name] ?? live?.(name as SchemaName);
      if (text === undefined) throw new Error("dist/schemas.json is missing: run `npm run build`");
      ctx.out(text);
      setExit(0);
    });
}
