// Calibrated efficiency factors and how a chip gets its own: class, architecture, software stack, chip.
import type { Chip, ChipClass } from "../catalog/schema.js";

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
  /**
   * Microcontrollers: core cycles per layer-output element, paid on top of the MACs (requantising each
   * output, padding and im2col bookkeeping, the store). Networks of many thin layers (depthwise-separable
   * MobileNet, DS-CNN) produce far more outputs per MAC than ResNets do, and a core with wide MACs (Helium)
   * spends a larger share of its time here. Optional; 0 when absent.
   */
  readonly elem_cycles?: number;
  /**
   * LLM prefill: fraction of peak compute, as serving stacks' GEMMs reach it (TensorRT-LLM, vLLM, SGLang), at
   * the clock a GPU's power lets it keep through them (energy/power-cap.ts, gemmClock).
   */
  readonly prefill: number;
  /**
   * LLM prefill under llama.cpp or Ollama: its kernels' rate × this, against the serving stacks' (`prefill`).
   * Held at its prior, not fitted (no calibration row runs llama.cpp). Optional; 1 when absent (CPUs,
   * where llama.cpp is the reference stack).
   */
  readonly llama_cpp_prefill?: number;
  /**
   * LLM decode under llama.cpp or Ollama: the rate its quantized mat-vec kernels stream weights and KV cache
   * at, × this, against the serving stacks' (`decode_mem`). Set per architecture where published same-board
   * comparisons show a gap (Jetson Orin), held at its prior. Optional; 1 when absent.
   */
  readonly llama_cpp_decode?: number;
  /** LLM decode: fraction of peak bandwidth (weights + KV cache reads). */
  readonly decode_mem: number;
  /** LLM decode: fraction of peak compute at large batch. */
  readonly decode_compute: number;
  /** LLM decode: fixed time per step, ms (sampling, scheduling, the serving engine's host work). */
  readonly step_overhead_ms: number;
  /**
   * LLM decode: what each kernel of a step costs beyond its work (launch and tail), µs. A decode step runs
   * about 10 kernels per dense layer and 18 per mixture-of-experts layer (estimate/llm-serving.ts,
   * decodeKernelsS). Held at its prior, not fitted. Optional; 0 when absent (compiled graphs).
   */
  readonly kernel_us?: number;
  /**
   * LLM decode over a tensor-parallel split: the hidden width per device (hidden / tp) at which a step's
   * matrix products still fill the device. Narrower, a share of its compute units idles and the decode
   * compute efficiency falls in proportion: × min(1, hidden / (tp × tp_width)). Set per architecture
   * (`arch`), held at its prior; absent: no loss.
   */
  readonly tp_width?: number;
  /** Training: model-FLOPs utilisation on one device. */
  readonly mfu: number;
  /** Training MFU per model family group (`cnn`, `encoder`, `llm` …) where it differs from `mfu`. */
  readonly mfu_family?: Readonly<Record<string, number>>;
  /** Training: times each layer output crosses DRAM per step (TRAIN_ACT_PASSES when absent). */
  readonly train_act_passes?: number;
}

/** The scalar factors of a class (every one but the per-family tables), as a team's own chip may override them. */
export const SCALAR_FACTORS = [
  "mem",
  "act_dram",
  "overhead_ms",
  "per_layer_us",
  "elem_cycles",
  "prefill",
  "llama_cpp_prefill",
  "llama_cpp_decode",
  "decode_mem",
  "decode_compute",
  "step_overhead_ms",
  "kernel_us",
  "mfu",
] as const satisfies readonly (keyof ClassParams)[];

/** A multiplier on a class's compute- and memory-side factors and, for microcontrollers, its cycles per output element. */
export interface Multiplier {
  readonly compute: number;
  readonly mem: number;
  readonly elem?: number;
  /** An architecture's tensor-parallel fill width (ClassParams.tp_width). */
  readonly tp_width?: number;
  /** An architecture's llama.cpp decode share (ClassParams.llama_cpp_decode). */
  readonly llama_cpp_decode?: number;
}

