// Roofline core: device memory, model splits over devices, and the non-LLM inference estimate.
import type { Chip } from "../catalog/schema.js";
import { paramsCached, type Calibration } from "./calibration.js";
import type { Bound, LoadPoint, PerfEstimate } from "./perf-types.js";
import { bytes, peakOf, precisionText, type Precisions } from "./precision.js";
import { highestLoad, pow2Upto, SERVICE_LOAD, waitP99 } from "./queueing.js";
import type { ResolvedModel, Workload } from "./workload.js";
import { plural } from "../format/number.js";

/** Memory a runtime leaves for the model: GPUs and ASICs reserve ~10% (CUDA context, allocator). */
export const usableGb = (chip: Chip) =>
  chip.usable_memory_gb ?? (chip.class === "mcu" ? chip.memory_gb : chip.memory_gb * 0.9);

/**
 * Share of a device's per-device speed kept when a model is split across k devices: smaller GEMM shards
 * and a synchronisation per layer. Megatron-LM (Shoeybi et al. 2019, arXiv 1909.08053) keeps 77% of
 * linear scaling at 8-way tensor parallelism within a node: 0.77^(1/3) ≈ 0.917 per doubling.
 */
export const splitEfficiency = (k: number) => (k <= 1 ? 1 : 0.917 ** Math.log2(k));

export interface Split {
  tp: number;
  replicas: number;
  needGb: number;
  haveGb: number;
  fits: boolean;
}

/** How many devices hold one copy: the fewest (power of two, ≤ count) whose memory fits it. */
export function splitModel(
  chip: Chip,
  count: number,
  needGbAt: (tp: number) => number,
  usable: (chip: Chip) => number = usableGb,
): Split {
  for (let tp = 1; tp <= count; tp *= 2) {
    const need = needGbAt(tp);
    if (need <= usable(chip) * tp)
      return { tp, replicas: Math.floor(count / tp), needGb: need, haveGb: usable(chip) * tp, fits: true };
  }
  const tp = 2 ** Math.floor(Math.log2(count));
  return { tp, replicas: 1, needGb: needGbAt(tp), haveGb: usable(chip) * tp, fits: false };
}

export function fmt(x: number, digits = 3): string {
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
  return m.family === "encoder" || m.family === "speech" || m.family === "decoder-llm" || m.family === "moe-llm"
    ? 6
    : 1;
}

