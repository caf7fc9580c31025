import type { z } from "zod";
import { once } from "../once.js";
import { fail, formatPath, ok, nearest, type Problem, type Result } from "../errors.js";
import {
  keysOf,
  locate,
  MAX_INPUT_BYTES,
  parseYamlSource,
  validate,
  validateAt,
  type KnownKeys,
  type YamlSource,
} from "../yaml-source.js";
import { convertEntryPrices } from "./currency.js";
import {
  CatalogFileSchema,
  ChipSchema,
  LIMITS,
  OfferingSchema,
  type Catalog,
  type CatalogFile,
  type Chip,
  type Offering,
} from "./schema.js";

export interface CatalogText {
  readonly file: string;
  readonly text: string;
}

/** A validated catalog file with positions kept, so later checks can point at entries. */
export interface ParsedCatalogFile {
  readonly file: string;
  readonly data: CatalogFile;
  readonly src?: YamlSource;
}

const knownKeys = once(() => keysOf(CatalogFileSchema()));

/** Parse and validate one catalog file (built-in or overlay). */
export function parseCatalogFile(input: CatalogText): Result<ParsedCatalogFile> {
  return parseCatalogJson(input) ?? parseCatalogYaml(input);
}

/**
 * Fast path for machine-written catalogs (JSON is YAML): parse with JSON.parse and validate without
 * building a YAML document with positions, which for 10,000 offerings costs seconds and hundreds of MB.
 * Anything that does not validate cleanly goes the YAML way, so every error is still located; positions
 * for later checks (e.g. a missing chip) are parsed only if such a problem needs them.
 */
function parseCatalogJson(input: CatalogText): Result<ParsedCatalogFile> | undefined {
  const head = input.text.trimStart();
  if (!head.startsWith("{") || input.text.length > MAX_INPUT_BYTES) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(input.text);
  } catch {
    return undefined;
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) return undefined;
  const v = value as Record<string, unknown>;
  for (const list of ["offerings", "overrides"] as const) {
    const items = v[list];
    if (!Array.isArray(items)) continue;
    // Priced in a local currency: the full path converts and locates.
    for (const item of items)
      if (item && typeof item === "object" && ("currency" in item || "fx_per_usd" in item)) return undefined;
  }
  const r = CatalogFileSchema().safeParse(v);
  if (!r.success) return undefined;
  let src: YamlSource | undefined;
  let parsed = false;
  const file: ParsedCatalogFile = {
    file: input.file,
    data: r.data,
    get src() {
      if (!parsed) {
        parsed = true;
        const y = parseYamlSource(input.file, input.text);
        src = y.ok ? y.value : undefined;
      }
      return src;
    },
  };
  return ok(file);
}

function parseCatalogYaml(input: CatalogText): Result<ParsedCatalogFile> {
  const src = parseYamlSource(input.file, input.text);
  if (!src.ok) return src;
  const v = src.value.value;
  if (v === null || v === undefined) {
    return fail([
      { file: input.file, message: "catalog file is empty; expected a mapping with `chips:` and/or `offerings:`" },
    ]);
  }
  if (typeof v !== "object" || Array.isArray(v)) {
    return fail([
      {
        file: input.file,
        line: 1,
        col: 1,
        message: `expected a mapping with \`chips:\` and/or \`offerings:\`, found ${Array.isArray(v) ? "a list" : "a scalar"}`,
      },
    ]);
  }
  // Local-currency prices become USD before validation (at the rate the file states).
  const converted: Record<string, unknown> = { ...(v as Record<string, unknown>) };
  const currencyProblems: Problem[] = [];
  for (const list of ["offerings", "overrides"] as const) {
    const items = converted[list];
    if (!Array.isArray(items)) continue;
    converted[list] = items.map((item, i) => {
      const c = convertEntryPrices(item);
      for (const p of c.problems) {
        const path = [list, i, ...p.path];
        currencyProblems.push({
          file: input.file,
          ...locate(src.value, path),
          path: formatPath(path),
          message: p.message,
        });
      }
      return c.value;
    });
  }
  const r = validate({ ...src.value, value: converted }, CatalogFileSchema(), knownKeys());
  if (!r.ok || currencyProblems.length) return fail([...currencyProblems, ...(r.ok ? [] : r.problems)]);
  return ok({ file: input.file, data: r.value, src: src.value });
}

