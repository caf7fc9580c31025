import { z } from "zod";
import { lazily } from "../once.js";
import { monthsBetween } from "./age.js";
import type { Catalog, Chip, Offering } from "./schema.js";

/**
 * `hwadvise catalog audit`: what the catalog can ever recommend, where our users live, and how much of
 * it is fresh, first-hand and measured rather than guessed. Pure: the CLI passes the merged catalog and
 * every chip the files define (disabled ones included, so a chip nobody sells is listed with its reason).
 */

/** Countries the audit counts in-country cloud offerings for (our first users). */
export const AUDIT_COUNTRIES = ["CO", "MX", "CL", "BR", "PE", "AR"] as const;

/** Where a figure was read: the maker's or seller's own page, MLCommons, providers' pricing APIs as regenerated in an open catalog, or anyone else. */
export const PROVENANCES = ["vendor", "provider-api", "mlcommons", "third-party"] as const;
export type Provenance = (typeof PROVENANCES)[number];

/** Makers', clouds' and sellers' own domains (a price or spec read there is first-hand). */
const VENDOR_DOMAINS = [
  "amazon.com",
  "aws.amazon.com",
  "google.com",
  "cloud.google.com",
  "microsoft.com",
  "azure.com",
  "oracle.com",
  "nvidia.com",
  "amd.com",
  "xilinx.com",
  "intel.com",
  "qualcomm.com",
  "groq.com",
  "hailo.ai",
  "coral.ai",
  "raspberrypi.com",
  "st.com",
  "nxp.com",
  "espressif.com",
  "arduino.cc",
  "analog.com",
  "nordicsemi.com",
  "renesas.com",
  "infineon.com",
  "rock-chips.com",
  "radxa.com",
  "apple.com",
  "tenstorrent.com",
  "lambda.ai",
  "lambdalabs.com",
  "coreweave.com",
  "runpod.io",
  "syntiant.com",
  "untether.ai",
  "digikey.com",
  "mouser.com",
  "arrow.com",
  "seeedstudio.com",
  "sparkfun.com",
  "adafruit.com",
  "supermicro.com",
  "dell.com",
  "hpe.com",
  "lenovo.com",
  "gigabyte.com",
  "asus.com",
  "docs.nvidia.com",
  "graphcore.ai",
  "cerebras.ai",
  "sambanova.ai",
  "habana.ai",
  "gaudi.ai",
  "ampere.com",
  "amperecomputing.com",
  "arm.com",
  "orangepi.org",
  "khadas.com",
];

/** Classify a source URL. */
export function provenanceOf(url: string): Provenance {
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase();
  } catch {
    return "third-party";
  }
  if (host === "mlcommons.org" || host.endsWith(".mlcommons.org")) return "mlcommons";
  if (host === "github.com" && /^\/skypilot-org\/skypilot-catalog\//.test(new URL(url).pathname)) return "provider-api";
  return VENDOR_DOMAINS.some((d) => host === d || host.endsWith(`.${d}`)) ? "vendor" : "third-party";
}

/** The oldest date on an offering's prices (its own and each region's). */
export const priceDate = (o: Offering): string => [o.as_of, ...(o.regions ?? []).map((r) => r.as_of)].sort()[0]!;

export interface AuditOptions {
  /** ISO date the staleness check compares with. */
  readonly today: string;
  /** A price older than this many months is stale. */
  readonly staleMonths: number;
  /** Hourly price at or under which a CPU offering counts as a small machine. */
  readonly cheapCpuUsdPerHour?: number;
}

function define() {
  const Count = z.number().int().nonnegative();
  const CountryRow = z.object({
    country: z.string(),
    /** Cloud offerings rentable in a region of this country. */
    cloud_offerings: Count,
    /** Of those, accelerators (GPU, ASIC, FPGA). */
    accelerator_offerings: Count,
    /** Of those, CPU machines. */
    cpu_offerings: Count,
    /** Provider regions in the country that the catalog prices. */
    regions: z.array(z.string()),
    /** True when the country's regions offer CPUs but the catalog knows no accelerator there. */
    cpu_only: z.boolean(),
  });
  /** A chip no enabled offering sells: disabled, or kept (its measured results calibrate the model); `reason` from its note. */
  const ChipRow = z.object({
    id: z.string(),
    class: z.string(),
    vendor: z.string(),
    disabled: z.boolean(),
    reason: z.string().optional(),
  });
  const Target = z.object({
    name: z.string(),
    measured: z.number(),
    limit: z.number(),
    comparison: z.enum(["<=", ">="]),
    met: z.boolean(),
  });
  const AuditSchema = z.object({
    schemaVersion: z.literal(1),
    today: z.string(),
    stale_months: z.number(),
    chips: Count,
    offerings: Count,
    /** Chips no enabled offering sells: never recommendable. */
    chips_without_offering: z.array(ChipRow),
    offerings_by_class: z.record(z.string(), Count),
    fpga_offerings: Count,
    amd_gpu_offerings: Count,
    cheap_cpu_offerings: Count,
    cheap_cpu_usd_per_hour: z.number(),
    in_country: z.array(CountryRow),
    stale: z.object({ offerings: Count, share: z.number(), ids: z.array(z.string()) }),
    /** Where offerings' prices and chips' figures were read. */
    provenance: z.object({
      offerings: z.record(z.string(), Count),
      cloud_offerings: z.record(z.string(), Count),
      chips: z.record(z.string(), Count),
    }),
    /** Entries that list fields as estimates, and how often each field is one. */
    estimated: z.object({ chips: Count, offerings: Count, fields: z.record(z.string(), Count) }),
    /** The numbers the catalog is held to (issue #17), each with its measure. */
    targets: z.array(Target),
  });
  return { AuditSchema };
}
const schema = lazily(define);
export const CatalogAuditSchema = schema("AuditSchema");
export type CatalogAudit = z.output<ReturnType<typeof define>["AuditSchema"]>;

