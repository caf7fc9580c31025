import { fail, ok, nearest, type Problem, type Result } from "../errors.js";
import { keysOf, locate, parseYamlSource, validate, type YamlSource } from "../yaml-source.js";
import { CatalogFileSchema, LIMITS, type Catalog, type CatalogFile, type Chip, type Offering } from "./schema.js";

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

const knownKeys = keysOf(CatalogFileSchema);

/** Parse and validate one catalog file (built-in or overlay). */
export function parseCatalogFile(input: CatalogText): Result<ParsedCatalogFile> {
  const src = parseYamlSource(input.file, input.text);
  if (!src.ok) return src;
  const v = src.value.value;
  if (v === null || v === undefined) {
    return fail([{ file: input.file, message: "catalog file is empty; expected a mapping with `chips:` and/or `offerings:`" }]);
  }
  if (typeof v !== "object" || Array.isArray(v)) {
    return fail([{ file: input.file, line: 1, col: 1, message: `expected a mapping with \`chips:\` and/or \`offerings:\`, found ${Array.isArray(v) ? "a list" : "a scalar"}` }]);
  }
  const r = validate(src.value, CatalogFileSchema, knownKeys);
  if (!r.ok) return r;
  return ok({ file: input.file, data: r.value, src: src.value });
}

interface Located<T> {
  readonly entry: T;
  readonly file: ParsedCatalogFile;
  readonly index: number;
}

function where(f: ParsedCatalogFile, path: (string | number)[]): Pick<Problem, "file" | "line" | "col"> {
  const pos = f.src ? locate(f.src, path) : undefined;
  return { file: f.file, ...pos };
}

/**
 * Merge catalog files in order: later files override earlier entries with the same id (an overlay
 * replaces a built-in chip or offering) and may disable ids. Checks unique ids within a file and that
 * every offering's chip exists. Entries marked `disabled` are dropped.
 */
export function mergeCatalog(files: readonly ParsedCatalogFile[]): Result<Catalog> {
  const problems: Problem[] = [];
  const chips = new Map<string, Located<Chip>>();
  const offerings = new Map<string, Located<Offering>>();
  const disabled = new Set<string>();
  for (const f of files) {
    const seenChips = new Set<string>();
    const seenOfferings = new Set<string>();
    (f.data.chips ?? []).forEach((c, i) => {
      if (seenChips.has(c.id)) problems.push({ ...where(f, ["chips", i, "id"]), path: `chips[${i}].id`, message: `duplicate chip id \`${c.id}\`` });
      seenChips.add(c.id);
      chips.set(c.id, { entry: c, file: f, index: i });
    });
    (f.data.offerings ?? []).forEach((o, i) => {
      if (seenOfferings.has(o.id)) problems.push({ ...where(f, ["offerings", i, "id"]), path: `offerings[${i}].id`, message: `duplicate offering id \`${o.id}\`` });
      seenOfferings.add(o.id);
      offerings.set(o.id, { entry: o, file: f, index: i });
    });
    (f.data.disable ?? []).forEach((id, i) => {
      if (!chips.has(id) && !offerings.has(id)) {
        const near = nearest(id, [...chips.keys(), ...offerings.keys()]);
        problems.push({ ...where(f, ["disable", i]), path: `disable[${i}]`, message: `no chip or offering \`${id}\` to disable${near.length ? ` — did you mean \`${near[0]}\`?` : ""}` });
      }
      disabled.add(id);
    });
  }
  for (const [, c] of chips) {
    const e = c.entry;
    if (e.idle_w >= e.tdp_w) problems.push({ ...where(c.file, ["chips", c.index, "idle_w"]), path: `chips[${c.index}].idle_w`, message: `idle power ${e.idle_w} W must be below TDP ${e.tdp_w} W` });
    if (Object.keys(e.peak_tops).length === 0) problems.push({ ...where(c.file, ["chips", c.index, "peak_tops"]), path: `chips[${c.index}].peak_tops`, message: "needs at least one precision's peak" });
  }
  for (const [, o] of offerings) {
    const e = o.entry;
    const at = (field: string) => ({ ...where(o.file, ["offerings", o.index, field]), path: `offerings[${o.index}].${field}` });
    if (!chips.has(e.chip)) {
      const near = nearest(e.chip, chips.keys());
      problems.push({ ...at("chip"), message: `no chip \`${e.chip}\` in the catalog${near.length ? ` — did you mean \`${near[0]}\`?` : ""}` });
    }
    // Prices are for the whole unit: bound them per device, so an 8-GPU instance may cost 8× one GPU.
    (e.regions ?? []).forEach((r, j) => {
      for (const k of ["usd_per_hour", "usd_per_hour_1y", "usd_per_hour_3y"] as const) {
        const v = r[k];
        if (v !== undefined && v / e.count > LIMITS.usdPerHourPerDevice) {
          problems.push({ ...where(o.file, ["offerings", o.index, "regions", j, k]), path: `offerings[${o.index}].regions[${j}].${k}`, message: `$${v}/h for ${e.count} device(s) is over $${LIMITS.usdPerHourPerDevice}/h per device; check the unit (USD per hour for the whole offering)` });
        }
      }
    });
    if (e.capex_usd !== undefined && e.capex_usd / e.count > LIMITS.capexUsdPerDevice) problems.push({ ...at("capex_usd"), message: `$${e.capex_usd} for ${e.count} device(s) is over $${LIMITS.capexUsdPerDevice} per device; check the unit (USD for the whole unit)` });
    if (e.power_w !== undefined && e.power_w / e.count > LIMITS.tdpW) problems.push({ ...at("power_w"), message: `${e.power_w} W for ${e.count} device(s) is over ${LIMITS.tdpW} W per device; check the unit (watts for the whole unit)` });
    if (e.deployment === "cloud" && (!e.regions || e.regions.length === 0)) problems.push({ ...at("regions"), message: "a cloud offering needs at least one region with a price" });
    if (e.deployment !== "cloud" && e.capex_usd === undefined && e.lease_usd_per_month === undefined) problems.push({ ...at("capex_usd"), message: "bought hardware needs capex_usd (or lease_usd_per_month)" });
  }
  if (problems.length) return fail(problems);
  const liveChips = new Map<string, Chip>();
  for (const [id, c] of [...chips].sort((a, b) => (a[0] < b[0] ? -1 : 1))) if (!disabled.has(id) && !c.entry.disabled) liveChips.set(id, c.entry);
  const liveOfferings = [...offerings.values()]
    .map((o) => o.entry)
    .filter((o) => !disabled.has(o.id) && !o.disabled && liveChips.has(o.chip))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return ok({ chips: liveChips, offerings: liveOfferings });
}