interface Located<T> {
  readonly entry: T;
  readonly file: ParsedCatalogFile;
  /** Where the entry (or the override that last changed it) is in its file: ["chips", 3] or ["overrides", 0]. */
  readonly base: readonly (string | number)[];
}

function where(
  f: ParsedCatalogFile,
  path: readonly (string | number)[],
): Pick<Problem, "file" | "line" | "col" | "path"> {
  const pos = f.src ? locate(f.src, path) : undefined;
  return { file: f.file, ...pos, path: formatPath(path) };
}

/** Validate a value found at `base` in file f, with positions when the file's source is at hand. */
function check<S extends z.ZodType>(
  f: ParsedCatalogFile,
  base: readonly (string | number)[],
  value: unknown,
  schema: S,
  known: KnownKeys,
): Result<z.output<S>> {
  if (f.src) return validateAt(f.src, base, value, schema, known);
  const r = schema.safeParse(value);
  if (r.success) return ok(r.data);
  return fail(
    r.error.issues.map((i) => ({ ...where(f, [...base, ...(i.path as (string | number)[])]), message: i.message })),
  );
}

const PartialChip = once(() => ChipSchema().partial().required({ id: true }));
const PartialOffering = once(() => OfferingSchema().partial().required({ id: true }));
const chipKeys = once(() => keysOf(ChipSchema()));
const offeringKeys = once(() => keysOf(OfferingSchema()));

/**
 * Merge catalog files in order: later files override earlier entries with the same id (an overlay
 * replaces a built-in chip or offering), merge `overrides:` onto existing entries and may disable ids.
 * Checks unique ids within a file and that every offering's chip exists. Entries marked `disabled` are
 * dropped, except that `keepDisabledChips` keeps every chip: calibration and validation fit and check the
 * model on published results of chips nobody sells any more (no offering is kept for them).
 */
