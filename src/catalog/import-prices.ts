/**
 * Turn a provider price table in SkyPilot's catalog format (catalogs/v8/<provider>/vms.csv: one row per
 * instance type × region × zone, on-demand USD/hour) into catalog entries: a chip per small CPU shape
 * (a VM is the device the estimator sizes) and an offering per shape with its price in each region we
 * track. Pure: the script scripts/import-cloud-prices.ts reads the files and writes the YAML.
 */

/** Provider regions we import, with the country each stands in (US reference regions and every Latin-American one). */
export const REGION_COUNTRY: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  aws: { "us-east-1": "US", "sa-east-1": "BR", "mx-central-1": "MX" },
  gcp: { "us-central1": "US", "southamerica-east1": "BR", "southamerica-west1": "CL", "northamerica-south1": "MX" },
  azure: { eastus: "US", brazilsouth: "BR", mexicocentral: "MX", chilecentral: "CL" },
  oci: {
    "us-ashburn-1": "US",
    "sa-saopaulo-1": "BR",
    "sa-vinhedo-1": "BR",
    "sa-bogota-1": "CO",
    "sa-santiago-1": "CL",
    "sa-valparaiso-1": "CL",
    "mx-queretaro-1": "MX",
    "mx-monterrey-1": "MX",
  },
};

/**
 * What a CPU family is, per physical core, so a shape's peak and memory bandwidth follow from its vCPU
 * count. Peaks are DERIVED (cores × clock × ops per cycle); bandwidth and power are the socket's shared
 * out per core: both are listed as estimates on every chip made from them.
 */
export interface CpuFamily {
  readonly provider: string;
  /** Instance-type prefix: "VM.Standard.E5.Flex", "t2a-standard". */
  readonly prefix: string;
  readonly processor: string;
  readonly vendor: string;
  readonly arch: string;
  readonly isa: "x86" | "arm";
  readonly vcpusPerCore: number;
  readonly clockGhz: number;
  /** Dense ops per cycle per core. */
  readonly opsPerCycle: {
    readonly fp32: number;
    readonly bf16?: number;
    readonly fp16?: number;
    readonly int8?: number;
  };
  readonly bwGbpsPerCore: number;
  readonly wattsPerCore: number;
  readonly launchYear: number;
  /** Provider page naming the processor. */
  readonly source: string;
  readonly note: string;
  /** Shared-core or burstable shapes: a sustained load gets less than the vCPUs suggest. */
  readonly burstable?: boolean;
}

export const CPU_FAMILIES: readonly CpuFamily[] = [
  {
    provider: "oci",
    prefix: "VM.Standard.E4.Flex",
    processor: "AMD EPYC 7J13 (Milan, Zen 3)",
    vendor: "AMD",
    arch: "amd-epyc",
    isa: "x86",
    vcpusPerCore: 2,
    clockGhz: 2.55,
    opsPerCycle: { fp32: 32, int8: 64 },
    bwGbpsPerCore: 3.2,
    wattsPerCore: 4.4,
    launchYear: 2021,
    source: "https://docs.oracle.com/en-us/iaas/Content/Compute/References/computeshapes.htm",
    note:
      "1 OCPU = 1 core = 2 vCPUs. fp32 = 2 × 256-bit FMA pipes (32 FLOP/cycle); Zen 3 has no AVX-512 BF16 or " +
      "VNNI, int8 ≈ 2× fp32. Bandwidth and power: 8-channel DDR4-3200 (204.8 GB/s) and 280 W shared by 64 cores.",
  },
  {
    provider: "oci",
    prefix: "VM.Standard.E5.Flex",
    processor: "AMD EPYC 9J14 (Genoa, Zen 4)",
    vendor: "AMD",
    arch: "amd-epyc",
    isa: "x86",
    vcpusPerCore: 2,
    clockGhz: 2.6,
    opsPerCycle: { fp32: 32, bf16: 64, int8: 128 },
    bwGbpsPerCore: 4.8,
    wattsPerCore: 4.2,
    launchYear: 2023,
    source: "https://docs.oracle.com/en-us/iaas/Content/Compute/References/computeshapes.htm",
    note:
      "1 OCPU = 1 core = 2 vCPUs. Zen 4 AVX-512 (double-pumped): fp32 32, bf16 64 (AVX512_BF16), int8 128 (VNNI) " +
      "per cycle, as amd-epyc-9654. Bandwidth and power: 12-channel DDR5-4800 (460.8 GB/s) and 400 W shared by " +
      "96 cores.",
  },
  {
    provider: "gcp",
    prefix: "t2a-standard",
    processor: "Ampere Altra (Arm Neoverse N1)",
    vendor: "Ampere",
    arch: "arm-neoverse-n1",
    isa: "arm",
    vcpusPerCore: 1,
    clockGhz: 3.0,
    opsPerCycle: { fp32: 16, fp16: 32, int8: 64 },
    bwGbpsPerCore: 2.56,
    wattsPerCore: 3.1,
    launchYear: 2022,
    source: "https://cloud.google.com/compute/docs/general-purpose-machines#t2a_machines",
    note:
      "1 vCPU = 1 core (no SMT). Neoverse N1: 2 × 128-bit NEON FMA (fp32 16 FLOP/cycle, fp16 32), SDOT int8 64 " +
      "ops/cycle. Bandwidth and power: 8-channel DDR4-3200 (204.8 GB/s) and 250 W shared by 80 cores.",
  },
  {
    provider: "gcp",
    prefix: "t2d-standard",
    processor: "AMD EPYC Milan (Zen 3)",
    vendor: "AMD",
    arch: "amd-epyc",
    isa: "x86",
    vcpusPerCore: 1,
    clockGhz: 2.45,
    opsPerCycle: { fp32: 32, int8: 64 },
    bwGbpsPerCore: 3.2,
    wattsPerCore: 4.4,
    launchYear: 2021,
    source: "https://cloud.google.com/compute/docs/general-purpose-machines#t2d_machines",
    note:
      "1 vCPU = 1 core (T2D runs without SMT). Zen 3: fp32 32 FLOP/cycle; no BF16/VNNI, int8 ≈ 2× fp32. " +
      "Bandwidth and power: 8-channel DDR4-3200 and 280 W shared by 64 cores.",
  },
  {
    provider: "gcp",
    prefix: "n4-standard",
    processor: "Intel Xeon 5th gen (Emerald Rapids, AMX)",
    vendor: "Intel",
    arch: "intel-xeon",
    isa: "x86",
    vcpusPerCore: 2,
    clockGhz: 2.1,
    opsPerCycle: { fp32: 64, bf16: 1024, int8: 2048 },
    bwGbpsPerCore: 5.6,
    wattsPerCore: 5.5,
    launchYear: 2024,
    source: "https://cloud.google.com/compute/docs/general-purpose-machines#n4_series",
    note:
      "2 vCPUs per core. AVX-512 fp32 64 FLOP/cycle; AMX bf16 1024 and int8 2048 ops/cycle, as " +
      "intel-xeon-8592plus. Bandwidth and power: 8-channel DDR5-5600 (358.4 GB/s) and 350 W shared by 64 cores.",
  },
];

