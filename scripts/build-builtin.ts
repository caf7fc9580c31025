import { builtinToJson, readBuiltinFromYaml, mergeOrThrow } from "../src/cli/builtin.js";

/** Validate catalog/*.yaml + models.yaml (throws InputError with located problems) and return the JSON form. */
export function buildBuiltin(root: string) {
  const b = readBuiltinFromYaml(root);
  mergeOrThrow(b.files);
  return builtinToJson(b);
}
