import type { Command } from "commander";
import { adviseView } from "../../advise/recommend.js";
import { formatProblem, UsageError } from "../../errors.js";
import {
  reporterFor,
  type RecommendReportOptions,
  type RecommendView,
  type StreamedReporter,
} from "../../report/registry.js";
import { VERSION } from "../main.js";
import { collect, colorFrom, loadCatalog, paintFor, parsePositiveInt, parseStaleMonths, type Ctx } from "../context.js";
import { chooseFormat, formatHelp, runOf } from "../format.js";
import { expandPaths } from "../paths.js";
import { loadProfiles } from "../load-profiles.js";

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

interface Opts {
  format: string;
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
    .option("-f, --format <format>", formatHelp("recommend"), "table")
    .option("--top <n>", "show at most N feasible options (default 10)", parsePositiveInt("--top"))
    .option("--all", "show every option, infeasible ones included")
    .option("--explain", "show how each estimate was reached")
    .option("--chart", "draw the cost-latency trade-off (Pareto front, SLO) under each table")
    .option("--catalog <file>", "overlay a catalog file (repeatable; also HWADVISE_CATALOG)", collect)
    .option("--no-builtin", "use only the --catalog files")
    .option("--stale-months <n>", "flag catalog figures older than N months (default 12)")
    .action((paths: string[], opts: Opts) => {
      const format = chooseFormat("recommend", opts.format);
      if (opts.chart && format !== "table")
        throw new UsageError(
          `--chart draws under the table; drop it for --format ${format}${format === "html" ? " (the HTML report has the chart)" : ""}`,
        );
      const run = runOf(loadCatalog(opts, ctx.env), ctx, parseStaleMonths(opts.staleMonths));
      const { profiles, problems } = loadProfiles(expandPaths(paths), run.models);
      const reporter: StreamedReporter<RecommendView, RecommendReportOptions> = reporterFor("recommend", format);
      const render: RecommendReportOptions = {
        paint: paintFor(colorFrom(opts, ctx)),
        top: opts.top,
        all: opts.all,
        explain: opts.explain,
        width: ctx.columns,
        ...(opts.chart ? { chart: { unicode: unicodeFrom(ctx.env) } } : {}),
        html: { top: opts.top, today: run.today, version: VERSION, command: "recommend" },
      };
      // Each profile is written out as soon as it is ranked and only its text is kept: a run over
      // 1,000 profiles holds 1,000 texts, not 1,000 rankings of the whole catalog.
      const tco = reporter.needsTco === true;
      const views = (function* () {
        for (const p of profiles) yield adviseView(p, run, { tco });
      })();
      const text = reporter.render(views, render);
      if (text) ctx.out(text);
      for (const p of problems) ctx.err(formatProblem(p) + "\n");
      setExit(problems.length ? 2 : 0);
    });
}