/** One row of a SkyPilot vms.csv (v7/v8 schema). */
export interface PriceRow {
  readonly instanceType: string;
  readonly acceleratorName?: string;
  readonly acceleratorCount?: number;
  readonly vcpus: number;
  readonly memoryGib: number;
  readonly usdPerHour: number;
  readonly region: string;
}

/** Parse vms.csv text (quoted fields allowed). Rows without an on-demand price are skipped. */
export function parseVmsCsv(text: string): PriceRow[] {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== "");
  if (!lines.length) return [];
  const header = splitCsvLine(lines[0]!);
  const col = (name: string) => header.findIndex((h) => h.toLowerCase() === name.toLowerCase());
  const at = {
    type: col("InstanceType"),
    acc: col("AcceleratorName"),
    accN: col("AcceleratorCount"),
    vcpus: col("vCPUs"),
    mem: col("MemoryGiB"),
    price: col("Price"),
    region: col("Region"),
  };
  for (const [k, i] of Object.entries(at))
    if (i < 0) throw new Error(`vms.csv has no ${k} column (header: ${header.join(",")})`);
  const rows: PriceRow[] = [];
  for (const line of lines.slice(1)) {
    const f = splitCsvLine(line);
    const price = Number(f[at.price]);
    if (!f[at.price] || !Number.isFinite(price) || price <= 0) continue;
    rows.push({
      instanceType: f[at.type]!,
      acceleratorName: f[at.acc] || undefined,
      acceleratorCount: f[at.accN] ? Number(f[at.accN]) : undefined,
      vcpus: Number(f[at.vcpus]),
      memoryGib: Number(f[at.mem]),
      usdPerHour: price,
      region: f[at.region]!,
    });
  }
  return rows;
}

function splitCsvLine(line: string): string[] {
  const out: string[] = [];
  let cur = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      out.push(cur);
      cur = "";
    } else cur += c;
  }
  out.push(cur);
  return out;
}

export interface ImportOptions {
  readonly provider: string;
  /** URL of the price file at the commit imported (the `source` of every price). */
  readonly sourceUrl: string;
  /** The commit's date or the date the file was read (YYYY-MM-DD): every price's `as_of`. */
  readonly asOf: string;
  readonly minVcpus: number;
  readonly maxVcpus: number;
  /** GiB of memory per vCPU of the shapes kept (4 = the "standard" ratio); absent = every ratio. */
  readonly memPerVcpu?: number;
}

const r4 = (x: number) => Math.round(x * 1e4) / 1e4;
const slug = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9.-]+/g, "-")
    .replace(/^-+|-+$/g, "");

