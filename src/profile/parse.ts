import { fail, formatPath, nearest, ok, type Problem, type Result } from "../errors.js";
import { once } from "../once.js";
import type { ModelPreset } from "../models/schema.js";
import { keysOf, locate, parseYamlSource, validate } from "../yaml-source.js";
import { DEFAULTS } from "../estimate/workload.js";
import { grouped } from "../format/number.js";
import { isTraining, PipelineProfileSchema, ProfileSchema, type Profile } from "./schema.js";

const knownKeys = once(() => keysOf(ProfileSchema()));

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
export function parseProfile(
  file: string,
  text: string,
  presets: ReadonlyMap<string, ModelPreset>,
): Result<ParsedProfile> {
  const src = parseYamlSource(file, text);
  if (!src.ok) return src;
  const value = src.value.value;
  if (value === null || value === undefined) {
    return fail([
      {
        file,
        message: "profile is empty; expected a mapping with `name:` and `workload:` (see profiles/ for examples)",
      },
    ]);
  }
  if (typeof value !== "object" || Array.isArray(value)) {
    return fail([
      {
        file,
        line: 1,
        col: 1,
        message: `expected a mapping with \`name:\` and \`workload:\`, found ${Array.isArray(value) ? "a list" : `a ${typeof value}`}`,
      },
    ]);
  }
  // A pipeline may leave out the top-level workload: its first stage's stands in for it.
  const pipelineOnly = "stages" in value && !("workload" in value);
  const r = pipelineOnly
    ? validate(src.value, PipelineProfileSchema(), knownKeys())
    : validate(src.value, ProfileSchema(), knownKeys());
  if (!r.ok) return r;
  const p = (
    pipelineOnly ? { ...r.value, workload: r.value.workload ?? r.value.stages![0]!.workload } : r.value
  ) as Profile;
  const problems: Problem[] = [];
  const at = (path: (string | number)[], message: string): Problem => ({
    file,
    ...locate(src.value, path),
    path: formatPath(path),
    message,
  });
  const workloads: [(string | number)[], Profile["workload"]][] = pipelineOnly ? [] : [[["workload"], p.workload]];
  (p.stages ?? []).forEach((s, i) => workloads.push([["stages", i, "workload"], s.workload]));
  for (const [base, w] of workloads) problems.push(...checkWorkload(w, base, at, presets));
  if (p.stages) problems.push(...checkStages(p, at));
  if (problems.length) return fail(problems);
  const s = src.value;
  return ok({
    file,
    profile: p,
    lineOf: (path) => locate(s, path)?.line,
  });
}

type At = (path: (string | number)[], message: string) => Problem;

/** Checks of one workload that need data (presets) or span fields; `base` locates it (top level or a stage). */
function checkWorkload(
  w: Profile["workload"],
  base: (string | number)[],
  at: At,
  presets: ReadonlyMap<string, ModelPreset>,
): Problem[] {
  const problems: Problem[] = [];
  if (typeof w.model === "string" && !presets.has(w.model)) {
    const near = nearest(w.model, presets.keys(), 4);
    problems.push(
      at(
        [...base, "model"],
        `unknown model preset ` +
          `${JSON.stringify(w.model)}${near.length ? ` — did you mean ${near.map((n) => `\`${n}\``).join(", ")}?` : ""} (\`hwadvise models\` lists them; or give { params, flops_per_sample, family })`,
      ),
    );
  }
  const kind = w.kind;
  const training = isTraining(kind);
  if (training && !w.dataset)
    problems.push(at(base, `a ${kind} profile needs workload.dataset (tokens or samples, and epochs)`));
  if (w.dataset && w.dataset.tokens === undefined && w.dataset.samples === undefined)
    problems.push(at([...base, "dataset"], "give tokens or samples"));
  if (!training && w.method !== undefined)
    problems.push(at([...base, "method"], `method applies to training and fine-tuning, not ${kind}`));
  if (
    typeof w.model !== "string" &&
    w.model.family !== "decoder-llm" &&
    w.model.family !== "moe-llm" &&
    w.model.flops_per_sample === undefined
  ) {
    problems.push(at([...base, "model"], "an inline non-LLM model needs flops_per_sample (e.g. 28.6G)"));
  }
  if (typeof w.model !== "string" && w.model.active_params !== undefined && w.model.active_params > w.model.params) {
    problems.push(
      at(
        [...base, "model", "active_params"],
        `active parameters (${w.model.active_params}) cannot exceed total params (${w.model.params})`,
      ),
    );
  }
  const context = contextProblem(w, base, at, presets);
  if (context) problems.push(context);
  return problems;
}

