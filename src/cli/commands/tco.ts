import type { Command } from "commander";
import { InputError, nearest, UsageError } from "../../errors.js";
import { resolveModel, resolveWorkload } from "../../estimate/workload.js";
import { parseYears } from "../../profile/units.js";
import { estimateAsRanked, offeringFacts, recommendWorkload } from "../../recommend.js";
import { resolveCosts } from "../../tco/assumptions.js";
import { estimateTco } from "../../tco/index.js";
import { renderTcoJson, renderTcoTable } from "../../report/tco.js";
import { pickTcoOptions } from "../../tco/select.js";
import { renderHtml } from "../../report/html.js";
import type { ProfileResult } from "../../result.js";
import { VERSION } from "../main.js";
import { builtin, collect, loadCatalog, parsePositiveInt, todayIso, type Ctx } from "../context.js";
import { loadProfiles } from "../load-profiles.js";

export const TCO_FORMATS = ["table", "json", "html"] as const;

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
    .description("cost of ownership over a horizon (or a one-off run): rent (on demand, committed), buy or lease the top options")
    .argument("<profile>", "profile file ('-' for stdin)")
    .option("--option <offering-id>", "compare this offering (repeatable; default: the recommendation's top options)", collect)
    .option("--horizon <period>", "horizon such as 3y or 36mo (default: the profile's horizon, else 3y)")
    .option("--currency <code>", "report in this currency (ISO 4217, e.g. COP); needs a rate from costs.fx or --fx")
    .option("--fx <rate>", "units of --currency per US dollar (never fetched from the network)")
    .option("-f, --format <format>", `output format: ${TCO_FORMATS.join(", ")}`, "table")
    .option("--top <n>", "options to compare by default (default 3)", parsePositiveInt("--top"))
    .option("--every <n>", "months between rows of the cumulative table", parsePositiveInt("--every"))
    .option("--catalog <file>", "overlay a catalog file (repeatable; also HWADVISE_CATALOG)", collect)
    .option("--no-builtin", "use only the --catalog files")
    .action((path: string, opts: Opts) => {
      if (!(TCO_FORMATS as readonly string[]).includes(opts.format)) throw new UsageError(`--format must be one of ${TCO_FORMATS.join(", ")}, found ${JSON.stringify(opts.format)}`);
      const currency = (opts.currency ?? "USD").toUpperCase();
      if (!/^[A-Z]{3}$/.test(currency)) throw new UsageError(`--currency expects an ISO 4217 code such as COP, BRL or MXN, found ${JSON.stringify(opts.currency)}`);
      let fxFlag: number | undefined;
      if (opts.fx !== undefined) {
        fxFlag = Number(opts.fx);
        if (!/^\d*\.?\d+(e[+-]?\d+)?$/i.test(opts.fx.trim()) || !(fxFlag > 0) || !Number.isFinite(fxFlag)) throw new UsageError(`--fx expects a positive number of ${currency} per USD, found ${JSON.stringify(opts.fx)}`);
        if (currency === "USD") throw new UsageError("--fx needs --currency: it is the rate of that currency per US dollar");
      }
      let horizonFlag: number | undefined;
      if (opts.horizon !== undefined) {
        const h = parseYears(opts.horizon);
        if (!h.ok || !(h.value > 0) || h.value > 30) throw new UsageError(`--horizon expects a period such as 3y, 36mo or 5 years (at most 30y), found ${JSON.stringify(opts.horizon)}`);
        horizonFlag = h.value;
      }
      const catalog = loadCatalog(opts, ctx.env);
      const b = builtin();
      const { profiles, problems } = loadProfiles([path], b.models);
      if (problems.length) throw new InputError(problems);
      const p = profiles[0]!;
      if (p.profile.stages) throw new UsageError(`${p.file} is a pipeline profile; tco compares one workload — run it on a single-stage profile (or a stage copied into one)`);
      // The horizon flag changes what recommend would cost too: both read the same workload.
      const w = resolveWorkload(p.profile, resolveModel(p.profile.workload.model, b.models), b.landed, horizonFlag);
      const fxPerUsd = currency === "USD" ? 1 : (fxFlag ?? p.profile.costs?.fx?.[currency]);
      if (fxPerUsd === undefined) {
        throw new UsageError(`no exchange rate for ${currency}: give --fx <${currency} per USD> or costs.fx.${currency} in ${p.file} (hwadvise never fetches rates)`);
      }
      let ids: string[];
      let ranked: ProfileResult | undefined;
      if (opts.option?.length) {
        const known = new Set(catalog.offerings.map((o) => o.id));
        for (const id of opts.option) {
          if (!known.has(id)) {
            const near = nearest(id, known, 3);
            throw new UsageError(`--option: no offering \`${id}\`${near.length ? ` — did you mean ${near.map((n) => `\`${n}\``).join(", ")}?` : ""} (\`hwadvise catalog\` lists them)`);
          }
        }
        ids = [...new Set(opts.option)];
      } else {
        ranked = recommendWorkload(p.file, w, catalog, b.calibration, { today: todayIso(ctx.env) });
        ids = pickTcoOptions(ranked, opts.top ?? 3);
      }
      const estimates = ids.map((id) => {
        const o = catalog.offerings.find((x) => x.id === id)!;
        return estimateAsRanked(o, catalog.chips.get(o.chip)!, w, b.calibration, offeringFacts(catalog, o));
      });
      const assumptions = w.costs;
      const result = estimateTco(estimates, w, assumptions);
      const input = { file: p.file, name: p.profile.name, currency, fxPerUsd, assumptions, result };
      // The ranking the options came from goes in the report too (not when --option named them).
      const slo = w.kind === "training" || w.kind === "fine-tuning" ? p.profile.slo?.deadline : p.profile.slo?.latency_p99;
      if (opts.format === "html") ctx.out(renderHtml([{ ...(ranked ? { result: ranked, slo } : {}), tco: input }], { version: VERSION, command: "tco", today: todayIso(ctx.env) }));
      else ctx.out(opts.format === "json" ? renderTcoJson(input) : renderTcoTable(input, { width: ctx.columns, every: opts.every }));
      setExit(0);
    });
}
