import type { Command } from "commander";
import { formatProblem, UsageError } from "../../errors.js";
import { assumedDefaults } from "../../estimate/assumed.js";
import { resolveModel, resolveWorkload } from "../../estimate/workload.js";
import type { Profile } from "../../profile/schema.js";
import { recommendPipeline } from "../../pipeline/index.js";
import { recommendWorkload } from "../../recommend.js";
import { joinParts, renderPart } from "../../report/recommend.js";
import { builtin, collect, colorFrom, loadCatalog, paintFor, parsePositiveInt, parseStaleMonths, todayIso, type Ctx } from "../context.js";
import { expandPaths } from "../paths.js";
import { loadProfiles } from "../load-profiles.js";

export const RECOMMEND_FORMATS = ["table", "json", "markdown", "github"] as const;

interface Opts {
  format: (typeof RECOMMEND_FORMATS)[number];
  top?: number;
  all?: boolean;
  explain?: boolean;
  catalog?: string[];
  builtin?: boolean;
  color?: boolean;
  staleMonths?: string;
}

export function registerRecommend(program: Command, ctx: Ctx, setExit: (code: number) => void): void {
  program
    .command("recommend")
    .description("rank the catalog's hardware for one or more workload profiles ('-' reads stdin)")
    .argument("<profiles...>", "profile files, directories or quoted globs")
    .option("-f, --format <format>", `output format: ${RECOMMEND_FORMATS.join(", ")}`, "table")
    .option("--top <n>", "show at most N feasible options (default 10)", parsePositiveInt("--top"))
    .option("--all", "show every option, infeasible ones included")
    .option("--explain", "show how each estimate was reached")
    .option("--catalog <file>", "overlay a catalog file (repeatable; also HWADVISE_CATALOG)", collect)
    .option("--no-builtin", "use only the --catalog files")
    .option("--stale-months <n>", "flag catalog figures older than N months (default 12)")
    .action((paths: string[], opts: Opts) => {
      if (!RECOMMEND_FORMATS.includes(opts.format)) throw new UsageError(`--format must be one of ${RECOMMEND_FORMATS.join(", ")}, found ${JSON.stringify(opts.format)}`);
      const staleMonths = parseStaleMonths(opts.staleMonths);
      const catalog = loadCatalog(opts, ctx.env);
      const b = builtin();
      const files = expandPaths(paths);
      const { profiles, problems } = loadProfiles(files, b.models);
      const today = todayIso(ctx.env);
      const color = colorFrom(opts, ctx);
      const render = { paint: paintFor(color), top: opts.top, all: opts.all, explain: opts.explain, width: ctx.columns };
      // Each profile is written out as soon as it is ranked and only its text is kept: a run over
      // 1,000 profiles holds 1,000 texts, not 1,000 rankings of the whole catalog.
      const recommendOne = (file: string, profile: Profile) => {
        const w = resolveWorkload(profile, resolveModel(profile.workload.model, b.models), b.landed);
        return recommendWorkload(file, w, catalog, b.calibration, { today, staleMonths, assumed: assumedDefaults(profile, w), apiPrices: b.apiPrices });
      };
      const parts = profiles.map((p) => {
        const result = p.profile.stages
          ? recommendPipeline(p.file, p.profile, b.models, catalog, b.calibration, { today }, b.landed)
          : recommendOne(p.file, p.profile);
        return renderPart(opts.format, result, render);
      });
      if (parts.length) ctx.out(joinParts(opts.format, parts));
      for (const p of problems) ctx.err(formatProblem(p) + "\n");
      setExit(problems.length ? 2 : 0);
    });
}
