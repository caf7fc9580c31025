import { PRECISION_BYTES, PRECISIONS, type Chip, type ChipClass, type Precision } from "../catalog/schema.js";
import { isLlm, type ResolvedModel, type Workload } from "./workload.js";

/** Efficiency factors of one chip class, fitted against published measurements (catalog/calibration.json). */
export interface ClassParams {
  /** Achieved fraction of peak compute for non-LLM inference, per model family (`default` otherwise). */
  readonly compute: Readonly<Record<string, number>>;
  /** Achieved fraction of peak memory bandwidth for non-LLM inference. */
  readonly mem: number;
  /**
   * Share of activation bytes that reach DRAM (the rest stay in caches or fused kernels): large L2/L3
   * caches and layer fusion keep most CNN activations on-chip. Optional; 1 when absent.
   */
  readonly act_dram?: number;
  /** Fixed time per batch (launch, host round trip), ms. */
  readonly overhead_ms: number;
  /** Time per layer per batch (kernel launch / dispatch floor), µs. */
  readonly per_layer_us: number;
  /** LLM prefill: fraction of peak compute. */
  readonly prefill: number;
  /** LLM decode: fraction of peak bandwidth (weights + KV cache reads). */
  readonly decode_mem: number;
  /** LLM decode: fraction of peak compute at large batch. */
  readonly decode_compute: number;
  /** LLM decode: fixed time per step, ms (sampling, scheduling, launches). */
  readonly step_overhead_ms: number;
  /** Training: model-FLOPs utilisation on one device. */
  readonly mfu: number;
  /** Training MFU per model family group (`cnn`, `encoder`, `llm` …) where it differs from `mfu`. */
  readonly mfu_family?: Readonly<Record<string, number>>;
  /** Training: times each layer output crosses DRAM per step (TRAIN_ACT_PASSES when absent). */
  readonly train_act_passes?: number;
}

export interface Calibration {
  readonly version: number;
  readonly classes: Readonly<Record<ChipClass, ClassParams>>;
  /**
   * Per-architecture multipliers on the class's compute and memory efficiencies (1 = the class's),
   * fitted with shrinkage toward 1 so an architecture with little data stays close to its class.
   */
  readonly arch?: Readonly<Record<string, { readonly compute: number; readonly mem: number }>>;
  /**
   * Per-software-stack multipliers (keyed by a runtime a chip lists, e.g. `stm32cube-ai`), fitted like `arch`:
   * a vendor's own compiler can run the same core at a different speed than the generic kernels
   * (MLPerf Tiny KWS: ~4.6 M cycles on STM32 M33 parts vs ~9.8 M on the nRF5340's M33).
   */
  readonly stack?: Readonly<Record<string, { readonly compute: number; readonly mem: number }>>;
  /**
   * Per-model multipliers on non-LLM inference efficiency, for presets whose family holds several models
   * (RetinaNet runs at a lower fraction of peak than ResNet-50 on every class: its box decoding and NMS are
   * not in its FLOPs), fitted across classes with shrinkage toward 1. Models without one get 1.
   */
  readonly model?: Readonly<Record<string, { readonly compute: number; readonly mem: number }>>;
  /** Leave-one-group-out error per `class/family`, per class and overall (written by `npm run calibrate`). */
  readonly uncertainty?: Readonly<Record<string, { readonly median_pct: number; readonly p90_pct: number; readonly n: number }>>;
}

export type Bound = "compute" | "memory" | "interconnect" | "overhead";

/** The performance one unit (chip × count) reaches for a workload. Times in ms, rates per second. */
export interface PerfEstimate {
  readonly chip: string;
  readonly count: number;
  readonly precision: Precision;
  readonly quantized: boolean;
  /** Devices that hold one copy of the model (tensor/pipeline parallel degree). */
  readonly tp: number;
  /** Model copies one unit runs. */
  readonly replicas: number;
  /** Memory one copy needs vs what its devices have, GB. */
  readonly memoryNeededGb: number;
  readonly memoryAvailableGb: number;
  readonly fits: boolean;
  /** Batch (non-LLM) or concurrent sequences per copy (LLM) at the chosen operating point. */
  readonly batch: number;
  readonly bound: Bound;
  /** Requests/s one unit sustains while meeting the latency SLOs (or flat out, with none). */
  readonly capacityPerS: number;
  /** Requests/s one unit reaches flat out, ignoring latency SLOs (the Offline figure). */
  readonly maxThroughputPerS: number;
  /** Latency of one request on an idle unit, ms. */
  readonly unloadedLatencyMs: number;
  /** LLMs: prefill of one request, and one decode step at the chosen batch, ms. */
  readonly prefillMs?: number;
  readonly stepMs?: number;
  /** LLMs: decode rate of a lone stream on an idle unit, tokens/s. */
  readonly unloadedTokensPerS?: number;
  /** LLMs: the deployment configuration chosen for the unit, and the best one that differs from it. */
  readonly llmConfig?: LlmConfig;
  readonly runnerUp?: LlmConfig;
  /** Lines that explain how the figures came about. */
  readonly breakdown: readonly string[];
  /** p99 latency (ms) and batch at a given per-unit load (requests/s); undefined if over capacity. */
  readonly atLoad: (perUnitPerS: number) => LoadPoint | undefined;
}

/**
 * How one unit serves an LLM: devices per copy split tensor- (`tp`) and pipeline-parallel (`pp`), copies
 * per unit, the KV-cache precision, concurrent sequences per copy and whether prompts are prefilled in
 * chunks inside decode steps. Capacity and flat-out rate are per unit, requests/s.
 */
export interface LlmConfig {
  readonly tp: number;
  readonly pp: number;
  readonly replicas: number;
  readonly kvCache: Precision;
  readonly slots: number;
  readonly chunkedPrefill: boolean;
  /** Layers split over `pp` devices that run one after another (llama.cpp, Ollama): memory pooled, one device's speed. */
  readonly sequentialLayers?: boolean;
  readonly capacityPerS: number;
  readonly maxThroughputPerS: number;
}

export interface LoadPoint {
  readonly latencyP99Ms: number;
  readonly batch: number;
  /** Fraction of time the devices are busy. */
  readonly utilization: number;
  readonly ttftMs?: number;
  /** LLM decode rate one stream sees, tokens/s. */
  readonly tokensPerS?: number;
}

export interface TrainEstimate {
  readonly chip: string;
  readonly precision: Precision;
  readonly devices: number;
  readonly flops: number;
  readonly memoryPerDeviceGb: number;
  readonly memoryAvailableGb: number;
  readonly fits: boolean;
  readonly minDevices: number;
  readonly scaling: number;
  readonly timeToTrainH: number;
  readonly bound: Bound;
  readonly breakdown: readonly string[];
}

/** What a chip runs a workload at: compute precision, and the precision its weights are read at. */
type Precisions = { precision: Precision; quantized: boolean; weights: Precision };

export type PrecisionChoice =
  | {
      ok: true;
      /** The precision the chip computes in. */
      precision: Precision;
      quantized: boolean;
      /**
       * The precision the weights are stored and read at: the asked one when the chip computes wider
       * because it lacks the asked one (int4 weights dequantized in-kernel, as AWQ/GPTQ kernels,
       * llama.cpp and Neural Speed do); otherwise `precision`.
       */
      weights: Precision;
    }
  | { ok: false; reason: string; supported: Precision[] };

