import type { WorkloadKind } from "./schema.js";

/** What `hwadvise init` needs to know to write a starter profile. */
export interface StarterSpec {
  readonly kind: WorkloadKind;
  /** A model preset id (`hwadvise models`). */
  readonly model: string;
  /** The preset's family: LLM families get token fields, the others request fields. */
  readonly family: string;
  readonly name: string;
  /** Path from the profile's folder to profile.schema.json, for the editor's `$schema` line. */
  readonly schemaRef: string;
}

/** The preset a starter profile names when none is given: a common model for that kind of work. */
export const DEFAULT_MODEL: Record<WorkloadKind, string> = {
  "realtime-inference": "llama-3-8b",
  "batch-inference": "bert-base",
  streaming: "whisper-small",
  "edge-inference": "yolov8n",
  training: "resnet50",
  "fine-tuning": "llama-3-8b",
};

const isLlm = (family: string) => family === "decoder-llm" || family === "moe-llm";

/**
 * A commented starter profile for one kind of workload: the fields that matter for that kind, filled with
 * plausible values a team then edits, with the unit of each in its comment. Pure; the result validates.
 */
export function renderStarterProfile(spec: StarterSpec): string {
  const llm = isLlm(spec.family);
  const lines: string[] = [
    `# yaml-language-server: $schema=${spec.schemaRef}`,
    `# Starter profile for ${article(spec.kind)} ${spec.kind} workload, written by \`hwadvise init\`.`,
    "# Edit the values, then run: hwadvise recommend <this file>   (add --explain to see every estimate's arithmetic)",
    "# Quantities take units as people write them: 30ms, 1.5s, 72h, 15W, 2kW, 7B, $2k, 30/s, 2M/day.",
    `name: ${yamlString(spec.name)}`,
    "description: What this workload does and for whom (free text)",
    "workload:",
    pad(
      `  kind: ${spec.kind}`,
      "training | fine-tuning | batch-inference | realtime-inference | streaming | edge-inference",
    ),
    pad(
      `  model: ${spec.model}`,
      "a preset (hwadvise models) or inline: { params: 11.2M, flops_per_sample: 28.6G, family: cnn }",
    ),
  ];
  const kindLines = BODY[spec.kind](llm);
  lines.push(...kindLines);
  return lines.join("\n") + "\n";
}

const COMMON_TAIL = (deployment: string) => [
  "constraints:",
  `  deployment: ${deployment}   # cloud | on-prem | edge`,
  "  # data_residency: [CO, BR]  # ISO 3166-1 countries where data may be processed (default: anywhere)",
  "  # budget: { monthly: $2k }   # also capex, per_1m_inferences, total (a training run's whole cost)",
  "horizon: 3y                   # how long bought hardware is used (amortisation window)",
  "energy: { price_per_kwh: $0.20, pue: 1.4 }   # your electricity price (USD/kWh) and data-centre PUE",
];

