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

export interface QtyOptions {
  /** Smallest accepted value (inclusive) in the canonical unit. */
  min?: number;
  /** Value must be strictly greater than this. Default: 0 (quantities are positive). */
  gt?: number;
  /** Largest accepted value (inclusive) in the canonical unit. */
  max?: number;
  description?: string;
}

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
      ctx.addIssue({ code: "custom", message: `expected a value above ${gt}${unit ? " " + unit : ""}, found ${show(input)}` });
      return z.NEVER;
    }
    if (opts.min !== undefined && v < opts.min) {
      ctx.addIssue({ code: "custom", message: `expected at least ${opts.min}${unit ? " " + unit : ""}, found ${show(input)}` });
      return z.NEVER;
    }
    if (opts.max !== undefined && v > opts.max) {
      ctx.addIssue({ code: "custom", message: `expected at most ${opts.max}${unit ? " " + unit : ""}, found ${show(input)}` });
      return z.NEVER;
    }
    return v;
  });
  return opts.description ? schema.describe(opts.description) : schema;
}