const bytes = (p: Precision) => PRECISION_BYTES[p];
const peakOf = (chip: Chip, p: Precision) => chip.peak_tops[p];

/**
 * The precision a chip runs the workload at. Wider than asked is always possible (dequantize); narrower
 * only when quantization is allowed, and not below the narrowest precision the model family tolerates.
 * Among the allowed ones, the fastest wins; among equally fast ones, the asked precision (an int8 model
 * on a microcontroller whose int8 and fp32 rates are equal stays int8), else the wider one.
 */
export function choosePrecision(chip: Chip, w: Workload, training = false): PrecisionChoice {
  const supported = PRECISIONS.filter((p) => peakOf(chip, p) !== undefined);
  // 4-bit LLM weights are weight-only (AWQ, GPTQ, llama.cpp Q4): kernels dequantize them and multiply
  // at 16 bits on GPUs, so int4 tensor peaks do not apply; llama.cpp on CPUs multiplies them with
  // 8-bit activations (ggml's q4_0 × q8_0 dot products). Weights stay 4-bit in memory.
  if (!training && w.precision === "int4" && isLlm(w.model) && !w.int4Activations) {
    const wide = (chip.class === "cpu" ? (["int8", "fp16", "bf16"] as const) : (["fp16", "bf16", "int8"] as const)).filter((p) => peakOf(chip, p) !== undefined);
    const c = wide.length > 1 && wide[0] !== "int8" && peakOf(chip, wide[1]!)! > peakOf(chip, wide[0]!)! && wide[1] !== "int8" ? wide[1]! : wide[0];
    if (c) return { ok: true, precision: c, quantized: false, weights: "int4" };
  }
  // Training runs bf16 unless fp8, fp32 or int8 (quantized matmuls, e.g. TPU AQT) is asked for.
  const want = training ? (w.precision === "fp8" || w.precision === "fp32" || w.precision === "int8" ? w.precision : "bf16") : w.precision;
  const wantBytes = bytes(want);
  const floorBytes = training ? Math.min(wantBytes, 2) : bytes(w.model.minPrecision);
  const candidates = supported.filter((p) => {
    const b = bytes(p);
    if (training && (p === "int4" || (p === "int8" && want !== "int8"))) return false;
    if (b >= wantBytes) return true;
    return w.quantization === "allowed" && b >= floorBytes;
  });
  if (candidates.length === 0) {
    return { ok: false, reason: `runs ${supported.join("/")}; the model needs ${want}${w.quantization === "forbidden" ? " and quantization is forbidden" : ` (no narrower than ${w.model.minPrecision})`}`, supported };
  }
  // Exact match first when quantization is not wanted; otherwise the fastest.
  if (w.quantization === "forbidden" && candidates.includes(want)) return { ok: true, precision: want, quantized: false, weights: want };
  let best = candidates[0]!;
  for (const p of candidates) {
    const better = w.quantization === "allowed"
      ? peakOf(chip, p)! > peakOf(chip, best)! * 1.0001 || (Math.abs(peakOf(chip, p)! - peakOf(chip, best)!) <= peakOf(chip, best)! * 1e-4 && best !== want && (p === want || bytes(p) > bytes(best)))
      : bytes(p) < bytes(best) || (bytes(p) === bytes(best) && peakOf(chip, p)! > peakOf(chip, best)!);
    if (better) best = p;
  }
  // Weights the profile states narrower than anything the chip computes in stay narrow in memory.
  const weights = !training && w.quantization === "forbidden" && wantBytes < bytes(best) ? want : best;
  return { ok: true, precision: best, quantized: bytes(best) < wantBytes, weights };
}

/** Memory a runtime leaves for the model: GPUs and ASICs reserve ~10% (CUDA context, allocator). */
const usableGb = (chip: Chip) => chip.usable_memory_gb ?? (chip.class === "mcu" ? chip.memory_gb : chip.memory_gb * 0.9);

/**
 * Share of a device's per-device speed kept when a model is split across k devices: smaller GEMM shards
 * and a synchronisation per layer. Megatron-LM (Shoeybi et al. 2019, arXiv 1909.08053) keeps 77% of
 * linear scaling at 8-way tensor parallelism within a node: 0.77^(1/3) ≈ 0.917 per doubling.
 */
const splitEfficiency = (k: number) => (k <= 1 ? 1 : Math.pow(0.917, Math.log2(k)));

const pow2Upto = (max: number) => {
  const out: number[] = [];
  for (let b = 1; b <= max; b *= 2) out.push(b);
  return out;
};

/**
 * Share of flat-out throughput a latency-bound service is loaded to: slots kept free for bursts. MLPerf
 * Server results reach a median 0.89 of the same system's Offline (49 pairs in mlperf_calibration.csv,
 * quartiles 0.82–0.95).
 */
const SERVICE_LOAD = 0.9;

/** Utilisation levels at which the queueing model is evaluated, highest first. */
const RHO_GRID = [0.995, 0.99, 0.98, 0.97, 0.95, 0.93, 0.9, 0.87, 0.84, 0.8, 0.75, 0.7, 0.65, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1, 0.05, 0.02, 0.01, 0.001];

/**
 * The highest arrival rate per copy, over batch sizes and the utilisation grid, at which
 * `meets(b, rate)` holds, and its batch (the first one when none does). A batch of b takes periodS(b);
 * `hopeless(b)` skips batch sizes that no load can serve within bounds.
 */
function highestLoad(batches: readonly number[], periodS: (b: number) => number, meets: (b: number, rate: number) => boolean, hopeless?: (b: number) => boolean): { rate: number; batch: number } {
  let rate = 0;
  let batch = batches[0]!;
  for (const b of batches) {
    if (hopeless?.(b)) continue;
    const s = periodS(b);
    for (const rho of RHO_GRID) {
      const r = (rho * b) / s;
      if (meets(b, r)) {
        if (r > rate) {
          rate = r;
          batch = b;
        }
        break;
      }
    }
  }
  return { rate, batch };
}

/** How a breakdown names the precision: compute precision, quantization, and weights read narrower. */
const precisionText = (prec: Precisions) => `precision ${prec.precision}${prec.quantized ? " (quantized)" : ""}${prec.weights !== prec.precision ? ` (weights ${prec.weights}, widened in-kernel)` : ""}`;

/**
 * p99 waiting time in a G/D/c queue (c servers, service time s, utilisation rho per server, squared
 * coefficient of variation ca2 of the inter-arrival times). Allen–Cunneen: an arrival waits with the
 * Erlang C probability P (= rho for one server), and a waiting time is close to exponential with mean
 * s·ca2 / (2c(1 − rho)) (service is deterministic), so the 99th percentile is that mean × ln(100·P).
 * Poisson requests: ca2 = 1 (M/D/c). Batches of b Poisson requests arrive as an Erlang-b stream: ca2 = 1/b.
 */
export function waitP99(s: number, rho: number, ca2 = 1, c = 1): number {
  if (rho >= 1) return Infinity;
  const pw = c === 1 ? rho : erlangC(c, rho);
  if (pw <= 0.01) return 0;
  return ((s * ca2) / (2 * c * (1 - rho))) * Math.log(100 * pw);
}