/**
 * An LLM request is its prompt plus its answer, and both must fit the model's context window (the preset's
 * `max_context`, or an inline model's): a 10M-token prompt to Llama 3 8B (8,192) is not a hardware question.
 * Training is left alone: long-context fine-tuning extends the window on purpose.
 */
function contextProblem(
  w: Profile["workload"],
  base: (string | number)[],
  at: At,
  presets: ReadonlyMap<string, ModelPreset>,
): Problem | undefined {
  if (isTraining(w.kind)) return undefined;
  const preset = typeof w.model === "string" ? presets.get(w.model) : undefined;
  const inline = typeof w.model === "string" ? undefined : w.model;
  const family = preset?.family ?? inline?.family;
  const window = preset?.max_context ?? inline?.max_context;
  if (window === undefined || (family !== "decoder-llm" && family !== "moe-llm")) return undefined;
  const input = w.input_tokens ?? preset?.input_tokens ?? DEFAULTS.inputTokens;
  const output = w.output_tokens ?? preset?.output_tokens ?? DEFAULTS.outputTokens;
  if (input + output <= window) return undefined;
  const name = preset?.name ?? inline?.name ?? "the model";
  // The same network with a longer window, where the presets have one (Llama 3 8B → Llama 3.1 8B).
  const longer = preset
    ? [...presets.entries()]
        .filter(
          ([, q]) =>
            q.family === preset.family &&
            Math.abs(q.params / preset.params - 1) < 0.05 &&
            (q.max_context ?? 0) >= input + output,
        )
        .map(([id, q]) => `\`${id}\` (${grouped(q.max_context!)})`)
        .slice(0, 2)
    : [];
  const path =
    w.input_tokens !== undefined ? "input_tokens" : w.output_tokens !== undefined ? "output_tokens" : "model";
  return at(
    [...base, path],
    `a request of ${grouped(input)} input + ${grouped(output)} output tokens is longer than ${name}'s context window ` +
      `(${grouped(window)} tokens); shorten it${longer.length ? `, or name a model with a longer window: ${longer.join(", ")}` : ""}`,
  );
}

/** A pipeline's stages must each be a complete workload: a share of traffic, a rate to serve, inference only, unique names. */
function checkStages(p: Profile, at: At): Problem[] {
  const problems: Problem[] = [];
  const stages = p.stages ?? [];
  const seen = new Set<string>();
  const pipelineRate = p.slo?.throughput !== undefined || p.volume?.requests_per_day !== undefined;
  stages.forEach((s, i) => {
    const here = ["stages", i];
    if (seen.has(s.name))
      problems.push(
        at([...here, "name"], `stage name ${JSON.stringify(s.name)} is used twice; give each stage its own name`),
      );
    seen.add(s.name);
    if (s.share !== undefined && s.escalation !== undefined)
      problems.push(
        at([...here, "escalation"], "give share (of all requests) or escalation (of the previous stage's), not both"),
      );
    if (i === 0 && s.escalation !== undefined)
      problems.push(at([...here, "escalation"], "the first stage has no previous stage to escalate from; use share"));
    if (i > 0 && s.share === undefined && s.escalation === undefined)
      problems.push(at(here, "a later stage needs share (e.g. 100%) or escalation (e.g. 5%)"));
    if (isTraining(s.workload.kind))
      problems.push(
        at(
          [...here, "workload", "kind"],
          `a pipeline stage serves requests; expected an inference kind, found ${JSON.stringify(s.workload.kind)}`,
        ),
      );
    const batch = s.workload.kind === "batch-inference";
    if (!pipelineRate && s.slo?.throughput === undefined && !(batch && p.volume?.items_per_run !== undefined)) {
      problems.push(
        at(
          [...here, "slo", "throughput"],
          "required: the stage needs a request rate; give slo.throughput or volume.requests_per_day at the top " +
            "(stages get their share), or slo.throughput here",
        ),
      );
    }
    if (i === 0 && s.uplink !== undefined)
      problems.push(
        at([...here, "uplink"], "the first stage has no previous stage; uplink describes the link into a later stage"),
      );
    if (i > 0 && s.fallback !== undefined && s.uplink === undefined)
      problems.push(at([...here, "fallback"], "fallback applies when the uplink is down; give uplink too"));
  });
  return problems;
}
