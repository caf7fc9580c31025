import { fail, nearest, ok, type Problem, type Result } from "../errors.js";
import type { ModelPreset } from "../models/schema.js";
import { keysOf, locate, parseYamlSource, validate } from "../yaml-source.js";
import { ProfileSchema, type Profile } from "./schema.js";

const knownKeys = keysOf(ProfileSchema);

export interface ParsedProfile {
  readonly file: string;
  readonly profile: Profile;
  /** Line of each top-level and nested field, for pointing CI annotations at the field that drove a change. */
  readonly lineOf: (path: readonly (string | number)[]) => number | undefined;
}

/**
 * Parse and validate a profile's text: YAML syntax, the zod schema (units, ranges, unknown keys with
 * "did you mean"), then the checks that need data (model preset exists) or span fields. Never throws.
 */
export function parseProfile(file: string, text: string, presets: ReadonlyMap<string, ModelPreset>): Result<ParsedProfile> {
  const src = parseYamlSource(file, text);
  if (!src.ok) return src;
  const value = src.value.value;
  if (value === null || value === undefined) {
    return fail([{ file, message: "profile is empty; expected a mapping with `name:` and `workload:` (see profiles/ for examples)" }]);
  }
  if (typeof value !== "object" || Array.isArray(value)) {
    return fail([{ file, line: 1, col: 1, message: `expected a mapping with \`name:\` and \`workload:\`, found ${Array.isArray(value) ? "a list" : `a ${typeof value}`}` }]);
  }
  const r = validate(src.value, ProfileSchema, knownKeys);
  if (!r.ok) return r;
  const p = r.value;
  const problems: Problem[] = [];
  const at = (path: (string | number)[], message: string): Problem => ({ file, ...locate(src.value, path), path: path.join("."), message });
  if (typeof p.workload.model === "string" && !presets.has(p.workload.model)) {
    const near = nearest(p.workload.model, presets.keys(), 4);
    problems.push(at(["workload", "model"], `unknown model preset ${JSON.stringify(p.workload.model)}${near.length ? ` — did you mean ${near.map((n) => `\`${n}\``).join(", ")}?` : ""} (\`hwadvise models\` lists them; or give { params, flops_per_sample, family })`));
  }
  const kind = p.workload.kind;
  const training = kind === "training" || kind === "fine-tuning";
  if (training && !p.workload.dataset) problems.push(at(["workload"], `a ${kind} profile needs workload.dataset (tokens or samples, and epochs)`));
  if (p.workload.dataset && p.workload.dataset.tokens === undefined && p.workload.dataset.samples === undefined) problems.push(at(["workload", "dataset"], "give tokens or samples"));
  if (!training && p.workload.method !== undefined) problems.push(at(["workload", "method"], `method applies to training and fine-tuning, not ${kind}`));
  if (typeof p.workload.model !== "string" && p.workload.model.family !== "decoder-llm" && p.workload.model.family !== "moe-llm" && p.workload.model.flops_per_sample === undefined) {
    problems.push(at(["workload", "model"], "an inline non-LLM model needs flops_per_sample (e.g. 28.6G)"));
  }
  if (typeof p.workload.model !== "string" && p.workload.model.active_params !== undefined && p.workload.model.active_params > p.workload.model.params) {
    problems.push(at(["workload", "model", "active_params"], `active parameters (${p.workload.model.active_params}) cannot exceed total params (${p.workload.model.params})`));
  }
  if (problems.length) return fail(problems);
  const s = src.value;
  return ok({
    file,
    profile: p,
    lineOf: (path) => locate(s, path)?.line,
  });
}
