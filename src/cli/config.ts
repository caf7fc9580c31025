import { existsSync } from "node:fs";
import { z } from "zod";
import { thresholdsSchema, type Thresholds } from "../baseline/thresholds.js";
import { InputError } from "../errors.js";
import { keysOf, parseYamlSource, validate } from "../yaml-source.js";
import { readInput } from "./io.js";

/** The project's settings file, read from the working directory when present. */
export const DEFAULT_CONFIG = "hwadvise.config.yaml";

export interface CheckConfig {
  readonly thresholds?: Thresholds;
  readonly material?: "error" | "warning";
}

const configSchema = () =>
  z.strictObject({
    check: z
      .strictObject({
        thresholds: thresholdsSchema().optional(),
        /** `warning`: a crossed threshold is reported but does not fail `check`. */
        material: z.enum(["error", "warning"]).optional(),
      })
      .optional(),
  });

/**
 * Read `hwadvise.config.yaml` (or the file `--config` names). The default file may be absent; a named
 * one must exist. Errors are located (`file:line:col field: message`), exit 2 like any bad input.
 */
export function loadConfig(path: string | undefined): { file?: string; check: CheckConfig } {
  const file = path ?? DEFAULT_CONFIG;
  if (path === undefined && !existsSync(file)) return { check: {} };
  const input = readInput(file);
  const src = parseYamlSource(input.file, input.text);
  if (!src.ok) throw new InputError(src.problems);
  if (src.value.value === null || src.value.value === undefined) return { file, check: {} };
  const schema = configSchema();
  const r = validate(src.value, schema, keysOf(schema));
  if (!r.ok) throw new InputError(r.problems);
  return { file, check: r.value.check ?? {} };
}
