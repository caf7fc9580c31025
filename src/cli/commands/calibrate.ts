import type { Command } from "commander";
import { existsSync } from "node:fs";
import { stringify } from "yaml";
import { InputError, UsageError } from "../../errors.js";
import { beyondCeiling, ceilingReason } from "../../calibrate/ceiling.js";
import { fitChips, parseUserMeasurements } from "../../calibrate/user.js";
import { resolveModel, type ResolvedModel } from "../../estimate/workload.js";
import { builtin, collect, loadCatalog, type Ctx } from "../context.js";
import { readInput } from "../io.js";
import { writeFileAtomic } from "../write.js";

interface Opts {
  out?: string;
  force?: boolean;
  catalog?: string[];
  builtin?: boolean;
}

export function registerCalibrate(program: Command, ctx: Ctx, setExit: (code: number) => void): void {
  program
    .command("calibrate")
    .description("fit efficiency factors to your own benchmark results and write a catalog overlay")
    .argument("<measurements.csv>", "CSV: chip,count,model,scenario,value,unit[,precision,input_tokens,output_tokens,latency_bound_ms,ttft_bound_ms,tpot_bound_ms,batching,batch_size]")
    .option("-o, --out <file>", "write the overlay to FILE (default: stdout)")
    .option("--force", "overwrite --out if it exists")
    .option("--catalog <file>", "overlay a catalog file (repeatable)", collect)
    .option("--no-builtin", "use only the --catalog files")
    .action((path: string, opts: Opts) => {
      if (opts.out && existsSync(opts.out) && !opts.force) throw new UsageError(`${opts.out} exists; pass --force to overwrite it, or choose another --out`);
      const catalog = loadCatalog(opts, ctx.env);
      const b = builtin();
      const input = readInput(path, { expected: "CSV rows with a header line" });
      const parsed = parseUserMeasurements(input.file, input.text, catalog, new Set(b.models.keys()));
      if (!parsed.ok) throw new InputError(parsed.problems);
      const models = new Map<string, ResolvedModel>();
      for (const id of b.models.keys()) models.set(id, resolveModel(id, b.models));
      // A result faster than the chip's spec sheet allows cannot be fitted (efficiencies stop at 1): the
      // row's chip, count or precision is not what ran, or the catalog's figure is too low.
      const fitCtx = { catalog, models };
      const beyond = beyondCeiling(parsed.value, fitCtx);
      if (beyond.length) {
        throw new InputError(beyond.map((x) => ({ file: input.file, line: x.row.valueAt?.line, col: x.row.valueAt?.col, path: "value", message: `${ceilingReason(x)}; check chip, count and precision (or correct the chip in a --catalog overlay)` })));
      }
      const fits = fitChips(parsed.value, fitCtx, b.calibration, input.file);
      const overlay =
        `# hwadvise calibration overlay: efficiency factors fitted to ${input.file} (${parsed.value.length} measurements).\n` +
        `# Use it with: hwadvise recommend … --catalog ${opts.out ?? "<this file>"}\n` +
        stringify({ overrides: fits.map((f) => ({ id: f.chip, efficiency: f.efficiency })) }, { lineWidth: 0 });
      for (const f of fits) ctx.err(`${f.chip}: ${f.rows} measurement(s), median error ${(f.medianBefore * 100).toFixed(1)}% → ${(f.medianAfter * 100).toFixed(1)}%\n`);
      if (opts.out) {
        writeFileAtomic(opts.out, overlay, "the overlay");
        ctx.err(`wrote ${opts.out}\n`);
      } else ctx.out(overlay);
      setExit(0);
    });
}
