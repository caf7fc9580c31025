import type { TcoReportInput } from "./tco.js";
import { CSS } from "./html-style.js";
import { h, pct, source } from "./html-parts.js";
import { tcoBody } from "./html-tco.js";
import { fmtHours, fmtMs, fmtParams, fmtRate, fmtUsd, fmtW, grouped, hostSuffix, sig } from "./format.js";
import type { ProfileResult, Recommendation } from "../result.js";
import { paretoOf, type ParetoData } from "./pareto.js";
import { sanitizeDeep } from "./sanitize.js";
import { esc, paretoSvg } from "./svg.js";

/**
 * The self-contained HTML report of `recommend --format html` and `tco --format html`: one file with its
 * styles inline, no script, no font or image from anywhere (a Content-Security-Policy says so to the
 * browser), real table markup, charts as inline SVG with a title and description, and print styles so
 * "Save as PDF" gives a readable document. Built from the same result model as the JSON output; every
 * string from a profile, an overlay or the catalog is escaped. Pure.
 */

/** One profile in the report: its ranking (recommend) and/or its cost of ownership (tco). */
export interface HtmlProfile {
  readonly result?: ProfileResult;
  /** The profile's limit on the trade-off chart's y figure: p99 SLO in ms, or the deadline in hours for training. */
  readonly slo?: number;
  readonly tco?: TcoReportInput;
}

export interface HtmlOptions {
  /** Feasible options in the ranked table (default 10). The chart shows every feasible option. */
  readonly top?: number;
  /** The hwadvise version that wrote the report. */
  readonly version?: string;
  /** The date catalog staleness was judged on (the report carries no other date). */
  readonly today?: string;
  /** Which command wrote it, for the heading. */
  readonly command?: "recommend" | "tco";
}

export interface HtmlPart {
  readonly id: string;
  readonly name: string;
  readonly html: string;
}

/** The whole report for `profiles`. Same bytes as joining renderHtmlPart's parts with joinHtml. */
export function renderHtml(profiles: readonly HtmlProfile[], opts: HtmlOptions = {}): string {
  return joinHtml(
    profiles.map((p, i) => renderHtmlPart(p, i, opts)),
    opts,
  );
}

const training = (r: ProfileResult) => r.profile.kind === "training" || r.profile.kind === "fine-tuning";
const llm = (r: ProfileResult) => r.model.family === "decoder-llm" || r.model.family === "moe-llm";

/** One profile's section, rendered as soon as it is ranked (a caller keeps only the text). */
export function renderHtmlPart(p: HtmlProfile, index: number, opts: HtmlOptions = {}): HtmlPart {
  p = sanitizeDeep(p);
  const id = `profile-${index + 1}`;
  const name = p.result?.profile.name ?? p.tco?.name ?? `profile ${index + 1}`;
  const out: string[] = [];
  out.push(`<section class="profile" id="${id}" aria-labelledby="${id}-h">`);
  out.push(`<h2 id="${id}-h">${esc(name)}</h2>`);
  if (p.result) out.push(resultBody(p.result, id, p.slo, opts, 3));
  if (p.tco) out.push(tcoBody(p.tco, `${id}-tco`, 3, !p.result));
  out.push(`</section>`);
  return { id, name, html: out.join("\n") };
}

function meta(r: ProfileResult): string {
  const feasible = r.recommendations.filter((x) => x.feasible).length;
  const parts = [
    `<code>${esc(r.profile.file)}</code>`,
    esc(r.profile.kind),
    `${esc(r.model.name)} (${esc(fmtParams(r.model.params))} params${r.model.precision ? `, ${esc(r.model.precision)}` : ""})`,
    feasible
      ? `${feasible} of ${r.recommendations.length} options meet every constraint`
      : `<strong>no option meets every constraint</strong> (${r.recommendations.length} considered)`,
  ];
  return `<p class="meta">${parts.join(" · ")}</p>${r.model.sample ? `<p class="meta">One sample = ${esc(r.model.sample)}.</p>` : ""}`;
}

