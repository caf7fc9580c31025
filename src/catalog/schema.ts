import { z } from "zod";
import { lazily } from "../once.js";
import { countryCode } from "../profile/country.js";
import { qty } from "../profile/quantity.js";
import { FAMILIES } from "../models/families.js";

/** Precisions a chip may support, narrowest last. */
export const PRECISIONS = ["fp32", "tf32", "bf16", "fp16", "fp8", "int8", "int4"] as const;
export type Precision = (typeof PRECISIONS)[number];
export const PRECISION_BYTES: Record<Precision, number> = {
  fp32: 4,
  tf32: 4,
  bf16: 2,
  fp16: 2,
  fp8: 1,
  int8: 1,
  int4: 0.5,
};

/**
 * Chip classes group devices that behave alike for the performance model (and so share calibrated
 * efficiencies): datacenter and workstation GPUs, datacenter ASICs, edge SoCs with a GPU, edge NPUs
 * (modules and SoC NPUs), microcontrollers, FPGAs and server or edge CPUs.
 */
export const CHIP_CLASSES = ["gpu", "asic", "edge-gpu", "npu", "mcu", "fpga", "cpu"] as const;
export type ChipClass = (typeof CHIP_CLASSES)[number];

/** Offering classes: the unit that recommendations report and CI compares. */
export const OFFERING_CLASSES = ["cloud-gpu", "onprem-gpu", "edge-npu", "asic", "fpga", "cpu"] as const;
export type OfferingClass = (typeof OFFERING_CLASSES)[number];

export const DEPLOYMENTS = ["cloud", "on-prem", "edge"] as const;
export type Deployment = (typeof DEPLOYMENTS)[number];

/**
 * What a product is licensed and built for. NVIDIA's GeForce EULA excludes datacenter deployment, so a
 * `consumer` part is not a datacenter answer unless the profile allows it; `workstation` cards
 * (RTX A/Ada/PRO) may sit in servers; `embedded` is modules, boards and MCUs.
 */
export const INTENDED_USES = ["consumer", "workstation", "datacenter", "embedded"] as const;
export type IntendedUse = (typeof INTENDED_USES)[number];

/** Where a product is in its life: on sale, end-of-life announced (last orders), or no longer sold. */
export const LIFECYCLE_STATUSES = ["active", "eol", "discontinued"] as const;
export type LifecycleStatus = (typeof LIFECYCLE_STATUSES)[number];

/**
 * How a part that cannot run alone attaches to the host it needs: a PCIe card, an M.2 module, a USB
 * stick, a Raspberry Pi HAT, an accelerator baseboard (HGX) that needs a server chassis, server CPUs
 * sold alone that need a board, memory and chassis (`socket`).
 */
export const HOST_INTERFACES = ["pcie", "m2", "usb", "pi-hat", "baseboard", "socket"] as const;
export type HostInterface = (typeof HOST_INTERFACES)[number];

export const RUNTIMES = [
  "cuda",
  "tensorrt",
  "tensorrt-llm",
  "vllm",
  "pytorch",
  "tensorflow",
  "jax",
  "xla",
  "onnx",
  "tflite",
  "tflite-micro",
  "openvino",
  "rocm",
  "neuron",
  "synapseai",
  "qaic",
  "groqware",
  "vitis-ai",
  "openvino-fpga",
  "rknn",
  "hailort",
  "edgetpu",
  "coreml",
  "qnn",
  "snpe",
  "cmsis-nn",
  "stm32cube-ai",
  "esp-dl",
  "max78000-sdk",
  "ethos-u-vela",
  "llama-cpp",
  "nxp-eiq",
  "mlir",
  "mlx",
  "sglang",
  "ollama",
  "tt-metal",
  "rkllm",
  "other",
] as const;
export type Runtime = (typeof RUNTIMES)[number];

/** Peak dense throughput per precision, in TFLOP/s (floating point) or TOP/s (integer). Absent = unsupported. */
/**
 * Physical ranges per device: a figure outside them is a typo or a unit mix-up (TOPS for GOPS, W for mW),
 * caught at load instead of turning into a silent wrong answer. Every built-in entry sits well inside.
 */
export const LIMITS = {
  peakTops: 1e5,
  memoryGb: 10_000,
  memoryBwGbps: 1e7,
  tdpW: 30_000,
  usdPerHourPerDevice: 500,
  capexUsdPerDevice: 5e6,
  devicesPerOffering: 100_000,
} as const;

