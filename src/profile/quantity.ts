import { z } from "zod";
import { parsers, type Dimension } from "./units.js";

const SHOWN: Record<Dimension, string> = {
  duration_ms: "ms",
  duration_h: "h",
  power_w: "W",
  count: "",
  flops: "FLOPs",
  usd: "USD",
  rate_per_s: "/s",
  bytes_gb: "GB",
  fraction: "",
  bandwidth_mbps: "Mbps",
  years: "y",
};

const NAME: Record<Dimension, string> = {
  duration_ms: "milliseconds",
  duration_h: "hours",
  power_w: "watts",
  count: "units",
  flops: "FLOPs",
  usd: "USD",
  rate_per_s: "per second",
  bytes_gb: "GB",
  fraction: "a fraction of 1",
  bandwidth_mbps: "Mbit/s",
  years: "years",
};
const EXAMPLES: Record<Dimension, string> = {
  duration_ms: "50ms, 1.5s",
  duration_h: "72h, 14d",
  power_w: "15W, 500mW, 2kW",
  count: "350M, 7B, 50k",
  flops: "28.6G, 8.2GFLOPs",
  usd: "$5000, $100k, $0.50",
  rate_per_s: "30/s, 1800/min, 2M/day",
  bytes_gb: "512MB, 24GB",
  fraction: "5%, 0.05",
  bandwidth_mbps: "10Mbps, 1Gbps",
  years: "3y, 36mo",
};

export interface QtyOptions {
  /** Smallest accepted value (inclusive) in the canonical unit. */
  min?: number;
  /** Value must be strictly greater than this. Default: 0 (quantities are positive). */
  gt?: number;
  /** Largest accepted value (inclusive) in the canonical unit. */
  max?: number;
  description?: string;
}

/** A limit as people read it: 1e15 rather than 1000000000000000. */
const limit = (n: number) => (Math.abs(n) >= 1e6 ? n.toExponential().replace("e+", "e") : String(n));

function show(found: unknown): string {
  if (typeof found === "string") return JSON.stringify(found);
  if (found === null) return "null";
  if (Array.isArray(found)) return "a list";
  if (typeof found === "object") return "a mapping";
  return String(found);
}

/**
 * A quantity field: a number in the canonical unit, or a string with a unit. Validates finiteness and
 * range, and reports "expected …, found …" in the words of the dimension.
 */
export function qty(dim: Dimension, opts: QtyOptions = {}) {
  const gt = opts.min === undefined ? (opts.gt ?? 0) : undefined;
  const schema = z.union([z.number(), z.string()]).transform((input, ctx) => {
    const r = parsers[dim](input);
    if (!r.ok) {
      ctx.addIssue({ code: "custom", message: `expected ${r.expected}, found ${show(input)}` });
      return z.NEVER;
    }
    const unit = SHOWN[dim];
    const v = r.value;
    if (gt !== undefined && !(v > gt)) {
      ctx.addIssue({
        code: "custom",
        message: `expected a value above ${limit(gt)}${unit ? " " + unit : ""}, found ${show(input)}`,
      });
      return z.NEVER;
    }
    if (opts.min !== undefined && v < opts.min) {
      ctx.addIssue({
        code: "custom",
        message: `expected at least ${limit(opts.min)}${unit ? " " + unit : ""}, found ${show(input)}`,
      });
      return z.NEVER;
    }
    if (opts.max !== undefined && v > opts.max) {
      ctx.addIssue({
        code: "custom",
        message: `expected at most ${limit(opts.max)}${unit ? " " + unit : ""}, found ${show(input)}`,
      });
      return z.NEVER;
    }
    return v;
  });
  return schema.describe(opts.description ?? `A number in ${NAME[dim]}, or a string with a unit: ${EXAMPLES[dim]}.`);
}
