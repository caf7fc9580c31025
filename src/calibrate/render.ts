import type { Calibration } from "../estimate/perf.js";
import { SCALAR_FACTORS } from "../estimate/calibration.js";

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
      // Every scalar factor the class has, in SCALAR_FACTORS order (optional ones only where set).
      ...Object.fromEntries(SCALAR_FACTORS.filter((k) => p[k] !== undefined).map((k) => [k, round(p[k]!)])),
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
                ...(v.tp_width !== undefined ? { tp_width: v.tp_width } : {}),
                ...(v.llama_cpp_decode !== undefined ? { llama_cpp_decode: v.llama_cpp_decode } : {}),
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
