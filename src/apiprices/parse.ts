import { fail, ok, type Result } from "../errors.js";
import { keysOf, parseYamlSource, validate } from "../yaml-source.js";
import { ApiPriceFileSchema, type ApiPrice } from "./schema.js";

/** Parse catalog/api-prices.yaml; every `model` must be a preset id. */
export function parseApiPrices(file: string, text: string, presetIds: ReadonlySet<string>): Result<ApiPrice[]> {
  const src = parseYamlSource(file, text);
  if (!src.ok) return src;
  const r = validate(src.value, ApiPriceFileSchema(), keysOf(ApiPriceFileSchema()));
  if (!r.ok) return r;
  for (const [i, p] of r.value.api_prices.entries()) {
    if (!presetIds.has(p.model))
      return fail([
        {
          file,
          path: `api_prices[${i}].model`,
          message: `unknown model preset \`${p.model}\` — see \`hwadvise models\``,
        },
      ]);
  }
  return ok(r.value.api_prices);
}
