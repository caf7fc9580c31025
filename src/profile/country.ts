import { z } from "zod";
import { nearest } from "../errors.js";

/**
 * The 249 officially assigned ISO 3166-1 alpha-2 codes (source: ISO Online Browsing Platform,
 * https://www.iso.org/obp/ui/#search/code/ , as of 2026-12; checked against the CLDR region list that
 * Node's ICU carries: CLDR's extra codes are reserved or user-assigned, e.g. EU, UK, XK, AN).
 */
export const ISO_COUNTRIES: ReadonlySet<string> = new Set(
  (
    "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ " +
    "CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR " +
    "GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP " +
    "KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ " +
    "NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW " +
    "SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ " +
    "UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW"
  ).split(" "),
);

/** Codes people write that ISO 3166-1 reserves for something else or has withdrawn, and what they mean. */
const ALIASES: Readonly<Record<string, string>> = {
  UK: "GB", // exceptionally reserved; the United Kingdom is GB
  EL: "GR", // the EU's code for Greece
  TP: "TL", // East Timor, withdrawn 2002
  ZR: "CD", // Zaire, withdrawn 1997
  BU: "MM", // Burma, withdrawn 1989
  SU: "RU", // USSR, withdrawn 1992 (the successor states have codes of their own)
  YU: "RS", // Yugoslavia, withdrawn 2003
  CS: "RS", // Serbia and Montenegro, withdrawn 2006 (Montenegro is ME)
  AN: "CW", // Netherlands Antilles, withdrawn 2010 (also SX, BQ)
};

const fold = (s: string) =>
  s
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .trim();

/** English, Spanish and Portuguese names → code, for "did you mean" when a name was written instead of a code. */
function countryNames(): Map<string, string> {
  const out = new Map<string, string>();
  for (const locale of ["en", "es", "pt"]) {
    let names: Intl.DisplayNames;
    try {
      names = new Intl.DisplayNames([locale], { type: "region" });
    } catch {
      continue; // a Node built without ICU data: codes are still checked, names are not suggested
    }
    for (const code of ISO_COUNTRIES) {
      const name = names.of(code);
      if (name && name !== code) out.set(fold(name), code);
    }
  }
  return out;
}

/** The code `input` most likely meant, if one stands out: a lower-case code, a known alias, or a country's name. */
export function suggestCountry(input: string): string | undefined {
  const upper = input.trim().toUpperCase();
  if (ISO_COUNTRIES.has(upper)) return upper;
  if (ALIASES[upper]) return ALIASES[upper];
  if (input.trim().length <= 3) return undefined;
  const names = countryNames();
  const exact = names.get(fold(input));
  if (exact) return exact;
  const near = nearest(fold(input), names.keys(), 1);
  return near.length ? names.get(near[0]!) : undefined;
}

/** The one-line message for a value that is not an assigned ISO 3166-1 alpha-2 code. */
export function countryMessage(input: unknown): string {
  const shown = typeof input === "string" ? JSON.stringify(input) : String(input);
  const hint = typeof input === "string" ? suggestCountry(input) : undefined;
  return (
    `${shown} is not an ISO 3166-1 alpha-2 country ` +
    `code${hint ? ` — did you mean ${JSON.stringify(hint)}?` : " (two capital letters, such as CO, BR, MX, CL, PE or AR)"}`
  );
}

export const isCountryCode = (s: string): boolean => ISO_COUNTRIES.has(s);

/**
 * A country as ISO 3166-1 alpha-2 (`CO`, `BR`), checked against the assigned codes with a "did you
 * mean". The one schema every country field uses (profile residency, catalog regions and placement);
 * `wildcard` also accepts "*" (anywhere).
 */
export function countryCode(opts: { wildcard?: boolean } = {}) {
  return z
    .string()
    .regex(opts.wildcard ? /^([A-Z]{2}|\*)$/ : /^[A-Z]{2}$/, { error: (iss) => countryMessage(iss.input), abort: true })
    .refine((s) => (opts.wildcard && s === "*") || ISO_COUNTRIES.has(s), { error: (iss) => countryMessage(iss.input) });
}