/** Erlang C: probability that an arrival waits in an M/M/c queue at utilisation rho per server. */
export function erlangC(c: number, rho: number): number {
  const a = c * rho;
  // Erlang B by its recurrence (stable for large c), then C from B.
  let b = 1;
  for (let k = 1; k <= c; k++) b = (a * b) / (k + a * b);
  return b / (1 - rho * (1 - b));
}

/** The efficiency factors for a chip: its class's calibrated ones, overridden by its own (from `hwadvise calibrate`). */
export function paramsFor(cal: Calibration, chip: Chip): ClassParams {
  let base = cal.classes[chip.class];
  const a = chip.arch ? cal.arch?.[chip.arch] : undefined;
  if (a) base = scaleParams(base, a.compute, a.mem);
  const st = stackOf(cal, chip);
  if (st) base = scaleParams(base, st.compute, st.mem);
  const own = chip.efficiency;
  if (!own) return base;
  const { compute, fitted_on: _f, ...rest } = own;
  return { ...base, ...rest, compute: { ...base.compute, ...(compute ?? {}) } };
}

/** The software-stack multiplier a chip gets: the first runtime it lists that has one. */
export function stackOf(cal: Calibration, chip: Chip): { readonly compute: number; readonly mem: number } | undefined {
  if (!cal.stack) return undefined;
  for (const r of chip.runtimes) {
    const f = cal.stack[r];
    if (f) return f;
  }
  return undefined;
}

/** A class's factors with its compute-side efficiencies × c and memory-side × m. */
export function scaleParams(p: ClassParams, c: number, m: number): ClassParams {
  // A fraction of peak stays a fraction: no multiplier takes an efficiency past 1.
  const f = (x: number, k: number) => Math.min(1, x * k);
  const compute: Record<string, number> = {};
  for (const [k, v] of Object.entries(p.compute)) compute[k] = f(v, c);
  const mfuFamily = p.mfu_family ? Object.fromEntries(Object.entries(p.mfu_family).map(([k, v]) => [k, f(v, c)])) : undefined;
  return { ...p, compute, prefill: f(p.prefill, c), decode_compute: f(p.decode_compute, c), mfu: f(p.mfu, c), ...(mfuFamily ? { mfu_family: mfuFamily } : {}), mem: f(p.mem, m), decode_mem: f(p.decode_mem, m) };
}
// paramsFor builds new objects when a chip has architecture, stack or own factors: once per chip.
const paramsCache = new WeakMap<Calibration, WeakMap<Chip, ClassParams>>();
function cp(cal: Calibration, chip: Chip): ClassParams {
  let byChip = paramsCache.get(cal);
  if (!byChip) paramsCache.set(cal, (byChip = new WeakMap()));
  let v = byChip.get(chip);
  if (!v) byChip.set(chip, (v = paramsFor(cal, chip)));
  return v;
}

interface Split {
  tp: number;
  replicas: number;
  needGb: number;
  haveGb: number;
  fits: boolean;
}

/** How many devices hold one copy: the fewest (power of two, ≤ count) whose memory fits it. */
function splitModel(chip: Chip, count: number, needGbAt: (tp: number) => number, usable: (chip: Chip) => number = usableGb): Split {
  for (let tp = 1; tp <= count; tp *= 2) {
    const need = needGbAt(tp);
    if (need <= usable(chip) * tp) return { tp, replicas: Math.floor(count / tp), needGb: need, haveGb: usable(chip) * tp, fits: true };
  }
  const tp = 2 ** Math.floor(Math.log2(count));
  return { tp, replicas: 1, needGb: needGbAt(tp), haveGb: usable(chip) * tp, fits: false };
}

function fmt(x: number, digits = 3): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return "0";
  const a = Math.abs(x);
  if (a >= 1e4 || a < 1e-3) return x.toExponential(2);
  return Number(x.toPrecision(digits)).toString();
}

/**
 * Kernels launched per counted layer: presets count conv/linear layers for CNNs, MLPs and tinyML models
 * (one kernel each after fusion) but blocks for transformers, whose block runs ~6 fused kernels (QKV
 * projection, attention, output projection, two FFN GEMMs, a norm).
 */
function kernelsPerLayer(m: ResolvedModel): number {
  return m.family === "encoder" || m.family === "speech" || m.family === "decoder-llm" || m.family === "moe-llm" ? 6 : 1;
}

