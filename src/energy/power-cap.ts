import type { Chip, Offering, Precision } from "../catalog/schema.js";

/**
 * How a power cap changes one device: the share of its peak compute it keeps, its memory bandwidth,
 * and the power it may draw. Applied as a separate factor to the chip's figures, so the calibrated
 * efficiencies stay those of the uncapped chip.
 */
export interface CapEffect {
  readonly capW: number;
  /** Share of peak compute kept (0–1]. */
  readonly compute: number;
  readonly memoryBwGbps: number;
  /** Power at full load under the cap, W (the cap, or the mode's budget). */
  readonly tdpW: number;
  /** How the effect was reached, for the breakdown. */
  readonly basis: string;
}

/**
 * Dynamic power P − idle ∝ f·V², and V rises roughly with f over a GPU's DVFS range, so P − idle ∝ f³
 * and the clock a cap allows is f/f₀ = ((cap − idle) / (TDP − idle))^(1/3). Checked on MLPerf Inference
 * v4.1 ResNet-50: 8× H200 at a 350 W limit (MaxQ) ran 0.735× (Offline) and 0.759× (Server) of their
 * 700 W twins; the law gives ((350 − 70) / (700 − 70))^(1/3) = 0.763 (test/power-cap.test.ts).
 * Microcontrollers run at a fixed core voltage, so their power is linear in clock (exponent 1).
 */
const EXPONENT_DVFS = 1 / 3;
const EXPONENT_FIXED_VOLTAGE = 1;

/** A cap cannot go below what the device draws idle: the floor is 5% above idle. */
const MIN_HEADROOM = 0.05;

/**
 * The effect of capping `chip` at `capW` per device, or undefined when the cap does not bind (at or
 * above its TDP). Published power modes win over the law: the highest mode whose budget fits the cap
 * (or the lowest mode, when the cap is below every mode: the device then draws that mode's budget).
 * Memory bandwidth is kept unless a mode lowers the memory clock: a board power limit slows the
 * cores, not HBM or GDDR (MaxQ LLM decode, mostly memory-bound, keeps more of its speed than ResNet).
 */
export function capEffect(chip: Chip, capW: number): CapEffect | undefined {
  if (!(capW < chip.tdp_w)) return undefined;
  const modes = chip.power_modes;
  if (modes?.length) {
    const sorted = [...modes].sort((a, b) => a.w - b.w);
    const fit = sorted.filter((m) => m.w <= capW).pop();
    const mode = fit ?? sorted[0]!;
    return {
      capW,
      compute: mode.compute,
      memoryBwGbps: mode.memory_bw_gbps ?? chip.memory_bw_gbps,
      tdpW: Math.min(chip.tdp_w, mode.w),
      basis:
        `${mode.name ?? `${mode.w} W`} power mode: ${round(mode.compute * 100)}% of peak ` +
        `compute${mode.memory_bw_gbps ? `, ${mode.memory_bw_gbps} GB/s` : ""}${fit ? "" : ` (the lowest mode; it draws ${mode.w} W > cap ${capW} W)`}`,
    };
  }
  const exponent = chip.class === "mcu" ? EXPONENT_FIXED_VOLTAGE : EXPONENT_DVFS;
  const p = Math.max(capW, chip.idle_w * (1 + MIN_HEADROOM));
  const compute = Math.min(1, ((p - chip.idle_w) / Math.max(1e-12, chip.tdp_w - chip.idle_w)) ** exponent);
  return {
    capW,
    compute,
    memoryBwGbps: chip.memory_bw_gbps,
    tdpW: p,
    basis:
      `capped at ${round(p)} W of ${round(chip.tdp_w)} W: clock ((${round(p)} − ${round(chip.idle_w)} ` +
      `idle) / (${round(chip.tdp_w)} − ${round(chip.idle_w)}))^${exponent === 1 ? "1" : "1/3"} = ` +
      `${round(compute * 100)}% of peak`,
  };
}

function round(x: number): string {
  return Math.abs(x) >= 100 ? x.toFixed(0) : Number(x.toPrecision(3)).toString();
}

// Each capped variant's catalog chip and the share of its peaks the variant keeps, for the clock a dense
// GEMM sustains under the cap.
const capOrigin = new WeakMap<Chip, { readonly base: Chip; readonly compute: number }>();

/** The catalog chip a variant made by capChip came from, and the share of its peaks it keeps. */
const originOf = (chip: Chip) => capOrigin.get(chip) ?? { base: chip, compute: 1 };

/** The chip as it runs under the cap: peaks scaled, bandwidth and TDP as the effect says. Same id (calibration and names follow it). */
export function capChip(chip: Chip, e: CapEffect): Chip {
  const peak: Partial<Record<Precision, number>> = {};
  for (const [k, v] of Object.entries(chip.peak_tops) as [Precision, number | undefined][])
    if (v !== undefined) peak[k] = v * e.compute;
  const capped = {
    ...chip,
    peak_tops: peak,
    memory_bw_gbps: e.memoryBwGbps,
    tdp_w: e.tdpW,
    idle_w: Math.min(chip.idle_w, e.tdpW),
  };
  const origin = originOf(chip);
  capOrigin.set(capped, { base: origin.base, compute: e.compute * origin.compute });
  return capped;
}

