import type { Command } from "commander";
import { chartLimitOf } from "../../advise/recommend.js";
import { adviseTco } from "../../advise/tco.js";
import type { Offering } from "../../catalog/schema.js";
import { InputError, nearest, UsageError } from "../../errors.js";
import { parseYears } from "../../profile/units.js";
import { reporterFor } from "../../report/registry.js";
import { VERSION } from "../main.js";
import { collect, loadCatalog, parsePositiveInt, type Ctx } from "../context.js";
import { chooseFormat, formatHelp, runOf } from "../format.js";
import { loadProfiles } from "../load-profiles.js";
import { expandPaths } from "../paths.js";

interface Opts {
  option?: string[];
  horizon?: string;
  currency?: string;
  fx?: string;
  format: string;
  top?: number;
  every?: number;
  catalog?: string[];
  builtin?: boolean;
}

export function registerTco(program: Command, ctx: Ctx, setExit: (code: number) => void): void {
  program
    .command("tco")
    .description(
      "cost of ownership over a horizon (or a one-off run): rent (on demand, committed), buy or lease the top options",
    )
    .argument("<profiles...>", "profile files, directories or quoted globs ('-' for stdin); --format json takes one")
    .option(
      "--option <offering-id>",
      "compare this offering (repeatable; default: the recommendation's top options)",
      collect,
    )
    .option("--horizon <period>", "horizon such as 3y or 36mo (default: the profile's horizon, else 3y)")
    .option("--currency <code>", "report in this currency (ISO 4217, e.g. COP); needs a rate from costs.fx or --fx")
    .option("--fx <rate>", "units of --currency per US dollar (never fetched from the network)")
    .option("-f, --format <format>", formatHelp("tco"), "table")
    .option("--top <n>", "options to compare by default (default 3)", parsePositiveInt("--top"))
    .option("--every <n>", "months between rows of the cumulative table", parsePositiveInt("--every"))
    .option("--catalog <file>", "overlay a catalog file (repeatable; also HWADVISE_CATALOG)", collect)
    .option("--no-builtin", "use only the --catalog files")
    .action((paths: string[], opts: Opts) => {
      const format = chooseFormat("tco", opts.format);
      const currency = (opts.currency ?? "USD").toUpperCase();
      if (!/^[A-Z]{3}$/.test(currency))
        throw new UsageError(
          `--currency expects an ISO 4217 code such as COP, BRL or MXN, found ${JSON.stringify(opts.currency)}`,
        );
      let fxFlag: number | undefined;
      if (opts.fx !== undefined) {
        fxFlag = Number(opts.fx);
        if (!/^\d*\.?\d+(e[+-]?\d+)?$/i.test(opts.fx.trim()) || !(fxFlag > 0) || !Number.isFinite(fxFlag))
          throw new UsageError(
            `--fx expects a positive number of ${currency} per USD, found ${JSON.stringify(opts.fx)}`,
          );
        if (currency === "USD")
          throw new UsageError("--fx needs --currency: it is the rate of that currency per US dollar");
      }
      let horizonFlag: number | undefined;
      if (opts.horizon !== undefined) {
        const h = parseYears(opts.horizon);
        if (!h.ok || !(h.value > 0) || h.value > 30)
          throw new UsageError(
            `--horizon expects a period such as 3y, 36mo or 5 years (at most 30y), found ${JSON.stringify(opts.horizon)}`,
          );
        horizonFlag = h.value;
      }
      const run = runOf(loadCatalog(opts, ctx.env), ctx);
      const { profiles, problems } = loadProfiles(expandPaths(paths), run.models);
      if (problems.length) throw new InputError(problems);
      if (profiles.length === 0) throw new UsageError(`no profile in ${paths.join(" ")}`);
      if (format === "json" && profiles.length > 1)
        throw new UsageError(
          `tco --format json writes one profile's document; run it once per profile (or use --format table or html for ${profiles.length} profiles)`,
        );
      let offerings: Offering[] | undefined;
      if (opts.option?.length) {
        const byId = new Map(run.catalog.offerings.map((o) => [o.id, o]));
        offerings = [...new Set(opts.option)].map((id) => {
          const o = byId.get(id);
          if (o) return o;
          const near = nearest(id, byId.keys(), 3);
          throw new UsageError(
            `--option: no offering ` +
              `\`${id}\`${near.length ? ` — did you mean ${near.map((n) => `\`${n}\``).join(", ")}?` : ""} ` +
              `(\`hwadvise catalog\` lists them)`,
          );
        });
      }
      const views = profiles.map((p) => {
        if (p.profile.stages)
          throw new UsageError(
            `${p.file} is a pipeline profile; tco compares one workload — run it on a single-stage profile (or a stage copied into one)`,
          );
        const fxPerUsd = currency === "USD" ? 1 : (fxFlag ?? p.profile.costs?.fx?.[currency]);
        if (fxPerUsd === undefined) {
          throw new UsageError(
            `no exchange rate for ${currency}: give --fx <${currency} per USD> or costs.fx.${currency} in ${p.file} (hwadvise never fetches rates)`,
          );
        }
        const { ranking, ...tco } = adviseTco(
          p,
          { ...(offerings ? { offerings } : {}), top: opts.top ?? 3, horizonYears: horizonFlag, currency, fxPerUsd },
          run,
        );
        return { tco, ...(ranking ? { ranking, slo: chartLimitOf(p.profile) } : {}) };
      });
      const render = reporterFor("tco", format);
      ctx.out(
        render(views, {
          width: ctx.columns,
          every: opts.every,
          html: { version: VERSION, command: "tco", today: run.today },
        }),
      );
      setExit(0);
    });
}