export type Chip = z.output<Schemas["ChipSchema"]>;

export type RegionPrice = z.output<Schemas["RegionPriceSchema"]>;

export type Offering = z.output<Schemas["OfferingSchema"]>;

export type CatalogFile = z.output<Schemas["CatalogFileSchema"]>;

export interface Catalog {
  readonly chips: ReadonlyMap<string, Chip>;
  readonly offerings: readonly Offering[];
}

// Built on first use, not at import: constructing these zod schemas costs milliseconds a command
// that never reads them (catalog, schema, --version) should not pay.
function define() {
  const isoDate = z
    .union([z.string(), z.date()])
    .transform((v, ctx) => {
      const s = v instanceof Date ? v.toISOString().slice(0, 10) : v;
      if (!/^\d{4}-\d{2}(-\d{2})?$/.test(s) || Number.isNaN(Date.parse(s.length === 7 ? `${s}-01` : s))) {
        ctx.addIssue({
          code: "custom",
          message: `expected a date such as 2026-01-21 or 2026-01, found ${JSON.stringify(v)}`,
        });
        return z.NEVER;
      }
      return s;
    })
    .describe("Date the figure was read or published (YYYY-MM-DD or YYYY-MM).");
  const url = z
    .string()
    .regex(/^https?:\/\/\S+$/, "expected a URL starting with http:// or https://")
    .describe("Where a reader can check the figure.");
  const id = z
    .string()
    .regex(/^[a-z0-9][a-z0-9._-]*$/, "expected an id of lower-case letters, digits, '.', '_' or '-'");
  const tops = z.number().positive().max(LIMITS.peakTops).optional();
  /** Lifecycle of a product, with the date and page that say so. */
  const LifecycleSchema = z.strictObject({
    status: z.enum(LIFECYCLE_STATUSES),
    /** When the status took effect (EOL notice, last-time buy, end of sale). */
    date: isoDate.optional(),
    source: url.optional(),
  });
  /** Names of this entry's fields that are estimates or placeholders, not read from a source. */
  const estimated = z.array(z.string().regex(/^[a-z0-9_.]+$/)).optional();
  const PeakSchema = z.strictObject({
    fp32: tops,
    tf32: tops,
    bf16: tops,
    fp16: tops,
    fp8: tops,
    int8: tops,
    int4: tops,
  });
  const ChipSchema = z.strictObject({
    id,
    name: z.string().min(1),
    vendor: z.string().min(1),
    class: z.enum(CHIP_CLASSES),
    /**
     * Architecture family (nvidia-hopper, nvidia-ada, amd-cdna3, arm-m7 …): chips of one architecture share
     * the calibrated multipliers fitted on any of them (catalog/calibration.json `arch`).
     */
    arch: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]*$/)
      .optional(),
    /** Peak dense ops per precision, in tera-ops per second. Sparse-only datasheet values are halved (say so in note). */
    peak_tops: PeakSchema,
    /** Device memory in GB (decimal). For MCUs: SRAM usable for weights and activations. */
    memory_gb: z.number().positive().max(LIMITS.memoryGb),
    /**
     * Memory the accelerator may fill with weights and caches when it shares memory with a host OS (unified
     * memory: macOS wires at most ~75% of RAM to the GPU by default), GB. Absent: a fixed share of memory_gb.
     */
    usable_memory_gb: z.number().positive().max(LIMITS.memoryGb).optional(),
    /** Device memory bandwidth in GB/s (bytes). */
    memory_bw_gbps: z.number().positive().max(LIMITS.memoryBwGbps),
    /** On-chip SRAM/cache for weights (GB), where weights can stay on-chip (Groq, Hailo, MCU flash-free cases). */
    sram_gb: z.number().positive().max(LIMITS.memoryGb).optional(),
    /** Non-volatile storage for weights on MCUs (flash), GB. */
    flash_gb: z.number().positive().max(LIMITS.memoryGb).optional(),
    /**
     * A microcontroller whose networks run in a dataflow neural engine (MAX78000's CNN accelerator, Syntiant
     * Core 2), which requantises in its datapath: no core cycles per output element (elem_cycles).
     */
    nn_engine: z.boolean().optional(),
    /**
     * The 16-bit tensor rate that warp-level `mma.sync` kernels reach, in TFLOPS, where it is below
     * `peak_tops.fp16`: datacenter Blackwell (SM100) and Jetson Thor (SM110) reach their full rate only through
     * `tcgen05`; Ampere-era kernels (AWQ/GPTQ/Marlin 4-bit GEMMs, llama.cpp's quantized matmuls,
     * FlashAttention-2) run there at about Ampere's rate per SM. Used for prompts whose 4-bit weights such
     * kernels widen.
     */
    warp_mma_fp16_tops: tops,
    /** Max board/module power (TDP/TGP/TBP) in W. */
    tdp_w: z.number().positive().max(LIMITS.tdpW),
    /** Power when powered up but idle, W. */
    idle_w: z.number().nonnegative().max(LIMITS.tdpW),
    /** Clock for MCUs and CPUs, MHz (used for cycle-level tinyML costs). */
    clock_mhz: z.number().positive().optional(),
    /** CPU cores (CPUs), or compute units where it matters. */
    cores: z.number().int().positive().optional(),
    interconnect: z
      .strictObject({
        kind: z.string().min(1),
        /** Per-device aggregate bandwidth in GB/s. */
        gbps: z.number().positive(),
      })
      .optional(),
    runtimes: z.array(z.enum(RUNTIMES)).min(1),
    launch_year: z.number().int().min(1990).max(2030).optional(),
    source: url,
    /** More sources, where one page does not hold every figure. */
    sources: z.array(url).optional(),
    as_of: isoDate,
    /**
     * Independent NPU cores, each running its own inference (Rockchip's RK3588 has three of 2 TOPS): one
     * request runs on one core, at its share of the peak; the cores serve requests side by side.
     */
    npu_cores: z.number().int().min(2).max(64).optional(),
    /**
     * A dataflow NPU with no memory of its own beyond the chip (Hailo-8): the compiler places a network's
     * weights on-chip, so no inference re-reads them. Other chips without a stated `sram_gb` read weights
     * from `memory_gb` (an RK3588's or an i.MX 93's NPU shares the board's LPDDR).
     */
    weights_on_chip: z.boolean().optional(),
    /**
     * Runs a network one operator at a time (Tenstorrent's TT-NN): its SRAM stages each operator's tiles,
     * not the whole network, so `sram_gb` does not hold weights or activations across layers and every
     * layer pays its dispatch (`per_layer_us`), as on a GPU. Absent: a chip with `sram_gb` runs a network
     * that fits as one compiled dataflow program (Cloud AI 100, speedAI240).
     */
    op_by_op: z.literal(true).optional(),
    /**
     * The model families its compiler maps onto the accelerator, where it cannot take every family (an
     * Ethos-U65 runs CNNs; a transformer's matmuls fall back to the host CPU). Absent: any family.
     */
    families: z.array(z.enum(FAMILIES)).min(1).optional(),
    /** Inference-only parts (Inferentia, most NPUs, MCUs): excluded from training and fine-tuning. Default: true for npu and mcu classes. */
    inference_only: z.boolean().optional(),
    /** What the chip is licensed and built for (consumer, workstation, datacenter, embedded). */
    use: z.enum(INTENDED_USES).optional(),
    lifecycle: LifecycleSchema.optional(),
    /**
     * The vendor's own word that its software for this chip is not yet what it will be (preview, beta,
     * "under active development"): shown with every option on the chip, since measured speed can move
     * with each release and fewer models run.
     */
    software_preview: z.strictObject({ note: z.string().min(1), source: url }).optional(),
    /**
     * Published runs of one kind of model on this chip that came out well below what the tool estimates for
     * them (data/validation): shown with each option on the chip that serves such a model, and weighed as
     * preview software is, since the figures may not hold until a benchmark says they do. `attention: mla`:
     * models with multi-head latent attention (DeepSeek-V2/V3); `runtimes`: the serving stacks measured
     * (the gap applies to a workload on one of them, or naming none); `decode_rate`: the measured share of
     * the roofline's decode rate, which such a workload's decode steps then run at; `fitted_on`: the
     * `data/validation` sources that rate was set on (reported apart by `npm run validate`, not blind).
     */
    measured_gaps: z
      .array(
        z.strictObject({
          attention: z.literal("mla"),
          runtimes: z.array(z.enum(RUNTIMES)).min(1).optional(),
          decode_rate: z.number().gt(0).lte(1).optional(),
          fitted_on: z.array(z.string().min(1)).min(1).optional(),
          note: z.string().min(1),
          source: url,
          as_of: isoDate,
        }),
      )
      .min(1)
      .optional(),
    estimated,
    /**
     * This chip's own efficiency factors, overriding its class's calibrated ones (written by
     * `hwadvise calibrate` from a team's measurements). Fractions of peak in (0, 2]; times in ms/µs.
     */
    efficiency: z
      .strictObject({
        compute: z.record(z.string(), z.number().positive().max(2)).optional(),
        mem: z.number().positive().max(2).optional(),
        act_dram: z.number().positive().max(1).optional(),
        overhead_ms: z.number().nonnegative().max(1e4).optional(),
        per_layer_us: z.number().nonnegative().max(1e4).optional(),
        elem_cycles: z.number().nonnegative().max(1e4).optional(),
        prefill: z.number().positive().max(2).optional(),
        llama_cpp_prefill: z.number().positive().max(2).optional(),
        llama_cpp_decode: z.number().positive().max(2).optional(),
        decode_mem: z.number().positive().max(2).optional(),
        decode_compute: z.number().positive().max(2).optional(),
        step_overhead_ms: z.number().nonnegative().max(1e4).optional(),
        kernel_us: z.number().nonnegative().max(1e4).optional(),
        mfu: z.number().positive().max(1).optional(),
        mfu_family: z.record(z.string(), z.number().positive().max(1)).optional(),
        fitted_on: z.string().optional(),
      })
      .optional(),
    note: z.string().optional(),
    disabled: z.boolean().optional(),
    /**
     * Vendor power modes (Jetson nvpmodel, NPU profiles): a cap at or above a mode's watts runs in the
     * highest such mode instead of the generic clock-vs-power law.
     */
    power_modes: z
      .array(
        z.strictObject({
          /** The mode's power budget, W. */
          w: z.number().positive().max(LIMITS.tdpW),
          /** Share of the chip's peak compute in this mode (clock × enabled cores), 0–1. */
          compute: z.number().positive().max(1),
          /** Memory bandwidth in this mode, GB/s, where the mode lowers the memory clock. */
          memory_bw_gbps: z.number().positive().max(LIMITS.memoryBwGbps).optional(),
          name: z.string().optional(),
          source: url,
        }),
      )
      .min(1)
      .optional(),
  });
  /** One place an offering can be rented, with its price there. */
  const RegionPriceSchema = z.strictObject({
    /** Provider region code (us-east-1, southamerica-east1, brazilsouth …). */
    region: z.string().min(1),
    /** ISO 3166-1 alpha-2 country the region is in. */
    country: countryCode(),
    /** On-demand price for the whole offering (all its devices), USD per hour. */
    usd_per_hour: qty("usd"),
    /** One-year committed-use / reserved price, USD per hour, where published. */
    usd_per_hour_1y: qty("usd").optional(),
    /** Three-year committed-use / reserved price, USD per hour, where published. */
    usd_per_hour_3y: qty("usd").optional(),
    source: url,
    as_of: isoDate,
    note: z.string().optional(),
  });
  const OfferingSchema = z.strictObject({
    id,
    name: z.string().min(1),
    chip: id,
    /** Devices in one unit of the offering (GPUs in an instance or server, NPUs on a card). */
    count: z.number().int().positive().max(LIMITS.devicesPerOffering),
    class: z.enum(OFFERING_CLASSES),
    deployment: z.enum(DEPLOYMENTS),
    provider: z.string().min(1).optional(),
    instance_type: z.string().min(1).optional(),
    /** Cloud: where it can be rented and for how much. */
    regions: z.array(RegionPriceSchema).optional(),
    /** Bought hardware: purchase price of one unit (all its devices, host included), USD. */
    capex_usd: qty("usd").optional(),
    /**
     * Parts that need a host to run (a PCIe card, an accelerator baseboard): the host's purchase price,
     * added to capex_usd when costing. State the assumption in `note`.
     */
    host_capex_usd: qty("usd", { min: 0 }).optional(),
    /** Lease price of one unit, USD per month, where quoted. */
    lease_usd_per_month: qty("usd").optional(),
    /** Whole-unit power at full load, W (host included); defaults to count × chip TDP + host_w. */
    power_w: z.number().positive().optional(),
    /** Host (CPU, memory, fans, board) power in W, added to the devices' power. */
    host_w: z.number().nonnegative().optional(),
    /** Host power when the unit is powered but idle, W (default host_w: a host drawing its full power always). */
    host_idle_w: z.number().nonnegative().optional(),
    /** Whole-unit power asleep between requests (deep sleep it wakes from on a timer or an event), W. */
    sleep_w: z.number().nonnegative().max(LIMITS.tdpW).optional(),
    /** Time from sleep to ready to infer, ms: added to the latency of a request that wakes the unit. */
    wake_ms: z.number().nonnegative().max(600_000).optional(),
    /** Where sleep_w and wake_ms are published. */
    sleep_source: url.optional(),
    rack_units: z.number().positive().optional(),
    lead_time_weeks: z.number().nonnegative().optional(),
    /** Countries where bought hardware can be placed ("*" = anywhere). Default: anywhere. */
    countries: z.array(countryCode({ wildcard: true })).optional(),
    /** Interconnect between the offering's devices when it differs from the chip's (e.g. PCIe only). */
    interconnect_gbps: z.number().positive().optional(),
    /** Billing granularity for cloud, seconds (AWS/GCP per-second after 60 s; some per hour). */
    billing_granularity_s: z.number().positive().optional(),
    /** What the product is licensed and built for; defaults to its chip's `use`. */
    use: z.enum(INTENDED_USES).optional(),
    lifecycle: LifecycleSchema.optional(),
    /** A part that cannot run alone: how it attaches to the host it needs (absent = runs on its own). */
    requires_host: z.enum(HOST_INTERFACES).optional(),
    /** A host: which parts it takes and how many at once (e.g. { pcie: 4 } for a 4-slot server). */
    host_slots: z.partialRecord(z.enum(HOST_INTERFACES), z.number().int().positive()).optional(),
    /**
     * A host that takes only parts built for these uses (a desktop tower cools cards that carry their own
     * fans; a passively cooled datacenter card needs a server's airflow). Absent: any part.
     */
    host_takes: z.array(z.enum(INTENDED_USES)).min(1).optional(),
    /** A host sold only to carry other parts (a server chassis without accelerators): never ranked on its own. */
    host_only: z.boolean().optional(),
    /** A development or evaluation board: its price stands in for the module or board a product would ship. */
    dev_kit: z.boolean().optional(),
    estimated,
    source: url,
    as_of: isoDate,
    note: z.string().optional(),
    disabled: z.boolean().optional(),
    /**
     * The prices of this entry were quoted in this currency (ISO 4217, e.g. COP, BRL) and converted to USD
     * when the file was read, at `fx_per_usd`. Money fields then hold USD.
     */
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, "expected an ISO 4217 currency code such as COP or BRL")
      .optional(),
    /** Units of `currency` per 1 USD, as stated in the file (never fetched). */
    fx_per_usd: z.number().positive().optional(),
  });
  /** A catalog file: chips and/or offerings. Overlays use the same shape, plus `disable`. */
  const CatalogFileSchema = z.strictObject({
    chips: z.array(ChipSchema).optional(),
    offerings: z.array(OfferingSchema).optional(),
    /** Overlays only: ids of built-in chips or offerings to leave out. */
    disable: z.array(id).optional(),
    /**
     * Partial entries merged onto an existing chip or offering with the same id (a negotiated price, a
     * local quote, more regions). Fields given replace the existing ones (a `regions` list replaces the
     * whole list); the merged entry is validated with the full schema.
     */
    overrides: z.array(z.looseObject({ id })).optional(),
  });
  return {
    isoDate,
    url,
    id,
    tops,
    LifecycleSchema,
    PeakSchema,
    ChipSchema,
    RegionPriceSchema,
    OfferingSchema,
    CatalogFileSchema,
  };
}
type Schemas = ReturnType<typeof define>;
const schema = lazily(define);
export const PeakSchema = schema("PeakSchema");
export const ChipSchema = schema("ChipSchema");
export const RegionPriceSchema = schema("RegionPriceSchema");
export const OfferingSchema = schema("OfferingSchema");
export const CatalogFileSchema = schema("CatalogFileSchema");