/** CPU shapes of one provider's table → { chips, offerings } for a catalog file. Deterministic order. */
export function importCpuShapes(
  rows: readonly PriceRow[],
  o: ImportOptions,
): { chips: Record<string, unknown>[]; offerings: Record<string, unknown>[] } {
  const regions = REGION_COUNTRY[o.provider] ?? {};
  const families = CPU_FAMILIES.filter((f) => f.provider === o.provider);
  const shapes = new Map<string, { fam: CpuFamily; row: PriceRow; prices: Map<string, number> }>();
  for (const row of rows) {
    if (row.acceleratorName) continue;
    const fam = families.find(
      (f) =>
        row.instanceType === f.prefix ||
        row.instanceType.startsWith(`${f.prefix}-`) ||
        row.instanceType.startsWith(`${f.prefix}$`),
    );
    if (!fam || regions[row.region] === undefined) continue;
    if (row.vcpus < o.minVcpus || row.vcpus > o.maxVcpus) continue;
    if (o.memPerVcpu !== undefined && Math.abs(row.memoryGib - o.memPerVcpu * row.vcpus) > 1e-6) continue;
    const s = shapes.get(row.instanceType) ?? { fam, row, prices: new Map<string, number>() };
    // Zones of one region share a price; keep the lowest if a table ever differs.
    const prev = s.prices.get(row.region);
    s.prices.set(row.region, prev === undefined ? row.usdPerHour : Math.min(prev, row.usdPerHour));
    shapes.set(row.instanceType, s);
  }
  const chips: Record<string, unknown>[] = [];
  const offerings: Record<string, unknown>[] = [];
  for (const [type, { fam, row, prices }] of [...shapes].sort(
    ([a, x], [b, y]) => x.row.vcpus - y.row.vcpus || a.localeCompare(b),
  )) {
    const cores = row.vcpus / fam.vcpusPerCore;
    const peak = (opc: number | undefined) => (opc === undefined ? undefined : r4((cores * fam.clockGhz * opc) / 1000));
    const tdp = r4(Math.max(5, cores * fam.wattsPerCore));
    const id = slug(`${o.provider}-${type}`);
    const label = `${row.vcpus} vCPU / ${row.memoryGib} GiB`;
    // SkyPilot spells a flexible shape's size into the type ("VM.Standard.E5.Flex$_4_16"); the provider's name is the part before.
    const shape = type.split("$")[0]!;
    chips.push({
      id: `vm-${id}`,
      name: `${fam.processor}, ${label} VM`,
      vendor: fam.vendor,
      class: "cpu",
      arch: fam.arch,
      peak_tops: Object.fromEntries(
        Object.entries({
          fp32: peak(fam.opsPerCycle.fp32),
          bf16: peak(fam.opsPerCycle.bf16),
          fp16: peak(fam.opsPerCycle.fp16),
          int8: peak(fam.opsPerCycle.int8),
        }).filter(([, v]) => v !== undefined),
      ),
      memory_gb: r4(row.memoryGib * 1.073741824),
      memory_bw_gbps: r4(cores * fam.bwGbpsPerCore),
      tdp_w: tdp,
      idle_w: r4(tdp * 0.3),
      clock_mhz: Math.round(fam.clockGhz * 1000),
      cores: Math.max(1, Math.round(cores)),
      runtimes:
        fam.isa === "x86" ? ["pytorch", "onnx", "openvino", "llama-cpp"] : ["pytorch", "onnx", "tflite", "llama-cpp"],
      launch_year: fam.launchYear,
      source: fam.source,
      as_of: o.asOf,
      use: "datacenter",
      estimated: ["peak_tops", "memory_bw_gbps", "tdp_w", "idle_w"],
      note: `A ${label} virtual machine on ${fam.processor}: ${cores} core(s) at ${fam.clockGhz} GHz. DERIVED peaks = cores × clock × ops/cycle. ${fam.note}`,
    });
    const regionRows = [...prices]
      .sort(([a], [b]) => (regions[a]! === regions[b]! ? a.localeCompare(b) : regions[a]!.localeCompare(regions[b]!)))
      .map(([region, usd]) => ({
        region,
        country: regions[region]!,
        usd_per_hour: usd,
        source: o.sourceUrl,
        as_of: o.asOf,
      }));
    offerings.push({
      id,
      name: `${o.provider.toUpperCase()} ${shape} ${label}`,
      chip: `vm-${id}`,
      count: 1,
      class: "cpu",
      deployment: "cloud",
      provider: { oci: "Oracle", gcp: "GCP", aws: "AWS", azure: "Azure" }[o.provider] ?? o.provider,
      instance_type: shape,
      regions: regionRows,
      billing_granularity_s: 1,
      use: "datacenter",
      source: o.sourceUrl,
      as_of: o.asOf,
      note:
        `On-demand Linux price per region from the provider's pricing data as regenerated in SkyPilot's ` +
        `catalog.${fam.burstable ? " Burstable: sustained load gets a fraction of the vCPUs." : ""}`,
    });
  }
  return { chips, offerings };
}