/**
 * Dynamic power a 16-bit dense matrix product draws per TFLOP/s at a chip's rated clock, W. An H200 SXM
 * (700 W, 70 W idle, 989 dense bf16 TFLOP/s) multiplies 8192² bf16 matrices at 769–798 TFLOP/s, 0.78–0.81
 * of its sheet, and at 894 on all-zero data, which switches fewer transistors
 * (data/reference/achievable_fractions.md): the power limit, not the tensor cores, sets the rate. Taking
 * all of the 0.79 as clock, the DVFS law ((700 − 70) / (k × 989))^(1/3) = 0.79 gives k ≈ 1.3.
 */
export const GEMM_W_PER_TFLOPS = 1.3;

/**
 * The clock a chip sustains through long dense matrix products (an LLM's prompt), as a share of its rated
 * clock: min(1, ((TDP − idle) / (k × 16-bit peak × gain))^(1/3)), the DVFS law above with the power such
 * products would draw at the rated clock. Parts with much power per FLOP (GeForce and workstation cards,
 * whose fp32-accumulate rate is half their tensor rate, Jetson Orin, Macs) keep their clock (an RTX 4090
 * multiplies 4096² fp16 and 2048² bf16 in PyTorch at 168 and 165 TFLOP/s, all of its sheet's 165:
 * zzc0721/torch-performance-test-data issue #78, PyTorch 2.7, 2025-10); an H100 SXM
 * keeps 0.79, an H100 PCIe 0.68, a B200 0.68, an L4 0.74, a Jetson AGX Thor 0.71. `gain`: a tensor rate above the
 * stated one (llama.cpp's fp16 accumulation on GeForce) draws that much more. A capped variant (capChip)
 * is judged against its uncapped figures, so a cap is not counted twice. The power per FLOP is a GPU's
 * (one GPU measured): ASICs, NPUs, CPUs and microcontrollers, and chips with no 16-bit rate, get 1.
 */
export function gemmClock(chip: Chip, gain = 1): number {
  const { base, compute: c } = originOf(chip);
  const p16 = base.peak_tops.bf16 ?? base.peak_tops.fp16 ?? 0;
  if (p16 <= 0 || (chip.class !== "gpu" && chip.class !== "edge-gpu")) return 1;
  // The clock the power the chip may draw (its TDP, or the cap or power mode) allows through the products,
  // against the rated clock; the chip's peaks already carry a cap's or mode's share c, and never go past it.
  const clock = ((chip.tdp_w - chip.idle_w) / (GEMM_W_PER_TFLOPS * p16 * gain)) ** EXPONENT_DVFS;
  return Math.min(1, clock / c);
}

/**
 * Capped variants of chips for one workload: one object per chip × cap, so estimates memoised by chip
 * object are shared. Create one per ranking (never module-level).
 */
export class CapContext {
  private readonly byChip = new Map<Chip, Map<number, { chip: Chip; effect: CapEffect } | undefined>>();
  private readonly hosts = new Map<Offering, Offering>();
  /**
   * The offering with its host's power stated outright: a unit whose host power is derived from
   * `power_w − devices × TDP` must keep the host it has when its devices run capped.
   */
  withHost(o: Offering, hostW: number): Offering {
    if (o.host_w !== undefined || o.power_w === undefined) return o;
    let h = this.hosts.get(o);
    if (!h) this.hosts.set(o, (h = { ...o, host_w: hostW }));
    return h;
  }
  capped(chip: Chip, capW: number): { chip: Chip; effect: CapEffect } | undefined {
    let m = this.byChip.get(chip);
    if (!m) this.byChip.set(chip, (m = new Map()));
    if (m.has(capW)) return m.get(capW);
    const effect = capEffect(chip, capW);
    const v = effect ? { chip: capChip(chip, effect), effect } : undefined;
    m.set(capW, v);
    return v;
  }
}

/** Chip classes whose power can be capped in the field (nvidia-smi / rocm-smi limits, nvpmodel, RAPL, DVFS). */
export const cappable = (chip: Chip): boolean =>
  chip.power_modes !== undefined ||
  chip.class === "gpu" ||
  chip.class === "edge-gpu" ||
  chip.class === "asic" ||
  chip.class === "cpu";

/**
 * Caps to try for a device that breaks a power limit, highest first: its published modes below TDP, or
 * 90% down to 30% of TDP in 10% steps (nvidia-smi accepts limits down to about a third of TDP on
 * datacenter parts).
 */
export function candidateCaps(chip: Chip): number[] {
  if (chip.power_modes?.length)
    return [...new Set(chip.power_modes.map((m) => m.w).filter((w) => w < chip.tdp_w))].sort((a, b) => b - a);
  const out: number[] = [];
  for (let f = 0.9; f >= 0.3 - 1e-9; f -= 0.1) {
    const w = Math.round(chip.tdp_w * f * 100) / 100;
    if (w > chip.idle_w * (1 + MIN_HEADROOM)) out.push(w);
  }
  return out;
}
