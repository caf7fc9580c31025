import type { Command } from "commander";
import { formatProblem, UsageError } from "../../errors.js";
import { assumedDefaults } from "../../estimate/assumed.js";
import { resolveModel, resolveWorkload } from "../../estimate/workload.js";
import type { Profile } from "../../profile/schema.js";
import { recommendPipeline } from "../../pipeline/index.js";
import { estimateAsRanked, offeringFacts, recommendWorkload } from "../../recommend.js";
import { renderHtmlPart, joinHtml } from "../../report/html.js";
import { estimateTco } from "../../tco/index.js";
import { pickTcoOptions } from "../../tco/select.js";
import type { Workload } from "../../estimate/workload.js";
import { VERSION } from "../main.js";
import { renderParetoChart } from "../../report/chart.js";
import { joinParts, renderPart } from "../../report/recommend.js";
import { builtin, collect, colorFrom, loadCatalog, paintFor, parsePositiveInt, parseStaleMonths, todayIso, type Ctx } from "../context.js";
import { expandPaths } from "../paths.js";
import { loadProfiles } from "../load-profiles.js";

export const RECOMMEND_FORMATS = ["table", "json", "markdown", "github", "html"] as const;

/**
 * Whether the terminal shows box-drawing characters and bullets: not on TERM=dumb or the Linux console
 * font, nor under a locale that names a non-UTF-8 charset (LANG=C, POSIX, ISO-8859-1); an unset locale
 * keeps the default, as the table's borders do.
 */
export function unicodeFrom(env: NodeJS.ProcessEnv): boolean {
  if (env.TERM === "dumb" || env.TERM === "linux") return false;
  const locale = env.LC_ALL || env.LC_CTYPE || env.LANG;
  if (!locale) return true;
  return /utf-?8/i.test(locale);
}

/** The profile's limit on the chart's y figure: the p99 SLO (ms), or the deadline (h) for training. */
function sloOf(profile: Profile): number | undefined {
  const training = profile.workload.kind === "training" || profile.workload.kind === "fine-tuning";
  return training ? profile.slo?.deadline : profile.slo?.latency_p99;
}

interface Opts {
  format: (typeof RECOMMEND_FORMATS)[number];
  top?: number;
  all?: boolean;
  explain?: boolean;
  chart?: boolean;
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
    .option("--chart", "draw the cost-latency trade-off (Pareto front, SLO) under each table")
    .option("--catalog <file>", "overlay a catalog file (repeatable; also HWADVISE_CATALOG)", collect)
    .option("--no-builtin", "use only the --catalog files")
    .option("--stale-months <n>", "flag catalog figures older than N months (default 12)")
    .action((paths: string[], opts: Opts) => {
      if (!RECOMMEND_FORMATS.includes(opts.format)) throw new UsageError(`--format must be one of ${RECOMMEND_FORMATS.join(", ")}, found ${JSON.stringify(opts.format)}`);
      if (opts.chart && opts.format !== "table") throw new UsageError(`--chart draws under the table; drop it for --format ${opts.format}${opts.format === "html" ? " (the HTML report has the chart)" : ""}`);
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
      const workloadOf = (profile: Profile) => resolveWorkload(profile, resolveModel(profile.workload.model, b.models), b.landed);
      const recommendOne = (file: string, profile: Profile, w: Workload = workloadOf(profile)) =>
        recommendWorkload(file, w, catalog, b.calibration, { today, staleMonths, assumed: assumedDefaults(profile, w), apiPrices: b.apiPrices });
      const tcoOf = (ids: readonly string[], w: Workload) =>
        estimateTco(
          ids.map((id) => {
            const o = catalog.offerings.find((x) => x.id === id)!;
            return estimateAsRanked(o, catalog.chips.get(o.chip)!, w, b.calibration, offeringFacts(catalog, o));
          }),
          w,
          w.costs,
        );
      if (opts.format === "html") {
        // The report adds what `tco` shows for the top options (renting against owning) under each ranking.
        const htmlOpts = { top: opts.top, today, version: VERSION, command: "recommend" as const };
        const sections = profiles.map((p, i) => {
          if (p.profile.stages) return renderHtmlPart({ result: recommendPipeline(p.file, p.profile, b.models, catalog, b.calibration, { today }, b.landed) }, i, htmlOpts);
          const w = workloadOf(p.profile);
          const result = recommendOne(p.file, p.profile, w);
          const tco = result.recommendations.some((x) => x.feasible) ? tcoOf(pickTcoOptions(result, 3), w) : undefined;
          return renderHtmlPart({ result, slo: sloOf(p.profile), ...(tco ? { tco: { file: p.file, name: p.profile.name, currency: "USD", fxPerUsd: 1, assumptions: w.costs, result: tco } } : {}) }, i, htmlOpts);
        });
        if (sections.length) ctx.out(joinHtml(sections, htmlOpts));
        for (const p of problems) ctx.err(formatProblem(p) + "\n");
        setExit(problems.length ? 2 : 0);
        return;
      }
      const format = opts.format;
      const parts = profiles.map((p) => {
        const result = p.profile.stages
          ? recommendPipeline(p.file, p.profile, b.models, catalog, b.calibration, { today }, b.landed)
          : recommendOne(p.file, p.profile);
        const text = renderPart(format, result, render);
        return opts.chart ? `${text}\n\n${renderParetoChart(result, { paint: render.paint, width: ctx.columns, unicode: unicodeFrom(ctx.env), slo: sloOf(p.profile) })}` : text;
      });
      if (parts.length) ctx.out(joinParts(format, parts));
      for (const p of problems) ctx.err(formatProblem(p) + "\n");
      setExit(problems.length ? 2 : 0);
    });
}