export function mergeCatalog(
  files: readonly ParsedCatalogFile[],
  opts: { readonly keepDisabledChips?: boolean } = {},
): Result<Catalog> {
  const problems: Problem[] = [];
  const chips = new Map<string, Located<Chip>>();
  const offerings = new Map<string, Located<Offering>>();
  const disabled = new Set<string>();
  for (const f of files) {
    const seenChips = new Set<string>();
    const seenOfferings = new Set<string>();
    (f.data.chips ?? []).forEach((c, i) => {
      if (seenChips.has(c.id))
        problems.push({ ...where(f, ["chips", i, "id"]), message: `duplicate chip id \`${c.id}\`` });
      seenChips.add(c.id);
      chips.set(c.id, { entry: c, file: f, base: ["chips", i] });
    });
    (f.data.offerings ?? []).forEach((o, i) => {
      if (seenOfferings.has(o.id))
        problems.push({ ...where(f, ["offerings", i, "id"]), message: `duplicate offering id \`${o.id}\`` });
      seenOfferings.add(o.id);
      offerings.set(o.id, { entry: o, file: f, base: ["offerings", i] });
    });
    (f.data.overrides ?? []).forEach((raw, i) => {
      const base = ["overrides", i];
      const chip = chips.get(raw.id);
      const off = offerings.get(raw.id);
      if (!chip && !off) {
        const near = nearest(raw.id, [...chips.keys(), ...offerings.keys()]);
        problems.push({
          ...where(f, [...base, "id"]),
          message: `no chip or offering \`${raw.id}\` to override${near.length ? ` — did you mean \`${near[0]}\`?` : ""}`,
        });
        return;
      }
      if (chip) {
        const part = check(f, base, raw, PartialChip(), chipKeys());
        if (!part.ok) return void problems.push(...part.problems);
        const merged = check(f, base, { ...chip.entry, ...part.value }, ChipSchema(), chipKeys());
        if (!merged.ok) return void problems.push(...merged.problems);
        chips.set(raw.id, { entry: merged.value, file: f, base });
      } else {
        const part = check(f, base, raw, PartialOffering(), offeringKeys());
        if (!part.ok) return void problems.push(...part.problems);
        const merged = check(f, base, { ...off!.entry, ...part.value }, OfferingSchema(), offeringKeys());
        if (!merged.ok) return void problems.push(...merged.problems);
        offerings.set(raw.id, { entry: merged.value, file: f, base });
      }
    });
    (f.data.disable ?? []).forEach((id, i) => {
      if (!chips.has(id) && !offerings.has(id)) {
        const near = nearest(id, [...chips.keys(), ...offerings.keys()]);
        problems.push({
          ...where(f, ["disable", i]),
          message: `no chip or offering \`${id}\` to disable${near.length ? ` — did you mean \`${near[0]}\`?` : ""}`,
        });
      }
      disabled.add(id);
    });
  }
  for (const [, c] of chips) {
    const e = c.entry;
    if (e.idle_w >= e.tdp_w)
      problems.push({
        ...where(c.file, [...c.base, "idle_w"]),
        message: `idle power ${e.idle_w} W must be below TDP ${e.tdp_w} W`,
      });
    if (Object.keys(e.peak_tops).length === 0)
      problems.push({ ...where(c.file, [...c.base, "peak_tops"]), message: "needs at least one precision's peak" });
  }
  for (const [, o] of offerings) {
    const e = o.entry;
    const at = (field: string) => where(o.file, [...o.base, field]);
    if (!chips.has(e.chip)) {
      const near = nearest(e.chip, chips.keys());
      problems.push({
        ...at("chip"),
        message: `no chip \`${e.chip}\` in the catalog${near.length ? ` — did you mean \`${near[0]}\`?` : ""}`,
      });
    }
    // Prices are for the whole unit: bound them per device, so an 8-GPU instance may cost 8× one GPU.
    (e.regions ?? []).forEach((r, j) => {
      for (const k of ["usd_per_hour", "usd_per_hour_1y", "usd_per_hour_3y"] as const) {
        const v = r[k];
        if (v !== undefined && v / e.count > LIMITS.usdPerHourPerDevice) {
          problems.push({
            ...where(o.file, [...o.base, "regions", j, k]),
            message:
              `$${v}/h for ${e.count} device(s) is over $${LIMITS.usdPerHourPerDevice}/h per device; check the ` +
              `unit (USD per hour for the whole offering)`,
          });
        }
      }
    });
    if (e.capex_usd !== undefined && e.capex_usd / e.count > LIMITS.capexUsdPerDevice)
      problems.push({
        ...at("capex_usd"),
        message: `$${e.capex_usd} for ${e.count} device(s) is over $${LIMITS.capexUsdPerDevice} per device; check the unit (USD for the whole unit)`,
      });
    if (e.power_w !== undefined && e.power_w / e.count > LIMITS.tdpW)
      problems.push({
        ...at("power_w"),
        message: `${e.power_w} W for ${e.count} device(s) is over ${LIMITS.tdpW} W per device; check the unit (watts for the whole unit)`,
      });
    if (e.deployment === "cloud" && (!e.regions || e.regions.length === 0))
      problems.push({ ...at("regions"), message: "a cloud offering needs at least one region with a price" });
    if (e.deployment !== "cloud" && e.capex_usd === undefined && e.lease_usd_per_month === undefined)
      problems.push({ ...at("capex_usd"), message: "bought hardware needs capex_usd (or lease_usd_per_month)" });
  }
  if (problems.length) return fail(problems);
  const liveChips = new Map<string, Chip>();
  const live = (id: string, c: Chip) => !disabled.has(id) && !c.disabled;
  for (const [id, c] of [...chips].sort((a, b) => (a[0] < b[0] ? -1 : 1)))
    if (opts.keepDisabledChips || live(id, c.entry)) liveChips.set(id, c.entry);
  const liveOfferings = [...offerings.values()]
    .map((o) => o.entry)
    .filter((o) => !disabled.has(o.id) && !o.disabled && liveChips.has(o.chip) && live(o.chip, liveChips.get(o.chip)!))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return ok({ chips: liveChips, offerings: liveOfferings });
}