/** Non-LLM inference (CNN, encoder, diffusion, speech, MLP, tiny): roofline per batch + queueing. */
function estimateDense(chip: Chip, count: number, w: Workload, prec: Precisions, cal: Calibration): PerfEstimate {
  const m = w.model;
  const p = cp(cal, chip);
  const pb = bytes(prec.precision);
  const weightGb = (m.params * bytes(prec.weights)) / 1e9;
  // Dataflow parts (NPUs, MCUs, FPGAs) keep activations on-chip; others write and read each layer's output.
  const onChipActs = chip.class === "npu" || chip.class === "mcu" || chip.class === "fpga";
  const actBytes = onChipActs ? 0 : m.activationElemsPerSample * pb * 2 * (p.act_dram ?? 1);
  // Live activations of one sample: about four of its average layer outputs at a time (for ResNet-50,
  // 4 × 11.1M / 54 ≈ 0.8M elements, its largest tensor); diffusion runs its network evalsPerSample times.
  const residentActGb = ((m.activationElemsPerSample / Math.max(1, m.layers) / m.evalsPerSample) * 4 * pb) / 1e9;
  const mcu = chip.class === "mcu";
  // MCUs keep weights in flash and activations in SRAM.
  const split = mcu
    ? { tp: 1, replicas: count, needGb: residentActGb * 4, haveGb: chip.memory_gb, fits: weightGb <= (chip.flash_gb ?? chip.memory_gb) && residentActGb * 4 <= chip.memory_gb }
    : splitModel(chip, count, (tp) => weightGb + residentActGb * tp);
  const mm = cal.model?.[m.id];
  const eff = Math.min(1, (p.compute[m.family] ?? p.compute.default ?? 0.4) * (mm?.compute ?? 1)) * splitEfficiency(split.tp);
  const peak = peakOf(chip, prec.precision)! * 1e12 * split.tp * eff;
  const memEff = Math.min(1, p.mem * (mm?.mem ?? 1));
  const bw = chip.memory_bw_gbps * 1e9 * split.tp * memEff;
  // Weights that fit in on-chip SRAM are not re-read from DRAM per batch.
  // NPUs without a stated SRAM size (Hailo) hold weights on-chip by design.
  const onChipWeights = chip.sram_gb !== undefined ? weightGb / split.tp <= chip.sram_gb : chip.class === "npu";
  // Weights are read once per network evaluation per batch (diffusion: every denoising step).
  const weightTraffic = onChipWeights ? 0 : weightGb * 1e9 * m.evalsPerSample;
  // Microcontrollers pay per-layer costs in cycles: per_layer_us is stated at a 100 MHz clock.
  const perLayerUs = chip.class === "mcu" && chip.clock_mhz ? (p.per_layer_us * 100) / chip.clock_mhz : p.per_layer_us;
  // A chip that holds the whole network in SRAM runs it as one compiled dataflow program: no per-layer
  // dispatch (speedAI240, Cloud AI 100, NPUs).
  const dispatchUs = onChipWeights && chip.class !== "mcu" ? 0 : perLayerUs;
  const fixedS = (p.overhead_ms + (m.layers * kernelsPerLayer(m) * m.evalsPerSample * dispatchUs) / 1000) / 1000;
  // Chips with a stated on-chip SRAM keep a batch's activations there when the weights they hold and the
  // batch's live activations fit; only the part that spills goes to DRAM.
  const sramGb = chip.sram_gb;
  const spill = (b: number) => {
    if (sramGb === undefined || actBytes === 0) return 1;
    const live = b * residentActGb;
    const free = sramGb - (onChipWeights ? weightGb / split.tp : 0);
    return Math.min(1, Math.max(0, (live - free) / live));
  };
  // Time per batch, once per batch size: the SLO search below asks for each size at every load.
  const times = new Map<number, { s: number; comp: number; mem: number }>();
  const t = (b: number) => {
    let v = times.get(b);
    if (!v) {
      const comp = (b * m.flopsPerSample) / peak;
      const mem = (weightTraffic + b * actBytes * spill(b)) / bw;
      times.set(b, (v = { s: fixedS + Math.max(comp, mem), comp, mem }));
    }
    return v;
  };
  const maxB = w.batchSize ?? Math.max(1, Math.min(4096, Math.floor(((usableGb(chip) * split.tp - weightGb) / Math.max(residentActGb, 1e-9)))));
  const batches = w.batchSize ? [w.batchSize] : pow2Upto(mcu ? 1 : maxB);
  const sloS = w.slo.latencyMs !== undefined ? w.slo.latencyMs / 1000 : Infinity;

  // Flat out: the batch whose throughput is highest (smallest batch within 3% of it).
  let bestTp = 0;
  for (const b of batches) bestTp = Math.max(bestTp, b / t(b).s);
  const offB = batches.find((b) => b / t(b).s >= bestTp * 0.97) ?? batches[0]!;

  // Under the latency SLO: the highest arrival rate per copy at which some batch keeps p99 in bounds.
  // The unit's copies serve one queue (a load balancer; MLPerf's Server scenario has one LoadGen queue per
  // system): batches of b form from all arrivals and go to whichever copy is free, an M/D/c queue.
  const c = split.replicas;
  const p99 = (b: number, rate: number) => {
    const s = t(b).s;
    const rho = (rate * s) / b;
    if (rho >= 1) return Infinity;
    return s + (b - 1) / (rate * c) + waitP99(s, rho, 1 / b, c);
  };
  // p99 is at least the service time: a batch slower than the SLO meets it at no load.
  const { rate: capPerCopy, batch: capB } = highestLoad(batches, (b) => t(b).s, (b, rate) => p99(b, rate) <= sloS, (b) => t(b).s > sloS);
  const opB = w.kind === "batch-inference" && sloS === Infinity ? offB : capB;
  const op = t(opB);
  const bound: Bound = fixedS > Math.max(op.comp, op.mem) ? "overhead" : op.comp >= op.mem ? "compute" : "memory";
  // A service keeps 10% of flat-out throughput free for bursts, as the LLM path does (SERVICE_LOAD).
  const capacity = (w.kind === "batch-inference" && sloS === Infinity ? bestTp : Math.min(capPerCopy, SERVICE_LOAD * bestTp)) * split.replicas;
  // Written when read: a profile estimates every chip × count of the catalog and explains a few.
  const breakdown = (): string[] => [
    `${precisionText(prec)}: peak ${fmt(peakOf(chip, prec.precision)!)} TOPS × ${split.tp} device(s) × efficiency ${fmt(eff, 2)}; bandwidth ${fmt(chip.memory_bw_gbps)} GB/s × ${fmt(memEff, 2)}`,
    `weights ${fmt(weightGb)} GB${weightTraffic === 0 ? " (held on-chip)" : ""}; ${fmt(m.flopsPerSample / 1e9)} GFLOP and ${fmt(actBytes / 1e6)} MB activations per sample; fixed ${fmt(fixedS * 1000)} ms per batch (${m.layers} layers)`,
    `batch ${opB}: ${fmt(op.s * 1000)} ms per batch (compute ${fmt(op.comp * 1000)} ms, memory ${fmt(op.mem * 1000)} ms) → ${bound}-bound`,
    `${split.replicas} cop${split.replicas === 1 ? "y" : "ies"} per unit × ${fmt(capacity / split.replicas)}/s = ${fmt(capacity)}/s per unit${Number.isFinite(sloS) ? ` within p99 ${fmt(sloS * 1000)} ms` : ""}`,
  ];
  return {
    chip: chip.id,
    count,
    precision: prec.precision,
    quantized: prec.quantized,
    tp: split.tp,
    replicas: split.replicas,
    memoryNeededGb: split.needGb,
    memoryAvailableGb: split.haveGb,
    fits: split.fits,
    batch: opB,
    bound,
    capacityPerS: capacity,
    maxThroughputPerS: bestTp * split.replicas,
    unloadedLatencyMs: t(1).s * 1000,
    get breakdown() {
      return breakdown();
    },
    atLoad: (perUnit) => {
      const rate = perUnit / split.replicas;
      if (rate <= 0) return { latencyP99Ms: t(1).s * 1000, batch: 1, utilization: 0 };
      let best: LoadPoint | undefined;
      for (const b of batches) {
        const lat = p99(b, rate);
        if (Number.isFinite(lat) && (!best || lat < best.latencyP99Ms / 1000)) best = { latencyP99Ms: lat * 1000, batch: b, utilization: Math.min(1, (rate * t(b).s) / b) };
      }
      return best;
    },
  };
}

/**
 * Bytes an LLM weight takes in memory. 4-bit formats store a scale per small group of weights: llama.cpp
 * Q4_0 keeps an fp16 scale per 32 weights (4.5 bits a weight), NVFP4 an fp8 scale per 16 (4.5 bits),
 * AWQ/GPTQ a scale and zero point per 128 (≈ 4.25 bits); 4.5 bits is taken for all of them.
 */
const llmWeightBytes = (p: Precision) => (p === "int4" ? 4.5 / 8 : bytes(p));

/** The KV-cache precision that goes with a compute precision: 16-bit, or 8-bit for 8-bit and narrower compute. */
const defaultKv = (p: Precision): Precision => (bytes(p) >= 2 ? "fp16" : "fp8");

/**
 * Bytes of KV cache per token of context, at the precision the cache is kept in. Models with multi-head
 * latent attention (DeepSeek-V2/V3) cache one compressed latent plus a RoPE key per layer instead of
 * keys and values per KV head (DeepSeek-V2 paper, arXiv 2405.04434, §2.1.3).
 */
function kvBytesPerToken(m: ResolvedModel, kv: Precision): number {
  const kvB = Math.max(1, Math.min(2, bytes(kv)));
  if (m.kvLoraRank !== undefined) return m.layers * (m.kvLoraRank + (m.ropeHeadDim ?? 64)) * kvB;
  return 2 * m.layers * (m.kvHeads ?? 8) * (m.headDim ?? 128) * kvB;
}

/**
 * Memory an LLM serving stack can fill with weights and KV cache. vLLM pre-allocates
 * gpu_memory_utilization = 0.9 of the device by default and TensorRT-LLM gives 0.9 of what the weights
 * leave to the KV cache; both let it be raised, and deployments at the edge of the weights (a 72B bf16
 * model on 2 × 80 GB, Qwen2 deployment guides) run at 0.95. The rest is the CUDA context and activation
 * workspace. A chip whose memory is shared with a host OS states what its accelerator may use.
 */
