import { builtinToJson, readBuiltinFromYaml, mergeOrThrow } from "../src/cli/builtin.js";
import { renderSchema, SCHEMAS } from "../src/cli/commands/schema.js";

/** Validate catalog/*.yaml + models.yaml (throws InputError with located problems) and return the JSON form. */
export function buildBuiltin(root: string) {
  const b = readBuiltinFromYaml(root);
  mergeOrThrow(b.files);
  return builtinToJson(b);
}

/** Every JSON Schema `hwadvise schema` prints, as printed: the command serves these instead of building zod schemas at run time. */
export function buildSchemas(): Record<string, string> {
  return Object.fromEntries(Object.keys(SCHEMAS).map((name) => [name, renderSchema(name)]));
}
