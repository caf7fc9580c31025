// Training and fine-tuning time: FLOPs at a calibrated MFU, activation traffic, data-parallel scaling.
import type { Chip } from "../catalog/schema.js";
import { paramsCached, type Calibration } from "./calibration.js";
import type { TrainEstimate } from "./perf-types.js";
import { choosePrecision, bytes, peakOf } from "./precision.js";
import { fmt, usableGb } from "./roofline.js";
import { isLlm, type Workload } from "./workload.js";

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
 * Times each layer output crosses DRAM in a training step, unless calibrated (an estimate): forward writes
 * it and reads it back for batch-norm statistics and the normalise/activation pass (≈ 4), backward reads the saved
 * activations and gradients and writes the input gradients, with batch-norm backward reading twice (≈ 8).
 */
export const TRAIN_ACT_PASSES = 12;

/**
 * Scaling lost per doubling of nodes (units), on top of the loss within a node: data-parallel gradient
 * all-reduces overlap the backward pass (bucketed DDP, ZeRO), so a node added costs about what an NVLink
 * shard does. Published runs at scale keep high MFU: Llama 3 405B at 38-43% BF16 MFU on 8,192-16,384 H100
 * (Llama 3 paper, arXiv 2407.21783, Table 4), PaLM 540B at 46.2% on 6,144 TPU v4 (arXiv 2204.02311).
 * 0.02 is what leave-one-group-out on the MLPerf training rows supports (training p90 47.5% at 0.04,
 * 32.7% at 0.02, 31.3% at 0.01, 33.9% at 0): the MLPerf GPT-3 runs at 512 H100 / TPU v5p were
 * predicted ~1.5x too slow at 0.04.
 */
export const INTER_NODE_LOSS_PER_DOUBLING = 0.02;

/** Training / fine-tuning time on `devices` chips (units of `perUnit` devices each). */
export function estimateTraining(
  chip: Chip,
  devices: number,
  perUnit: number,
  w: Workload,
  cal: Calibration,
): TrainEstimate | { error: string } {
  const prec = choosePrecision(chip, w, true);
  if (!prec.ok) return { error: prec.reason };
  const m = w.model;
  const p = paramsCached(cal, chip);
  const transformer = isLlm(m) || m.family === "encoder" || m.family === "speech";
  // Forward 1 + backward 2 (weights and activations), or backward for activations only.
  const passFactor = w.method === "full" ? 3 : 2;
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
  // Dequantizing 4-bit weights on every pass (the QLoRA paper reports slower steps than LoRA).
  if (w.method === "qlora") flops *= 1.25;
  const stateGb = (m.params * TRAIN_STATE_BYTES[w.method]) / 1e9;
  const usable = usableGb(chip) * 0.75; // a quarter left for activations (with checkpointing)
  const minDevices = Math.max(1, Math.ceil(stateGb / usable));
  const link = chip.interconnect?.gbps ?? 16;
  const alphaIn = link >= 300 ? 0.02 : link >= 50 ? 0.05 : 0.1;
  const units = Math.max(1, Math.ceil(devices / perUnit));
  const scaling =
    devices <= 1
      ? 1
      : 1 /
        (1 +
          alphaIn * Math.log2(Math.min(devices, perUnit)) +
          (units > 1 ? INTER_NODE_LOSS_PER_DOUBLING * Math.log2(units) : 0));
  const mfu = p.mfu_family?.[isLlm(m) ? "llm" : m.family] ?? p.mfu;
  const rate = devices * peakOf(chip, prec.precision)! * 1e12 * mfu * scaling;
  const computeS = flops / rate;
  // Activation traffic: each counted layer output is written and re-read about TRAIN_ACT_PASSES times
  // (forward with batch-norm statistics, saved for backward, gradients). CNN training is bound by it.
  const items =
    w.trainSamples !== undefined && !(transformer && w.trainTokens !== undefined)
      ? w.trainSamples
      : (w.trainTokens ?? 0);
  // Presets count an encoder's activations per sequence (seq_len tokens), an LLM's per token.
  const elemsPerItem =
    items === w.trainTokens && !isLlm(m) ? m.activationElemsPerSample / (m.seqLen ?? 1) : m.activationElemsPerSample;
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
        `${w.method} ${w.kind}: ${fmt(flops)} FLOPs (${2 * passFactor}·N·D over ${volume()}` +
          `${attnFlops > 0 ? ` + ${fmt(attnFlops)} attention at ${seq} tokens/sequence` : ""}` +
          `${w.method === "qlora" ? ", ×1.25 dequantization" : ""})`,
        `state ${fmt(stateGb)} GB (${TRAIN_STATE_BYTES[w.method]} B/param) sharded → at least` +
          ` ${minDevices} device(s) of ${fmt(usable)} GB usable`,
        `${devices} device(s) × ${fmt(peakOf(chip, prec.precision)!)} TFLOP/s ${prec.precision}` +
          ` × MFU ${fmt(mfu, 2)} × scaling ${fmt(scaling, 2)} → ${fmt(computeS / 3600)} h of compute`,
        `activation traffic ${fmt(actBytes / 1e12)} TB (${fmt(passes)} passes) at ${fmt(chip.memory_bw_gbps)} GB/s ×` +
          ` ${fmt(p.mem, 2)} per device → ${fmt(memS / 3600)} h; ${memS > computeS ? "memory" : "compute"}-bound:` +
          ` ${fmt(hours)} h`,
      ];
    },
  };
}
