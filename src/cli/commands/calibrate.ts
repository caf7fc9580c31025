import type { Command } from "commander";
import { existsSync } from "node:fs";
import { adviseCalibrate } from "../../advise/calibrate.js";
import { UsageError } from "../../errors.js";
import { fitLines } from "../../report/calibrate.js";
import { reporterFor } from "../../report/registry.js";
import { collect, loadCatalog, type Ctx } from "../context.js";
import { chooseFormat, formatHelp, runOf } from "../format.js";
import { readInput } from "../io.js";
import { writeFileAtomic } from "../write.js";

interface Opts {
  out?: string;
  force?: boolean;
  format: string;
  catalog?: string[];
  builtin?: boolean;
}

export function registerCalibrate(program: Command, ctx: Ctx, setExit: (code: number) => void): void {
  program
    .command("calibrate")
    .description("fit efficiency factors to your own benchmark results and write a catalog overlay")
    .argument(
      "<measurements.csv>",
      "CSV: chip,count,model,scenario,value,unit[,precision,input_tokens,output_tokens,latency_bound_ms,ttft_bound_ms,tpot_bound_ms,batching,batch_size]",
    )
    .option("-o, --out <file>", "write the overlay to FILE (default: stdout)")
    .option("--force", "overwrite --out if it exists")
    .option("-f, --format <format>", `${formatHelp("calibrate")} (yaml is the overlay --catalog reads)`, "yaml")
    .option("--catalog <file>", "overlay a catalog file (repeatable)", collect)
    .option("--no-builtin", "use only the --catalog files")
    .action((path: string, opts: Opts) => {
      const format = chooseFormat("calibrate", opts.format);
      if (opts.out && existsSync(opts.out) && !opts.force)
        throw new UsageError(`${opts.out} exists; pass --force to overwrite it, or choose another --out`);
      const run = runOf(loadCatalog(opts, ctx.env), ctx);
      const input = readInput(path, { expected: "CSV rows with a header line" });
      const advice = adviseCalibrate(input, run);
      const text = reporterFor("calibrate", format)(advice, { out: opts.out });
      for (const line of fitLines(advice)) ctx.err(`${line}\n`);
      if (opts.out) {
        writeFileAtomic(opts.out, text, format === "yaml" ? "the overlay" : "the fit");
        ctx.err(`wrote ${opts.out}\n`);
      } else ctx.out(text);
      setExit(0);
    });
}
