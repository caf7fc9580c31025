import type { Catalog, Chip, Offering } from "./schema.js";
import { monthsBetween } from "./age.js";

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
  const chips = [...c.chips.values()].filter(
    (ch) =>
      chipOk(ch) &&
      (!f.class || ch.class === f.class || c.offerings.some((o) => o.chip === ch.id && o.class === f.class)) &&
      (!f.deployment || c.offerings.some((o) => o.chip === ch.id && o.deployment === f.deployment)) &&
      (!f.region ||
        c.offerings.some(
          (o) => o.chip === ch.id && o.regions?.some((r) => r.region === f.region || r.country === f.region),
        )),
  );
  const offerings = c.offerings.filter((o) => {
    const ch = c.chips.get(o.chip)!;
    return (
      chipOk(ch) &&
      (!f.class || o.class === f.class || ch.class === f.class) &&
      (!f.deployment || o.deployment === f.deployment) &&
      (!f.provider || lc(o.provider ?? "")!.includes(lc(f.provider)!)) &&
      (!f.region || (o.regions ?? []).some((r) => r.region === f.region || r.country === f.region))
    );
  });
  return { chips, offerings };
}

/** A chip as `catalog` lists it: its entry and whether its figures are older than the staleness limit. */
export type ListedChip = Chip & { readonly stale: boolean };
/** An offering as `catalog` lists it: stale when its own price or any region's is old. */
export type ListedOffering = Offering & { readonly stale: boolean };

export interface CatalogListing {
  readonly schemaVersion: 1;
  readonly chips: readonly ListedChip[];
  readonly offerings: readonly ListedOffering[];
}

/** The use case `catalog list`: the filtered catalog, each entry flagged stale or not on `today`. Pure. */
export function listCatalog(c: Catalog, f: CatalogFilter, today: string, staleMonths: number): CatalogListing {
  const { chips, offerings } = filterCatalog(c, f);
  const stale = (asOf: string) => monthsBetween(asOf, today) > staleMonths;
  return {
    schemaVersion: 1,
    chips: chips.map((ch) => ({ ...ch, stale: stale(ch.as_of) })),
    offerings: offerings.map((o) => ({ ...o, stale: stale(o.as_of) || (o.regions ?? []).some((r) => stale(r.as_of)) })),
  };
}

/** `catalog show <id>`: a chip with the offerings that carry it, or an offering with its chip. */
export type CatalogEntry =
  | ({ readonly schemaVersion: 1; readonly kind: "chip" } & Chip & { readonly offerings: readonly string[] })
  | ({ readonly schemaVersion: 1; readonly kind: "offering" } & Offering & { readonly chip_entry?: Chip });

/** The entry with this id, or undefined. Pure. */
export function showCatalogEntry(c: Catalog, id: string): CatalogEntry | undefined {
  const chip = c.chips.get(id);
  if (chip)
    return {
      schemaVersion: 1,
      kind: "chip",
      ...chip,
      offerings: c.offerings.filter((o) => o.chip === id).map((o) => o.id),
    };
  const off = c.offerings.find((o) => o.id === id);
  if (!off) return undefined;
  const of = c.chips.get(off.chip);
  return { schemaVersion: 1, kind: "offering", ...off, ...(of ? { chip_entry: of } : {}) };
}