function resultBody(r: ProfileResult, id: string, slo: number | undefined, opts: HtmlOptions, level: number): string {
  const out: string[] = [meta(r)];
  if (r.pipeline) {
    out.push(pipelineBody(r, id, opts, level));
    return out.join("\n");
  }
  const feasible = r.recommendations.filter((x) => x.feasible);
  const best = feasible[0];
  if (best) {
    out.push(
      `<p class="verdict"><span class="verdict-label">Recommended</span> ` +
        `<strong>${esc(best.name)}</strong> — ${esc(best.class)}, ` +
        `${esc(best.deployment)}${headline(r, best)}.</p>`,
    );
  }
  const stale = r.recommendations.filter((x) => x.stale?.length && (x.feasible || x.rank <= 10));
  if (stale.length) {
    out.push(
      `<div class="warn" role="note"><p><strong>Stale catalog ` +
        `figures</strong>${opts.today ? ` (judged on ${esc(opts.today)})` : ""}: check them before you buy ` +
        `(<code>hwadvise catalog show &lt;id&gt;</code>) and put a current quote in a catalog ` +
        `overlay.</p><ul>`,
    );
    for (const x of stale) out.push(`<li><code>${esc(x.id)}</code>: ${x.stale!.map(esc).join("; ")}</li>`);
    out.push(`</ul></div>`);
  }
  out.push(h(level, `${id}-ranked`, "Ranked options"));
  out.push(rankedTable(r, feasible.slice(0, opts.top ?? 10), `${id}-ranked`));
  out.push(h(level, `${id}-pareto`, training(r) ? "Cost against time to train" : "Cost against latency"));
  out.push(paretoFigure(paretoOf(r, slo), `${id}-pareto-chart`));
  const rejected = r.recommendations.filter((x) => !x.feasible);
  out.push(h(level, `${id}-rejected`, `Rejected options (${rejected.length})`));
  out.push(rejectedBody(rejected));
  out.push(h(level, `${id}-assumptions`, "Assumptions and notes"));
  out.push(assumptionsBody(r, feasible));
  if (r.api_comparison) out.push(apiBody(r, `${id}-api`, level));
  return out.join("\n");
}

function headline(r: ProfileResult, x: Recommendation): string {
  const e = x.estimates;
  if (training(r)) return `: ${esc(fmtHours(e.time_to_train_h))} to train, ${esc(fmtUsd(e.total_cost_usd))} a run`;
  const figs = [
    e.latency_p99_ms !== undefined ? `p99 ${esc(fmtMs(e.latency_p99_ms))}` : "",
    e.cost_per_1m_usd !== undefined
      ? `${esc(fmtUsd(e.cost_per_1m_usd))} per 1M ${llm(r) ? "requests" : "inferences"}`
      : "",
    e.monthly_cost_usd !== undefined ? `${esc(fmtUsd(e.monthly_cost_usd))} a month` : "",
  ].filter(Boolean);
  return figs.length ? `: ${figs.join(", ")}` : "";
}

/** A figure with its 90th-percentile band underneath (the calibration's error for this kind of estimate). */
function banded(v: number | undefined, fmt: (v: number) => string, u: number | undefined): string {
  if (v === undefined) return "—";
  if (u === undefined) return esc(fmt(v));
  return `${esc(fmt(v))}<span class="band">${esc(fmt(v * Math.max(0, 1 - u / 100)))}–${esc(fmt(v * (1 + u / 100)))}</span>`;
}

