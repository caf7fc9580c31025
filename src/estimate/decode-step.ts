// A GPU decode step: its fixed costs, compute-unit fill, and the prompt tokens chunked prefill puts into it.
import type { Chip } from "../catalog/schema.js";
import type { ClassParams } from "./calibration.js";
import { onLlamaCpp, type ResolvedModel, type Workload } from "./workload.js";

/**
 * What a GPU decode step costs beyond its work: each layer is a sequence of kernels, and a small kernel
 * costs a few µs of launch and tail on top of what it moves (NVIDIA's aiconfigurator adds 3 µs to every
 * memory-bound kernel: data/reference/achievable_fractions.md). A dense decoder layer runs about 10
 * (two norms, QKV, attention, output projection, two all-reduces or residual adds, gate/up, activation,
 * down); a mixture-of-experts layer about 8 more (router, top-k, token permute, two grouped expert GEMMs,
 * combine, shared expert); latent attention (MLA) 7 more than grouped-query attention (MLA_EXTRA_KERNELS).
 * DeepSeek-R1 (61 layers, 58 of them MoE) pays ~4.6 ms a step this way, which is about what its published
 * low-concurrency decode on H200 and B200 shows beyond the weights it reads (data/validation, InferenceX
 * rows). The per-kernel cost is a class factor (kernel_us: GPUs 3 µs); other classes run compiled graphs
 * and carry only their per-step figure.
 */
export function decodeKernelsS(p: ClassParams, m: ResolvedModel): number {
  const perLayer = ((m.experts ?? 1) > 1 ? 18 : 10) + (m.kvLoraRank !== undefined ? MLA_EXTRA_KERNELS : 0);
  return (m.layers * perLayer * (p.kernel_us ?? 0)) / 1e6;
}

/**
 * Kernels a decode step's latent attention runs beyond grouped-query attention's four (QKV projection, RoPE,
 * attention, output projection). SGLang's absorbed MLA path (sgl-project/sglang
 * python/sglang/srt/models/deepseek_v2.py, forward_absorb_prepare and forward_absorb_core) runs 11: the
 * fused query/KV-latent down-projection, the query and KV-latent norms, the query up-projection, an fp8
 * quantization and a batched matmul absorbing w_kc into the queries, RoPE, attention over the latent cache,
 * another quantization and batched matmul (w_vc), and the output projection.
 */
export const MLA_EXTRA_KERNELS = 7;

/**
 * Copies of each KV head a tensor-parallel split keeps: past the model's KV heads, vLLM, TensorRT-LLM,
 * SGLang and NeuronX replicate every head over tp / kv_heads shards, so the cache a copy holds and reads
 * each step grows by that factor (Mistral 7B, 8 KV heads, over a trn1.32xlarge's 32 NeuronCores reads its
 * cache four times). Latent attention (MLA) is left at 1: its stacks shard or batch-split it (DP attention).
 */
export const kvReplicas = (m: ResolvedModel, tp: number): number =>
  m.kvLoraRank === undefined && m.kvHeads !== undefined ? Math.max(1, tp / m.kvHeads) : 1;

/**
 * Rows (sequences in a step) up to which a thin tensor-parallel shard's decode step loses the same share of
 * its compute, and past which more rows fill the idle compute units: a step's matrix products are tiled over
 * rows × columns, and a taller batch adds rows of tiles. AMD's vLLM latency table, which set the amd-cdna3
 * fill width (priors.ts), grows by the same time per sequence from batch 1 to 128, so the loss holds to at
 * least 128 rows; 128 is the smallest value that table allows (GEMM macro-tiles of 128 rows are common on
 * ROCm), not a fitted one.
 */
export const FILL_TILE_ROWS = 128;

/**
 * The share of a device's compute units a decode step's matrix products keep busy over a tensor-parallel
 * split of `k` (ClassParams.tp_width): the output tiles are (rows / FILL_TILE_ROWS, at least one) ×
 * (hidden / k) wide, and a device whose architecture fills at `tp_width` of hidden with one row of tiles
 * fills proportionally more with more rows. 1 without a split or a fill width. AMD's vLLM throughput tables
 * (hundreds of sequences in flight over 8× MI300X, TP 8) ran at 0.46–0.78× of the flat fill and are within
 * 2× with it (data/validation: rocm-vllm-dev-docker, rocm-blog-mi300x-best-practices).
 */
export function tpFillAt(p: ClassParams, hidden: number, k: number, rows: number): number {
  if (k <= 1 || p.tp_width === undefined) return 1;
  return Math.min(1, (hidden / (k * p.tp_width)) * Math.max(1, rows / FILL_TILE_ROWS));
}

