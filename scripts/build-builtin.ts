import { builtinToJson, readBuiltinFromYaml, mergeOrThrow } from "../src/cli/builtin.js";
import { SCHEMA_NAMES } from "../src/cli/commands/schema.js";
import { renderSchema } from "../src/cli/schema-live.js";

/** Validate catalog/*.yaml + models.yaml (throws InputError with located problems) and return the JSON form. */
export function buildBuiltin(root: string) {
  const b = readBuiltinFromYaml(root);
  mergeOrThrow(b.files);
  return builtinToJson(b);
}

/** Every JSON Schema `hwadvise schema` prints, as printed: the command serves these instead of building zod schemas at run time. */
export function buildSchemas(): Record<string, string> {
  return Object.fromEntries(SCHEMA_NAMES.map((name) => [name, renderSchema(name)]));
}