function rankedTable(r: ProfileResult, rows: readonly Recommendation[], id: string): string {
  if (!rows.length) return `<p>No option meets every constraint; the rejected options below say why each fails.</p>`;
  const t = training(r);
  const l = llm(r);
  const head = t
    ? ["Time to train", "Power", "Run cost", "$/month", "Capex"]
    : l
      ? ["p99", "TTFT", "tok/s", "Power", "$/1M req", "$/month"]
      : ["p99", "Throughput", "Power", "$/1M inf", "$/month"];
  const cells = (x: Recommendation): string[] => {
    const e = x.estimates;
    const u = e.uncertainty_p90_pct;
    if (t)
      return [
        banded(e.time_to_train_h, fmtHours, u),
        esc(fmtW(e.power_w)),
        esc(fmtUsd(e.total_cost_usd)),
        esc(fmtUsd(e.monthly_cost_usd)),
        esc(fmtUsd(e.capex_usd)),
      ];
    if (l)
      return [
        banded(e.latency_p99_ms, fmtMs, u),
        esc(fmtMs(e.ttft_ms)),
        e.tokens_per_s === undefined ? "—" : esc(sig(e.tokens_per_s)),
        esc(fmtW(e.power_w)),
        esc(fmtUsd(e.cost_per_1m_usd)),
        esc(fmtUsd(e.monthly_cost_usd)),
      ];
    return [
      banded(e.latency_p99_ms, fmtMs, u),
      banded(e.throughput_per_s, (v) => fmtRate(v), u),
      esc(fmtW(e.power_w)),
      esc(fmtUsd(e.cost_per_1m_usd)),
      esc(fmtUsd(e.monthly_cost_usd)),
    ];
  };
  const out: string[] = [];
  out.push(`<div class="scroll"><table class="ranked" aria-describedby="${esc(id)}-note">`);
  out.push(
    `<caption>The ${rows.length} best feasible option${rows.length === 1 ? "" : "s"}, best first. Under ` +
      `each estimate: the range its 90th-percentile error spans; Error ±: the typical (median) and ` +
      `90th-percentile error of that kind of estimate, %.</caption>`,
  );
  out.push(
    `<thead><tr><th scope="col">#</th><th scope="col">Option</th><th scope="col">Class</th><th ` +
      `scope="col">Units</th>${head.map((x) => `<th scope="col" class="num">${esc(x)}</th>`).join("")}<th ` +
      `scope="col" class="num"><abbr title="error of this kind of estimate: typical (median) / 90th ` +
      `percentile">Error ±</abbr></th><th scope="col" class="num">Score</th></tr></thead><tbody>`,
  );
  for (const x of rows) {
    const e = x.estimates;
    const host = hostSuffix(x.host);
    const flags = [...(x.flags ?? []), ...(x.stale?.length ? ["stale catalog figures"] : [])];
    const err =
      e.uncertainty_pct !== undefined
        ? `${sig(e.uncertainty_pct, 2)} / ${e.uncertainty_p90_pct !== undefined ? sig(e.uncertainty_p90_pct, 2) : "?"} %`
        : "—";
    out.push(
      `<tr><td class="num">${x.rank}</td><th scope="row" class="option">${esc(x.name + host)}<span class="id">${esc(x.id)}${x.region ? ` · ${esc(x.region)}` : ""}</span>${flags.length ? `<span class="flag">${flags.map(esc).join("; ")}</span>` : ""}</th><td class="nowrap">${esc(x.class)}<span class="id">${esc(x.deployment)}</span></td><td class="num">${grouped(x.units)}</td>${cells(
        x,
      )
        .map((c) => `<td class="num">${c}</td>`)
        .join("")}<td class="num">${esc(err)}</td><td class="num">${esc(sig(x.score, 3))}</td></tr>`,
    );
  }
  out.push(`</tbody></table></div>`);
  out.push(
    `<p class="note" id="${esc(id)}-note">Power is the draw at the stated peak load, hosts included (per ` +
      `site at the edge). Errors are those of this kind of estimate against published measured results, ` +
      `cross-validated (hwadvise calibrate).</p>`,
  );
  return out.join("\n");
}

