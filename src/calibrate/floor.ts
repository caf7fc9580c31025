import { quantile, type RowError } from "./fit.js";
import { smallerIsFaster, type Measurement } from "./measurements.js";

/**
 * How low the leave-one-group-out error can go on this data, for `npm run accuracy -- --floor`: what the
 * model's held-out errors would be if each held-out group's level were known, how far repeated
 * measurements of one configuration disagree, and what a purely statistical correction reaches. Pure.
 */

/** log(predicted / measured) as speed: > 0 when the model is too fast, whatever the unit. */
export function speedResidual(e: RowError): number | undefined {
  if (e.predicted === undefined || !(e.predicted > 0) || e.row.excluded) return undefined;
  const lr = Math.log(e.predicted / e.row.value);
  return smallerIsFaster(e.row.unit) ? -lr : lr;
}

/** Absolute percentage error of a row whose speed residual is r. */
const apeOf = (r: number, unit: Measurement["unit"]) => Math.abs(Math.exp(smallerIsFaster(unit) ? -r : r) - 1);

const median = (xs: readonly number[]) => quantile(xs, 0.5);

/**
 * Median error left if each group's mean residual were removed: the part of the held-out error that no
 * per-group level (a better chip-family or benchmark factor) can fix.
 */
export function withinGroupMedian(errors: readonly RowError[]): number {
  const byGroup = new Map<string, { r: number; unit: Measurement["unit"] }[]>();
  for (const e of errors) {
    const r = speedResidual(e);
    if (r === undefined) continue;
    byGroup.set(e.row.group, [...(byGroup.get(e.row.group) ?? []), { r, unit: e.row.unit }]);
  }
  const apes: number[] = [];
  for (const g of byGroup.values()) {
    const mean = g.reduce((s, x) => s + x.r, 0) / g.length;
    for (const x of g) apes.push(apeOf(x.r - mean, x.unit));
  }
  return median(apes);
}

/** Pairs of rows that state the same configuration (chip, count, model, scenario): their relative spread. */
export function repeatSpread(rows: readonly Measurement[]): { pairs: number; medianPct: number } {
  const byConfig = new Map<string, Measurement[]>();
  for (const r of rows) {
    if (r.excluded) continue;
    const k = `${r.chip}|${r.count}|${r.model}|${r.scenario}`;
    byConfig.set(k, [...(byConfig.get(k) ?? []), r]);
  }
  const gaps: number[] = [];
  for (const list of byConfig.values()) {
    for (let i = 0; i < list.length; i++)
      for (let j = i + 1; j < list.length; j++)
        gaps.push(Math.max(list[i]!.value, list[j]!.value) / Math.min(list[i]!.value, list[j]!.value) - 1);
  }
  return { pairs: gaps.length, medianPct: median(gaps) * 100 };
}

export type Feature = (e: RowError) => string;

/**
 * Ridge regression of the speed residuals on indicator features (e.g. architecture, model, scenario),
 * by coordinate descent. Returns a predictor of the residual. `lambda` shrinks every effect toward 0.
 */
export function fitAdditive(
  errors: readonly RowError[],
  features: readonly Feature[],
  lambda: number,
  sweeps = 100,
): (e: RowError) => number {
  const data = errors.flatMap((e) => {
    const r = speedResidual(e);
    return r === undefined ? [] : [{ r, keys: features.map((f, i) => `${i}:${f(e)}`) }];
  });
  const effect = new Map<string, number>();
  for (const d of data) for (const k of d.keys) effect.set(k, 0);
  let intercept = data.reduce((s, d) => s + d.r, 0) / Math.max(1, data.length);
  const fitted = (d: { keys: string[] }) => intercept + d.keys.reduce((s, k) => s + effect.get(k)!, 0);
  for (let it = 0; it < sweeps; it++) {
    for (const k of effect.keys()) {
      let num = 0;
      let n = 0;
      for (const d of data) {
        if (!d.keys.includes(k)) continue;
        num += d.r - (fitted(d) - effect.get(k)!);
        n++;
      }
      effect.set(k, num / (n + lambda));
    }
    intercept = data.reduce((s, d) => s + d.r - (fitted(d) - intercept), 0) / Math.max(1, data.length);
  }
  return (e) => intercept + features.reduce((s, f, i) => s + (effect.get(`${i}:${f(e)}`) ?? 0), 0);
}

/**
 * Leave-one-group-out median error of the prior model corrected by an additive fit (`fitAdditive`) on
 * the other groups: what a statistical correction of the same spec-sheet roofline reaches.
 */
export function additiveCvMedian(
  priorErrors: readonly RowError[],
  features: readonly Feature[],
  lambda: number,
): number {
  const apes: number[] = [];
  for (const g of [...new Set(priorErrors.map((e) => e.row.group))].sort()) {
    const predict = fitAdditive(
      priorErrors.filter((e) => e.row.group !== g),
      features,
      lambda,
    );
    for (const e of priorErrors.filter((x) => x.row.group === g)) {
      const r = speedResidual(e);
      if (r !== undefined) apes.push(apeOf(r - predict(e), e.row.unit));
    }
  }
  return median(apes);
}
