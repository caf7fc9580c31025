import type { Run } from "../advise/run.js";
import type { Catalog } from "../catalog/schema.js";
import { UsageError } from "../errors.js";
import { formatsOf, isFormatOf, type FormatOf, type ReportedCommand } from "../report/registry.js";
import { builtin, todayIso, type Ctx } from "./context.js";

/** The command's `--format`, checked against the reporter registry: an unknown one is a usage error (exit 2). */
export function chooseFormat<C extends ReportedCommand>(command: C, format: string): FormatOf<C> {
  if (!isFormatOf(command, format))
    throw new UsageError(`--format must be one of ${formatsOf(command).join(", ")}, found ${JSON.stringify(format)}`);
  return format;
}

/** The `--format` option's help: the registry's formats for the command. */
export const formatHelp = (command: ReportedCommand): string => `output format: ${formatsOf(command).join(", ")}`;

/** Everything a use case reads besides its input: the merged catalog, the built-in data and today's date. */
export function runOf(catalog: Catalog, ctx: Ctx, staleMonths = 12): Run {
  const b = builtin();
  return {
    catalog,
    models: b.models,
    calibration: b.calibration,
    landed: b.landed,
    apiPrices: b.apiPrices,
    today: todayIso(ctx.env),
    staleMonths,
  };
}