function paretoFigure(d: ParetoData, id: string): string {
  const fmtX = fmtUsd;
  const fmtY = d.axes.kind === "training" ? fmtHours : fmtMs;
  if (!d.points.length)
    return `<p>No feasible option has both a ${esc(d.axes.x.label)} and a ${esc(d.axes.y.label)} to plot.</p>`;
  const tick = (v: number) => fmtX(v).replace(/\.00$/, "");
  const front = d.points.filter((p) => p.front).sort((a, b) => a.x - b.x || a.y - b.y || a.rank - b.rank);
  const out: string[] = [];
  out.push(`<figure class="chart-figure">`);
  out.push(paretoSvg(d, { id, fmtX: tick, fmtY }));
  const skipped = [
    d.infeasible ? `${d.infeasible} infeasible options` : "",
    d.unplotted ? `${d.unplotted} without both figures` : "",
  ]
    .filter(Boolean)
    .join(" and ");
  out.push(
    `<figcaption><span class="key key-front"></span> Pareto front: no other option is both cheaper and ` +
      `${d.axes.kind === "training" ? "quicker" : "faster"}; numbers are ranks in the table. <span ` +
      `class="key key-other"></span> other feasible ` +
      `options.${d.slo !== undefined ? ` <span class="key key-slo"></span> ${d.axes.kind === "training" ? "deadline" : "SLO"} ${esc(fmtY(d.slo))}.` : ""} Vertical bars: the 90th-percentile error of each front estimate.${skipped ? ` Not drawn: ${esc(skipped)}.` : ""}</figcaption>`,
  );
  out.push(`</figure>`);
  out.push(
    `<table class="front compact"><caption>The Pareto front, cheapest first</caption><thead><tr><th ` +
      `scope="col">#</th><th scope="col">Option</th><th scope="col" ` +
      `class="num">${esc(cap(d.axes.x.label))}</th><th scope="col" ` +
      `class="num">${esc(cap(d.axes.y.label))}</th></tr></thead><tbody>`,
  );
  for (const p of front)
    out.push(
      `<tr data-rank="${p.rank}"><td class="num">${p.rank}</td><th scope="row">${esc(p.name)}</th><td ` +
        `class="num">${esc(fmtX(p.x))}</td><td ` +
        `class="num">${banded(p.y, fmtY, p.uncertaintyP90Pct)}</td></tr>`,
    );
  out.push(`</tbody></table>`);
  return out.join("\n");
}

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

function rejectedBody(rejected: readonly Recommendation[]): string {
  if (!rejected.length) return `<p>Every option in the catalog meets every constraint.</p>`;
  const byRule = new Map<string, number>();
  for (const x of rejected)
    for (const rule of new Set(x.violations.map((v) => v.rule))) byRule.set(rule, (byRule.get(rule) ?? 0) + 1);
  const summary = [...byRule.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([rule, n]) => `<code>${esc(rule)}</code> ${n}`);
  const out: string[] = [];
  out.push(
    `<p>Options each rule rejects (an option can break several): ${summary.join(", ")}. Nearest to feasible first.</p>`,
  );
  out.push(
    `<div class="scroll"><table class="rejected compact"><caption>Every rejected option and every rule ` +
      `it breaks</caption><thead><tr><th scope="col">#</th><th scope="col">Option</th><th ` +
      `scope="col">Class</th><th scope="col">Why not</th></tr></thead><tbody>`,
  );
  for (const x of rejected) {
    const why = x.violations.map((v) => `<li><code>${esc(v.rule)}</code> ${esc(v.message)}</li>`).join("");
    out.push(
      `<tr><td class="num">${x.rank}</td><th scope="row">${esc(x.name)}<span ` +
        `class="id">${esc(x.id)}</span></th><td>${esc(x.class)}</td><td><ul class="why">${why}</ul></td></tr>`,
    );
  }
  out.push(`</tbody></table></div>`);
  return out.join("\n");
}

