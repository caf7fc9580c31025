import { existsSync, readdirSync, readFileSync } from "node:fs";
import { packageRoot } from "./root.js";
import { join } from "node:path";
import { mergeCatalog, parseCatalogFile, type ParsedCatalogFile } from "../catalog/parse.js";
import type { Catalog, CatalogFile } from "../catalog/schema.js";
import { InputError, type Problem } from "../errors.js";
import type { Calibration } from "../estimate/perf.js";
import type { ModelPreset } from "../models/schema.js";
import { parseModels } from "../models/parse.js";
import { parseLandedTable, type LandedTable } from "../catalog/landed.js";

/** The per-country import-cost table: data in catalog/, not a chips/offerings file. */
const LANDED_FILE = "landed-cost.yaml";
import { parseApiPrices } from "../apiprices/parse.js";
import type { ApiPrice } from "../apiprices/schema.js";

/** The built-in data, validated: catalog files, model presets, calibration. */
export interface Builtin {
  readonly files: readonly ParsedCatalogFile[];
  readonly models: ReadonlyMap<string, ModelPreset>;
  readonly calibration: Calibration;
  /** Per-country landed-cost rates (catalog/landed-cost.yaml). */
  readonly landed?: LandedTable;
  /** Hosted endpoints' per-token prices (catalog/api-prices.yaml), for the self-hosted comparison. */
  readonly apiPrices: readonly ApiPrice[];
}

/** The built-in file of hosted endpoints' per-token prices: read apart from the chip and offering files. */
const API_PRICES_FILE = "api-prices.yaml";

/** What the build writes to dist/builtin.json: the validated output of every built-in file. */
export interface BuiltinJson {
  readonly files: { file: string; data: CatalogFile }[];
  readonly models: ModelPreset[];
  readonly calibration: Calibration;
  readonly landed?: LandedTable;
  readonly apiPrices?: readonly ApiPrice[];
}

export function catalogFileNames(root: string): string[] {
  return readdirSync(join(root, "catalog"))
    .filter((f) => /\.ya?ml$/.test(f) && f !== "models.yaml" && f !== LANDED_FILE && f !== API_PRICES_FILE)
    .sort();
}

/** Parse and validate the built-in YAML (used by the build and when no prebuilt JSON exists). */
export function readBuiltinFromYaml(root = packageRoot()): Builtin {
  const problems: Problem[] = [];
  const files: ParsedCatalogFile[] = [];
  for (const f of catalogFileNames(root)) {
    const r = parseCatalogFile({ file: join("catalog", f), text: readFileSync(join(root, "catalog", f), "utf8") });
    if (r.ok) files.push(r.value);
    else problems.push(...r.problems);
  }
  const models = parseModels("catalog/models.yaml", readFileSync(join(root, "catalog", "models.yaml"), "utf8"));
  if (!models.ok) problems.push(...models.problems);
  const landedPath = join(root, "catalog", LANDED_FILE);
  const landed = existsSync(landedPath)
    ? parseLandedTable(join("catalog", LANDED_FILE), readFileSync(landedPath, "utf8"))
    : undefined;
  if (landed && !landed.ok) problems.push(...landed.problems);
  const pricesPath = join(root, "catalog", API_PRICES_FILE);
  const apiPrices =
    existsSync(pricesPath) && models.ok
      ? parseApiPrices(join("catalog", API_PRICES_FILE), readFileSync(pricesPath, "utf8"), new Set(models.value.keys()))
      : undefined;
  if (apiPrices && !apiPrices.ok) problems.push(...apiPrices.problems);
  if (problems.length || !models.ok) throw new InputError(problems);
  const calibration = JSON.parse(readFileSync(join(root, "catalog", "calibration.json"), "utf8")) as Calibration;
  return {
    files,
    models: models.value,
    calibration,
    landed: landed?.ok ? landed.value : undefined,
    apiPrices: apiPrices?.ok ? apiPrices.value : [],
  };
}

/** The built-in data: from the prebuilt dist/builtin.json (validated at build time) when present. */
export function readBuiltin(): Builtin {
  const root = packageRoot();
  const prebuilt = join(root, "dist", "builtin.json");
  if (existsSync(prebuilt) && !process.env.HWADVISE_NO_PREBUILT) {
    const j = JSON.parse(readFileSync(prebuilt, "utf8")) as BuiltinJson;
    return {
      files: j.files,
      models: new Map(j.models.map((m) => [m.id, m])),
      calibration: j.calibration,
      landed: j.landed,
      apiPrices: j.apiPrices ?? [],
    };
  }
  return readBuiltinFromYaml(root);
}

export function builtinToJson(b: Builtin): BuiltinJson {
  return {
    files: b.files.map((f) => ({ file: f.file, data: f.data })),
    models: [...b.models.values()],
    calibration: b.calibration,
    landed: b.landed,
    apiPrices: b.apiPrices,
  };
}

export function mergeOrThrow(
  files: readonly ParsedCatalogFile[],
  opts: { readonly keepDisabledChips?: boolean } = {},
): Catalog {
  const m = mergeCatalog(files, opts);
  if (!m.ok) throw new InputError(m.problems);
  return m.value;
}
