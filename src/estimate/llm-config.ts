// LLM serving configuration search: tensor/pipeline splits, copies, KV-cache precision, chunked prefill.
import type { Chip, Precision } from "../catalog/schema.js";
import type { Calibration } from "./calibration.js";
import { type PerfEstimate, unitsNeeded } from "./perf-types.js";
import { bytes, type Precisions } from "./precision.js";
import { splitModel } from "./roofline.js";
import { kvBytesPerToken, llmAt, llmWeightBytes } from "./llm-serving.js";
import { onLlamaCpp, type Workload } from "./workload.js";

/** The KV-cache precision that goes with a compute precision: 16-bit, or 8-bit for 8-bit and narrower compute. */
const defaultKv = (p: Precision): Precision => (bytes(p) >= 2 ? "fp16" : "fp8");

/**
 * Memory an LLM serving stack can fill with weights and KV cache. vLLM pre-allocates
 * gpu_memory_utilization = 0.9 of the device by default and TensorRT-LLM gives 0.9 of what the weights
 * leave to the KV cache; both let it be raised, and deployments at the edge of the weights (a 72B bf16
 * model on 2 × 80 GB, Qwen2 deployment guides) run at 0.95. The rest is the CUDA context and activation
 * workspace. A chip whose memory is shared with a host OS states what its accelerator may use.
 */
const LLM_MEMORY_SHARE = 0.95;
const llmUsableGb = (chip: Chip) =>
  chip.usable_memory_gb ?? (chip.class === "mcu" ? chip.memory_gb : chip.memory_gb * LLM_MEMORY_SHARE);

/** Configurations compared within this share of the best capacity count as equal: the simpler one wins. */
const CONFIG_TIE = 0.03;