function assumptionsBody(r: ProfileResult, feasible: readonly Recommendation[]): string {
  const out: string[] = [];
  if (r.assumed?.length) {
    out.push(
      `<table class="compact"><caption>Defaults the profile did not state that move the answer (state the ` +
        `field to change one)</caption><thead><tr><th scope="col">Assumption</th><th scope="col" ` +
        `class="num">Value used</th><th scope="col">Profile field</th><th ` +
        `scope="col">Source</th></tr></thead><tbody>`,
    );
    for (const a of r.assumed)
      out.push(
        `<tr><th scope="row">${esc(a.what)}</th><td ` +
          `class="num">${esc(String(a.value) + (a.unit ?? ""))}</td><td><code>${esc(a.field)}</code></td><td>hwadvise default</td></tr>`,
      );
    out.push(`</tbody></table>`);
  } else out.push(`<p>The profile states every field that moves this answer.</p>`);
  const bands = new Map<string, { u: number; p90?: number }>();
  for (const x of feasible)
    if (x.estimates.uncertainty_pct !== undefined && !bands.has(x.class))
      bands.set(x.class, {
        u: x.estimates.uncertainty_pct,
        ...(x.estimates.uncertainty_p90_pct !== undefined ? { p90: x.estimates.uncertainty_p90_pct } : {}),
      });
  const items: string[] = [];
  if (bands.size)
    items.push(
      `Estimates come from a roofline model calibrated against published measured results; their error ` +
        `against results held out of the fit: ` +
        `${[...bands.entries()].map(([c, b]) => `${esc(c)} ±${sig(b.u, 2)} % typical${b.p90 !== undefined ? `, ±${sig(b.p90, 2)} % at the 90th percentile` : ""}`).join("; ")}.`,
    );
  items.push(
    `Prices and chip figures come from the catalog, each entry with its source and date: <code>hwadvise catalog show &lt;id&gt;</code> prints them.`,
  );
  for (const n of r.notes) items.push(esc(n));
  out.push(`<ul class="notes">${items.map((x) => `<li>${x}</li>`).join("")}</ul>`);
  return out.join("\n");
}

function apiBody(r: ProfileResult, id: string, level: number): string {
  const c = r.api_comparison!;
  const s = c.self_hosted;
  const out: string[] = [h(level, id, "Self-hosted against per-token APIs")];
  out.push(
    `<p>#1 <code>${esc(s.id)}</code>: ` +
      `${s.cost_per_1m_tokens_usd !== undefined ? `${esc(fmtUsd(s.cost_per_1m_tokens_usd))} per 1M tokens` : "cost per token unknown"}${s.cost_per_run_usd !== undefined ? `, ${esc(fmtUsd(s.cost_per_run_usd))} a run` : s.monthly_cost_usd !== undefined ? `, ${esc(fmtUsd(s.monthly_cost_usd))} a month` : ""} (${c.input_tokens} + ${c.output_tokens} tokens a request).</p>`,
  );
  const perRun = s.cost_per_run_usd !== undefined;
  out.push(
    `<table class="compact"><caption>Hosted endpoints for the same model, cheapest ` +
      `first</caption><thead><tr><th scope="col">Endpoint</th><th scope="col">Country</th><th scope="col" ` +
      `class="num">$/1M tokens</th><th scope="col" class="num">${perRun ? "$/run" : "$/month"}</th><th scope="col" ` +
      `class="num">Self-hosting pays above</th><th scope="col">Source</th></tr></thead><tbody>`,
  );
  for (const e of c.endpoints) {
    out.push(
      `<tr><th scope="row">${esc(e.provider)} ` +
        `${esc(e.endpoint)}</th><td>${esc(e.country)}${e.residency_ok === false ? ' <span class="flag">outside data_residency</span>' : ""}</td><td class="num">${esc(fmtUsd(e.cost_per_1m_tokens_usd))}</td><td class="num">${esc(fmtUsd(perRun ? e.cost_per_run_usd : e.monthly_cost_usd))}</td><td class="num">${e.break_even_requests_per_day !== undefined ? `${esc(grouped(e.break_even_requests_per_day))} requests/day` : e.cheaper_at_any_served_volume ? "none: the API is cheaper at any volume #1 serves" : "—"}</td><td>${source(e.source)} <span class="id">${esc(e.as_of)}</span></td></tr>`,
    );
  }
  out.push(`</tbody></table>`);
  return out.join("\n");
}

/** A source as text (links would invite a click that leaves an offline document; the URL is still readable). */

