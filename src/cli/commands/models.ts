import type { Command } from "commander";
import { reporterFor } from "../../report/registry.js";
import { builtin, type Ctx } from "../context.js";
import { chooseFormat, formatHelp } from "../format.js";

export function registerModels(program: Command, ctx: Ctx, setExit: (code: number) => void): void {
  program
    .command("models")
    .description("list the model presets a profile can name")
    .option("-f, --format <format>", formatHelp("models"), "table")
    .action((opts: { format: string }) => {
      const format = chooseFormat("models", opts.format);
      const models = [...builtin().models.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
      ctx.out(reporterFor("models", format)({ schemaVersion: 1, models }));
      setExit(0);
    });
}