const LLM_MEMORY_SHARE = 0.95;
const llmUsableGb = (chip: Chip) => chip.usable_memory_gb ?? (chip.class === "mcu" ? chip.memory_gb : chip.memory_gb * LLM_MEMORY_SHARE);

/** Configurations compared within this share of the best capacity count as equal: the simpler one wins. */
const CONFIG_TIE = 0.03;

/**
 * LLM inference: prefill compute-bound, decode reads weights + KV cache each step, continuous batching.
 * The deployment configuration is searched as serving planners do (NVIDIA's aiconfigurator, vLLM and
 * TensorRT-LLM tuning guides): every split of a copy over a power-of-two number of the unit's devices into
 * tensor- × pipeline-parallel degrees that holds the weights, copies on the remaining devices, KV cache in
 * 16 or 8 bits (8 bits where quantization is allowed), sequence slots up to what memory holds, and prefill
 * run alone or chunked into decode steps. The configuration with the highest capacity within the profile's
 * TTFT/TPOT/latency limits wins (flat-out rate without limits): a unit's price is fixed, so it is also the
 * cheapest per token. Among near-equal ones the one with fewer devices per copy, no pipeline, a 16-bit cache
 * and no chunking wins. A 70B model in fp8 that barely fits one 80 GB device is weighed as copies holding
 * what memory allows against splits over 2–8 devices batching hundreds of sequences each.
 */
function estimateLlm(chip: Chip, count: number, w: Workload, prec: Precisions, cal: Calibration): PerfEstimate {
  const m = w.model;
  const weightGb = (m.params * llmWeightBytes(prec.weights)) / 1e9;
  const kvDefault = defaultKv(prec.precision);
  // An 8-bit cache is a quantization: offered where it is allowed and the chip has an 8-bit datapath.
  const kvChoices: Precision[] = kvDefault === "fp16" && w.quantization === "allowed" && (chip.peak_tops.fp8 !== undefined || chip.peak_tops.int8 !== undefined) ? ["fp16", "fp8"] : [kvDefault];
  const seqTokens = w.inputTokens + m.beams * w.outputTokens;
  const kvPerReqGb = (kv: Precision) => (kvBytesPerToken(m, kv) * seqTokens) / 1e9;
  const narrowKv = kvChoices[kvChoices.length - 1]!;
  const first = splitModel(chip, count, () => weightGb + kvPerReqGb(narrowKv), llmUsableGb);
  if (!first.fits) return llmAt(chip, count, w, prec, cal, { ...first, pp: 1 }, narrowKv, false);
  // Chunked prefill is offered where no per-stream rate is asked for: a chunk lengthens the step of every
  // stream it rides with, and on the one interactive result we have (8× MI300X, TPOT ≤ 40 ms) modelling
  // it as free overlap over-predicts 2.9×, so TPOT-bound services are planned with prefill alone.
  const local = w.runtime === "llama-cpp" || w.runtime === "ollama" || w.runtime === "mlx";
  const chunkChoices = w.batching === "static" || w.slo.tokensPerS !== undefined || local ? [false] : [false, true];
  if (local) {
    // llama.cpp and Ollama split a model's layers over the devices it needs and run them in turn (no
    // tensor parallelism, no overlap across requests): the memory of d devices at one device's speed.
    const configs = kvChoices.map((kv) => llmAt(chip, count, w, prec, cal, { tp: 1, pp: 1, replicas: Math.floor(count / first.tp), needGb: weightGb + kvPerReqGb(kv), haveGb: llmUsableGb(chip) * first.tp, fits: true }, kv, false, first.tp));
    const best = configs.reduce((a, b) => (b.capacityPerS > a.capacityPerS * (1 + CONFIG_TIE) ? b : a));
    const other = configs.find((e) => e !== best);
    if (other) best.runnerUp = other.llmConfig;
    return best;
  }
  // Pipeline stages are searched where links are slow (PCIe cards): over NVLink-class links tensor
  // parallelism wins or ties in this model, as TensorRT-LLM and vLLM guides advise (TP within a node).
  const maxPp = (chip.interconnect?.gbps ?? 0) >= 100 ? 1 : count;
  let best: ReturnType<typeof llmAt> | undefined;
  let flatOut = 0;
  const configs: ReturnType<typeof llmAt>[] = [];
  for (let d = first.tp; d <= count; d *= 2) {
    for (let pp = 1; pp <= d && pp <= maxPp && pp <= m.layers; pp *= 2) {
      const tp = d / pp;
      for (const kv of kvChoices) {
        if (weightGb + kvPerReqGb(kv) > llmUsableGb(chip) * d) continue;
        for (const chunked of chunkChoices) {
          // Devices beyond a multiple of the copy's size stay idle, as in splitModel.
          const e = llmAt(chip, count, w, prec, cal, { tp, pp, replicas: Math.floor(count / d), needGb: weightGb + kvPerReqGb(kv), haveGb: llmUsableGb(chip) * d, fits: true }, kv, chunked);
          configs.push(e);
          flatOut = Math.max(flatOut, e.maxThroughputPerS);
        }
      }
    }
  }
  // Nothing meets the limits: the closest miss is the one with the fastest streams and first token.
  const score = (e: ReturnType<typeof llmAt>) => (e.capacityPerS > 0 ? e.capacityPerS : 0);
  const anyMeets = configs.some((e) => e.capacityPerS > 0);
  const simpler = (a: ReturnType<typeof llmAt>, b: ReturnType<typeof llmAt>) => {
    const ka = [a.tp * (a.llmConfig!.pp), a.llmConfig!.pp, bytes(a.llmConfig!.kvCache) === 2 ? 0 : 1, a.llmConfig!.chunkedPrefill ? 1 : 0];
    const kb = [b.tp * (b.llmConfig!.pp), b.llmConfig!.pp, bytes(b.llmConfig!.kvCache) === 2 ? 0 : 1, b.llmConfig!.chunkedPrefill ? 1 : 0];
    for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i]! < kb[i]!;
    return false;
  };
  const better = (a: ReturnType<typeof llmAt>, b: ReturnType<typeof llmAt>) => {
    if (!anyMeets) {
      const la = (a.prefillMs ?? 0) + w.outputTokens * (a.stepMs ?? 0);
      const lb = (b.prefillMs ?? 0) + w.outputTokens * (b.stepMs ?? 0);
      return la < lb * (1 - CONFIG_TIE) || (la <= lb * (1 + CONFIG_TIE) && simpler(a, b));
    }
    const sa = score(a);
    const sb = score(b);
    return sa > sb * (1 + CONFIG_TIE) || (sa >= sb * (1 - CONFIG_TIE) && simpler(a, b));
  };
  for (const e of configs) if (!best || better(e, best)) best = e;
  const chosen = best!;
  // The runner-up: the best configuration with another split (else another cache or prefill choice).
  let runner: ReturnType<typeof llmAt> | undefined;
  const sameSplit = (e: ReturnType<typeof llmAt>) => e.tp === chosen.tp && e.llmConfig!.pp === chosen.llmConfig!.pp;
  for (const e of configs) if (e !== chosen && !sameSplit(e) && (!runner || better(e, runner))) runner = e;
  if (!runner) for (const e of configs) if (e !== chosen && (!runner || better(e, runner))) runner = e;
  chosen.maxThroughputPerS = flatOut;
  chosen.runnerUp = runner?.llmConfig;
  return chosen;
}

