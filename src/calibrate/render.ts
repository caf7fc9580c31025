import type { Calibration } from "../estimate/perf.js";

const round = (x: number) => Number(x.toPrecision(4));

/** calibration.json with provenance first, classes in a stable order and 4 significant figures (small diffs). */
export function renderCalibrationJson(cal: Calibration, provenance: Record<string, string>): string {
  const classes: Record<string, unknown> = {};
  for (const [cls, p] of Object.entries(cal.classes).sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    const compute = Object.fromEntries(
      Object.entries(p.compute)
        .sort((a, b) => (a[0] < b[0] ? -1 : 1))
        .map(([k, v]) => [k, round(v)]),
    );
    classes[cls] = {
      compute,
      mem: round(p.mem),
      ...(p.act_dram !== undefined ? { act_dram: round(p.act_dram) } : {}),
      overhead_ms: round(p.overhead_ms),
      per_layer_us: round(p.per_layer_us),
      ...(p.elem_cycles !== undefined ? { elem_cycles: round(p.elem_cycles) } : {}),
      prefill: round(p.prefill),
      decode_mem: round(p.decode_mem),
      decode_compute: round(p.decode_compute),
      step_overhead_ms: round(p.step_overhead_ms),
      ...(p.kernel_us !== undefined ? { kernel_us: round(p.kernel_us) } : {}),
      mfu: round(p.mfu),
      ...(p.mfu_family
        ? {
            mfu_family: Object.fromEntries(
              Object.entries(p.mfu_family)
                .sort((a, b) => (a[0] < b[0] ? -1 : 1))
                .map(([k, v]) => [k, round(v)]),
            ),
          }
        : {}),
    };
  }
  const uncertainty = cal.uncertainty
    ? Object.fromEntries(
        Object.entries(cal.uncertainty)
          .sort((a, b) => (a[0] < b[0] ? -1 : 1))
          .map(([k, v]) => [
            k,
            { median_pct: Math.round(v.median_pct * 10) / 10, p90_pct: Math.round(v.p90_pct * 10) / 10, n: v.n },
          ]),
      )
    : undefined;
  const mults = (m: Calibration["arch"]) =>
    m
      ? Object.fromEntries(
          Object.entries(m)
            .sort((a, b) => (a[0] < b[0] ? -1 : 1))
            .map(([k, v]) => [
              k,
              {
                compute: round(v.compute),
                mem: round(v.mem),
                ...(v.elem !== undefined ? { elem: round(v.elem) } : {}),
              },
            ]),
        )
      : undefined;
  const arch = mults(cal.arch);
  const stack = mults(cal.stack);
  const model = mults(cal.model);
  return (
    JSON.stringify(
      {
        version: 1,
        ...provenance,
        classes,
        ...(arch ? { arch } : {}),
        ...(stack ? { stack } : {}),
        ...(model ? { model } : {}),
        ...(uncertainty ? { uncertainty } : {}),
      },
      null,
      2,
    ) + "\n"
  );
}
