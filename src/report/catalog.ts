import type { CatalogAudit } from "../catalog/audit.js";
import type { CatalogEntry, CatalogListing } from "../catalog/listing.js";
import { fmtUsd, renderColumns, sig } from "./format.js";
import { NO_PAINT, type Paint } from "./paint.js";
import { sanitizeDeep } from "./sanitize.js";

/** `hwadvise catalog` (list, show, audit) reporters. Pure: data in, text out. */

export interface CatalogRenderOptions {
  readonly paint?: Paint;
}

export function renderListingTable(listing: CatalogListing, opts: CatalogRenderOptions = {}): string {
  const paint = opts.paint ?? NO_PAINT;
  const ct: string[][] = [];
  // An overlay's ids, names and regions are user text: shown escaped in the listing.
  const { chips, offerings } = sanitizeDeep(listing);
  for (const ch of chips) {
    const half = ch.peak_tops.bf16 ?? ch.peak_tops.fp16;
    ct.push([
      ch.id,
      ch.class,
      ch.vendor,
      half !== undefined ? sig(half) : "—",
      ch.peak_tops.int8 ? sig(ch.peak_tops.int8) : "—",
      sig(ch.memory_gb),
      sig(ch.memory_bw_gbps),
      sig(ch.tdp_w),
      ch.stale ? paint.warn(`${ch.as_of} (stale)`) : ch.as_of,
    ]);
  }
  const ot: string[][] = [];
  for (const o of offerings) {
    const regions = o.regions ?? [];
    const cheapest = [...regions].sort((a, b) => a.usd_per_hour - b.usd_per_hour)[0];
    const price = cheapest
      ? `${fmtUsd(cheapest.usd_per_hour)}/h`
      : o.capex_usd !== undefined
        ? fmtUsd(o.capex_usd)
        : o.lease_usd_per_month !== undefined
          ? `${fmtUsd(o.lease_usd_per_month)}/mo`
          : "—";
    const where = regions.length
      ? [...new Set(regions.map((r) => r.country))].sort().join(" ")
      : (o.countries ?? ["*"]).join(" ");
    const asOf = [o.as_of, ...regions.map((r) => r.as_of)].sort()[0] ?? o.as_of;
    ot.push([
      o.id,
      o.class,
      o.deployment,
      `${o.chip} × ${o.count}`,
      price,
      where,
      o.stale ? paint.warn(`${asOf} (stale)`) : asOf,
    ]);
  }
  const chipTable = renderColumns(
    ["chip", "class", "vendor", "bf16/fp16", "int8", "mem GB", "GB/s", "TDP W", "as of"],
    ct,
    new Set([3, 4, 5, 6, 7]),
  );
  const offeringTable = renderColumns(
    ["offering", "class", "deployment", "chip × n", "price", "where", "as of"],
    ot,
    new Set([4]),
  );
  return `${chips.length} chips\n${chipTable}\n\n${offerings.length} offerings\n${offeringTable}\n`;
}

export const renderListingJson = (listing: CatalogListing): string => `${JSON.stringify(listing, null, 2)}\n`;

export function renderEntryTable(entry: CatalogEntry): string {
  const { schemaVersion: _v, ...shown } = sanitizeDeep(entry);
  return `${renderEntry(shown as Record<string, unknown>)}\n`;
}

export const renderEntryJson = (entry: CatalogEntry): string => `${JSON.stringify(entry, null, 2)}\n`;

function renderEntry(e: Record<string, unknown>, indent = ""): string {
  const lines: string[] = [];
  for (const [k, v] of Object.entries(e)) {
    if (v === undefined) continue;
    if (Array.isArray(v)) {
      if (v.every((x) => typeof x !== "object")) lines.push(`${indent}${k}: ${v.join(", ")}`);
      else {
        lines.push(`${indent}${k}:`);
        for (const x of v)
          lines.push(
            `${indent}  - ${Object.entries(x as object)
              .map(([a, b]) => `${a}: ${b}`)
              .join(", ")}`,
          );
      }
    } else if (v && typeof v === "object") {
      lines.push(`${indent}${k}:`);
      lines.push(renderEntry(v as Record<string, unknown>, indent + "  "));
    } else lines.push(`${indent}${k}: ${String(v)}`);
  }
  return lines.join("\n");
}

/** The audit as text tables (pure; the CLI prints it). */
export function renderAuditTable(a: CatalogAudit): string {
  const columns = (head: string[], rows: string[][], right?: Set<number>) =>
    renderColumns(head, rows, right ?? new Set());
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const out: string[] = [];
  out.push(
    `Catalog audit (as of ${a.today}; a price older than ${a.stale_months} months is stale): ${a.chips} chips, ${a.offerings} offerings`,
  );
  out.push("");
  out.push(
    columns(
      ["target", "measured", "limit", "met"],
      a.targets.map((t) => [
        t.name,
        t.name.includes("share") ? pct(t.measured) : String(t.measured),
        `${t.comparison} ${t.name.includes("share") ? pct(t.limit) : t.limit}`,
        t.met ? "yes" : "NO",
      ]),
      new Set([1]),
    ),
  );
  out.push("");
  out.push(`In-country cloud offerings (rentable in a region of the country):`);
  out.push(
    columns(
      ["country", "offerings", "accelerators", "CPU", "regions"],
      a.in_country.map((r) => [
        r.country,
        String(r.cloud_offerings),
        r.cpu_only ? "0 (CPU only)" : String(r.accelerator_offerings),
        String(r.cpu_offerings),
        r.regions.join(" ") || "—",
      ]),
      new Set([1, 2, 3]),
    ),
  );
  out.push("");
  out.push(`Chips without an offering (${a.chips_without_offering.length}):`);
  out.push(
    a.chips_without_offering.length
      ? columns(
          ["chip", "class", "disabled", "reason"],
          a.chips_without_offering.map((c) => [c.id, c.class, c.disabled ? "yes" : "NO", c.reason ?? "—"]),
        )
      : "  none",
  );
  out.push("");
  const prov = (r: Record<string, number>) =>
    Object.entries(r)
      .map(([k, v]) => `${k} ${v}`)
      .join(", ");
  out.push(
    `Offerings by class: ${prov(a.offerings_by_class)}; FPGA ${a.fpga_offerings}, AMD GPU ` +
      `${a.amd_gpu_offerings}, CPU at ≤ $${a.cheap_cpu_usd_per_hour}/h ${a.cheap_cpu_offerings}`,
  );
  out.push(
    `Stale prices: ${a.stale.offerings} of ${a.offerings} offerings (${pct(a.stale.share)})${a.stale.ids.length ? `: ${a.stale.ids.join(", ")}` : ""}`,
  );
  out.push(
    `Provenance of prices: ${prov(a.provenance.offerings)} (cloud: ${prov(a.provenance.cloud_offerings)}); of chip figures: ${prov(a.provenance.chips)}`,
  );
  out.push(
    `Estimated fields: ${a.estimated.chips} chips and ${a.estimated.offerings} offerings list some (${prov(a.estimated.fields) || "none"})`,
  );
  return out.join("\n");
}

export const renderAuditJson = (a: CatalogAudit): string => `${JSON.stringify(a, null, 2)}\n`;
