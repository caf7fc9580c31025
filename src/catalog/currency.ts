import { parseUsd } from "../profile/units.js";

/**
 * Prices quoted in a local currency (a reseller's quote in COP or BRL) are converted to USD when a catalog
 * file is read, at a rate the file states: hwadvise never fetches exchange rates.
 *
 * An offering (or an override) may say `currency: COP` and `fx_per_usd: 4100` (COP per 1 USD): its money
 * fields are then read in COP. A single money field may also name its currency, as "COP 1.2B" or
 * "250k BRL"; it then needs the entry's `fx_per_usd` for that currency.
 */

/** The money fields of an offering, relative to the entry; regions[*] fields are handled per region. */
const ENTRY_MONEY = ["capex_usd", "host_capex_usd", "lease_usd_per_month"] as const;
const REGION_MONEY = ["usd_per_hour", "usd_per_hour_1y", "usd_per_hour_3y"] as const;

export interface CurrencyProblem {
  readonly path: (string | number)[];
  readonly message: string;
}

const CODED = [/^([A-Z]{3})\s*([0-9.].*)$/, /^([0-9.].*?)\s*([A-Z]{3})$/];

/** "COP 1.2B" → { code: "COP", amount: 1.2e9 }; "250k BRL" → BRL 250000; anything else → undefined. */
export function parseCodedAmount(s: string): { code: string; amount: number | undefined } | undefined {
  const t = s.trim();
  const a = CODED[0]!.exec(t);
  const b = a ? undefined : CODED[1]!.exec(t);
  const code = a ? a[1]! : b?.[2];
  const rest = a ? a[2]! : b?.[1];
  if (!code || rest === undefined) return undefined;
  const r = parseUsd(rest.trim());
  return { code, amount: r.ok ? r.value : undefined };
}

const isMapping = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === "object" && !Array.isArray(v);

/**
 * Convert the money fields of one raw (not yet validated) offering or override to USD. Returns a copy;
 * fields it cannot convert are replaced by a placeholder so validation reports them only once.
 */
export function convertEntryPrices(raw: unknown): { value: unknown; problems: CurrencyProblem[] } {
  if (!isMapping(raw)) return { value: raw, problems: [] };
  const problems: CurrencyProblem[] = [];
  const entry: Record<string, unknown> = { ...raw };
  const declared = typeof raw.currency === "string" && /^[A-Z]{3}$/.test(raw.currency) ? raw.currency : undefined;
  const fx =
    typeof raw.fx_per_usd === "number" && Number.isFinite(raw.fx_per_usd) && raw.fx_per_usd > 0
      ? raw.fx_per_usd
      : undefined;
  let missingRateReported = false;
  let usedRate = false;

  const convert = (v: unknown, path: (string | number)[]): unknown => {
    if (typeof v === "string") {
      const coded = parseCodedAmount(v);
      if (coded) {
        if (coded.amount === undefined) {
          problems.push({
            path,
            message: `expected an amount such as "${coded.code} 1.2B" or "250k ${coded.code}", found ${JSON.stringify(v)}`,
          });
          return 1;
        }
        if (coded.code === "USD") return coded.amount;
        if (declared && declared !== coded.code) {
          problems.push({
            path,
            message: `price is in ${coded.code} but this entry's currency is ${declared}; quote every price of one entry in one currency`,
          });
          return 1;
        }
        if (fx === undefined) {
          problems.push({
            path,
            message:
              `a price in ${coded.code} needs fx_per_usd on this entry (${coded.code} per 1 USD, e.g. fx_per_usd: ` +
              `${coded.code === "BRL" ? 5.4 : 4100}); hwadvise does not fetch exchange rates`,
          });
          return 1;
        }
        usedRate = true;
        return coded.amount / fx;
      }
    }
    if (!declared || declared === "USD") return v;
    const r = parseUsd(v);
    if (!r.ok) return v; // left for the schema to report in its own words
    if (fx === undefined) {
      if (!missingRateReported)
        problems.push({
          path: ["currency"],
          message:
            `prices in ${declared} need fx_per_usd (${declared} per 1 USD, e.g. fx_per_usd: ` +
            `${declared === "BRL" ? 5.4 : 4100}); hwadvise does not fetch exchange rates`,
        });
      missingRateReported = true;
      return 1;
    }
    usedRate = true;
    return r.value / fx;
  };

  for (const k of ENTRY_MONEY) if (k in entry) entry[k] = convert(entry[k], [k]);
  if (Array.isArray(entry.regions)) {
    entry.regions = entry.regions.map((reg, i) => {
      if (!isMapping(reg)) return reg;
      const out: Record<string, unknown> = { ...reg };
      for (const k of REGION_MONEY) if (k in out) out[k] = convert(out[k], ["regions", i, k]);
      return out;
    });
  }
  if (fx !== undefined && !declared && !usedRate) {
    problems.push({
      path: ["fx_per_usd"],
      message: "fx_per_usd needs `currency:` (the ISO 4217 code of the quoted prices, such as COP or BRL)",
    });
  }
  return { value: entry, problems };
}
