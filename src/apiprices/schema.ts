import { z } from "zod";
import { lazily } from "../once.js";

export type ApiPrice = z.output<Schemas["ApiPriceSchema"]>;

// Built on first use, like the catalog and model schemas.
function define() {
  /** One hosted endpoint's per-token price for a model the presets describe. */
  const ApiPriceSchema = z.strictObject({
    /** Model preset id the endpoint serves (or a release of the same architecture: say so in note). */
    model: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/),
    provider: z.string().min(1),
    /** The provider's name for the endpoint. */
    endpoint: z.string().min(1),
    /** Where the provider serves it from, and the ISO 3166 country (data residency). */
    region: z.string().min(1),
    country: z.string().regex(/^[A-Z]{2}$/, "expected an ISO 3166 alpha-2 country code such as US"),
    /** USD per 1M input (prompt) tokens. */
    input_usd_per_1m: z.number().nonnegative().max(1000),
    /** USD per 1M output (generated) tokens. */
    output_usd_per_1m: z.number().nonnegative().max(1000),
    source: z.string().regex(/^https?:\/\/\S+$/, "expected a URL starting with http:// or https://"),
    as_of: z.string().regex(/^\d{4}-\d{2}(-\d{2})?$/, "expected a date such as 2026-01-21 or 2026-01"),
    note: z.string().optional(),
  });
  const ApiPriceFileSchema = z.strictObject({ api_prices: z.array(ApiPriceSchema) });
  return { ApiPriceSchema, ApiPriceFileSchema };
}
type Schemas = ReturnType<typeof define>;
const schema = lazily(define);
export const ApiPriceSchema = schema("ApiPriceSchema");
export const ApiPriceFileSchema = schema("ApiPriceFileSchema");
