import { monthsBetween } from "../../catalog/age.js";
import type { Command } from "commander";
import type { Catalog, Chip, Offering } from "../../catalog/schema.js";
import { nearest, UsageError } from "../../errors.js";
import { fmtUsd, renderColumns, sig } from "../../report/format.js";
import { sanitizeDeep } from "../../report/sanitize.js";
import { builtin, collect, colorFrom, parseStaleMonths, loadCatalog, paintFor, todayIso, type Ctx } from "../context.js";
import { auditCatalog, renderAudit } from "../../catalog/audit.js";

export interface CatalogFilter {
  class?: string;
  vendor?: string;
  deployment?: string;
  region?: string;
  runtime?: string;
  provider?: string;
}

/** Filter chips and offerings; an offering matches through its chip too (vendor, runtime). Pure. */
export function filterCatalog(c: Catalog, f: CatalogFilter): { chips: Chip[]; offerings: Offering[] } {
  const lc = (s: string | undefined) => s?.toLowerCase();
  const chipOk = (ch: Chip) =>
    (!f.vendor || lc(ch.vendor)!.includes(lc(f.vendor)!)) && (!f.runtime || ch.runtimes.includes(f.runtime as never));
  const chips = [...c.chips.values()].filter((ch) => chipOk(ch) && (!f.class || ch.class === f.class || c.offerings.some((o) => o.chip === ch.id && o.class === f.class)) && (!f.deployment || c.offerings.some((o) => o.chip === ch.id && o.deployment === f.deployment)) && (!f.region || c.offerings.some((o) => o.chip === ch.id && o.regions?.some((r) => r.region === f.region || r.country === f.region))));
  const offerings = c.offerings.filter((o) => {
    const ch = c.chips.get(o.chip)!;
    return chipOk(ch) && (!f.class || o.class === f.class || ch.class === f.class) && (!f.deployment || o.deployment === f.deployment) && (!f.provider || lc(o.provider ?? "")!.includes(lc(f.provider)!)) && (!f.region || (o.regions ?? []).some((r) => r.region === f.region || r.country === f.region));
  });
  return { chips, offerings };
}

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
    .option("-f, --format <format>", "table or json", "table")
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
    const c = loadCatalog(opts, ctx.env);
    const today = todayIso(ctx.env);
    const staleAfter = parseStaleMonths(opts.staleMonths);
    const paint = paintFor(colorFrom({}, ctx));
    if (action === "show") {
      if (!id) throw new UsageError("catalog show needs an id: hwadvise catalog show <chip-or-offering-id>");
      const chip = c.chips.get(id);
      const off = c.offerings.find((o) => o.id === id);
      if (!chip && !off) {
        const near = nearest(id, [...c.chips.keys(), ...c.offerings.map((o) => o.id)], 3);
        throw new UsageError(`no chip or offering \`${id}\`${near.length ? ` — did you mean ${near.map((n) => `\`${n}\``).join(", ")}?` : ""}`);
      }
      const entry = chip ? { kind: "chip", ...chip, offerings: c.offerings.filter((o) => o.chip === id).map((o) => o.id) } : { kind: "offering", ...off!, chip_entry: c.chips.get(off!.chip) };
      if (opts.format === "json") ctx.out(JSON.stringify(entry, null, 2) + "\n");
      else ctx.out(renderEntry(sanitizeDeep(entry) as Record<string, unknown>) + "\n");
      setExit(0);
      return;
    }
    if (action === "audit") {
      if (id !== undefined) throw new UsageError(`catalog audit takes no id (found ${JSON.stringify(id)})`);
      if (opts.format !== "json" && opts.format !== "table") throw new UsageError(`unknown format ${JSON.stringify(opts.format)}; expected table or json`);
      const allChips = opts.builtin === false ? [] : builtin().files.flatMap((f) => f.data.chips ?? []);
      const audit = auditCatalog(c, allChips, { today, staleMonths: staleAfter });
      ctx.out(opts.format === "json" ? JSON.stringify(audit, null, 2) + "\n" : renderAudit(audit, (h, rows, right) => renderColumns(h, rows, right ?? new Set())) + "\n");
      setExit(0);
      return;
    }
    if (action !== undefined && action !== "list") throw new UsageError(`unknown catalog action ${JSON.stringify(action)}; expected list, show or audit`);
    const { chips, offerings } = filterCatalog(c, opts);
    const stale = (asOf: string) => monthsBetween(asOf, today) > staleAfter;
    if (opts.format === "json") {
      ctx.out(
        JSON.stringify(
          {
            schemaVersion: 1,
            chips: chips.map((ch) => ({ ...ch, stale: stale(ch.as_of) })),
            offerings: offerings.map((o) => ({ ...o, stale: stale(o.as_of) || (o.regions ?? []).some((r) => stale(r.as_of)) })),
          },
          null,
          2,
        ) + "\n",
      );
      setExit(0);
      return;
    }
    const ct: string[][] = [];
    // An overlay's ids, names and regions are user text: shown escaped in the listing.
    for (const ch of sanitizeDeep(chips)) {
      ct.push([ch.id, ch.class, ch.vendor, ch.peak_tops.bf16 ?? ch.peak_tops.fp16 ? sig((ch.peak_tops.bf16 ?? ch.peak_tops.fp16)!) : "—", ch.peak_tops.int8 ? sig(ch.peak_tops.int8) : "—", sig(ch.memory_gb), sig(ch.memory_bw_gbps), sig(ch.tdp_w), stale(ch.as_of) ? paint.warn(`${ch.as_of} (stale)`) : ch.as_of]);
    }
    const ot: string[][] = [];
    for (const o of sanitizeDeep(offerings)) {
      const regions = o.regions ?? [];
      const cheapest = [...regions].sort((a, b) => a.usd_per_hour - b.usd_per_hour)[0];
      const price = cheapest ? `${fmtUsd(cheapest.usd_per_hour)}/h` : o.capex_usd !== undefined ? fmtUsd(o.capex_usd) : o.lease_usd_per_month !== undefined ? `${fmtUsd(o.lease_usd_per_month)}/mo` : "—";
      const where = regions.length ? [...new Set(regions.map((r) => r.country))].sort().join(" ") : (o.countries ?? ["*"]).join(" ");
      const asOf = [o.as_of, ...regions.map((r) => r.as_of)].sort()[0]!;
      ot.push([o.id, o.class, o.deployment, `${o.chip} × ${o.count}`, price, where, stale(asOf) ? paint.warn(`${asOf} (stale)`) : asOf]);
    }
    const chipTable = renderColumns(["chip", "class", "vendor", "bf16/fp16", "int8", "mem GB", "GB/s", "TDP W", "as of"], ct, new Set([3, 4, 5, 6, 7]));
    const offeringTable = renderColumns(["offering", "class", "deployment", "chip × n", "price", "where", "as of"], ot, new Set([4]));
    ctx.out(`${chips.length} chips\n${chipTable}\n\n${offerings.length} offerings\n${offeringTable}\n`);
    setExit(0);
  });
}

function renderEntry(e: Record<string, unknown>, indent = ""): string {
  const lines: string[] = [];
  for (const [k, v] of Object.entries(e)) {
    if (v === undefined) continue;
    if (Array.isArray(v)) {
      if (v.every((x) => typeof x !== "object")) lines.push(`${indent}${k}: ${v.join(", ")}`);
      else {
        lines.push(`${indent}${k}:`);
        for (const x of v) lines.push(`${indent}  - ${Object.entries(x as object).map(([a, b]) => `${a}: ${b}`).join(", ")}`);
      }
    } else if (v && typeof v === "object") {
      lines.push(`${indent}${k}:`);
      lines.push(renderEntry(v as Record<string, unknown>, indent + "  "));
    } else lines.push(`${indent}${k}: ${String(v)}`);
  }
  return lines.join("\n");
}