/** Prefill copies weighed out of `copies` (at least one of each kind): every count to 8, then ~1.5× steps. */
function prefillSplits(copies: number): number[] {
  const out: number[] = [];
  for (let rp = 1; rp < copies; rp = rp < 8 ? rp + 1 : Math.ceil(rp * 1.5)) out.push(rp);
  return out;
}

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
export function estimateLlm(chip: Chip, count: number, w: Workload, prec: Precisions, cal: Calibration): PerfEstimate {
  const m = w.model;
  const weightGb = (m.params * llmWeightBytes(prec.weights)) / 1e9;
  const kvDefault = defaultKv(prec.precision);
  // An 8-bit cache is a quantization: offered where it is allowed and the chip has an 8-bit datapath.
  const kvChoices: Precision[] =
    kvDefault === "fp16" &&
    w.quantization === "allowed" &&
    (chip.peak_tops.fp8 !== undefined || chip.peak_tops.int8 !== undefined)
      ? ["fp16", "fp8"]
      : [kvDefault];
  const seqTokens = w.inputTokens + m.beams * w.outputTokens;
  const kvPerReqGb = (kv: Precision) => (kvBytesPerToken(m, kv, seqTokens) * seqTokens) / 1e9;
  const narrowKv = kvChoices[kvChoices.length - 1]!;
  const first = splitModel(chip, count, () => weightGb + kvPerReqGb(narrowKv), llmUsableGb);
  if (!first.fits) return llmAt(chip, count, w, prec, cal, { ...first, pp: 1 }, narrowKv, false);
  // Chunked prefill is offered where no per-stream rate is asked for: a chunk lengthens the step of every
  // stream it rides with, and on the one interactive result we have (8× MI300X, TPOT ≤ 40 ms) modelling
  // it as free overlap over-predicts 2.9×, so TPOT-bound services are planned with prefill alone.
  const local = onLlamaCpp(w) || w.runtime === "mlx";
  const chunkChoices = w.batching === "static" || w.slo.tokensPerS !== undefined || local ? [false] : [false, true];
  if (local) {
    // llama.cpp and Ollama split a model's layers over the devices it needs and run them in turn (no
    // tensor parallelism, no overlap across requests): the memory of d devices at one device's speed.
    const configs = kvChoices.map((kv) =>
      llmAt(
        chip,
        count,
        w,
        prec,
        cal,
        {
          tp: 1,
          pp: 1,
          replicas: Math.floor(count / first.tp),
          needGb: weightGb + kvPerReqGb(kv),
          haveGb: llmUsableGb(chip) * first.tp,
          fits: true,
        },
        kv,
        false,
        first.tp,
      ),
    );
    const best = configs.reduce((a, b) => (b.capacityPerS > a.capacityPerS * (1 + CONFIG_TIE) ? b : a));
    const other = configs.find((e) => e !== best);
    if (other) best.runnerUp = other.llmConfig;
    return best;
  }
  // Pipeline stages are searched where links are slow (PCIe cards): over NVLink-class links tensor
  // parallelism wins or ties in this model, as TensorRT-LLM and vLLM guides advise (TP within a node).
  const maxPp = (chip.interconnect?.gbps ?? 0) >= 100 ? 1 : count;
  // A tensor-parallel degree the deployment fixes (at most the unit's devices): only its splits are weighed.
  const pinned =
    w.tensorParallel !== undefined ? Math.min(w.tensorParallel, 2 ** Math.floor(Math.log2(count))) : undefined;
  // One configuration: copies of tp × pp devices (d per copy; devices beyond a multiple of d stay idle, as
  // in splitModel), the KV cache at kv, prefill alone or chunked.
  const configAt = (
    tp: number,
    pp: number,
    d: number,
    kv: Precision,
    chunked: boolean,
    fits = true,
    prefillCopies?: number,
  ) =>
    llmAt(
      chip,
      count,
      w,
      prec,
      cal,
      {
        tp,
        pp,
        replicas: Math.floor(count / d),
        needGb: weightGb + kvPerReqGb(kv),
        haveGb: llmUsableGb(chip) * d,
        fits,
      },
      kv,
      chunked,
      1,
      prefillCopies,
    );
  if (pinned !== undefined && pinned < first.tp) return configAt(pinned, 1, pinned, narrowKv, false, false);
  // Copies may specialise where the stack batches continuously and the profile allows it. Weighed where a
  // per-stream rate is asked for: there prompts pausing the streams cost aggregated serving its chunking;
  // without one, chunked prefill already overlaps prompts with decoding and splitting gains nothing here.
  const disaggregate =
    w.batching !== "static" &&
    (w.disaggregation === "on" || (w.disaggregation !== "off" && w.slo.tokensPerS !== undefined));
  let best: ReturnType<typeof llmAt> | undefined;
  let flatOut = 0;
  const configs: ReturnType<typeof llmAt>[] = [];
  for (let d = first.tp; d <= count; d *= 2) {
    for (let pp = 1; pp <= d && pp <= maxPp && pp <= m.layers; pp *= 2) {
      const tp = d / pp;
      if (pinned !== undefined && (tp !== pinned || pp !== 1)) continue;
      for (const kv of kvChoices) {
        if (weightGb + kvPerReqGb(kv) > llmUsableGb(chip) * d) continue;
        if (w.disaggregation !== "on" || Math.floor(count / d) < 2)
          for (const chunked of chunkChoices) {
            const e = configAt(tp, pp, d, kv, chunked);
            configs.push(e);
            flatOut = Math.max(flatOut, e.maxThroughputPerS);
          }
        // Disaggregated: some of the unit's copies only prefill, the rest only decode (with the narrower
        // cache only: a decode copy's slots are what it is for).
        if (disaggregate && kv === narrowKv)
          for (const rp of prefillSplits(Math.floor(count / d))) {
            const e = configAt(tp, pp, d, kv, false, true, rp);
            configs.push(e);
            flatOut = Math.max(flatOut, e.maxThroughputPerS);
          }
      }
    }
  }
  // Nothing meets the limits: the closest miss is the one with the fastest streams and first token.
  const score = (e: ReturnType<typeof llmAt>) => Math.max(e.capacityPerS, 0);
  const anyMeets = configs.some((e) => e.capacityPerS > 0);
  // Simpler first: aggregated before disaggregated (a KV hand-off and a router to run), then fewer devices
  // per copy, no pipeline, a 16-bit cache, prefill alone.
  const simpler = (a: ReturnType<typeof llmAt>, b: ReturnType<typeof llmAt>) => {
    const ka = [
      a.llmConfig!.prefillCopies !== undefined ? 1 : 0,
      a.tp * a.llmConfig!.pp,
      a.llmConfig!.pp,
      bytes(a.llmConfig!.kvCache) === 2 ? 0 : 1,
      a.llmConfig!.chunkedPrefill ? 1 : 0,
    ];
    const kb = [
      b.llmConfig!.prefillCopies !== undefined ? 1 : 0,
      b.tp * b.llmConfig!.pp,
      b.llmConfig!.pp,
      bytes(b.llmConfig!.kvCache) === 2 ? 0 : 1,
      b.llmConfig!.chunkedPrefill ? 1 : 0,
    ];
    for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i]! < kb[i]!;
    return false;
  };
  // Units a configuration needs for the requests a second and the streams asked for (per site: the
  // offering's deployment, which scales a central option's need by the sites, is not known here).
  const unitsFor = (e: ReturnType<typeof llmAt>) =>
    e.capacityPerS > 0 ? unitsNeeded(e, w.needPerS, w.slo.concurrency) : Number.POSITIVE_INFINITY;
  const better = (a: ReturnType<typeof llmAt>, b: ReturnType<typeof llmAt>) => {
    if (!anyMeets) {
      const la = (a.prefillMs ?? 0) + w.outputTokens * (a.stepMs ?? 0);
      const lb = (b.prefillMs ?? 0) + w.outputTokens * (b.stepMs ?? 0);
      return la < lb * (1 - CONFIG_TIE) || (la <= lb * (1 + CONFIG_TIE) && simpler(a, b));
    }
    // A service sized by its concurrent streams buys units for slots as well as for requests: the
    // configuration that needs the fewest units wins, then the one that carries the most.
    if (w.slo.concurrency !== undefined) {
      const ua = unitsFor(a);
      const ub = unitsFor(b);
      if (ua !== ub) return ua < ub;
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
