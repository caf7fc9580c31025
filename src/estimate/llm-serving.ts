// One LLM operating point: prefill, decode steps and how a copy serves requests (continuous or static batching).
import type { Chip, Precision } from "../catalog/schema.js";
import { paramsCached, type Calibration } from "./calibration.js";
import type { Bound, LlmConfig, LoadPoint, PerfEstimate } from "./perf-types.js";
import { bytes, fp16AccumulateGain, peakOf, precisionText, type Precisions, warpMmaShare } from "./precision.js";
import { carriedLoad, highestLoad, pow2Upto, SERVICE_LOAD, waitP99 } from "./queueing.js";
import { fmt, splitEfficiency, type Split } from "./roofline.js";
import { gemmClock } from "../energy/power-cap.js";
import { plural } from "../format/number.js";
import { onLlamaCpp, type ResolvedModel, type Workload } from "./workload.js";
import { measuredGap } from "./measured-gap.js";
import {
  decodeKernelsS,
  type DecodeStep,
  FILL_TILE_ROWS,
  hostOverlapped,
  kvReplicas,
  promptChunk,
  stackLimits,
  tpFillAt,
} from "./decode-step.js";

/**
 * Bytes an LLM weight takes in memory. 4-bit formats store a scale per small group of weights: llama.cpp
 * Q4_0 keeps an fp16 scale per 32 weights (4.5 bits a weight), NVFP4 an fp8 scale per 16 (4.5 bits),
 * AWQ/GPTQ a scale and zero point per 128 (≈ 4.25 bits); 4.5 bits is taken for all of them.
 */
export const llmWeightBytes = (p: Precision) => (p === "int4" ? 4.5 / 8 : bytes(p));

/**
 * Bytes of KV cache per token of context, at the precision the cache is kept in, averaged over a context of
 * `ctxTokens` (every token of it when not given). Models with multi-head latent attention (DeepSeek-V2/V3)
 * cache one compressed latent plus a RoPE key per layer instead of keys and values per KV head
 * (DeepSeek-V2 paper, arXiv 2405.04434, §2.1.3). A sliding-window layer keeps only the last `window`
 * tokens (vLLM and SGLang free the rest): gpt-oss alternates 128-token windows with full layers, Gemma 2
 * 4,096-token ones, so past the window such a model caches about half of what full attention would.
 */
