// Queueing: p99 waits of batched requests and the highest load a batch size carries within a bound.

export const pow2Upto = (max: number) => {
  const out: number[] = [];
  for (let b = 1; b <= max; b *= 2) out.push(b);
  return out;
};

/**
 * Share of flat-out throughput a latency-bound service is loaded to: slots kept free for bursts. MLPerf
 * Server results reach a median 0.89 of the same system's Offline (49 pairs in mlperf_calibration.csv,
 * quartiles 0.82–0.95).
 */
export const SERVICE_LOAD = 0.9;

/** Utilisation levels at which the queueing model is evaluated, highest first. */
const RHO_GRID = [
  0.995, 0.99, 0.98, 0.97, 0.95, 0.93, 0.9, 0.87, 0.84, 0.8, 0.75, 0.7, 0.65, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1, 0.05, 0.02,
  0.01, 0.001,
];

/**
 * The highest arrival rate per copy, over batch sizes and the utilisation grid, at which
 * `meets(b, rate)` holds, and its batch (the first one when none does). A batch of b takes periodS(b);
 * `hopeless(b)` skips batch sizes that no load can serve within bounds.
 */
export function highestLoad(
  batches: readonly number[],
  periodS: (b: number) => number,
  meets: (b: number, rate: number) => boolean,
  hopeless?: (b: number) => boolean,
): { rate: number; batch: number } {
  let rate = 0;
  let batch = batches[0]!;
  for (const b of batches) {
    if (hopeless?.(b)) continue;
    const s = periodS(b);
    for (const rho of RHO_GRID) {
      const r = (rho * b) / s;
      if (meets(b, r)) {
        if (r > rate) {
          rate = r;
          batch = b;
        }
        break;
      }
    }
  }
  return { rate, batch };
}

/**
 * p99 waiting time in a G/D/c queue (c servers, service time s, utilisation rho per server, squared
 * coefficient of variation ca2 of the inter-arrival times). Allen–Cunneen: an arrival waits with the
 * Erlang C probability P (= rho for one server), and a waiting time is close to exponential with mean
 * s·ca2 / (2c(1 − rho)) (service is deterministic), so the 99th percentile is that mean × ln(100·P).
 * Poisson requests: ca2 = 1 (M/D/c). Batches of b Poisson requests arrive as an Erlang-b stream: ca2 = 1/b.
 */
export function waitP99(s: number, rho: number, ca2 = 1, c = 1): number {
  if (rho >= 1) return Infinity;
  const pw = c === 1 ? rho : erlangC(c, rho);
  if (pw <= 0.01) return 0;
  return ((s * ca2) / (2 * c * (1 - rho))) * Math.log(100 * pw);
}

/** Erlang C: probability that an arrival waits in an M/M/c queue at utilisation rho per server. */
export function erlangC(c: number, rho: number): number {
  const a = c * rho;
  // Erlang B by its recurrence (stable for large c), then C from B.
  let b = 1;
  for (let k = 1; k <= c; k++) b = (a * b) / (k + a * b);
  return b / (1 - rho * (1 - b));
}

/**
 * The highest load up to `top` at which `ok` holds, where it holds less as the load grows (queued work and
 * pauses only lengthen): `top` itself where it holds there, else the highest lower load (to 0.1%), else 0
 * where it fails even near no load.
 */
export function carriedLoad(top: number, ok: (load: number) => boolean): number {
  if (ok(top)) return top;
  let lo = top * 1e-6;
  if (!(top > 0) || !ok(lo)) return 0;
  let hi = top;
  for (let k = 0; k < 40 && hi / lo > 1.001; k++) {
    const mid = Math.sqrt(lo * hi);
    if (ok(mid)) lo = mid;
    else hi = mid;
  }
  return lo;
}