/** How an LLM copy serves requests at a batch size: rates per copy, the batch that meets the limits. */
interface Serving {
  /** Requests per second flat out at B concurrent requests. */
  rate(B: number): number;
  /** Tokens per second each stream sees at B concurrent requests. */
  perStream(B: number): number;
  /** The batch of the highest rate that meets the profile's limits, and that rate (0: none meets them). */
  readonly batch: number;
  readonly capacity: number;
  /** Requests per second flat out at the best batch, limits aside. */
  readonly flatOut: number;
  /** The operating point at r requests per second per copy. */
  at(r: number): LoadPoint | undefined;
}

/**
 * One LLM operating point: `split.tp` × `split.pp` devices per copy, `split.replicas` copies, the KV
 * cache at `kv`, prefill alone or chunked into decode steps.
 */
function llmAt(chip: Chip, count: number, w: Workload, prec: Precisions, cal: Calibration, split: Split & { pp: number }, kv: Precision, chunked: boolean, layerDevices = 1): { -readonly [K in keyof PerfEstimate]: PerfEstimate[K] } {
  const m = w.model;
  const p = cp(cal, chip);
  const pb = llmWeightBytes(prec.weights);
  const weightGb = (m.params * pb) / 1e9;
  const kvTok = kvBytesPerToken(m, kv);
  const beams = m.beams;
  const seqTokens = w.inputTokens + beams * w.outputTokens;
  const kvPerReqGb = (kvTok * seqTokens) / 1e9;
  const k = split.tp;
  const pp = split.pp;
  // Pipeline stages lose what tensor shards do (uneven stages, a hand-off per stage, scheduling): the
  // same Megatron-LM factor per doubling, applied to the devices a copy spans.
  const peakC = peakOf(chip, prec.precision)! * 1e12 * k * splitEfficiency(k * pp);
  const bw = chip.memory_bw_gbps * 1e9 * k * splitEfficiency(k * pp);
  const hidden = m.hidden ?? 4096;
  const linkBps = ((chip.interconnect?.gbps ?? 32) / 2) * 1e9;
  // Per layer two all-reduces over the tensor shards; per stage boundary one send of the activations.
  const allReduce = (tokens: number) => (k <= 1 ? 0 : 2 * m.layers * (8e-6 + ((2 * (k - 1)) / k) * tokens * hidden * 2 / linkBps)) + (pp - 1) * (8e-6 + (tokens * hidden * 2) / linkBps);
  // Mixture of experts: a step reads only the experts its tokens are routed to.
  const experts = m.experts ?? 1;
  const topK = m.expertsPerToken ?? experts;
  const expertParams = experts > 1 ? (m.params - m.activeParams) / (1 - topK / experts) : 0;
  const sharedParams = m.params - expertParams;
  const weightReadBytes = (seqs: number) => (sharedParams + expertParams * (1 - Math.pow(1 - topK / experts, seqs))) * pb;
  const attnHeadsDim = hidden; // heads × head_dim
  // One prompt's prefill: its compute at the copy's tensor-parallel rate (a prompt crosses the pipeline
  // stages one after another, so its latency does not shrink with pp).
  const prefillComp = (2 * m.activeParams * w.inputTokens + 2 * m.layers * w.inputTokens * w.inputTokens * attnHeadsDim) / (peakC * p.prefill); // causal: QK^T and AV at half
  const prefillS = p.overhead_ms / 1000 + Math.max(prefillComp, weightReadBytes(w.inputTokens) / (bw * p.decode_mem)) + allReduce(w.inputTokens);
  // What a prompt costs the copy's throughput: pipeline stages prefill different prompts at once.
  const prefillCostS = prefillS / pp;
  const ctx = w.inputTokens + w.outputTokens / 2;
  /**
   * One decode step of `reqs` requests: the time until every sequence has its next token. With pp stages
   * the sequences go through in micro-batches of mb = seqs / pp (at least 1); a stage takes its 1/pp share
   * of the layers' work on a micro-batch, and a token passes all pp stages, so a step takes the whole
   * model's time on one micro-batch: the weights are read once per micro-batch, pp times per step (a
   * pipeline pays for itself where links are too slow for tensor parallelism).
   * Chunked prefill adds the step's share of prompt tokens (reqs × input / output) to its compute, where a
   * memory-bound step has room for them (vLLM chunked prefill, TensorRT-LLM chunked context).
   */
  // Once per batch size: the serving search asks for each size at every load.
  const steps = new Map<number, { s: number; comp: number; mem: number; comm: number }>();
  const step = (reqs: number) => {
    let v = steps.get(reqs);
    if (!v) steps.set(reqs, (v = stepAt(reqs)));
    return v;
  };
  const stepAt = (reqs: number) => {
    const seqs = reqs * beams;
    const mb = Math.max(seqs / pp, 1);
    const share = mb / seqs;
    const chunkTokens = chunked ? (reqs * w.inputTokens) / w.outputTokens : 0;
    const comp = (2 * m.activeParams * mb) / (peakC * p.decode_compute) + (chunked ? (prefillComp * reqs * share) / w.outputTokens : 0);
    const mem = (weightReadBytes(mb) + mb * kvTok * ctx) / (bw * p.decode_mem);
    const comm = allReduce(mb + chunkTokens * share);
    return { s: p.step_overhead_ms / 1000 + Math.max(comp, mem) + comm, comp, mem, comm };
  };
  // Ollama serves 4 requests of a model at once unless told otherwise (OLLAMA_NUM_PARALLEL, ollama PR
  // #4218); llama.cpp's server starts 4 slots (llama.cpp issue #17989).
  const slotCap = w.runtime === "ollama" || w.runtime === "llama-cpp" ? 4 : Infinity;
  const maxReqs = split.fits ? Math.max(1, Math.min(slotCap, Math.floor((split.haveGb - weightGb) / kvPerReqGb))) : 1;
  const cands = w.batchSize ? [Math.min(w.batchSize, maxReqs)] : [...pow2Upto(Math.min(maxReqs, 4096)), ...(maxReqs <= 4096 && !Number.isInteger(Math.log2(maxReqs)) ? [maxReqs] : [])];
  const out = w.outputTokens;
  const p99Out = w.outputTokensP99 ?? out;
  const serving = w.batching === "static" ? staticServing() : continuousServing();
  const { rate, perStream } = serving;
  const bestB = serving.batch;
  const capacityPerCopy = serving.capacity;
  const offRate = serving.flatOut;

  /** Continuous batching (vLLM, TGI, TensorRT-LLM): requests join and leave the running batch every step. */
  function continuousServing(): Serving {
    // Prefill alone pauses decoding for each prompt; chunked, it rides in the decode steps (longer steps).
    const rate = (B: number) => (chunked ? B / (out * step(B).s) : B / (out * step(B).s + B * prefillCostS));
    const perStream = (B: number) => (chunked ? 1 / step(B).s : (1 / step(B).s) * (1 - Math.min(0.99, rate(B) * prefillCostS)));
    const ttft = (B: number, r: number) => prefillS + step(B).s + waitP99(prefillCostS, r * prefillCostS);
    const serviceLoad = w.kind === "batch-inference" ? 1 : SERVICE_LOAD;
    /**
     * The per-stream rate of the slowest 1% of requests (TPOT limits are p99 over requests, as MLPerf's
     * are): a request's decode is paused by the prompts that arrive during it, a Poisson count with mean
     * λ = r × its lifetime; its 99th percentile is about λ + 2.33√λ (normal approximation).
     */
    const perStreamP99 = (B: number, r: number) => {
      if (chunked) return perStream(B);
      const lifeS = out / perStream(B);
      const lambda = r * lifeS;
      return out / (out * step(B).s + (lambda + 2.33 * Math.sqrt(lambda)) * prefillCostS);
    };
    const meets = (B: number) => {
      const r = rate(B) * serviceLoad;
      if (w.slo.tokensPerS !== undefined && perStreamP99(B, r) < w.slo.tokensPerS) return false;
      if (w.slo.ttftMs !== undefined && ttft(B, r) * 1000 > w.slo.ttftMs) return false;
      // A p99 bound on the whole request is set by the longest outputs, not the mean one.
      if (w.slo.latencyMs !== undefined && (ttft(B, r) + p99Out * step(B).s) * 1000 > w.slo.latencyMs) return false;
      return true;
    };
    let batch = cands[0]!;
    let best = 0;
    let flatOut = 0;
    for (const B of cands) {
      flatOut = Math.max(flatOut, rate(B));
      if (meets(B) && rate(B) > best) {
        best = rate(B);
        batch = B;
      }
    }
    return {
      rate,
      perStream,
      batch,
      capacity: best * serviceLoad,
      flatOut,
      at: (r) => {
        // The smallest batch that carries the load gives the fastest streams.
        for (const B of cands) {
          if (rate(B) * serviceLoad >= r || B === cands[cands.length - 1]) {
            if (rate(B) < r) return undefined;
            const tt = ttft(B, r);
            return { latencyP99Ms: (tt + out * step(B).s) * 1000, batch: B, utilization: Math.min(1, r / rate(B)), ttftMs: tt * 1000, tokensPerS: perStream(B) };
          }
        }
        return undefined;
      },
    };
  }

  /**
   * Static batching (Hugging Face generate(), many CPU stacks): a batch of B requests is prefilled together
   * and decodes until its longest request ends; requests that arrive meanwhile wait for the next batch,
   * which forms as the batches of a dense model do (see estimateDense).
   */
  function staticServing(): Serving {
    // The longest of B outputs: the mean for one request, toward the p99 as B nears 100.
    const longest = (B: number) => out + (p99Out - out) * Math.min(1, Math.log(B) / Math.log(100));
    const batchS = (B: number) => B * prefillS + longest(B) * step(B).s;
    const rate = (B: number) => B / batchS(B);
    const perStream = (B: number) => 1 / step(B).s;
    const at = (B: number, r: number) => {
      const d = batchS(B);
      const rho = (r * d) / B;
      if (rho >= 1) return undefined;
      const wait = (B - 1) / r + waitP99(d, rho, 1 / B);
      const ttft = wait + B * prefillS + step(B).s;
      // The slowest 1% of requests are in a batch that runs to their length.
      return { ttft, latency: wait + B * prefillS + Math.max(longest(B), p99Out) * step(B).s, rho };
    };
    const meets = (B: number, r: number) => {
      const x = at(B, r);
      if (!x) return false;
      if (w.slo.tokensPerS !== undefined && perStream(B) < w.slo.tokensPerS) return false;
      if (w.slo.ttftMs !== undefined && x.ttft * 1000 > w.slo.ttftMs) return false;
      return w.slo.latencyMs === undefined || x.latency * 1000 <= w.slo.latencyMs;
    };
    const limited = w.slo.tokensPerS !== undefined || w.slo.ttftMs !== undefined || w.slo.latencyMs !== undefined;
    let flatOut = 0;
    let flatB = cands[0]!;
    for (const B of cands) {
      if (rate(B) > flatOut) {
        flatOut = rate(B);
        flatB = B;
      }
    }
    const { rate: best, batch } = limited ? highestLoad(cands, batchS, meets) : { rate: flatOut, batch: flatB };
    return {
      rate,
      perStream,
      batch,
      capacity: limited && w.kind !== "batch-inference" ? Math.min(best, SERVICE_LOAD * flatOut) : best,
      flatOut,
      at: (r) => {
        let pt: LoadPoint | undefined;
        for (const B of cands) {
          const x = at(B, r);
          if (x && (!pt || x.latency * 1000 < pt.latencyP99Ms)) pt = { latencyP99Ms: x.latency * 1000, batch: B, utilization: Math.min(1, x.rho), ttftMs: x.ttft * 1000, tokensPerS: perStream(B) };
        }
        return pt;
      },
    };
  }
  const st = step(bestB);
  const bound: Bound = st.comm > Math.max(st.comp, st.mem) ? "interconnect" : st.comp >= st.mem ? "compute" : "memory";
  // Written when read: a profile estimates every chip × count of the catalog and explains a few.
  const config: LlmConfig = { tp: k, pp: pp * layerDevices, replicas: split.replicas, kvCache: kv, slots: bestB, chunkedPrefill: chunked, ...(layerDevices > 1 ? { sequentialLayers: true } : {}), capacityPerS: capacityPerCopy * split.replicas, maxThroughputPerS: offRate * split.replicas };
  const breakdown = (): string[] => [
    `${precisionText(prec)}; weights ${fmt(weightGb)} GB over ${k * pp * layerDevices} device(s) (${configText(config)}); KV cache ${kv} ${fmt(kvTok / 1e3)} kB/token, ${fmt(kvPerReqGb * 1000)} MB per request (${w.inputTokens}+${beams > 1 ? `${beams}×` : ""}${out} tokens)`,
    `prefill ${fmt(prefillS * 1000)} ms for ${w.inputTokens} tokens at ${fmt(p.prefill, 2)} of peak ${fmt(peakOf(chip, prec.precision)! * k)} TOPS${chunked ? ", chunked into the decode steps" : ""}`,
    `decode step at ${bestB} concurrent: ${fmt(st.s * 1000)} ms (compute ${fmt(st.comp * 1000)}, memory ${fmt(st.mem * 1000)}, interconnect ${fmt(st.comm * 1000)} ms) → ${bound}-bound; ${fmt(perStream(bestB))} tokens/s per stream`,
    `${fmt(capacityPerCopy)} requests/s per copy (${fmt(capacityPerCopy * out)} output tokens/s); memory allows ${maxReqs} concurrent requests`,
    ...(est.runnerUp ? [`runner-up: ${configText(est.runnerUp)}, ${fmt(est.runnerUp.capacityPerS * out)} output tokens/s per unit within the limits (chosen: ${fmt(config.capacityPerS * out)})`] : []),
  ];
  const est: { -readonly [K in keyof PerfEstimate]: PerfEstimate[K] } = {
    chip: chip.id,
    count,
    precision: prec.precision,
    quantized: prec.quantized,
    tp: k,
    replicas: split.replicas,
    memoryNeededGb: split.needGb,
    memoryAvailableGb: split.haveGb,
    fits: split.fits,
    batch: bestB,
    bound,
    capacityPerS: capacityPerCopy * split.replicas,
    maxThroughputPerS: offRate * split.replicas,
    unloadedLatencyMs: (prefillS + out * step(1).s) * 1000,
    prefillMs: prefillS * 1000,
    stepMs: st.s * 1000,
    unloadedTokensPerS: 1 / step(1).s,
    llmConfig: config,
    get breakdown() {
      return breakdown();
    },
    atLoad: (perUnit) => serving.at(perUnit / split.replicas),
  };
  return est;
}