export function kvBytesPerToken(m: ResolvedModel, kv: Precision, ctxTokens?: number): number {
  const kvB = Math.max(1, Math.min(2, bytes(kv)));
  const perLayer =
    m.kvLoraRank !== undefined
      ? (m.kvLoraRank + (m.ropeHeadDim ?? 64)) * kvB
      : 2 * (m.kvHeads ?? 8) * (m.headDim ?? 128) * kvB;
  const sliding = m.slidingWindow !== undefined ? (m.slidingLayers ?? m.layers) : 0;
  const windowShare = sliding > 0 && ctxTokens !== undefined ? Math.min(1, m.slidingWindow! / ctxTokens) : 1;
  return perLayer * (m.layers - sliding + sliding * windowShare);
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
export function llmAt(
  chip: Chip,
  count: number,
  w: Workload,
  prec: Precisions,
  cal: Calibration,
  split: Split & { pp: number },
  kv: Precision,
  chunked: boolean,
  layerDevices = 1,
  prefillCopies?: number,
): { -readonly [K in keyof PerfEstimate]: PerfEstimate[K] } {
  const m = w.model;
  const p = paramsCached(cal, chip);
  const pb = llmWeightBytes(prec.weights);
  const weightGb = (m.params * pb) / 1e9;
  const beams = m.beams;
  const seqTokens = w.inputTokens + beams * w.outputTokens;
  // What a request holds at its longest, and what a decode step reads per sequence at the mean context.
  const k = split.tp;
  const kvRep = kvReplicas(m, k);
  const kvTok = kvBytesPerToken(m, kv, seqTokens) * kvRep;
  const kvPerReqGb = (kvTok * seqTokens) / 1e9;
  const pp = split.pp;
  // Pipeline stages lose what tensor shards do (uneven stages, a hand-off per stage, scheduling): the
  // same Megatron-LM factor per doubling, applied to the devices a copy spans.
  const mmaShare = warpMmaShare(chip, w, prec);
  const peakC = peakOf(chip, prec.precision)! * mmaShare * 1e12 * k * splitEfficiency(k * pp);
  const bw = chip.memory_bw_gbps * 1e9 * k * splitEfficiency(k * pp);
  const hidden = m.hidden ?? 4096;
  const linkBps = ((chip.interconnect?.gbps ?? 32) / 2) * 1e9;
  // Per layer two all-reduces over the tensor shards; per stage boundary one send of the activations.
  const allReduce = (tokens: number) =>
    (k <= 1 ? 0 : 2 * m.layers * (8e-6 + (((2 * (k - 1)) / k) * tokens * hidden * 2) / linkBps)) +
    (pp - 1) * (8e-6 + (tokens * hidden * 2) / linkBps);
  // Mixture of experts: a step reads only the experts its tokens are routed to.
  const experts = m.experts ?? 1;
  const topK = m.expertsPerToken ?? experts;
  const expertParams = experts > 1 ? (m.params - m.activeParams) / (1 - topK / experts) : 0;
  const sharedParams = m.params - expertParams;
  const weightReadBytes = (seqs: number) => (sharedParams + expertParams * (1 - (1 - topK / experts) ** seqs)) * pb;
  const attnHeadsDim = hidden; // heads × head_dim
  // One prompt's prefill: its compute at the copy's tensor-parallel rate (a prompt crosses the pipeline
  // stages one after another, so its latency does not shrink with pp).
  const llamaCppPrefill = onLlamaCpp(w) ? (p.llama_cpp_prefill ?? 1) : 1;
  const accGain = fp16AccumulateGain(chip, w, prec);
  // A prompt's long matrix products draw the chip to its power limit (gemmClock); products on warp-level
  // mma.sync keep its tensor cores a share of the time, and draw that share of the power.
  const clock = gemmClock(chip, accGain * mmaShare);
  const prefillRate = peakC * accGain * p.prefill * llamaCppPrefill * clock;
  const prefillComp =
    (2 * m.activeParams * w.inputTokens + 2 * m.layers * w.inputTokens * w.inputTokens * attnHeadsDim) / prefillRate; // causal: QK^T and AV at half
  /**
   * A prompt's prefill when `prompts` prompts share a pass, overhead and all-reduce included. Serving stacks
   * prefill waiting prompts together up to a token budget, so every weight is read once a pass, not once a
   * prompt (a 70B model's 50-token prompts on one H100: 12 ms of math against 28 ms of weights alone, 0.17 ms
   * shared by 163). A mixture of experts runs two kinds of kernel one after the other: attention and shared
   * weights, far past the ridge point, and the experts' grouped matmuls of tokens × topK / experts rows each,
   * near it, where a kernel's weight reads do not hide behind its math and the two add (gpt-oss-120b on a DGX
   * Spark, 2,048 tokens: 64 rows an expert, 0.36 s of math and 0.26 s of weights against 1.06 s measured; the
   * larger alone said 0.58). A dense model has no experts: both expert terms are 0.
   */
  const readBps = bw * p.decode_mem;
  const expertComp = (2 * (m.activeParams - sharedParams) * w.inputTokens) / prefillRate;
  const promptS = (prompts: number) => {
    const expertRead =
      (expertParams * (1 - (1 - topK / experts) ** (w.inputTokens * prompts)) * pb) / (readBps * prompts);
    const pass =
      Math.max(prefillComp - expertComp, (sharedParams * pb) / (readBps * prompts)) + expertComp + expertRead;
    return p.overhead_ms / 1000 + pass + allReduce(w.inputTokens);
  };
  // One prompt alone (its time to first token unloaded), and what a prompt costs the copy's throughput:
  // prefilled with the others waiting, up to the stack's token budget a pass, and pipeline stages prefill
  // different prompts at once.
  const prefillS = promptS(1);
  const limits = stackLimits(chip, w);
  const prefillCostS = promptS(Math.max(1, Math.floor(limits.tokens / w.inputTokens))) / pp;
  const ctx = w.inputTokens + w.outputTokens / 2;
  const kvReadTok = kvBytesPerToken(m, kv, ctx) * kvRep;
  // Disaggregated serving hands a prompt's KV cache from its prefill copy to a decode copy over the links.
  const handOffS = prefillCopies !== undefined ? (kvBytesPerToken(m, kv, w.inputTokens) * w.inputTokens) / linkBps : 0;
  const decodeCopies = split.replicas - (prefillCopies ?? 0);
  /**
   * One decode step of `reqs` requests: the time until every sequence has its next token. With pp stages
   * the sequences go through in micro-batches of mb = seqs / pp (at least 1); a stage takes its 1/pp share
   * of the layers' work on a micro-batch, and a token passes all pp stages, so a step takes the whole
   * model's time on one micro-batch: the weights are read once per micro-batch, pp times per step (a
   * pipeline pays for itself where links are too slow for tensor parallelism).
   * Chunked prefill: some steps carry prompt tokens too (promptChunk); a step is the mean over both kinds.
   */
  const kernelsS = decodeKernelsS(p, m);
  // A published shortfall of this chip on the workload's kind of model (catalog measured_gaps) slows its steps.
  const gapRate = measuredGap(chip, w)?.decode_rate ?? 1;
  // llama.cpp's quantized mat-vec kernels stream at their own share where an architecture states one.
  const llamaCppDecode = onLlamaCpp(w) ? (p.llama_cpp_decode ?? 1) : 1;
  const decodeReadBps = readBps * llamaCppDecode;
  // A split narrower than the architecture's fill width leaves compute units idle in every decode step,
  // until the batch is tall enough to add rows of tiles (tpFillAt).
  const tpFill = (mb: number) => tpFillAt(p, hidden, k, mb);
  // Once per batch size: the serving search asks for each size at every load.
  const steps = new Map<number, DecodeStep>();
  const step = (reqs: number) => {
    let v = steps.get(reqs);
    if (!v) steps.set(reqs, (v = stepAt(reqs)));
    return v;
  };
  // The host's part of a step (scheduling, sampling, stop checks) adds to the device's, unless the stack
  // prepares the next step while this one runs: then a step takes the longer of the two.
  const overlapped = hostOverlapped(chip, w);
  const hostS = p.step_overhead_ms / 1000;
  const hostFloorS = overlapped ? hostS : 0;
  const stepAt = (reqs: number): DecodeStep => {
    const seqs = reqs * beams;
    const mb = Math.max(seqs / pp, 1);
    const share = mb / seqs;
    const decodeComp = (2 * m.activeParams * mb) / (peakC * p.decode_compute * tpFill(mb));
    // The matrix products read the weights while they compute; attention then reads the KV cache. The two
    // run one after the other in a step, so the cache's reads add to the larger of math and weights.
    const weightS = weightReadBytes(mb) / decodeReadBps;
    const kvS = (mb * kvReadTok * ctx) / decodeReadBps;
    const fixedS = hostS - hostFloorS + kernelsS + kvS;
    const aloneComm = allReduce(mb);
    const aloneS = Math.max(fixedS + Math.max(decodeComp, weightS) + aloneComm, hostFloorS);
    if (!chunked) return { s: aloneS / gapRate, mb, comp: decodeComp, weightS, kvS, comm: aloneComm };
    const { tokens: chunkTokens, share: mixed } = promptChunk(reqs, w.inputTokens, w.outputTokens, limits.tokens);
    const mixComp = decodeComp + (prefillComp * chunkTokens * share) / w.inputTokens;
    const mixComm = allReduce(mb + chunkTokens * share);
    const mixS = Math.max(fixedS + Math.max(mixComp, weightS) + mixComm, hostFloorS);
    const s = mixed * mixS + Math.max(0, 1 - mixed) * aloneS;
    const share1 = Math.min(1, mixed);
    return {
      s: s / gapRate,
      mb,
      comp: share1 * mixComp + (1 - share1) * decodeComp,
      weightS,
      kvS,
      comm: share1 * mixComm + (1 - share1) * aloneComm,
      chunk: { tokens: chunkTokens, share: mixed, mixS: mixS / gapRate, aloneS: aloneS / gapRate },
    };
  };
  // The sequences the named stack runs at once (stackLimits), and memory's limit.
  const maxReqs = split.fits
    ? Math.max(1, Math.min(limits.seqs, Math.floor((split.haveGb - weightGb) / kvPerReqGb)))
    : 1;
  const cands = w.batchSize
    ? [Math.min(w.batchSize, maxReqs)]
    : [
        ...pow2Upto(Math.min(maxReqs, 4096)),
        ...(maxReqs <= 4096 && !Number.isInteger(Math.log2(maxReqs)) ? [maxReqs] : []),
      ];
  const out = w.outputTokens;
  const p99Out = w.outputTokensP99 ?? out;
  const serving =
    prefillCopies !== undefined
      ? disaggServing(prefillCopies)
      : w.batching === "static"
        ? staticServing()
        : continuousServing();
  const { perStream } = serving;
  const bestB = serving.batch;
  const heldGb = split.fits ? weightGb + bestB * kvPerReqGb : split.needGb;
  const capacityPerCopy = serving.capacity;
  const offRate = serving.flatOut;

  /**
   * Requests that join and leave the running batch every step, given how fast a copy serves at B streams,
   * how fast each stream goes (its slowest 1% at load r: what a TPOT limit bounds) and its first token:
   * the batch of the highest rate within the limits, and the operating point at a load.
   */
  function streamingServing(
    rate: (B: number) => number,
    perStream: (B: number) => number,
    perStreamP99: (B: number, r: number) => number,
    ttft: (B: number, r: number) => number,
  ): Serving {
    const serviceLoad = w.kind === "batch-inference" ? 1 : SERVICE_LOAD;
    const meets = (B: number, r: number) => {
      if (w.slo.tokensPerS !== undefined && perStreamP99(B, r) < w.slo.tokensPerS) return false;
      if (w.slo.ttftMs !== undefined && ttft(B, r) * 1000 > w.slo.ttftMs) return false;
      // A p99 bound on the whole request is set by the longest outputs, not the mean one.
      if (w.slo.latencyMs !== undefined && (ttft(B, r) + p99Out * step(B).s) * 1000 > w.slo.latencyMs) return false;
      return true;
    };
    // A desk assistant at 0.02 requests a second is not judged at 90% of what its copy serves flat out.
    const carried = (B: number) => carriedLoad(rate(B) * serviceLoad, (r) => meets(B, r));
    let batch = cands[0]!;
    let best = 0;
    let flatOut = 0;
    for (const B of cands) {
      flatOut = Math.max(flatOut, rate(B));
      const r = carried(B);
      if (r > best) {
        best = r;
        batch = B;
      }
    }
    return {
      rate,
      perStream,
      batch,
      capacity: best,
      flatOut,
      at: (r) => {
        // The smallest batch that carries the load gives the fastest streams.
        for (const B of cands) {
          if (rate(B) * serviceLoad >= r || B === cands[cands.length - 1]) {
            if (rate(B) < r) return undefined;
            const tt = ttft(B, r);
            return {
              latencyP99Ms: (tt + out * step(B).s) * 1000,
              batch: B,
              utilization: Math.min(1, r / rate(B)),
              ttftMs: tt * 1000,
              tokensPerS: perStream(B),
            };
          }
        }
        return undefined;
      },
    };
  }

  /** Continuous batching (vLLM, TGI, TensorRT-LLM): requests join and leave the running batch every step. */
  function continuousServing(): Serving {
    // Prefill alone pauses decoding for each prompt; chunked, it rides in the decode steps (longer steps).
    const rate = (B: number) => (chunked ? B / (out * step(B).s) : B / (out * step(B).s + B * prefillCostS));
    // Only the other slots' prompts pause a stream: a request's own prompt runs before its decode, and with
    // one slot a new request waits for it (a single user's assistant streams at the step's full rate).
    const others = (B: number) => (B - 1) / B;
    const perStream = (B: number) =>
      chunked ? 1 / step(B).s : (1 / step(B).s) * (1 - Math.min(0.99, others(B) * rate(B) * prefillCostS));
    const ttft = (B: number, r: number) => prefillS + step(B).s + waitP99(prefillCostS, r * prefillCostS);
    /**
     * The per-stream rate of the slowest 1% of requests (TPOT limits are p99 over requests, as MLPerf's
     * are): a request's decode is paused by the prompts that arrive during it, a Poisson count with mean
     * λ = r × its lifetime; its 99th percentile is about λ + 2.33√λ (normal approximation).
     */
    const perStreamP99 = (B: number, r: number) => {
      if (chunked) return perStream(B);
      const lifeS = out / perStream(B);
      const lambda = r * lifeS * others(B);
      return out / (out * step(B).s + (lambda + 2.33 * Math.sqrt(lambda)) * prefillCostS);
    };
    return streamingServing(rate, perStream, perStreamP99, ttft);
  }

  /**
   * Disaggregated prefill/decode (NVIDIA Dynamo; SGLang and vLLM PD disaggregation): of the unit's copies,
   * `rp` only prefill prompts, one after another, and hand each request's KV cache to a decode copy over
   * the links; the rest only decode, so no prompt pauses their steps and a stream's slowest rate is its
   * mean. The unit serves the lesser of what its prefill and its decode copies carry. Rates are per copy
   * (the unit's over its copies), as the aggregated modes' are.
   */
  function disaggServing(rp: number): Serving {
    const copies = split.replicas;
    const rate = (B: number) => Math.min(rp / prefillCostS, (decodeCopies * B) / (out * step(B).s)) / copies;
    const perStream = (B: number) => 1 / step(B).s;
    // Each prefill copy takes its share of the prompts; the wait is its own queue's.
    const ttft = (B: number, r: number) =>
      prefillS + handOffS + step(B).s + waitP99(prefillCostS, ((r * copies) / rp) * prefillCostS);
    return streamingServing(rate, perStream, perStream, ttft);
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
          if (x && (!pt || x.latency * 1000 < pt.latencyP99Ms))
            pt = {
              latencyP99Ms: x.latency * 1000,
              batch: B,
              utilization: Math.min(1, x.rho),
              ttftMs: x.ttft * 1000,
              tokensPerS: perStream(B),
            };
        }
        return pt;
      },
    };
  }
  const st = step(bestB);
  const memS = st.weightS + st.kvS;
  const bound: Bound = st.comm > Math.max(st.comp, memS) ? "interconnect" : st.comp >= memS ? "compute" : "memory";
  // Written when read: a profile estimates every chip × count of the catalog and explains a few.
  const config: LlmConfig = {
    tp: k,
    pp: pp * layerDevices,
    replicas: split.replicas,
    kvCache: kv,
    slots: bestB,
    chunkedPrefill: chunked,
    ...(layerDevices > 1 ? { sequentialLayers: true } : {}),
    ...(prefillCopies !== undefined ? { prefillCopies } : {}),
    capacityPerS: capacityPerCopy * split.replicas,
    maxThroughputPerS: offRate * split.replicas,
  };
  const breakdown = (): string[] => {
    const fillAtBest = tpFill(st.mb);
    return [
      `${precisionText(prec)}; weights ${fmt(weightGb)} GB over ${k * pp * layerDevices} device(s)` +
        ` (${configText(config)}); KV cache ${kv} ${fmt(kvTok / 1e3)} kB/token${kvRep > 1 ? ` (its ${m.kvHeads} KV heads kept ${fmt(kvRep)}× over ${k} shards)` : ""}, ${fmt(kvPerReqGb * 1000)} MB per` +
        ` request (${w.inputTokens}+${beams > 1 ? `${beams}×` : ""}${out} tokens)`,
      `prefill ${fmt(prefillS * 1000)} ms for ${w.inputTokens} tokens at ${fmt(p.prefill * llamaCppPrefill, 2)} of peak` +
        ` ${fmt(peakOf(chip, prec.precision)! * mmaShare * k)} TOPS` +
        `${mmaShare < 1 ? ` (its kernels widen ${prec.weights} weights on warp-level mma.sync: ${fmt(chip.warp_mma_fp16_tops!)} of its ${fmt(peakOf(chip, prec.precision)!)} TOPS)` : ""}` +
        `${llamaCppPrefill !== 1 ? ` (llama.cpp's kernels at ${fmt(llamaCppPrefill, 2)} of the serving stacks' ${fmt(p.prefill, 2)})` : ""}` +
        `${clock < 1 ? `, at ${fmt(clock, 2)} of its clock: its power holds it there through the matrix products` : ""}` +
        `${chunked ? ", chunked into the decode steps" : ""}`,
      `decode step at ${bestB} concurrent: ${fmt(st.s * 1000)} ms (the larger of compute ${fmt(st.comp * 1000)} and` +
        ` weight reads ${fmt(st.weightS * 1000)}, then KV cache reads ${fmt(st.kvS * 1000)}, interconnect ${fmt(st.comm * 1000)} ms` +
        `${llamaCppDecode !== 1 ? `; llama.cpp's mat-vec kernels read at ${fmt(llamaCppDecode, 2)} of the serving stacks' rate` : ""}` +
        `${kernelsS > 0 ? `, ${m.layers} layers' kernels ${fmt(kernelsS * 1000)} ms` : ""}` +
        `, host ${fmt(p.step_overhead_ms)} ms${overlapped ? " prepared while the device runs (SGLang's overlap scheduler)" : ""}` +
        `${gapRate < 1 ? `; all at ${fmt(gapRate, 2)} of that rate, as published runs measured (catalog measured_gaps)` : ""}) → ${bound}-bound;` +
        `${fillAtBest < 1 ? ` compute at ${fmt(fillAtBest, 2)} of the decode rate: ${fmt(hidden / k)} of hidden per device and ${fmt(st.mb)} rows, narrower than the ${fmt(p.tp_width!)} × ${FILL_TILE_ROWS} that fill it;` : ""}` +
        ` ${fmt(perStream(bestB))} tokens/s per stream`,
      ...(st.chunk
        ? [
            `chunked prefill: ${
              st.chunk.share < 1
                ? `1 step in ${fmt(1 / st.chunk.share)} carries ${st.chunk.tokens < w.inputTokens ? `${Math.round(st.chunk.tokens)} of ` : ""}a freed slot's prompt, ${w.inputTokens} tokens` +
                  ` (${fmt(st.chunk.mixS * 1000)} ms, its math hiding that step's weight reads), the others decode alone` +
                  ` (${fmt(st.chunk.aloneS * 1000)} ms)`
                : `every step carries ${Math.round(st.chunk.tokens)} prompt tokens (${fmt(st.chunk.mixS * 1000)} ms)` +
                  `${st.chunk.share > 1 ? `, and prompts need ${fmt(st.chunk.share, 2)}× the steps decoding does` : ""}`
            }; the decode step above is their mean`,
          ]
        : []),
      ...(prefillCopies !== undefined
        ? [
            `disaggregated: ${plural(prefillCopies, "prefill copy", "prefill copies")} take` +
              ` ${fmt(prefillCopies / prefillCostS)} prompts/s, ${plural(decodeCopies, "decode copy", "decode copies")}` +
              ` ${fmt((decodeCopies * bestB) / (out * st.s))} requests/s at ${bestB} streams each with no prompt` +
              ` pausing them; a prompt's KV cache moves in ${fmt(handOffS * 1000)} ms`,
          ]
        : []),
      `${fmt(capacityPerCopy)} requests/s per copy (${fmt(capacityPerCopy * out)} output tokens/s); memory allows` +
        ` ${maxReqs} concurrent requests; at ${bestB} it holds ${fmt(heldGb)} GB (weights ${fmt(weightGb)} + KV cache` +
        ` ${fmt(bestB * kvPerReqGb)}) of ${fmt(split.haveGb)} GB usable per copy`,
      ...(est.runnerUp
        ? [
            `runner-up: ${configText(est.runnerUp)}, ${fmt(est.runnerUp.capacityPerS * out)} output tokens/s per unit` +
              ` within the limits (chosen: ${fmt(config.capacityPerS * out)})`,
          ]
        : []),
    ];
  };
  const est: { -readonly [K in keyof PerfEstimate]: PerfEstimate[K] } = {
    chip: chip.id,
    count,
    precision: prec.precision,
    quantized: prec.quantized,
    ...(prec.weights !== prec.precision ? { weightsPrecision: prec.weights } : {}),
    tp: k,
    replicas: split.replicas,
    // What the copy holds at the batch it is provisioned for: the weights and every slot's KV cache (one
    // request's when it does not fit, the least it would need).
    memoryNeededGb: heldGb,
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
  return (
    `TP${c.tp} × PP${c.pp}${c.sequentialLayers ? " (layers in turn)" : ""}, ${plural(c.replicas, "copy", "copies")}` +
    `, ${plural(c.slots, "slot")} each, ${c.kvCache} KV` +
    ` cache${c.chunkedPrefill ? ", chunked prefill" : ""}` +
    (c.prefillCopies !== undefined
      ? `, disaggregated: ${c.prefillCopies} prefill + ${plural(c.replicas - c.prefillCopies, "decode copy", "decode copies")}`
      : "")
  );
}
