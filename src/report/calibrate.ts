import { stringify } from "yaml";
import type { CalibrateAdvice } from "../advise/calibrate.js";
import { roundDeep } from "./format.js";

/** `hwadvise calibrate` reporters: the catalog overlay (YAML, to pass to --catalog) or the fit as JSON. */

export interface CalibrateRenderOptions {
  /** Where the overlay is written (named in its header), if not stdout. */
  readonly out?: string;
}

export function renderCalibrateYaml(c: CalibrateAdvice, opts: CalibrateRenderOptions = {}): string {
  return (
    `# hwadvise calibration overlay: efficiency factors fitted to ${c.file} (${c.measurements} measurements).\n` +
    `# Use it with: hwadvise recommend … --catalog ${opts.out ?? "<this file>"}\n` +
    stringify({ overrides: c.fits.map((f) => ({ id: f.chip, efficiency: f.efficiency })) }, { lineWidth: 0 })
  );
}

export function renderCalibrateJson(c: CalibrateAdvice): string {
  const chips = c.fits.map((f) => ({
    chip: f.chip,
    rows: f.rows,
    median_error_before: f.medianBefore,
    median_error_after: f.medianAfter,
    efficiency: f.efficiency,
  }));
  return `${JSON.stringify(roundDeep({ schemaVersion: 1, file: c.file, measurements: c.measurements, chips }), null, 2)}\n`;
}

/** One line per chip for stderr: how much the fit helps. */
export const fitLines = (c: CalibrateAdvice): string[] =>
  c.fits.map(
    (f) =>
      `${f.chip}: ${f.rows} measurement(s), median error ${(f.medianBefore * 100).toFixed(1)}% → ${(f.medianAfter * 100).toFixed(1)}%`,
  );
