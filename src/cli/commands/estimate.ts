import type { Command } from "commander";
import { adviseEstimate } from "../../advise/estimate.js";
import { InputError, nearest, UsageError } from "../../errors.js";
import { reporterFor } from "../../report/registry.js";
import { collect, loadCatalog, parsePositiveInt, type Ctx } from "../context.js";
import { chooseFormat, formatHelp, runOf } from "../format.js";
import { loadProfiles } from "../load-profiles.js";

interface Opts {
  chip: string;
  count?: number;
  format: string;
  catalog?: string[];
  builtin?: boolean;
}

export function registerEstimate(program: Command, ctx: Ctx, setExit: (code: number) => void): void {
  program
    .command("estimate")
    .description("estimate one chip × count for a profile, provisioned as recommend would, without offerings or prices")
    .argument("<profile>", "profile file ('-' for stdin)")
    .requiredOption("--chip <id>", "chip id (see `hwadvise catalog`)")
    .option("--count <n>", "devices per unit (default 1)", parsePositiveInt("--count"))
    .option("-f, --format <format>", formatHelp("estimate"), "table")
    .option("--catalog <file>", "overlay a catalog file (repeatable)", collect)
    .option("--no-builtin", "use only the --catalog files")
    .action((path: string, opts: Opts) => {
      const format = chooseFormat("estimate", opts.format);
      const run = runOf(loadCatalog(opts, ctx.env), ctx);
      const chip = run.catalog.chips.get(opts.chip);
      if (!chip) {
        const near = nearest(opts.chip, run.catalog.chips.keys(), 3);
        throw new UsageError(
          `no chip \`${opts.chip}\`${near.length ? ` — did you mean ${near.map((n) => `\`${n}\``).join(", ")}?` : ""}`,
        );
      }
      const { profiles, problems } = loadProfiles([path], run.models);
      if (problems.length) throw new InputError(problems);
      const input = profiles[0];
      if (!input) throw new UsageError(`no profile in ${path}`);
      if (input.profile.stages)
        throw new UsageError(
          `${input.file} is a pipeline profile; estimate runs one workload — run it on a single-stage profile (or a stage copied into one)`,
        );
      ctx.out(reporterFor("estimate", format)(adviseEstimate(input, chip, opts.count ?? 1, run)));
      setExit(0);
    });
}
