import type { Command } from "commander";
import Table from "cli-table3";
import { fmtCount, fmtParams } from "../../report/format.js";
import { builtin, type Ctx } from "../context.js";

export function registerModels(program: Command, ctx: Ctx, setExit: (code: number) => void): void {
  program
    .command("models")
    .description("list the model presets a profile can name")
    .option("-f, --format <format>", "table or json", "table")
    .action((opts: { format: string }) => {
      const models = [...builtin().models.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
      if (opts.format === "json") {
        ctx.out(JSON.stringify({ schemaVersion: 1, models }, null, 2) + "\n");
      } else {
        const t = new Table({ head: ["id", "family", "params", "FLOPs/sample", "precision", "name"], style: { head: [], border: [] } });
        for (const m of models) t.push([m.id, m.family, fmtParams(m.params), m.flops_per_sample ? fmtCount(m.flops_per_sample) : `${fmtCount(2 * (m.active_params ?? m.params))}/token`, m.default_precision, m.name]);
        ctx.out(t.toString() + "\n");
      }
      setExit(0);
    });
}
