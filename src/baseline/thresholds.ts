import { z } from "zod";

/**
 * Material-change thresholds for `hwadvise check`: how far a figure of the chosen hardware may move in
 * the worse direction before a reviewer must look, whatever the class. Cost tools for pull requests
 * (infracost's `--threshold`, cost-diff bots) flag a percentage rise in monthly cost; we do the same
 * for every figure a planner signs off: money, devices, power and the SLO estimates.
 */
export const MATERIAL_FIGURES = {
  monthly_cost: { field: "monthly_cost_usd", worse: "up", default: "+25%", label: "monthly cost" },
  capex: { field: "capex_usd", worse: "up", default: "+25%", label: "capex" },
  devices: { field: "devices", worse: "up", default: "x2", label: "devices" },
  power: { field: "power_w", worse: "up", default: "+25%", label: "power" },
  latency_p99: { field: "latency_p99_ms", worse: "up", default: "+25%", label: "p99 latency" },
  ttft: { field: "ttft_ms", worse: "up", default: "+25%", label: "time to first token" },
  tokens_per_s: { field: "tokens_per_s", worse: "down", default: "-20%", label: "tokens/s per stream" },
  time_to_train: { field: "time_to_train_h", worse: "up", default: "+25%", label: "time to train" },
} as const;

export type MaterialFigure = keyof typeof MATERIAL_FIGURES;
export const MATERIAL_FIGURE_NAMES = Object.keys(MATERIAL_FIGURES) as MaterialFigure[];

/** Money, devices and power that are absent count as zero (a cloud option has no capex); SLO figures absent are not compared. */
const ZERO_WHEN_ABSENT: ReadonlySet<MaterialFigure> = new Set(["monthly_cost", "capex", "devices", "power"]);

/** `+25%`, `25%`, `-20%` (a relative change), `x2` / `2x` / `×2` (a factor), or `off`. */
export const THRESHOLD_RE = /^(off|[+-]?\d+(\.\d+)?%|[x×]\d+(\.\d+)?|\d+(\.\d+)?[x×])$/;

export type Thresholds = Partial<Record<MaterialFigure, string>>;

/** Zod schema of a thresholds mapping (profile `check.thresholds`, config file `check.thresholds`). */
export function thresholdsSchema() {
  const value = z
    .string()
    .regex(THRESHOLD_RE, { message: "expected a change such as +25%, -20% or x2, or off" })
    .describe("A change in the worse direction that is material: +25% (relative), x2 (a factor) or off.");
  return z
    .strictObject(
      Object.fromEntries(MATERIAL_FIGURE_NAMES.map((k) => [k, value.optional()])) as Record<
        MaterialFigure,
        z.ZodOptional<typeof value>
      >,
    )
    .describe(
      `Material-change thresholds for \`hwadvise check\` (defaults: ${MATERIAL_FIGURE_NAMES.map((k) => `${k} ${MATERIAL_FIGURES[k].default}`).join(", ")}).`,
    );
}

export const DEFAULT_THRESHOLDS: Required<Thresholds> = Object.fromEntries(
  MATERIAL_FIGURE_NAMES.map((k) => [k, MATERIAL_FIGURES[k].default]),
) as Required<Thresholds>;

/** Later layers win, figure by figure (defaults < config file < --threshold < the profile's own). */
export function mergeThresholds(...layers: readonly (Thresholds | undefined)[]): Required<Thresholds> {
  const out = { ...DEFAULT_THRESHOLDS };
  for (const l of layers) for (const k of MATERIAL_FIGURE_NAMES) if (l?.[k] !== undefined) out[k] = l[k]!;
  return out;
}

/** `monthly_cost=+40%` → ["monthly_cost", "+40%"]; undefined with a reason when malformed. */
export function parseThresholdFlag(
  s: string,
): { ok: true; figure: MaterialFigure; value: string } | { ok: false; message: string } {
  const at = s.indexOf("=");
  const name = (at < 0 ? s : s.slice(0, at)).trim();
  const value = at < 0 ? "" : s.slice(at + 1).trim();
  if (!(MATERIAL_FIGURE_NAMES as string[]).includes(name))
    return {
      ok: false,
      message:
        `--threshold ${JSON.stringify(s)}: unknown figure ${JSON.stringify(name)}; one of ` +
        `${MATERIAL_FIGURE_NAMES.join(", ")} (e.g. --threshold monthly_cost=+40%)`,
    };
  if (!THRESHOLD_RE.test(value))
    return { ok: false, message: `--threshold ${JSON.stringify(s)}: expected ${name}=+25%, ${name}=x2 or ${name}=off` };
  return { ok: true, figure: name as MaterialFigure, value };
}

/** The figures compared, as the baseline records them (rounded). */
export type Figures = Partial<Record<(typeof MATERIAL_FIGURES)[MaterialFigure]["field"], number>>;

export interface MaterialRow {
  readonly figure: MaterialFigure;
  readonly before?: number;
  readonly after?: number;
  /** after / before − 1, in %; absent when before is zero or absent. */
  readonly change_pct?: number;
  readonly threshold: string;
  readonly crossed: boolean;
}

/** Whether moving from `before` to `after` crosses `threshold` in the figure's worse direction. */
export function crosses(figure: MaterialFigure, before: number, after: number, threshold: string): boolean {
  if (threshold === "off") return false;
  const worseUp = MATERIAL_FIGURES[figure].worse === "up";
  const factor = /[x×]/.test(threshold) ? Number(threshold.replace(/[x×]/g, "")) : undefined;
  const pct = factor === undefined ? Math.abs(Number(threshold.replace(/[+%]/g, ""))) : undefined;
  if (worseUp) {
    if (before <= 0) return after > 0;
    return factor !== undefined ? after >= before * factor : after >= before * (1 + pct! / 100);
  }
  if (before <= 0) return false;
  return factor !== undefined ? after <= before / factor : after <= before * (1 - pct! / 100);
}

/** One row per figure that moved, in the order of MATERIAL_FIGURES; `crossed` when beyond its threshold. */
export function compareFigures(before: Figures, after: Figures, thresholds: Required<Thresholds>): MaterialRow[] {
  const rows: MaterialRow[] = [];
  for (const figure of MATERIAL_FIGURE_NAMES) {
    const field = MATERIAL_FIGURES[figure].field;
    let b = before[field];
    let a = after[field];
    if (b === undefined && a === undefined) continue;
    if (ZERO_WHEN_ABSENT.has(figure)) {
      b ??= 0;
      a ??= 0;
    } else if (b === undefined || a === undefined) continue;
    if (a === b) continue;
    const threshold = thresholds[figure];
    rows.push({
      figure,
      before: b,
      after: a,
      ...(b > 0 ? { change_pct: Math.round((a / b - 1) * 1000) / 10 } : {}),
      threshold,
      crossed: crosses(figure, b, a, threshold),
    });
  }
  return rows;
}