const tally = <T>(xs: readonly T[], key: (x: T) => string): Record<string, number> => {
  const out: Record<string, number> = {};
  for (const x of xs) out[key(x)] = (out[key(x)] ?? 0) + 1;
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : 1)));
};

/**
 * Audit the merged catalog. `allChips` is every chip the files define (disabled included); a chip missing
 * from the merged catalog is disabled, and its `note` is the reason.
 */
export function auditCatalog(c: Catalog, allChips: readonly Chip[], o: AuditOptions): CatalogAudit {
  const cheap = o.cheapCpuUsdPerHour ?? 0.25;
  const offerings = c.offerings;
  const sold = new Set(offerings.map((x) => x.chip));
  const byId = new Map<string, Chip>();
  for (const ch of allChips) byId.set(ch.id, ch);
  for (const ch of c.chips.values()) byId.set(ch.id, ch);
  const without = [...byId.values()]
    .filter((ch) => !sold.has(ch.id))
    .map((ch) => {
      const disabled = !c.chips.has(ch.id) || ch.disabled === true;
      // A disabled chip's note says why; an enabled one kept without an offering (its measured results
      // calibrate the model) says so with a note starting "NO OFFERING".
      const reason = ch.note && (disabled || /^NO OFFERING/.test(ch.note)) ? ch.note : undefined;
      return { id: ch.id, class: ch.class, vendor: ch.vendor, disabled, ...(reason ? { reason } : {}) };
    })
    .sort((a, b) => Number(a.disabled) - Number(b.disabled) || (a.id < b.id ? -1 : 1));
  const chipOf = (x: Offering) => c.chips.get(x.chip);
  const cloud = offerings.filter((x) => x.deployment === "cloud");
  const inCountry = AUDIT_COUNTRIES.map((country) => {
    const here = cloud.filter((x) => (x.regions ?? []).some((r) => r.country === country));
    const cpu = here.filter((x) => x.class === "cpu").length;
    const regions = [
      ...new Set(
        here.flatMap((x) =>
          (x.regions ?? []).filter((r) => r.country === country).map((r) => `${x.provider ?? "?"}:${r.region}`),
        ),
      ),
    ].sort();
    return {
      country,
      cloud_offerings: here.length,
      accelerator_offerings: here.length - cpu,
      cpu_offerings: cpu,
      regions,
      cpu_only: cpu > 0 && here.length === cpu,
    };
  });
  const staleIds = offerings
    .filter((x) => monthsBetween(priceDate(x), o.today) > o.staleMonths)
    .map((x) => x.id)
    .sort();
  const cheapCpu = offerings.filter(
    (x) => x.class === "cpu" && (x.regions ?? []).some((r) => r.usd_per_hour <= cheap),
  ).length;
  const fpga = offerings.filter((x) => x.class === "fpga" || chipOf(x)?.class === "fpga").length;
  const amdGpu = offerings.filter((x) => chipOf(x)?.class === "gpu" && /^amd\b/i.test(chipOf(x)!.vendor)).length;
  const estFields: Record<string, number> = {};
  for (const e of [...c.chips.values(), ...offerings])
    for (const f of e.estimated ?? []) estFields[f] = (estFields[f] ?? 0) + 1;
  const staleShare = offerings.length ? staleIds.length / offerings.length : 0;
  const country = (k: string) => inCountry.find((r) => r.country === k)!.cloud_offerings;
  const target = (name: string, measured: number, comparison: "<=" | ">=", limit: number) => ({
    name,
    measured,
    limit,
    comparison,
    met: comparison === "<=" ? measured <= limit : measured >= limit,
  });
  return {
    schemaVersion: 1,
    today: o.today,
    stale_months: o.staleMonths,
    chips: c.chips.size,
    offerings: offerings.length,
    chips_without_offering: without,
    offerings_by_class: tally(offerings, (x) => x.class),
    fpga_offerings: fpga,
    amd_gpu_offerings: amdGpu,
    cheap_cpu_offerings: cheapCpu,
    cheap_cpu_usd_per_hour: cheap,
    in_country: inCountry,
    stale: { offerings: staleIds.length, share: staleShare, ids: staleIds },
    provenance: {
      offerings: tally(offerings, (x) => provenanceOf(x.regions?.[0]?.source ?? x.source)),
      cloud_offerings: tally(cloud, (x) => provenanceOf(x.regions?.[0]?.source ?? x.source)),
      chips: tally([...c.chips.values()], (x) => provenanceOf(x.source)),
    },
    estimated: {
      chips: [...c.chips.values()].filter((x) => x.estimated?.length).length,
      offerings: offerings.filter((x) => x.estimated?.length).length,
      fields: Object.fromEntries(Object.entries(estFields).sort(([a], [b]) => (a < b ? -1 : 1))),
    },
    targets: [
      target("chips without an offering and without a stated reason", without.filter((w) => !w.reason).length, "<=", 0),
      target("chips without an offering", without.length, "<=", 5),
      target("FPGA offerings", fpga, ">=", 3),
      target("AMD GPU offerings", amdGpu, ">=", 3),
      target("in-country cloud offerings CO", country("CO"), ">=", 1),
      target("in-country cloud offerings MX", country("MX"), ">=", 3),
      target("in-country cloud offerings CL", country("CL"), ">=", 3),
      target("in-country cloud offerings BR", country("BR"), ">=", 40),
      target(`CPU offerings at ≤ $${cheap}/h`, cheapCpu, ">=", 8),
      target("stale offerings (share)", Math.round(staleShare * 1000) / 1000, "<=", 0.1),
    ],
  };
}