/** Non-LLM inference (CNN, encoder, diffusion, speech, MLP, tiny): roofline per batch + queueing. */
export function estimateDense(
  chip: Chip,
  count: number,
  w: Workload,
  prec: Precisions,
  cal: Calibration,
): PerfEstimate {
  const m = w.model;
  const p = paramsCached(cal, chip);
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
    ? {
        tp: 1,
        replicas: count,
        needGb: residentActGb * 4,
        haveGb: chip.memory_gb,
        fits: weightGb <= (chip.flash_gb ?? chip.memory_gb) && residentActGb * 4 <= chip.memory_gb,
      }
    : splitModel(chip, count, (tp) => weightGb + residentActGb * tp);
  const mm = cal.model?.[m.id];
  const eff =
    Math.min(1, (p.compute[m.family] ?? p.compute.default ?? 0.4) * (mm?.compute ?? 1)) * splitEfficiency(split.tp);
  // An NPU of several cores runs a request on one core: each core is a copy at its share of the chip.
  const cores = split.tp === 1 ? (chip.npu_cores ?? 1) : 1;
  const replicas = split.replicas * cores;
  const peak = (peakOf(chip, prec.precision)! * 1e12 * split.tp * eff) / cores;
  const memEff = Math.min(1, p.mem * (mm?.mem ?? 1));
  const bw = (chip.memory_bw_gbps * 1e9 * split.tp * memEff) / cores;
  // Weights that fit in on-chip SRAM are not re-read from DRAM per batch; a dataflow NPU with no DRAM of
  // its own (Hailo-8, `weights_on_chip`) holds them by design. A chip that runs a network op by op
  // (`op_by_op`) streams each operator's weights from DRAM and keeps only activations in SRAM.
  const sramGb = chip.sram_gb;
  const onChipWeights =
    sramGb !== undefined && !chip.op_by_op ? weightGb / split.tp <= sramGb : chip.weights_on_chip === true;
  // Weights are read once per network evaluation per batch (diffusion: every denoising step).
  const weightTraffic = onChipWeights ? 0 : weightGb * 1e9 * m.evalsPerSample;
  // Microcontrollers pay per-layer costs in cycles: per_layer_us is stated at a 100 MHz clock.
  const perLayerUs = chip.class === "mcu" && chip.clock_mhz ? (p.per_layer_us * 100) / chip.clock_mhz : p.per_layer_us;
  // A chip that holds the whole network in SRAM runs it as one compiled dataflow program: no per-layer
  // dispatch (speedAI240, Cloud AI 100, NPUs).
  const dispatchUs = onChipWeights && chip.class !== "mcu" ? 0 : perLayerUs;
  // ... and cycles per output element (requantisation and bookkeeping that the MAC rate does not cover).
  const elemS =
    mcu && chip.clock_mhz && !chip.nn_engine
      ? (m.activationElemsPerSample * (p.elem_cycles ?? 0)) / (chip.clock_mhz * 1e6)
      : 0;
  const fixedS =
    (p.overhead_ms + (m.layers * kernelsPerLayer(m) * m.evalsPerSample * dispatchUs) / 1000) / 1000 + elemS;
  // Chips with a stated on-chip SRAM keep a batch's activations there when the weights they hold and the
  // batch's live activations fit; only the part that spills goes to DRAM.
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
  const maxB =
    w.batchSize ??
    Math.max(1, Math.min(4096, Math.floor((usableGb(chip) * split.tp - weightGb) / Math.max(residentActGb, 1e-9))));
  const batches = w.batchSize ? [w.batchSize] : pow2Upto(mcu ? 1 : maxB);
  const sloS = w.slo.latencyMs !== undefined ? w.slo.latencyMs / 1000 : Infinity;

  // Flat out: the batch whose throughput is highest (smallest batch within 3% of it).
  let bestTp = 0;
  for (const b of batches) bestTp = Math.max(bestTp, b / t(b).s);
  const offB = batches.find((b) => b / t(b).s >= bestTp * 0.97) ?? batches[0]!;

  // Under the latency SLO: the highest arrival rate per copy at which some batch keeps p99 in bounds.
  // The unit's copies serve one queue (a load balancer; MLPerf's Server scenario has one LoadGen queue per
  // system): batches of b form from all arrivals and go to whichever copy is free, an M/D/c queue.
  const c = replicas;
  const p99 = (b: number, rate: number) => {
    const s = t(b).s;
    const rho = (rate * s) / b;
    if (rho >= 1) return Infinity;
    return s + (b - 1) / (rate * c) + waitP99(s, rho, 1 / b, c);
  };
  // p99 is at least the service time: a batch slower than the SLO meets it at no load.
  const { rate: capPerCopy, batch: capB } = highestLoad(
    batches,
    (b) => t(b).s,
    (b, rate) => p99(b, rate) <= sloS,
    (b) => t(b).s > sloS,
  );
  const opB = w.kind === "batch-inference" && sloS === Infinity ? offB : capB;
  const op = t(opB);
  const bound: Bound = fixedS > Math.max(op.comp, op.mem) ? "overhead" : op.comp >= op.mem ? "compute" : "memory";
  // A service keeps 10% of flat-out throughput free for bursts, as the LLM path does (SERVICE_LOAD).
  const capacity =
    (w.kind === "batch-inference" && sloS === Infinity ? bestTp : Math.min(capPerCopy, SERVICE_LOAD * bestTp)) *
    replicas;
  // Written when read: a profile estimates every chip × count of the catalog and explains a few.
  const breakdown = (): string[] => [
    `${precisionText(prec)}: peak ${fmt(peakOf(chip, prec.precision)!)} TOPS × ${split.tp} device(s) × efficiency` +
      ` ${fmt(eff, 2)}; bandwidth ${fmt(chip.memory_bw_gbps)} GB/s × ${fmt(memEff, 2)}`,
    `weights ${fmt(weightGb)} GB${weightTraffic === 0 ? " (held on-chip)" : ""}; ${fmt(m.flopsPerSample / 1e9)} GFLOP` +
      ` and ${fmt(actBytes / 1e6)} MB activations per sample; fixed ${fmt(fixedS * 1000)} ms per batch (${m.layers}` +
      ` layers${elemS > 0 ? `; ${fmt(m.activationElemsPerSample)} outputs × ${fmt(p.elem_cycles!, 2)} cycles = ${fmt(elemS * 1000)} ms` : ""})`,
    `batch ${opB}: ${fmt(op.s * 1000)} ms per batch (compute ${fmt(op.comp * 1000)} ms, memory ${fmt(op.mem * 1000)}` +
      ` ms) → ${bound}-bound`,
    `${plural(replicas, "copy", "copies")} per unit × ${fmt(capacity / replicas)}/s =` +
      ` ${fmt(capacity)}/s per unit${Number.isFinite(sloS) ? ` within p99 ${fmt(sloS * 1000)} ms` : ""}`,
  ];
  return {
    chip: chip.id,
    count,
    precision: prec.precision,
    quantized: prec.quantized,
    tp: split.tp,
    replicas,
    memoryNeededGb: split.needGb,
    memoryAvailableGb: split.haveGb,
    fits: split.fits,
    batch: opB,
    bound,
    capacityPerS: capacity,
    maxThroughputPerS: bestTp * replicas,
    unloadedLatencyMs: t(1).s * 1000,
    get breakdown() {
      return breakdown();
    },
    atLoad: (perUnit) => {
      const rate = perUnit / replicas;
      if (rate <= 0) return { latencyP99Ms: t(1).s * 1000, batch: 1, utilization: 0 };
      let best: LoadPoint | undefined;
      for (const b of batches) {
        const lat = p99(b, rate);
        if (Number.isFinite(lat) && (!best || lat < best.latencyP99Ms / 1000))
          best = { latencyP99Ms: lat * 1000, batch: b, utilization: Math.min(1, (rate * t(b).s) / b) };
      }
      return best;
    },
  };
}
