import { fail, ok, type Result } from "../errors.js";
import { keysOf, parseYamlSource, validate } from "../yaml-source.js";
import { ModelFileSchema, type ModelPreset } from "./schema.js";

/** Parse catalog/models.yaml into a map of presets by id. */
export function parseModels(file: string, text: string): Result<Map<string, ModelPreset>> {
  const src = parseYamlSource(file, text);
  if (!src.ok) return src;
  const r = validate(src.value, ModelFileSchema(), keysOf(ModelFileSchema()));
  if (!r.ok) return r;
  const map = new Map<string, ModelPreset>();
  for (const [i, m] of r.value.models.entries()) {
    if (map.has(m.id)) return fail([{ file, path: `models[${i}].id`, message: `duplicate model id \`${m.id}\`` }]);
    map.set(m.id, m);
  }
  return ok(map);
}