function pipelineBody(r: ProfileResult, id: string, opts: HtmlOptions, level: number): string {
  const pl = r.pipeline!;
  const out: string[] = [];
  out.push(h(level, `${id}-combos`, "Combinations end to end"));
  out.push(
    `<div class="scroll"><table class="compact"><caption>Best combinations of each stage's ` +
      `options${pl.latency_p99_slo_ms !== undefined ? `; end-to-end p99 SLO ${esc(fmtMs(pl.latency_p99_slo_ms))}` : ""}</caption><thead><tr><th scope="col">#</th>${pl.stages.map((s) => `<th scope="col">${esc(s.name)}</th>`).join("")}<th scope="col" class="num">E2E p99</th><th scope="col" class="num">Power</th><th scope="col" class="num">$/month</th><th scope="col">Why not</th></tr></thead><tbody>`,
  );
  for (const c of pl.combinations.slice(0, opts.top ?? 10)) {
    out.push(
      `<tr><td class="num">${c.rank}</td>${c.options.map((o) => `<td>${esc(o.name)}<span class="id">${esc(fmtMs(o.latency_p99_ms))} · ${esc(fmtUsd(o.monthly_cost_usd))}/mo</span></td>`).join("")}<td class="num">${esc(fmtMs(c.latency_p99_ms))}</td><td class="num">${esc(fmtW(c.power_w))}</td><td class="num">${esc(fmtUsd(c.monthly_cost_usd))}</td><td>${c.violations.length ? c.violations.map(esc).join("; ") : "—"}</td></tr>`,
    );
  }
  out.push(`</tbody></table></div>`);
  for (const n of pl.notes) out.push(`<p class="note">${esc(n)}</p>`);
  pl.stages.forEach((s, i) => {
    out.push(h(level, `${id}-stage-${i + 1}`, `Stage ${esc(s.name)}: ${pct(s.share)} of requests`));
    out.push(
      `<div class="stage">${resultBody(s.result, `${id}-stage-${i + 1}`, undefined, { ...opts, top: Math.min(opts.top ?? 5, 5) }, level + 1)}</div>`,
    );
  });
  return out.join("\n");
}

export function joinHtml(parts: readonly HtmlPart[], opts: HtmlOptions = {}): string {
  const title = parts.length === 1 ? `Hardware report: ${parts[0]!.name}` : `Hardware report: ${parts.length} profiles`;
  const out: string[] = [];
  out.push(`<!DOCTYPE html>`);
  out.push(`<html lang="en">`);
  out.push(`<head>`);
  out.push(`<meta charset="utf-8">`);
  out.push(`<meta name="viewport" content="width=device-width, initial-scale=1">`);
  // Nothing may load from anywhere: the file is the whole report, offline and in an archive alike.
  out.push(
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
  );
  out.push(`<meta name="generator" content="hwadvise${opts.version ? ` ${esc(opts.version)}` : ""}">`);
  // Window titles and bookmarks cut long ones anyway; the heading keeps the whole name.
  let short = title;
  while (esc(short).length > 70) short = `${[...short].slice(0, -2).join("")}…`;
  out.push(`<title>${esc(short)}</title>`);
  out.push(`<style>${CSS}</style>`);
  out.push(`</head>`);
  out.push(`<body>`);
  out.push(
    `<header class="top"><p class="brand">hwadvise${opts.command ? ` ${esc(opts.command)}` : ""}</p><h1>${esc(title)}</h1>`,
  );
  out.push(
    `<p class="meta">Estimates, not measurements: each figure carries the error band of its kind of ` +
      `estimate.${opts.today ? ` Catalog staleness judged on ${esc(opts.today)}.` : ""}${opts.version ? ` hwadvise ${esc(opts.version)}.` : ""}</p></header>`,
  );
  out.push(`<main>`);
  if (parts.length > 1) {
    out.push(
      `<nav aria-label="Profiles"><h2 class="toc-h">Profiles</h2><ol ` +
        `class="toc">${parts.map((p) => `<li><a href="#${p.id}">${esc(p.name)}</a></li>`).join("")}</ol></nav>`,
    );
  }
  if (!parts.length) out.push(`<p>No profile could be read.</p>`);
  for (const p of parts) out.push(p.html);
  out.push(`</main>`);
  out.push(`</body>`);
  out.push(`</html>`);
  return out.join("\n") + "\n";
}
