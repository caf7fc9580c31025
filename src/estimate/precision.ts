// Which precision a chip computes a workload in, and the precision its weights are read at.
import { PRECISION_BYTES, PRECISIONS, type Chip, type Precision } from "../catalog/schema.js";
import { isLlm, onLlamaCpp, type Workload } from "./workload.js";

/** What a chip runs a workload at: compute precision, and the precision its weights are read at. */
export type Precisions = { precision: Precision; quantized: boolean; weights: Precision };

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

export const bytes = (p: Precision) => PRECISION_BYTES[p];
export const peakOf = (chip: Chip, p: Precision) => chip.peak_tops[p];

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
  // 8-bit activations (ggml's q4_0 × q8_0 dot products). Weights stay 4-bit in memory. llama.cpp's
  // 8-bit GGUF weights (Q8_0) take the same kernels as its 4-bit ones: on a DGX Spark Qwen2.5 7B Q8_0
  // prefills at 35 TFLOPS and Gemma 3 4B Q4_0 at 37 (llama.cpp benches/dgx-spark.md), half the int8 peak.
  const weightOnly = w.precision === "int4" || (w.precision === "int8" && onLlamaCpp(w));
  if (!training && weightOnly && isLlm(w.model) && !w.int4Activations) {
    const wide = (
      chip.class === "cpu" ? (["int8", "fp16", "bf16"] as const) : (["fp16", "bf16", "int8"] as const)
    ).filter((p) => peakOf(chip, p) !== undefined);
    const c =
      wide.length > 1 && wide[0] !== "int8" && peakOf(chip, wide[1]!)! > peakOf(chip, wide[0]!)! && wide[1] !== "int8"
        ? wide[1]!
        : wide[0];
    if (c) return { ok: true, precision: c, quantized: false, weights: w.precision };
  }
  // Training runs bf16 unless fp8, fp32 or int8 (quantized matmuls, e.g. TPU AQT) is asked for.
  const want = training
    ? w.precision === "fp8" || w.precision === "fp32" || w.precision === "int8"
      ? w.precision
      : "bf16"
    : w.precision;
  const wantBytes = bytes(want);
  const floorBytes = training ? Math.min(wantBytes, 2) : bytes(w.model.minPrecision);
  const candidates = supported.filter((p) => {
    const b = bytes(p);
    if (training && (p === "int4" || (p === "int8" && want !== "int8"))) return false;
    if (b >= wantBytes) return true;
    return w.quantization === "allowed" && b >= floorBytes;
  });
  if (candidates.length === 0) {
    return {
      ok: false,
      reason:
        `runs ${supported.join("/")}; the model needs ${want}` +
        (w.quantization === "forbidden"
          ? " and quantization is forbidden"
          : ` (no narrower than ${w.model.minPrecision})`),
      supported,
    };
  }
  // Exact match first when quantization is not wanted; otherwise the fastest.
  if (w.quantization === "forbidden" && candidates.includes(want))
    return { ok: true, precision: want, quantized: false, weights: want };
  // At an equal peak an LLM's decode still runs narrower: it streams its weights and KV cache every step,
  // so 8-bit weights halve what it reads and holds (Gaudi 3 states FP8 and BF16 alike at 1,835 TFLOPS; its
  // MLPerf and vLLM runs serve LLMs in FP8). Other models keep the precision asked for at a tie.
  const narrowAtTie = !training && isLlm(w.model);
  let best = candidates[0]!;
  for (const p of candidates) {
    const tie = Math.abs(peakOf(chip, p)! - peakOf(chip, best)!) <= peakOf(chip, best)! * 1e-4;
    const better =
      w.quantization === "allowed"
        ? peakOf(chip, p)! > peakOf(chip, best)! * 1.0001 ||
          (tie && (narrowAtTie ? bytes(p) < bytes(best) : best !== want && (p === want || bytes(p) > bytes(best))))
        : bytes(p) < bytes(best) || (bytes(p) === bytes(best) && peakOf(chip, p)! > peakOf(chip, best)!);
    if (better) best = p;
  }
  // Where quantization is allowed but the chip computes no narrower than 16 bits (an Apple GPU), an LLM's
  // weights are still kept at 8 bits when its floor allows: weight-only kernels widen them in-kernel
  // (llama.cpp Q8_0, MLX 8-bit, W8A16 in vLLM and TensorRT-LLM), so memory and each decode step's reads halve.
  if (!training && isLlm(w.model) && w.quantization === "allowed" && bytes(best) >= 2 && floorBytes <= 1)
    return { ok: true, precision: best, quantized: true, weights: "int8" };
  // Weights the profile states narrower than anything the chip computes in stay narrow in memory.
  const weights = !training && w.quantization === "forbidden" && wantBytes < bytes(best) ? want : best;
  return { ok: true, precision: best, quantized: bytes(best) < wantBytes, weights };
}

/** How a breakdown names the precision: compute precision, quantization, and weights read narrower. */
export const precisionText = (prec: Precisions) =>
  `precision ${prec.precision}${prec.quantized ? " (quantized)" : ""}` +
  `${prec.weights !== prec.precision ? ` (weights ${prec.weights}, widened in-kernel)` : ""}`;

/**
 * The share of a chip's 16-bit tensor rate that kernels widening 4-bit (or llama.cpp's 8-bit) weights reach.
 * AWQ, GPTQ and Marlin GEMMs and llama.cpp's quantized matmuls issue warp-level `mma.sync`, which datacenter
 * Blackwell and Jetson Thor run at about Ampere's rate per SM (`warp_mma_fp16_tops`); their full rate takes
 * `tcgen05`. Serving stacks multiply mxfp4 weights (gpt-oss) with tcgen05's block-scaled kinds; llama.cpp
 * does not. 1 elsewhere.
 */
export function warpMmaShare(chip: Chip, w: Workload, prec: Precisions): number {
  const warp = chip.warp_mma_fp16_tops;
  const widened = prec.weights !== prec.precision && (prec.precision === "fp16" || prec.precision === "bf16");
  if (warp === undefined || !widened || w.int4Activations) return 1;
  if (w.model.weightFormat === "mxfp4" && !onLlamaCpp(w)) return 1;
  return Math.min(1, warp / peakOf(chip, prec.precision)!);
}

/**
 * Speed-up of 16-bit prompt matmuls from accumulating in fp16. llama.cpp (and Ollama, built on it) multiplies
 * prompts through cuBLAS with CUBLAS_COMPUTE_16F on NVIDIA GPUs (ggml-cuda.cu, ggml_cuda_op_mul_mat_cublas;
 * fp32 only on AMD CDNA), and GeForce cards run fp16-accumulate tensor math at twice the fp32-accumulate
 * rate the catalog states for them (GA102 and AD102 whitepapers: RTX 3090 142 vs 71, RTX 4090 330 vs 165
 * dense TFLOPS). Data-centre and workstation parts run both at one rate. Serving stacks that accumulate in
 * fp32 (vLLM, TensorRT-LLM, PyTorch) get 1.
 */
export function fp16AccumulateGain(chip: Chip, w: Workload, prec: Precisions): number {
  const cublasFp16 = onLlamaCpp(w);
  const sixteenBit = prec.precision === "fp16" || prec.precision === "bf16";
  return cublasFp16 && sixteenBit && chip.vendor === "NVIDIA" && chip.use === "consumer" ? 2 : 1;
}