/** "TP4 × PP1, 2 copies, 256 slots, fp8 KV cache, chunked prefill": a configuration in words. */
export function configText(c: LlmConfig): string {
  return `TP${c.tp} × PP${c.pp}${c.sequentialLayers ? " (layers in turn)" : ""}, ${c.replicas} cop${c.replicas === 1 ? "y" : "ies"}, ${c.slots} slot${c.slots === 1 ? "" : "s"} each, ${c.kvCache} KV cache${c.chunkedPrefill ? ", chunked prefill" : ""}`;
}

/** Inference estimate for one unit of `count` devices. */
export function estimateInference(chip: Chip, count: number, w: Workload, cal: Calibration): PerfEstimate | { error: string } {
  const prec = choosePrecision(chip, w);
  if (!prec.ok) return { error: prec.reason };
  return isLlm(w.model) ? estimateLlm(chip, count, w, prec, cal) : estimateDense(chip, count, w, prec, cal);
}

/** Bytes of training state per parameter (weights, gradients, optimizer) by method. */
export const TRAIN_STATE_BYTES = {
  /** Mixed-precision Adam: bf16 weights 2 + bf16 grads 2 + fp32 master 4 + Adam moments 8 (ZeRO paper). */
  full: 16,
  /** LoRA: frozen bf16 weights 2 + adapters (~1% of params at 16 B). */
  lora: 2.16,
  /** QLoRA: 4-bit NF4 weights 0.5 + quantization constants ~0.02 + adapters. */
  qlora: 0.68,
};

