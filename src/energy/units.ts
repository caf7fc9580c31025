/**
 * Quantities of the energy sections of a profile, as people write them: `150Wh`, `1.2kWh`, `120g/kWh`,
 * `30h/month`, `"22:00"`, `"22:00-06:00"`. Each parser returns the canonical unit its name says, or the
 * words of what was expected. Pure: no IO.
 */
import { z } from "zod";
import { parseDurationH } from "../profile/units.js";

export type Parsed = { ok: true; value: number } | { ok: false; expected: string };

const NUM = String.raw`([+-]?(?:\d[\d_,]*(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)`;
const split = (s: string): { num: number; unit: string } | undefined => {
  const m = new RegExp(String.raw`^\s*${NUM}\s*(.*?)\s*$`).exec(s);
  if (!m) return undefined;
  const num = Number(m[1]!.replace(/[_,]/g, ""));
  return Number.isFinite(num) ? { num, unit: m[2]! } : undefined;
};

function fromTable(input: unknown, table: Record<string, number>, expected: string): Parsed {
  if (typeof input === "number") return Number.isFinite(input) ? { ok: true, value: input } : { ok: false, expected };
  if (typeof input !== "string") return { ok: false, expected };
  const s = split(input);
  if (!s) return { ok: false, expected };
  const f = s.unit === "" ? 1 : (table[s.unit] ?? table[s.unit.toLowerCase()]);
  return f === undefined ? { ok: false, expected } : { ok: true, value: s.num * f };
}

const WH: Record<string, number> = { wh: 1, Wh: 1, kwh: 1e3, kWh: 1e3, KWh: 1e3, mwh: 1e6, MWh: 1e6 };
/** `150Wh`, `1.2kWh` → watt-hours. A plain number is Wh. */
export const parseEnergyWh = (input: unknown): Parsed => fromTable(input, WH, "an energy such as 150Wh or 1.2kWh");

const G_PER_KWH: Record<string, number> = {
  "g/kwh": 1,
  "gco2/kwh": 1,
  "gco2e/kwh": 1,
  "kg/kwh": 1e3,
  "kg/mwh": 1,
  "t/mwh": 1e3,
  "g/wh": 1e3,
};
/** `120g/kWh`, `0.12kg/kWh`, `120kg/MWh` → grams CO₂e per kWh. A plain number is g/kWh. */
export const parseCarbonGPerKwh = (input: unknown): Parsed =>
  fromTable(input, G_PER_KWH, "a grid intensity such as 120g/kWh or 0.12kg/kWh");

const PERIOD_H: Record<string, number> = {
  day: 24,
  d: 24,
  week: 168,
  wk: 168,
  w: 168,
  month: 730.5,
  mo: 730.5,
  year: 8766,
  yr: 8766,
  y: 8766,
};
/** `30h/month`, `2h/day`, `90min/week` → hours per month (730.5 h). A plain number is hours per month. */
export function parseHoursPerMonth(input: unknown): Parsed {
  const expected = "outage hours such as 30h/month or 2h/day";
  if (typeof input === "number") return Number.isFinite(input) ? { ok: true, value: input } : { ok: false, expected };
  if (typeof input !== "string") return { ok: false, expected };
  const m = /^(.*?)\s*\/\s*([a-z]+)\s*$/i.exec(input);
  const h = parseDurationH(m ? m[1]!.trim() : input);
  if (!h.ok) return { ok: false, expected };
  const per = m ? PERIOD_H[m[2]!.toLowerCase()] : 730.5;
  return per === undefined ? { ok: false, expected } : { ok: true, value: (h.value * 730.5) / per };
}

/** `"18:00"` → hours since midnight (18). `"24:00"` is the end of the day. */
export function parseClock(input: unknown): Parsed {
  const expected = 'a local time such as "18:00"';
  if (typeof input !== "string") return { ok: false, expected };
  const m = /^\s*(\d{1,2}):(\d{2})\s*$/.exec(input);
  if (!m) return { ok: false, expected };
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (min > 59 || h > 24 || (h === 24 && min > 0)) return { ok: false, expected };
  return { ok: true, value: h + min / 60 };
}

/** A daily window in local hours: from ≤ to, or wrapping midnight when to < from. */
export interface Window {
  readonly fromH: number;
  readonly toH: number;
}

/** `"22:00-06:00"` → { fromH: 22, toH: 6 }. */
export function parseWindow(input: unknown): { ok: true; value: Window } | { ok: false; expected: string } {
  const expected = 'a daily window such as "22:00-06:00"';
  if (typeof input !== "string") return { ok: false, expected };
  const parts = input.split(/\s*(?:-|–|to)\s*/);
  if (parts.length !== 2) return { ok: false, expected };
  const a = parseClock(parts[0]);
  const b = parseClock(parts[1]);
  if (!a.ok || !b.ok || a.value === b.value) return { ok: false, expected };
  return { ok: true, value: { fromH: a.value, toH: b.value } };
}

type Parser = (input: unknown) => Parsed;
const show = (v: unknown) =>
  typeof v === "string" ? JSON.stringify(v) : v === null ? "null" : typeof v === "object" ? "a mapping" : String(v);

/** A zod field read by one of the parsers above, with the same "expected …, found …" messages as `qty`. */
export function energyQty(parse: Parser, opts: { min?: number; max?: number; description: string }) {
  return z
    .union([z.number(), z.string()])
    .transform((input, ctx) => {
      const r = parse(input);
      if (!r.ok) {
        ctx.addIssue({ code: "custom", message: `expected ${r.expected}, found ${show(input)}` });
        return z.NEVER;
      }
      if (r.value < (opts.min ?? 0) || (opts.max !== undefined && r.value > opts.max)) {
        ctx.addIssue({
          code: "custom",
          message: `expected a value between ${opts.min ?? 0} and ${opts.max ?? "∞"}, found ${show(input)}`,
        });
        return z.NEVER;
      }
      return r.value;
    })
    .describe(opts.description);
}

/** A zod field for a local time or a daily window. */
export const clockField = (description: string) =>
  z
    .string()
    .transform((input, ctx) => {
      const r = parseClock(input);
      if (!r.ok) {
        ctx.addIssue({ code: "custom", message: `expected ${r.expected}, found ${show(input)}` });
        return z.NEVER;
      }
      return r.value;
    })
    .describe(description);

export const windowField = (description: string) =>
  z
    .string()
    .transform((input, ctx) => {
      const r = parseWindow(input);
      if (!r.ok) {
        ctx.addIssue({ code: "custom", message: `expected ${r.expected}, found ${show(input)}` });
        return z.NEVER;
      }
      return r.value;
    })
    .describe(description);
