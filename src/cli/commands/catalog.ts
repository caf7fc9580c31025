import type { Command } from "commander";
import { auditCatalog } from "../../catalog/audit.js";
import { filterCatalog, listCatalog, showCatalogEntry, type CatalogFilter } from "../../catalog/listing.js";
import { nearest, UsageError } from "../../errors.js";
import { reporterFor } from "../../report/registry.js";
import {
  builtin,
  collect,
  colorFrom,
  loadCatalog,
  paintFor,
  parseStaleMonths,
  todayIso,
  type Ctx,
} from "../context.js";
import { chooseFormat } from "../format.js";

export { filterCatalog, type CatalogFilter };

interface Opts extends CatalogFilter {
  format: string;
  catalog?: string[];
  builtin?: boolean;
  staleMonths?: string;
}

export function registerCatalog(program: Command, ctx: Ctx, setExit: (code: number) => void): void {
  const cmd = program
    .command("catalog")
    .description("list the hardware catalog (chips and offerings), `catalog show <id>`, or `catalog audit`")
    .argument("[action]", "list (default), show or audit")
    .argument("[id]", "chip or offering id for `show`")
    .option("-f, --format <format>", "output format: table, json", "table")
    .option("--class <class>", "filter by class (cloud-gpu, onprem-gpu, edge-npu, asic, fpga, cpu; or a chip class)")
    .option("--vendor <vendor>", "filter by chip vendor")
    .option("--deployment <deployment>", "cloud, on-prem or edge")
    .option("--provider <provider>", "filter offerings by provider")
    .option("--region <region>", "a region code or ISO country (offerings rentable there)")
    .option("--runtime <runtime>", "chips supporting this runtime")
    .option("--stale-months <n>", "flag entries older than N months (default 12)")
    .option("--catalog <file>", "overlay a catalog file (repeatable; also HWADVISE_CATALOG)", collect)
    .option("--no-builtin", "use only the --catalog files");
  cmd.action((action: string | undefined, id: string | undefined, opts: Opts) => {
    if (action !== undefined && action !== "list" && action !== "show" && action !== "audit")
      throw new UsageError(`unknown catalog action ${JSON.stringify(action)}; expected list, show or audit`);
    const c = loadCatalog(opts, ctx.env);
    const today = todayIso(ctx.env);
    const staleAfter = parseStaleMonths(opts.staleMonths);
    if (action === "show") {
      const format = chooseFormat("catalog show", opts.format);
      if (!id) throw new UsageError("catalog show needs an id: hwadvise catalog show <chip-or-offering-id>");
      const entry = showCatalogEntry(c, id);
      if (!entry) {
        const near = nearest(id, [...c.chips.keys(), ...c.offerings.map((o) => o.id)], 3);
        throw new UsageError(
          `no chip or offering \`${id}\`${near.length ? ` — did you mean ${near.map((n) => `\`${n}\``).join(", ")}?` : ""}`,
        );
      }
      ctx.out(reporterFor("catalog show", format)(entry));
    } else if (action === "audit") {
      const format = chooseFormat("catalog audit", opts.format);
      if (id !== undefined) throw new UsageError(`catalog audit takes no id (found ${JSON.stringify(id)})`);
      const allChips = opts.builtin === false ? [] : builtin().files.flatMap((f) => f.data.chips ?? []);
      ctx.out(reporterFor("catalog audit", format)(auditCatalog(c, allChips, { today, staleMonths: staleAfter })));
    } else {
      const format = chooseFormat("catalog list", opts.format);
      if (id !== undefined)
        throw new UsageError(
          `catalog list takes no id (found ${JSON.stringify(id)}); did you mean \`catalog show ${id}\`?`,
        );
      ctx.out(
        reporterFor("catalog list", format)(listCatalog(c, opts, today, staleAfter), {
          paint: paintFor(colorFrom({}, ctx)),
        }),
      );
    }
    setExit(0);
  });
}