const BODY: Record<WorkloadKind, (llm: boolean) => string[]> = {
  "realtime-inference": (llm) =>
    llm
      ? [
          "  input_tokens: 1024          # prompt length, tokens",
          "  output_tokens: 256          # generated tokens per request",
          "slo:",
          "  ttft: 800ms                 # p99 time to first token",
          "  tokens_per_s: 20            # decode speed each stream must see, tokens/s",
          "  concurrency: 32             # streams generating at the same time at peak",
          "volume:",
          "  requests_per_day: 100k      # becomes a rate: requests_per_day / 86,400 × peak_factor",
          "  peak_factor: 3              # busiest hour over the daily average (default 3)",
          ...COMMON_TAIL("[cloud, on-prem]"),
          "priorities: { latency: 2, cost: 3 }   # weights 0-100; also throughput, power, portability",
        ]
      : [
          "slo:",
          "  latency_p99: 50ms           # 99th-percentile latency per request",
          "  throughput: 100/s           # sustained requests per second at peak (or give volume.requests_per_day)",
          "volume:",
          "  requests_per_day: 2M        # used for monthly cost; a rate need when slo.throughput is absent",
          "  peak_factor: 3              # busiest hour over the daily average (default 3)",
          ...COMMON_TAIL("[cloud, on-prem]"),
          "priorities: { latency: 2, cost: 3 }   # weights 0-100; also throughput, power, portability",
        ],
  "batch-inference": (llm) => [
    ...(llm
      ? [
          "  input_tokens: 512           # prompt length, tokens",
          "  output_tokens: 128          # generated tokens per item",
        ]
      : []),
    "slo:",
    "  deadline: 6h                # each run must finish within this wall-clock time",
    "volume:",
    "  items_per_run: 2M           # items (images, documents, rows) processed per run",
    "  runs_per_month: 30          # e.g. nightly",
    ...COMMON_TAIL("[cloud, on-prem]"),
    "priorities: { cost: 3, latency: 1 }",
  ],
  streaming: (llm) => [
    ...(llm
      ? [
          "  input_tokens: 512           # prompt length, tokens",
          "  output_tokens: 128          # generated tokens per request",
          "slo:",
          "  ttft: 500ms                 # p99 time to first token",
          "  tokens_per_s: 15            # decode speed each stream must see, tokens/s",
          "  concurrency: 16             # streams generating at the same time at peak",
        ]
      : [
          "slo:",
          "  latency_p99: 200ms          # per-item latency the stream must keep",
          "  throughput: 15/s            # items per second across all streams (15Hz and 60fps are accepted too)",
        ]),
    "volume:",
    "  requests_per_day: 1.3M      # items a day, for monthly cost",
    "  peak_factor: 1.5            # streams are steady: busiest hour over the daily average",
    ...COMMON_TAIL("[cloud, on-prem]"),
    "priorities: { latency: 3, cost: 2 }",
  ],
  "edge-inference": (llm) => [
    "  precision: int8             # what the device runs; fp16, int8, int4 …",
    ...(llm
      ? [
          "  input_tokens: 256           # prompt length, tokens",
          "  output_tokens: 64           # generated tokens per request",
          "slo:",
          "  ttft: 2s                    # p99 time to first token",
          "  tokens_per_s: 5             # decode speed the user must see, tokens/s",
        ]
      : [
          "slo:",
          "  latency_p99: 50ms           # per inference, on the device",
          "  throughput: 30/s            # per site, e.g. a 30 fps camera",
        ]),
    "constraints:",
    "  deployment: [edge]",
    "  power_budget: 15W           # per device at the edge",
    "  connectivity: intermittent  # online | intermittent | offline (offline rules out the cloud)",
    "  # data_residency: [CO]      # ISO 3166-1 countries where data may be processed (default: anywhere)",
    "  # budget: { capex: $100k }   # whole fleet",
    "volume:",
    "  sites: 50                   # devices in the fleet: capex and power scale with it",
    "horizon: 3y                   # how long the devices are used",
    "energy: { price_per_kwh: $0.20 }",
    "priorities: { latency: 2, cost: 3, power: 2 }",
  ],
  training: (llm) => [
    ...(llm
      ? [
          "  dataset: { tokens: 20B, epochs: 1 }    # training tokens per epoch, passes",
          "  seq_len: 4096               # tokens per training sequence",
        ]
      : ["  dataset: { samples: 1.28M, epochs: 90 }   # samples per epoch, passes over the data"]),
    "slo:",
    "  deadline: 72h               # wall-clock time the run must finish in",
    "constraints:",
    "  deployment: [cloud, on-prem]",
    "  budget: { total: $20k }     # the whole run's cost",
    "volume:",
    "  runs_per_month: 0.5         # how often the run repeats; decides renting vs buying (omit for a one-off)",
    "energy: { price_per_kwh: $0.20, pue: 1.4 }",
    "priorities: { cost: 3, latency: 1 }",
  ],
  "fine-tuning": (llm) => [
    "  method: lora                # lora | qlora | full",
    ...(llm
      ? [
          "  dataset: { tokens: 50M, epochs: 3 }    # training tokens per epoch, passes",
          "  seq_len: 2048               # tokens per training sequence",
        ]
      : ["  dataset: { samples: 100k, epochs: 5 }  # samples per epoch, passes over the data"]),
    "slo:",
    "  deadline: 48h               # wall-clock time the run must finish in",
    "constraints:",
    "  deployment: [cloud]",
    "  # data_residency: [BR]      # ISO 3166-1 countries where data may be processed (default: anywhere)",
    "  budget: { total: $1000 }    # the whole run's cost",
    "priorities: { cost: 3, latency: 1 }",
  ],
};

/** A line with its comment starting at column 30, as in the README's profiles. */
function pad(line: string, comment: string): string {
  return `${line.padEnd(29)} # ${comment}`;
}

function article(kind: string): string {
  return /^[aeiou]/.test(kind) ? "an" : "a";
}

/** A name as a YAML scalar: plain when safe, double-quoted (JSON escapes are valid YAML) otherwise. */
function yamlString(s: string): string {
  return /^[A-Za-z0-9][A-Za-z0-9 ._-]*$/.test(s) && !/^(true|false|null|yes|no|on|off|~)$/i.test(s)
    ? s
    : JSON.stringify(s);
}