/**
 * Prompt tokens a serving stack prefills in one pass when prompts wait: vLLM's max_num_batched_tokens,
 * SGLang's chunked_prefill_size and TensorRT-LLM's max_num_tokens all default to 8,192 (vLLM on large GPUs:
 * stackLimits).
 */
export const PREFILL_BATCH_TOKENS = 8192;

/**
 * What a serving stack's defaults allow one copy: sequences running at once and prompt tokens a step.
 * vLLM's `vllm serve` defaults (vllm/engine/arg_utils.py, _set_default_max_num_seqs_and_batched_tokens_args):
 * on a GPU of 70 GiB or more other than the A100, max_num_seqs 1,024 and max_num_batched_tokens 8,192; on
 * others 256 and 2,048 (the A100 kept low after vLLM PR #17885 measured a larger budget costing it
 * throughput); TPUs take their own token budget (v6e 1,024, v5e 512, v5p 256). llama.cpp's server starts 4
 * slots and Ollama serves 4 requests of a model at once (llama.cpp issue #17989, ollama PR #4218). A batch
 * the workload states is vLLM's max_num_seqs, set past its default. Other stacks, or none named: memory
 * decides the sequences, PREFILL_BATCH_TOKENS the budget.
 */
export function stackLimits(
  chip: { readonly id: string; readonly memory_gb: number },
  w: Pick<Workload, "runtime" | "batchSize">,
): { seqs: number; tokens: number } {
  if (onLlamaCpp(w)) return { seqs: 4, tokens: PREFILL_BATCH_TOKENS };
  if (w.runtime !== "vllm") return { seqs: Number.POSITIVE_INFINITY, tokens: PREFILL_BATCH_TOKENS };
  const tpu = /^google-tpu-(v6e|v5e|v5p)/.exec(chip.id)?.[1];
  const large = chip.memory_gb * 1e9 >= 70 * 2 ** 30 && !/a100/.test(chip.id);
  return {
    seqs: w.batchSize ?? (large ? 1024 : 256),
    tokens: tpu ? { v6e: 1024, v5e: 512, v5p: 256 }[tpu]! : large ? 8192 : 2048,
  };
}

/** One decode step of a batch: its time, micro-batch rows, and what it spent the time on (seconds). */
export interface DecodeStep {
  readonly s: number;
  readonly mb: number;
  readonly comp: number;
  readonly weightS: number;
  readonly kvS: number;
  readonly comm: number;
  /** Chunked prefill: prompt tokens a mixed step carries, the share of steps that do, and each kind's time. */
  readonly chunk?: { readonly tokens: number; readonly share: number; readonly mixS: number; readonly aloneS: number };
}

/**
 * Chunked prefill (vLLM, TensorRT-LLM chunked context, SGLang) puts prompt tokens into the steps that
 * decode: the scheduler takes the running sequences' next tokens first, then fills the step's token budget
 * (`budget`: stackLimits) with waiting prompts, whole while they fit (vLLM's scheduler docs; SGLang's
 * chunked_prefill_size). A slot frees every output / reqs steps, so a prompt does not spread thin over a
 * request's decode steps: while fewer than one slot frees a step, a freed slot's whole prompt (up to the
 * budget) rides in one step and the others decode alone; the mixed step's weight reads hide under its
 * prompt's math, the rest do not. A step's time is the mean over mixed and decode-only steps, which gives
 * a copy's rate and a stream's tokens/s (a single mixed step is longer: TPOT-bound services are planned
 * without chunking, llm-config.ts). Only when prompts arrive faster than a step's budget (reqs ≥ output)
 * does every step carry reqs × input / output prompt tokens, as a thin spread would.
 * Returns the prompt tokens in a mixed step and the share of steps that carry them (above 1 when prompts
 * need more steps than decoding does).
 */
export function promptChunk(
  reqs: number,
  input: number,
  output: number,
  budget = PREFILL_BATCH_TOKENS,
): { tokens: number; share: number } {
  const tokens = Math.min(budget, input * Math.max(1, reqs / output));
  return { tokens, share: (reqs * input) / (tokens * output) };
}

/**
 * Whether a stack prepares each decode step on the host while the device runs the one before, so that a step
 * takes the longer of the host's work (step_overhead_ms) and the device's, not their sum. SGLang's overlap
 * scheduler does, by default since v0.4 (https://lmsys.org/blog/2024-12-04-sglang-v0-4/), where graph
 * launches are enqueued (CUDA). On ROCm `hipGraphLaunch` holds the host thread for about the whole graph, so
 * the scheduling cannot overlap (vllm-project/vllm#43801, MI350X).
 */
export function hostOverlapped(chip: Chip, w: Workload): boolean {
  return w.runtime === "sglang" && chip.runtimes.includes("cuda");
}
