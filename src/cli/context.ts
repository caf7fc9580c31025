import { Chalk } from "chalk";
import type { Catalog } from "../catalog/schema.js";
import { InputError, UsageError, type Problem } from "../errors.js";
import type { ParsedCatalogFile } from "../catalog/parse.js";
import { parseCatalogFile } from "../catalog/parse.js";
import type { Paint } from "../report/paint.js";
import { NO_PAINT } from "../report/paint.js";
import { mergeOrThrow, readBuiltin, type Builtin } from "./builtin.js";
import { decideColor, readInput } from "./io.js";

/** What a command may touch: output streams, env, and loaders. Everything else it gets is plain data. */
export interface Ctx {
  readonly out: (s: string) => void;
  readonly err: (s: string) => void;
  readonly env: NodeJS.ProcessEnv;
  readonly isTTY: boolean;
  readonly columns: number;
  /** `--color` / `--no-color` as given on this run's command line (set by `run`). */
  readonly colorFlag?: boolean;
}

export interface CatalogFlags {
  catalog?: string[];
  builtin?: boolean;
}

let cachedBuiltin: Builtin | undefined;
export function builtin(): Builtin {
  cachedBuiltin ??= readBuiltin();
  return cachedBuiltin;
}

/** The catalog overlay files of a run, in the order they apply: HWADVISE_CATALOG, then each --catalog. */
export function overlayPaths(flags: CatalogFlags, env: NodeJS.ProcessEnv): string[] {
  return [
    ...(env.HWADVISE_CATALOG
      ? env.HWADVISE_CATALOG.split(process.platform === "win32" ? ";" : ":").filter(Boolean)
      : []),
    ...(flags.catalog ?? []),
  ];
}

/** Built-in catalog plus overlays (--catalog, repeatable, and HWADVISE_CATALOG, path-list separated). */
export function loadCatalog(
  flags: CatalogFlags,
  env: NodeJS.ProcessEnv,
  onOverlay?: (index: number, text: string) => void,
): Catalog {
  const overlays = overlayPaths(flags, env);
  if (flags.builtin === false && overlays.length === 0)
    throw new UsageError("--no-builtin needs at least one --catalog FILE");
  const files: ParsedCatalogFile[] = flags.builtin === false ? [] : [...builtin().files];
  const problems: Problem[] = [];
  for (const [i, path] of overlays.entries()) {
    const input = readInput(path);
    onOverlay?.(i, input.text);
    const r = parseCatalogFile(input);
    if (r.ok) files.push(r.value);
    else problems.push(...r.problems);
  }
  if (problems.length) throw new InputError(problems);
  return mergeOrThrow(files);
}

export function paintFor(color: boolean): Paint {
  if (!color) return NO_PAINT;
  const c = new Chalk({ level: 1 });
  return { ok: c.green, bad: c.red, warn: c.yellow, dim: c.dim, bold: c.bold };
}

/**
 * Colour for this run: --no-color/--color > NO_COLOR > FORCE_COLOR > TERM=dumb > TTY. commander cannot
 * tell an explicit `--color` from its default (both flags share one option), so `run` reads the flags
 * from the command line into ctx.colorFlag.
 */
export function colorFrom(_opts: { color?: boolean }, ctx: Ctx): boolean {
  return decideColor(ctx.colorFlag, ctx.env, ctx.isTTY);
}

export function todayIso(env: NodeJS.ProcessEnv): string {
  if (env.HWADVISE_TODAY && /^\d{4}-\d{2}-\d{2}$/.test(env.HWADVISE_TODAY)) return env.HWADVISE_TODAY;
  return new Date().toISOString().slice(0, 10);
}

export function parsePositiveInt(name: string) {
  return (v: string): number => {
    if (!/^\d+$/.test(v) || Number(v) < 1)
      throw new UsageError(`${name} expects a positive whole number, found ${JSON.stringify(v)}`);
    return Number(v);
  };
}

export function collect(v: string, prev: string[] = []): string[] {
  return [...prev, v];
}

/** --stale-months N: flag catalog figures older than N whole months (default 12). */
export function parseStaleMonths(v: string | undefined): number {
  if (v === undefined) return 12;
  if (!/^\d+$/.test(v.trim()))
    throw new UsageError(`--stale-months expects a whole number of months such as 12, found ${JSON.stringify(v)}`);
  return Number(v);
}
