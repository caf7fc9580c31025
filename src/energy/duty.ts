/** A unit that sleeps between requests: what it draws on average and what a wake-up adds to latency. */
export interface DutyCycle {
  /** Average power per unit, W. */
  readonly avgPowerW: number;
  /** The same unit kept awake (idle between requests), W. */
  readonly awakeW: number;
  readonly sleepW: number;
  readonly wakeMs: number;
  /** Requests per second per unit. */
  readonly ratePerS: number;
  /** Active energy per request (above sleep), J. */
  readonly activeJ: number;
  /** Energy of one wake-up, J. */
  readonly wakeJ: number;
}

/**
 * Duty-cycled average power of one unit at `ratePerS` requests/s: sleep power, plus each request's
 * active energy above sleep, plus a wake-up per request (the unit goes back to sleep after each):
 *   P = sleep + λ × ((P_active − sleep) × t_busy + P_idle × t_wake).
 * A wake-up is costed at the unit's idle (powered, not computing) draw for its duration. Returns
 * undefined when sleeping does not pay (it draws more than staying awake), when requests come faster
 * than the unit can sleep and wake between them, or when the wake-up would break the latency SLO.
 */
export function dutyCycle(args: {
  sleepW: number;
  wakeMs: number;
  idleW: number;
  activeW: number;
  /** Busy seconds per request at the served load. */
  busySPerRequest: number;
  ratePerS: number;
  p99Ms: number;
  latencySloMs?: number;
}): DutyCycle | undefined {
  const { sleepW, wakeMs, idleW, activeW, busySPerRequest, ratePerS } = args;
  if (!(ratePerS > 0) || !(busySPerRequest >= 0)) return undefined;
  const wakeS = wakeMs / 1000;
  // Each request occupies busy + wake time; with no room left to sleep, the unit stays awake.
  if (ratePerS * (busySPerRequest + wakeS) >= 1) return undefined;
  if (args.latencySloMs !== undefined && args.p99Ms + wakeMs > args.latencySloMs * (1 + 1e-9)) return undefined;
  const activeJ = Math.max(0, activeW - sleepW) * busySPerRequest;
  const wakeJ = idleW * wakeS;
  const avgPowerW = sleepW + ratePerS * (activeJ + wakeJ);
  const awakeW = idleW + ratePerS * Math.max(0, activeW - idleW) * busySPerRequest;
  if (!(avgPowerW < awakeW)) return undefined;
  return { avgPowerW, awakeW, sleepW, wakeMs, ratePerS, activeJ, wakeJ };
}
