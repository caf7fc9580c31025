import type { ApiPrice } from "../apiprices/schema.js";
import type { LandedTable } from "../catalog/landed.js";
import type { Catalog } from "../catalog/schema.js";
import type { Calibration } from "../estimate/perf.js";
import type { ModelPreset } from "../models/schema.js";

/**
 * Everything one run of a use case reads besides the profile: the merged catalog and the built-in data,
 * and the date staleness is judged on. Built once by the CLI, passed down as plain data.
 */
export interface Run {
  readonly catalog: Catalog;
  readonly models: ReadonlyMap<string, ModelPreset>;
  readonly calibration: Calibration;
  /** Per-country landed-cost rates for bought hardware. */
  readonly landed?: LandedTable;
  /** Hosted endpoints' per-token prices, for the LLM self-hosted comparison. */
  readonly apiPrices: readonly ApiPrice[];
  /** ISO date (YYYY-MM-DD) catalog ages are measured to. */
  readonly today: string;
  /** Figures older than this many months are flagged stale. */
  readonly staleMonths: number;
}
