import { isTraining } from "../profile/schema.js";
import Table from "cli-table3";
import { ghData, ghProp } from "./github.js";
import type { ApiComparison, ProfileResult, Recommendation, Report } from "../result.js";
import {
  fmtParams,
  fmtHours,
  fmtJ,
  fmtMs,
  fmtRate,
  fmtUsd,
  fmtW,
  grouped,
  hostSuffix,
  roundDeep,
  sig,
} from "./format.js";
import { NO_PAINT, type Paint } from "./paint.js";
import { renderPipeline } from "./pipeline.js";
import { sanitizeDeep } from "./sanitize.js";

export interface RenderOptions {
  readonly paint?: Paint;
  /** Feasible rows to show (default 10). */
  readonly top?: number;
  /** Show every option, infeasible ones included. */
  readonly all?: boolean;
  /** Show each option's breakdown. */
  readonly explain?: boolean;
  /** Terminal width, for wrapping the option column. */
  readonly width?: number;
}

/** Nearest infeasible options shown under the feasible ones by default. */
const NEAREST_INFEASIBLE = 3;

export function selectRows(r: ProfileResult, opts: RenderOptions): Recommendation[] {
  const recs = r.recommendations;
  if (opts.all) return opts.top ? recs.slice(0, opts.top) : [...recs];
  const top = opts.top ?? 10;
  const feasible = recs.filter((x) => x.feasible).slice(0, top);
  const infeasible = recs
    .filter((x) => !x.feasible)
    .slice(0, feasible.length === 0 ? Math.max(top, 5) : NEAREST_INFEASIBLE);
  return [...feasible, ...infeasible];
}

const training = (r: ProfileResult) => isTraining(r.profile.kind);
const llm = (r: ProfileResult) => r.model.family === "decoder-llm" || r.model.family === "moe-llm";

/** The precision an option runs at when hwadvise chose one narrower than the model's (undefined otherwise). */
function quantizedTo(r: ProfileResult, rec: Recommendation): string | undefined {
  const p = rec.estimates.precision;
  return p !== undefined &&
    r.model.precision !== undefined &&
    p !== r.model.precision &&
    rec.estimates.time_to_train_h === undefined
    ? p
    : undefined;
}

/** The row's option label: the name, "+ host …" for a part deployed with a host, "also sold as …" for folded packagings. */
export function optionLabel(rec: Recommendation): string {
  return tableLabel(rec.name) + optionSuffix(rec);
}

function optionSuffix(rec: Recommendation): string {
  const bare = (name: string) => name.replace(/\s*\(.*\)\s*$/, "");
  const host = hostSuffix(rec.host, bare);
  const others = rec.also_sold_as ?? [];
  const also = others.length
    ? `; also sold as ${others.slice(0, 2).map(bare).join(", ")}${others.length > 2 ? ` +${others.length - 2}` : ""}`
    : "";
  return host + also;
}

function why(rec: Recommendation, paint: Paint): string {
  if (rec.feasible) return sig(rec.score, 3) + (rec.flags?.length ? paint.warn(` — ${rec.flags.join("; ")}`) : "");
  const first = rec.violations[0]!;
  const more = rec.violations.length > 1 ? paint.dim(` (+${rec.violations.length - 1})`) : "";
  return paint.bad(first.message) + more;
}

function columns(r: ProfileResult): { head: string[]; cells: (rec: Recommendation) => string[] } {
  if (training(r)) {
    return {
      // Capex beside the run cost: a bought option's run cost is its purchase less resale (or its share), never the whole outlay.
      head: ["Time to train", "Power", "Run cost", "$/month", "Capex"],
      cells: (x) => [
        fmtHours(x.estimates.time_to_train_h),
        fmtW(x.estimates.power_w),
        fmtUsd(x.estimates.total_cost_usd),
        fmtUsd(x.estimates.monthly_cost_usd),
        fmtUsd(x.estimates.capex_usd),
      ],
    };
  }
  if (llm(r)) {
    return {
      head: ["p99", "TTFT", "tok/s", "Power", "$/1M req", "$/month"],
      cells: (x) => [
        fmtMs(x.estimates.latency_p99_ms),
        fmtMs(x.estimates.ttft_ms),
        x.estimates.tokens_per_s === undefined ? "—" : sig(x.estimates.tokens_per_s),
        fmtW(x.estimates.power_w),
        fmtUsd(x.estimates.cost_per_1m_usd),
        fmtUsd(x.estimates.monthly_cost_usd),
      ],
    };
  }
  return {
    head: ["p99", "Throughput", "Power", "$/1M inf", "$/month"],
    cells: (x) => [
      fmtMs(x.estimates.latency_p99_ms),
      fmtRate(x.estimates.throughput_per_s),
      fmtW(x.estimates.power_w),
      fmtUsd(x.estimates.cost_per_1m_usd),
      fmtUsd(x.estimates.monthly_cost_usd),
    ],
  };
}

