// What the estimators return: inference and training estimates, LLM deployment configurations, load points.
import type { Precision } from "../catalog/schema.js";

export type Bound = "compute" | "memory" | "interconnect" | "overhead";

/** The performance one unit (chip × count) reaches for a workload. Times in ms, rates per second. */
export interface PerfEstimate {
  readonly chip: string;
  readonly count: number;
  readonly precision: Precision;
  readonly quantized: boolean;
  /** The precision the weights are stored and read at, where narrower than `precision` (weight-only kernels). */
  readonly weightsPrecision?: Precision;
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
  /**
   * Layers split over `pp` devices that run one after another (llama.cpp, Ollama): memory pooled, one
   * device's speed.
   */
  readonly sequentialLayers?: boolean;
  /** Disaggregated serving: of the `replicas` copies, this many only prefill prompts; the rest only decode. */
  readonly prefillCopies?: number;
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

/**
 * Concurrent streams one unit holds: every copy's slots, but under disaggregated serving only the decode
 * copies hold streams (a prefill copy hands each request on once its prompt is done).
 */
export const streamsPerUnit = (p: PerfEstimate): number => p.batch * (p.replicas - (p.llmConfig?.prefillCopies ?? 0));

/**
 * Units of this estimate that carry `needPerS` requests a second and hold `concurrency` streams (at least
 * one); a need is only given for an estimate that carries some load (capacityPerS > 0).
 */
export const unitsNeeded = (p: PerfEstimate, needPerS?: number, concurrency?: number): number =>
  Math.max(
    needPerS !== undefined ? Math.ceil(needPerS / p.capacityPerS - 1e-9) : 1,
    concurrency !== undefined ? Math.ceil(concurrency / streamsPerUnit(p)) : 1,
    1,
  );
