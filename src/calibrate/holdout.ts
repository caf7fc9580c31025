import { parseCsv, type Measurement } from "./measurements.js";

/**
 * Published results kept outside the calibration file, to check that the fitted model generalises
 * (`npm run holdout`): MLPerf Tiny latencies from the same boards on other benchmarks, one a row with its
 * source. Columns: chip, model, latency_ms, round, submitter, system, source_repo, source_path. Pure.
 */
export function parseHoldout(text: string): Measurement[] {
  const [head, ...body] = parseCsv(text);
  const col = (name: string) => {
    const i = head!.indexOf(name);
    if (i < 0) throw new Error(`holdout file: no column ${name}`);
    return i;
  };
  const [chip, model, latency, submitter, repo, path] = [
    "chip",
    "model",
    "latency_ms",
    "submitter",
    "source_repo",
    "source_path",
  ].map(col) as [number, number, number, number, number, number];
  return body.map((r, i) => ({
    id: `H${i + 2}`,
    suite: "tiny",
    system: `${r[submitter]} (${r[repo]}/${r[path]})`,
    chip: r[chip]!,
    count: 1,
    model: r[model]!,
    benchmark: r[model]!,
    scenario: "tiny-latency",
    value: Number(r[latency]),
    unit: "ms",
    // Every MLPerf Tiny closed submission runs int8 (TensorFlow int8 quantization).
    precision: "int8",
    group: `${r[chip]} × ${r[model]}`,
  }));
}