/** Below 110 columns, drop the power and monthly-cost columns (JSON and --explain still have them). */
function narrow(cols: { head: string[]; cells: (rec: Recommendation) => string[] }, width: number): typeof cols {
  if (width >= 110) return cols;
  const keep = cols.head.map((h, i) => (h === "Power" || h === "$/month" ? -1 : i)).filter((i) => i >= 0);
  return {
    head: keep.map((i) => cols.head[i]!),
    cells: (rec) => {
      const c = cols.cells(rec);
      return keep.map((i) => c[i]!);
    },
  };
}

/** The option's name without vendor words the class column and the unit already imply (JSON keeps the full name). */
export function tableLabel(name: string): string {
  return name
    .replace(/(\d+× )(NVIDIA |AMD |Intel |Google Cloud |Google |AWS |Qualcomm )/, "$1")
    .replace(/\((\d+× )?NVIDIA /, "($1");
}

/**
 * Column widths for the terminal width: figures and class keep their natural width; the option name and
 * the score/why column share what is left (at least 18 each where there is room, 10 on an 80-column
 * terminal; they wrap), so the table fits `width` instead of growing with the longest name. Widths include 1 space of padding each side.
 */
function layout(head: string[], fixed: string[][], names: string[], whys: string[], width: number): number[] {
  const natural = (i: number) => Math.max(head[i === 0 ? 0 : i + 1]!.length, ...fixed.map((row) => row[i]!.length)) + 2;
  const fixedWidths = fixed[0]
    ? fixed[0].map((_, i) => natural(i))
    : head.filter((_, i) => i !== 1 && i !== head.length - 1).map((h) => h.length + 2);
  const borders = head.length + 1;
  const room = Math.max(20, width - borders - fixedWidths.reduce((a, b) => a + b, 0));
  const min = room >= 36 ? 18 : 10;
  const wantName = Math.max(8, ...names.map((n) => n.length)) + 2;
  const wantWhy = Math.max(head[head.length - 1]!.length, ...whys.map((w) => w.length)) + 2;
  let nameW = Math.max(min, Math.min(wantName, Math.ceil(room * 0.55), room - min));
  let whyW = Math.max(min, Math.min(wantWhy, room - nameW));
  if (nameW + whyW < room) nameW = Math.min(wantName, room - whyW); // give spare room back to the name
  whyW = Math.max(min, Math.min(wantWhy, room - nameW));
  const [rank, cls, ...figures] = fixedWidths;
  return [rank!, nameW, cls!, ...figures, whyW];
}

/** Self-hosted vs per-token APIs: the top option's cost per 1M tokens beside each endpoint's, with the break-even volume. */
function apiLines(c: ApiComparison, paint: Paint): string[] {
  const s = c.self_hosted;
  const out = [
    `${paint.bold("Self-hosted vs per-token APIs")} (${c.input_tokens}+${c.output_tokens} tokens a request)`,
  ];
  out.push(
    `  #1 ${s.id}: ${s.cost_per_1m_tokens_usd !== undefined ? `${fmtUsd(s.cost_per_1m_tokens_usd)}/1M tokens` : "cost per token unknown"}${
      s.cost_per_run_usd !== undefined && s.requests_per_run !== undefined
        ? `, ${fmtUsd(s.cost_per_run_usd)} a run of ${grouped(Math.round(s.requests_per_run))} requests`
        : `${s.monthly_cost_usd !== undefined ? `, ${fmtUsd(s.monthly_cost_usd)}/mo` : ""}${s.requests_per_day !== undefined ? ` at ${grouped(Math.round(s.requests_per_day))} requests/day` : ""}`
    }`,
  );
  for (const e of c.endpoints) {
    const be =
      e.break_even_requests_per_day !== undefined
        ? `; self-hosting pays above ${grouped(Math.round(e.break_even_requests_per_day))} requests/day`
        : e.cheaper_at_any_served_volume && s.max_requests_per_day !== undefined
          ? `; cheaper at any volume #1 serves (up to ${grouped(Math.round(s.max_requests_per_day))} requests/day, fully used)`
          : "";
    const res = e.residency_ok === false ? paint.warn(" (outside data_residency)") : "";
    out.push(
      `  ${e.provider} ${e.endpoint} (${e.country}): ${fmtUsd(e.cost_per_1m_tokens_usd)}/1M tokens ` +
        `($${e.input_usd_per_1m} in, $${e.output_usd_per_1m} ` +
        `out)${e.cost_per_run_usd !== undefined ? `, ${fmtUsd(e.cost_per_run_usd)} a run` : e.monthly_cost_usd !== undefined ? `, ${fmtUsd(e.monthly_cost_usd)}/mo` : ""}${be}${res}`,
    );
  }
  return out;
}

function renderOne(r: ProfileResult, opts: RenderOptions): string {
  if (r.pipeline)
    return renderPipeline(r, {
      paint: opts.paint,
      top: opts.top,
      all: opts.all,
      renderStage: (s) => renderOne(s, { ...opts, top: opts.top ?? 3 }),
    });
  const paint = opts.paint ?? NO_PAINT;
  const rows = selectRows(r, opts);
  const feasibleCount = r.recommendations.filter((x) => x.feasible).length;
  const out: string[] = [];
  out.push(
    `${paint.bold(r.profile.name)} ${paint.dim(`(${r.profile.file})`)} — ${r.profile.kind}, ${r.model.name} (${fmtParams(r.model.params)} params)`,
  );
  if (r.model.sample) out.push(paint.warn(`one sample = ${r.model.sample}`));
  if (feasibleCount === 0)
    out.push(
      paint.warn(
        `No option meets every constraint (${r.recommendations.length} considered). Nearest ones and why they fail:`,
      ),
    );
  else out.push(`${feasibleCount} of ${r.recommendations.length} options meet every constraint.`);
  const cols = narrow(columns(r), opts.width ?? 120);
  const body = rows.map((rec) => ({ rec, fixed: [String(rec.rank), rec.class, ...cols.cells(rec)] }));
  const head = ["#", "Option", "Class", ...cols.head, "Score / why not"];
  const labels = rows.map((x) => {
    const ran = [quantizedTo(r, x), x.estimates.weights_precision && `${x.estimates.weights_precision} weights`];
    const said = ran.filter(Boolean).join(", ");
    return optionLabel(x) + (said ? ` · ${said}` : "");
  });
  const widths = layout(
    head,
    body.map((b) => b.fixed),
    labels,
    rows.map((x) => why(x, NO_PAINT)),
    opts.width ?? 120,
  );
  const table = new Table({
    head,
    style: { head: [], border: [], compact: true },
    wordWrap: true,
    colWidths: widths,
  });
  for (const [i, { rec, fixed }] of body.entries()) {
    const name = rec.feasible ? labels[i]! : paint.dim(labels[i]!);
    const [rank, cls, ...figures] = fixed;
    table.push([rank!, name, cls!, ...figures, why(rec, paint)]);
  }
  out.push(table.toString());
  if (rows.some((x) => quantizedTo(r, x)))
    out.push(
      paint.dim(
        `· int8, fp8 …: the precision hwadvise runs that option at, where it differs from the model's ` +
          `${r.model.precision ?? "default"} (state workload.precision, or quantization: forbidden, to pin it).`,
      ),
    );
  if (r.assumed?.length)
    out.push(
      paint.dim(
        `assumed: ${r.assumed.map((a) => `${a.what} ${a.value}${a.unit ?? ""} (${a.field})`).join(", ")} — state them in the profile to change them`,
      ),
    );
  if (cols.head.includes("Power"))
    out.push(
      paint.dim(
        "Power: draw at the stated peak load, hosts included (per site at the edge); an edge power budget is checked at full load.",
      ),
    );
  for (const n of r.notes) out.push(paint.dim(`note: ${n}`));
  const hidden = r.recommendations.length - rows.length;
  if (hidden > 0 && !opts.all)
    out.push(paint.dim(`${hidden} more option(s) not shown (--all shows every option, --top N more feasible ones).`));
  const stale = rows.filter((x) => x.stale?.length);
  if (stale.length) {
    out.push(paint.warn(`stale catalog figures: ${stale.map((x) => `${x.id} (${x.stale!.join("; ")})`).join(", ")}`));
    out.push(
      paint.dim(
        `  check one with \`hwadvise catalog show ${stale[0]!.id}\`; put a current quote in an overlay ` +
          `(overrides: [{ id: ${stale[0]!.id}, … }]) and pass it with --catalog`,
      ),
    );
  }
  if (r.api_comparison) out.push("", ...apiLines(r.api_comparison, paint));
  if (opts.explain) {
    for (const rec of rows) {
      out.push("");
      out.push(
        `${paint.bold(`#${rec.rank} ${rec.id}`)}${rec.estimates.bound ? ` — ${rec.estimates.bound}-bound` : ""}${rec.estimates.energy_per_inference_j !== undefined ? `, ${fmtJ(rec.estimates.energy_per_inference_j)}/inference` : ""}`,
      );
      for (const line of rec.breakdown) out.push(`  ${line}`);
      for (const v of rec.violations) out.push(`  ${paint.bad("✗")} ${v.rule}: ${v.message}`);
    }
  }
  return out.join("\n");
}

export function renderTable(report: Report, opts: RenderOptions = {}): string {
  return joinParts(
    "table",
    report.results.map((r) => renderPart("table", r, opts)),
  );
}

export function renderJson(report: Report, opts: RenderOptions = {}): string {
  return joinParts(
    "json",
    report.results.map((r) => renderPart("json", r, opts)),
  );
}

/** One profile's result as JSON, indented as an element of the report's `results` array. */
function jsonPart(r: ProfileResult, opts: RenderOptions): string {
  const trimmed = {
    ...r,
    recommendations: (opts.top ? r.recommendations.slice(0, opts.top) : r.recommendations).map((rec) => {
      if (opts.explain) return rec;
      const { breakdown: _b, ...rest } = rec;
      return rest;
    }),
  };
  // JSON strings hold no raw newline, so indenting every line nests the object two levels down.
  return "    " + JSON.stringify(roundDeep(trimmed), null, 2).replace(/\n/g, "\n    ");
}

export type RecommendFormat = "table" | "json" | "markdown" | "github";

/**
 * One profile's part of a report in `format`. joinParts puts parts together into exactly what
 * rendering the whole report gives, so a caller can render each profile as soon as it is ranked and
 * keep only the text (recommend over 1,000 profiles need not hold 1,000 rankings).
 */
export function renderPart(format: RecommendFormat, r: ProfileResult, opts: RenderOptions = {}): string {
  // Human formats show user text (names, paths, overlay ids) with its control and bidi characters escaped.
  if (format !== "json") r = sanitizeDeep(r);
  switch (format) {
    case "table":
      return renderOne(r, opts);
    case "json":
      return jsonPart(r, opts);
    case "markdown":
      return markdownPart(r, opts);
    case "github":
      return githubPart(r);
  }
}

export function joinParts(format: RecommendFormat, parts: readonly string[]): string {
  switch (format) {
    case "table":
      return parts.join("\n\n") + "\n";
    case "json":
      return `{\n  "schemaVersion": 1,\n  "results": ${parts.length ? `[\n${parts.join(",\n")}\n  ]` : "[]"}\n}\n`;
    case "markdown":
      return parts.join("\n");
    case "github":
      return parts.join("\n") + "\n";
  }
}

const mdEscape = (s: string) => s.replace(/\|/g, "\\|");

export function renderMarkdown(report: Report, opts: RenderOptions = {}): string {
  return joinParts(
    "markdown",
    report.results.map((r) => renderPart("markdown", r, opts)),
  );
}

function markdownPart(r: ProfileResult, opts: RenderOptions): string {
  const cols = columns(r);
  const out: string[] = [];
  out.push(`### ${mdEscape(r.profile.name)} — ${r.profile.kind}, ${mdEscape(r.model.name)}`);
  out.push("");
  out.push(`| # | Option | Class | ${cols.head.join(" | ")} | Score / why not |`);
  out.push(`|---|---|---|${cols.head.map(() => "---:").join("|")}|---|`);
  for (const rec of selectRows(r, opts)) {
    out.push(
      `| ${rec.rank} | ${mdEscape(rec.name + optionSuffix(rec))} | ${rec.class} | ${cols.cells(rec).join(" | ")} | ${mdEscape(why(rec, NO_PAINT))} |`,
    );
  }
  out.push("");
  return out.join("\n");
}

/** GitHub workflow commands: a notice per profile naming its top option (or a warning when none is feasible). */
export function renderGithub(report: Report): string {
  return joinParts(
    "github",
    report.results.map((r) => renderPart("github", r)),
  );
}

function githubPart(r: ProfileResult): string {
  const top = r.recommendations[0];
  if (!top?.feasible)
    return `::warning file=${ghProp(r.profile.file)},title=${ghProp(r.profile.name)}::${ghData(`no feasible option; nearest: ${top ? `${top.name} (${top.violations.map((v) => v.message).join("; ")})` : "none"}`)}`;
  return `::notice file=${ghProp(r.profile.file)},title=${ghProp(r.profile.name)}::${ghData(`${top.class}: ${top.name}`)}`;
}