/**
 * Times each layer output crosses DRAM in a training step, unless calibrated (an estimate): forward writes it and reads it
 * back for batch-norm statistics and the normalise/activation pass (≈ 4), backward reads the saved
 * activations and gradients and writes the input gradients, with batch-norm backward reading twice (≈ 8).
 */
export const TRAIN_ACT_PASSES = 12;

/** Training / fine-tuning time on `devices` chips (units of `perUnit` devices each). */
export function estimateTraining(chip: Chip, devices: number, perUnit: number, w: Workload, cal: Calibration): TrainEstimate | { error: string } {
  const prec = choosePrecision(chip, w, true);
  if (!prec.ok) return { error: prec.reason };
  const m = w.model;
  const p = cp(cal, chip);
  const transformer = isLlm(m) || m.family === "encoder" || m.family === "speech";
  const passFactor = w.method === "full" ? 3 : 2; // forward 1 + backward 2 (weights and activations), or backward for activations only
  let flops: number;
  let volume: () => string; // for the breakdown, written when read
  if (transformer && w.trainTokens !== undefined) {
    flops = 2 * passFactor * m.activeParams * w.trainTokens;
    volume = () => `${fmt(w.trainTokens!)} tokens`;
  } else if (w.trainSamples !== undefined) {
    flops = passFactor * m.flopsPerSample * w.trainSamples;
    volume = () => `${fmt(w.trainSamples!)} samples`;
  } else if (w.trainTokens !== undefined) {
    flops = 2 * passFactor * m.activeParams * w.trainTokens;
    volume = () => `${fmt(w.trainTokens!)} tokens`;
  } else {
    return { error: "the profile gives no training volume (workload.dataset.tokens or samples)" };
  }
  // Attention scores and weighted sums (no weights, so their backward pass costs 2× forward whatever
  // the method): per token and layer 4·seq·hidden FLOPs forward, halved by the causal mask of decoders.
  const seq = transformer && w.trainTokens !== undefined ? (w.trainSeqLen ?? 0) : 0;
  const attnFlops = 3 * (isLlm(m) ? 2 : 4) * m.layers * seq * (m.hidden ?? 0) * (w.trainTokens ?? 0);
  flops += attnFlops;
  if (w.method === "qlora") flops *= 1.25; // dequantizing 4-bit weights on every pass (QLoRA paper reports slower steps than LoRA)
  const stateGb = (m.params * TRAIN_STATE_BYTES[w.method]) / 1e9;
  const usable = usableGb(chip) * 0.75; // a quarter left for activations (with checkpointing)
  const minDevices = Math.max(1, Math.ceil(stateGb / usable));
  const link = chip.interconnect?.gbps ?? 16;
  const alphaIn = link >= 300 ? 0.02 : link >= 50 ? 0.05 : 0.1;
  const units = Math.max(1, Math.ceil(devices / perUnit));
  const scaling = devices <= 1 ? 1 : 1 / (1 + alphaIn * Math.log2(Math.min(devices, perUnit)) + (units > 1 ? 0.04 * Math.log2(units) : 0));
  const mfu = p.mfu_family?.[isLlm(m) ? "llm" : m.family] ?? p.mfu;
  const rate = devices * peakOf(chip, prec.precision)! * 1e12 * mfu * scaling;
  const computeS = flops / rate;
  // Activation traffic: each counted layer output is written and re-read about TRAIN_ACT_PASSES times
  // (forward with batch-norm statistics, saved for backward, gradients). CNN training is bound by it.
  const items = w.trainSamples !== undefined && !(transformer && w.trainTokens !== undefined) ? w.trainSamples : (w.trainTokens ?? 0);
  // Presets count an encoder's activations per sequence (seq_len tokens), an LLM's per token.
  const elemsPerItem = items === w.trainTokens && !isLlm(m) ? m.activationElemsPerSample / (m.seqLen ?? 1) : m.activationElemsPerSample;
  const passes = p.train_act_passes ?? TRAIN_ACT_PASSES;
  const actBytes = passes * elemsPerItem * bytes(prec.precision) * items;
  const memS = actBytes / (devices * chip.memory_bw_gbps * 1e9 * p.mem * scaling);
  const hours = Math.max(computeS, memS) / 3600;
  return {
    chip: chip.id,
    precision: prec.precision,
    devices,
    flops,
    memoryPerDeviceGb: stateGb / devices,
    memoryAvailableGb: usable,
    fits: devices >= minDevices,
    minDevices,
    scaling,
    timeToTrainH: hours,
    bound: memS > computeS ? "memory" : "compute",
    // Written when read: a deadline search estimates many device counts and explains one.
    get breakdown() {
      return [
        `${w.method} ${w.kind}: ${fmt(flops)} FLOPs (${2 * passFactor}·N·D over ${volume()}${attnFlops > 0 ? ` + ${fmt(attnFlops)} attention at ${seq} tokens/sequence` : ""}${w.method === "qlora" ? ", ×1.25 dequantization" : ""})`,
        `state ${fmt(stateGb)} GB (${TRAIN_STATE_BYTES[w.method]} B/param) sharded → at least ${minDevices} device(s) of ${fmt(usable)} GB usable`,
        `${devices} device(s) × ${fmt(peakOf(chip, prec.precision)!)} TFLOP/s ${prec.precision} × MFU ${fmt(mfu, 2)} × scaling ${fmt(scaling, 2)} → ${fmt(computeS / 3600)} h of compute`,
        `activation traffic ${fmt(actBytes / 1e12)} TB (${fmt(passes)} passes) at ${fmt(chip.memory_bw_gbps)} GB/s × ${fmt(p.mem, 2)} per device → ${fmt(memS / 3600)} h; ${memS > computeS ? "memory" : "compute"}-bound: ${fmt(hours)} h`,
      ];
    },
  };
}
