import type { Window } from "./units.js";

/** A time-of-use band: local hours [fromH, toH) (wrapping midnight when toH < fromH) at a price. */
export interface TariffBand {
  readonly fromH: number;
  readonly toH: number;
  readonly usdPerKwh: number;
}

/** Hours of the day inside [fromH, toH), wrapping midnight when toH ≤ fromH, as [start, end) pieces within 0–24. */
function pieces(fromH: number, toH: number): [number, number][] {
  return toH > fromH
    ? [[fromH, toH]]
    : [
        [fromH, 24],
        [0, toH],
      ];
}

const overlap = (a: [number, number], b: [number, number]) => Math.max(0, Math.min(a[1], b[1]) - Math.max(a[0], b[0]));

/** Length of a daily window, hours (22:00–06:00 → 8). */
export function windowHours(w: Window): number {
  return pieces(w.fromH, w.toH).reduce((s, p) => s + p[1] - p[0], 0);
}

/**
 * Average price of a kWh drawn evenly over `window` (or the whole day), USD: each band's price for the
 * hours it covers, `baseUsdPerKwh` for the rest. The first band listed wins where bands overlap.
 * E.g. base $0.20, 18:00–22:00 at $0.38, all day: (20 × 0.20 + 4 × 0.38) / 24 = $0.23.
 */
export function averagePriceUsdPerKwh(
  baseUsdPerKwh: number,
  tariff: readonly TariffBand[] | undefined,
  window?: Window,
): number {
  const span = window ? pieces(window.fromH, window.toH) : ([[0, 24]] as [number, number][]);
  const total = span.reduce((s, p) => s + p[1] - p[0], 0);
  if (!tariff?.length || total <= 0) return baseUsdPerKwh;
  // Walk the span in slices cut at every band edge, pricing each slice by the first band that holds it.
  const cuts = new Set<number>([0, 24]);
  for (const b of tariff) for (const p of pieces(b.fromH, b.toH)) cuts.add(p[0]).add(p[1]);
  for (const p of span) cuts.add(p[0]).add(p[1]);
  const edges = [...cuts].sort((a, b) => a - b);
  let usd = 0;
  for (let i = 0; i + 1 < edges.length; i++) {
    const slice: [number, number] = [edges[i]!, edges[i + 1]!];
    const inSpan = span.reduce((s, p) => s + overlap(slice, p), 0);
    if (inSpan <= 0) continue;
    const mid = (slice[0] + slice[1]) / 2;
    const band = tariff.find((b) => pieces(b.fromH, b.toH).some((p) => mid >= p[0] && mid < p[1]));
    usd += inSpan * (band ? band.usdPerKwh : baseUsdPerKwh);
  }
  return usd / total;
}

/**
 * Energy cost of drawing `avgPowerW` for `hours`, USD: kWh × facility PUE × the tariff's average price
 * over the hours it runs (`window`, or the whole day). The one pricing function cost code calls.
 */
export function energyCostUsd(args: {
  avgPowerW: number;
  hours: number;
  pue: number;
  baseUsdPerKwh: number;
  tariff?: readonly TariffBand[];
  window?: Window;
}): number {
  const price = averagePriceUsdPerKwh(args.baseUsdPerKwh, args.tariff, args.window);
  return (args.avgPowerW / 1000) * args.hours * args.pue * price;
}

/**
 * Hours a job can run within `deadlineH` of wall-clock time when it may run only in a daily window:
 * whole days give their window hours, the remainder up to one more window (the job starts when the
 * window opens). 72 h with 22:00–06:00 → 3 × 8 = 24 h.
 */
export function windowHoursWithin(deadlineH: number, window: Window): number {
  const per = windowHours(window);
  const days = Math.floor(deadlineH / 24);
  return days * per + Math.min(per, deadlineH - days * 24);
}

/**
 * Wall-clock hours a job of `runH` hours takes when it may run only in a daily window (starting when
 * the window opens): each full window adds a day. 10 h in 22:00–06:00 → 24 + 2 = 26 h.
 */
export function wallClockH(runH: number, window: Window): number {
  const per = windowHours(window);
  if (!(runH > 0) || per >= 24) return runH;
  const n = Math.max(0, Math.ceil(runH / per - 1e-9) - 1);
  return n * 24 + (runH - n * per);
}
