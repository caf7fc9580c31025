import { z } from "zod";
import { fail, ok, type Result } from "../errors.js";
import { lazily } from "../once.js";
import { parseYamlSource, validate } from "../yaml-source.js";

/**
 * What bought hardware costs once it stands in the site's country: the catalog's price is a US list or
 * street price; importing it adds freight and insurance, import duty, the country's taxes (each computed
 * on its own legal base, which in Brazil compounds) and the importer's or distributor's costs.
 *
 * Pure: the per-country table is data (catalog/landed-cost.yaml), read by the CLI and passed in.
 */

/**
 * The base a levy is computed on:
 * - `price`: the catalog price
 * - `cif`: price + freight and insurance (the customs value in most of Latin America)
 * - `cif_duty`: CIF + import duty
 * - `cumulative`: everything before this line (price, freight, duty and the levies listed above it)
 * - `inside`: the cumulative base grossed up so the levy is part of its own base ("por dentro", Brazil's
 *   ICMS): levy = cumulative × rate / (1 − rate)
 */
export const LEVY_BASES = ["price", "cif", "cif_duty", "cumulative", "inside"] as const;
export type LevyBase = (typeof LEVY_BASES)[number];

function define() {
  const rate = z.number().min(0).max(1.5);
  const url = z.string().regex(/^https?:\/\/\S+$/, "expected a URL starting with http:// or https://");
  const isoDate = z.string().regex(/^\d{4}-\d{2}(-\d{2})?$/, "expected a date such as 2026-12-05 or 2026-12");
  const LevySchema = z.strictObject({
    /** Name as the country's customs declaration shows it (II, IPI, IVA, ICMS, DTA …). */
    name: z.string().min(1),
    /** Share of its base, 0–1 (0.19 = 19 %). */
    /** `duty` (import tariff: the base of `cif_duty`), `tax` (VAT/IVA, IPI, ICMS …) or `fee` (customs processing, statistics). */
    kind: z.enum(["duty", "tax", "fee"]),
    rate,
    base: z.enum(LEVY_BASES),
    /** A business registered for the tax recovers it as a credit (VAT/IVA, Brazil's IPI/PIS/COFINS/ICMS under the non-cumulative regime). */
    creditable: z.boolean().optional(),
    source: url.optional(),
    note: z.string().optional(),
  });
  const CountrySchema = z.strictObject({
    /** ISO 3166-1 alpha-2. */
    country: z.string().regex(/^[A-Z]{2}$/, "expected an ISO 3166-1 alpha-2 country code such as BR"),
    name: z.string().min(1),
    /** Freight and insurance to the country, share of the price (adds to the customs value). */
    freight_insurance: rate,
    levies: z.array(LevySchema),
    source: url,
    sources: z.array(url).optional(),
    as_of: isoDate,
    /** Fields or levy names that are estimates, not read from a source. */
    estimated: z.array(z.string().min(1)).optional(),
    note: z.string().optional(),
  });
  const LandedTableSchema = z.strictObject({ countries: z.array(CountrySchema).min(1) });
  return { LevySchema, CountrySchema, LandedTableSchema };
}
type Schemas = ReturnType<typeof define>;
const schema = lazily(define);
export const LandedTableSchema = schema("LandedTableSchema");

export type Levy = z.output<Schemas["LevySchema"]>;
export type LandingRates = z.output<Schemas["CountrySchema"]>;
export type LandedTable = z.output<Schemas["LandedTableSchema"]>;

/** One line of a landed price: what it is, its base and rate, and what it adds. */
export interface LandedLine {
  readonly label: string;
  readonly rate: number;
  readonly baseUsd: number;
  readonly usd: number;
  readonly creditable: boolean;
}

export interface Landed {
  readonly country: string;
  readonly priceUsd: number;
  readonly lines: readonly LandedLine[];
  /** Price plus every line, creditable taxes included. */
  readonly landedUsd: number;
  /** The creditable part of the lines (a business that recovers VAT gets this back). */
  readonly creditableUsd: number;
}

/** Validate the per-country table (YAML text). */
export function parseLandedTable(file: string, text: string): Result<LandedTable> {
  const src = parseYamlSource(file, text);
  if (!src.ok) return src;
  const r = validate(src.value, LandedTableSchema());
  if (!r.ok) return r;
  const seen = new Set<string>();
  for (const [i, c] of r.value.countries.entries()) {
    if (seen.has(c.country))
      return fail([
        { file, path: `countries[${i}].country`, message: `${c.country} is listed twice; one entry per country` },
      ]);
    seen.add(c.country);
  }
  return ok(r.value);
}

/** The table's row for a country, if it has one. */
export function landingFor(table: LandedTable | undefined, country: string | undefined): LandingRates | undefined {
  if (!table || !country) return undefined;
  return table.countries.find((c) => c.country === country);
}

/**
 * Land `capexUsd` of bought hardware in `country`: freight and insurance, then each levy on its base, in
 * the table's order. A country the table does not list lands at its price (no lines). Pure.
 */
export function landedCost(capexUsd: number, country: string, table: LandedTable | LandingRates | undefined): Landed {
  const rates = table && "countries" in table ? landingFor(table, country) : (table as LandingRates | undefined);
  if (!rates || capexUsd <= 0) return { country, priceUsd: capexUsd, lines: [], landedUsd: capexUsd, creditableUsd: 0 };
  const lines: LandedLine[] = [];
  const freight = capexUsd * rates.freight_insurance;
  if (freight > 0)
    lines.push({
      label: "freight and insurance",
      rate: rates.freight_insurance,
      baseUsd: capexUsd,
      usd: freight,
      creditable: false,
    });
  const cif = capexUsd + freight;
  let duty = 0;
  let cumulative = cif;
  for (const l of rates.levies) {
    const base =
      l.base === "price"
        ? capexUsd
        : l.base === "cif"
          ? cif
          : l.base === "cif_duty"
            ? cif + duty
            : l.base === "inside"
              ? cumulative / (1 - l.rate)
              : cumulative;
    const usd = base * l.rate;
    if (l.kind === "duty") duty += usd;
    cumulative += usd;
    lines.push({ label: l.name, rate: l.rate, baseUsd: base, usd, creditable: l.creditable ?? false });
  }
  const creditableUsd = lines.filter((l) => l.creditable).reduce((s, l) => s + l.usd, 0);
  return { country, priceUsd: capexUsd, lines, landedUsd: cumulative, creditableUsd };
}

/** "II 16% of $10,500 = $1,680; …" for explanations. */
export function describeLanded(l: Landed, fmt: (usd: number) => string): string {
  if (!l.lines.length) return `${fmt(l.priceUsd)} (no import costs listed for ${l.country})`;
  const parts = l.lines.map(
    (x) =>
      `${x.label} ${+(x.rate * 100).toFixed(2)}% of ${fmt(x.baseUsd)} = ${fmt(x.usd)}${x.creditable ? " (creditable)" : ""}`,
  );
  return `${fmt(l.priceUsd)} + ${parts.join(" + ")} = ${fmt(l.landedUsd)} landed in ${l.country}`;
}