export interface Calibration {
  readonly version: number;
  readonly classes: Readonly<Record<ChipClass, ClassParams>>;
  /**
   * Per-architecture multipliers on the class's compute and memory efficiencies (1 = the class's),
   * fitted with shrinkage toward 1 so an architecture with little data stays close to its class.
   */
  readonly arch?: Readonly<Record<string, Multiplier>>;
  /**
   * Per-software-stack multipliers (keyed by a runtime a chip lists, e.g. `stm32cube-ai`), fitted like `arch`:
   * a vendor's own compiler can run the same core at a different speed than the generic kernels
   * (MLPerf Tiny KWS: ~4.6 M cycles on STM32 M33 parts vs ~9.8 M on the nRF5340's M33).
   */
  readonly stack?: Readonly<Record<string, Multiplier>>;
  /**
   * Per-model multipliers on non-LLM inference efficiency, for presets whose family holds several models
   * (RetinaNet runs at a lower fraction of peak than ResNet-50 on every class: its box decoding and NMS are
   * not in its FLOPs), fitted across classes with shrinkage toward 1. Models without one get 1.
   */
  readonly model?: Readonly<Record<string, { readonly compute: number; readonly mem: number }>>;
  /** Leave-one-group-out error per `class/family`, per class and overall (written by `npm run calibrate`). */
  readonly uncertainty?: Readonly<
    Record<string, { readonly median_pct: number; readonly p90_pct: number; readonly n: number }>
  >;
}

/**
 * The efficiency factors for a chip: its class's calibrated ones, overridden by its own (from
 * `hwadvise calibrate`).
 */
export function paramsFor(cal: Calibration, chip: Chip): ClassParams {
  let base = cal.classes[chip.class];
  const a = chip.arch ? cal.arch?.[chip.arch] : undefined;
  if (a) base = scaleParams(base, a.compute, a.mem);
  if (a?.elem !== undefined && base.elem_cycles !== undefined)
    base = { ...base, elem_cycles: base.elem_cycles * a.elem };
  if (a?.tp_width !== undefined) base = { ...base, tp_width: a.tp_width };
  if (a?.llama_cpp_decode !== undefined) base = { ...base, llama_cpp_decode: a.llama_cpp_decode };
  const st = stackOf(cal, chip);
  if (st) base = scaleParams(base, st.compute, st.mem);
  const own = chip.efficiency;
  if (!own) return base;
  const { compute, fitted_on: _f, ...rest } = own;
  return { ...base, ...rest, compute: { ...base.compute, ...(compute ?? {}) } };
}

/** The software-stack multiplier a chip gets: the first runtime it lists that has one. */
export function stackOf(cal: Calibration, chip: Chip): Multiplier | undefined {
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
  const mfuFamily = p.mfu_family
    ? Object.fromEntries(Object.entries(p.mfu_family).map(([k, v]) => [k, f(v, c)]))
    : undefined;
  return {
    ...p,
    compute,
    prefill: f(p.prefill, c),
    decode_compute: f(p.decode_compute, c),
    mfu: f(p.mfu, c),
    ...(mfuFamily ? { mfu_family: mfuFamily } : {}),
    mem: f(p.mem, m),
    decode_mem: f(p.decode_mem, m),
  };
}
// paramsFor builds new objects when a chip has architecture, stack or own factors: once per chip.
const paramsCache = new WeakMap<Calibration, WeakMap<Chip, ClassParams>>();
export function paramsCached(cal: Calibration, chip: Chip): ClassParams {
  let byChip = paramsCache.get(cal);
  if (!byChip) paramsCache.set(cal, (byChip = new WeakMap()));
  let v = byChip.get(chip);
  if (!v) byChip.set(chip, (v = paramsFor(cal, chip)));
  return v;
}
