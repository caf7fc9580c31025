import type { CostAssumptions } from "../tco/assumptions.js";
import { wayName } from "../tco/index.js";
import { fmtMoney, type TcoReportInput } from "./tco.js";
import { fmtCount, fmtHours, fmtMs, fmtParams, fmtRate, fmtUsd, fmtW, grouped, sig } from "./format.js";
import type { ProfileResult, Recommendation } from "../result.js";
import { paretoOf, type ParetoData } from "./pareto.js";
import { sanitizeDeep } from "./sanitize.js";
import { esc, paretoSvg, tcoSvg, type LineSeries } from "./svg.js";

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
  return joinHtml(profiles.map((p, i) => renderHtmlPart(p, i, opts)), opts);
}

const training = (r: ProfileResult) => r.profile.kind === "training" || r.profile.kind === "fine-tuning";
const llm = (r: ProfileResult) => r.model.family === "decoder-llm" || r.model.family === "moe-llm";
const pct = (x: number) => `${Number((x * 100).toPrecision(3))} %`;

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
    feasible ? `${feasible} of ${r.recommendations.length} options meet every constraint` : `<strong>no option meets every constraint</strong> (${r.recommendations.length} considered)`,
  ];
  return `<p class="meta">${parts.join(" · ")}</p>${r.model.sample ? `<p class="meta">One sample = ${esc(r.model.sample)}.</p>` : ""}`;
}

function h(level: number, id: string, text: string): string {
  const l = Math.min(6, level);
  return `<h${l} id="${esc(id)}">${text}</h${l}>`;
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
    out.push(`<p class="verdict"><span class="verdict-label">Recommended</span> <strong>${esc(best.name)}</strong> — ${esc(best.class)}, ${esc(best.deployment)}${headline(r, best)}.</p>`);
  }
  const stale = r.recommendations.filter((x) => x.stale?.length && (x.feasible || x.rank <= 10));
  if (stale.length) {
    out.push(`<div class="warn" role="note"><p><strong>Stale catalog figures</strong>${opts.today ? ` (judged on ${esc(opts.today)})` : ""}: check them before you buy (<code>hwadvise catalog show &lt;id&gt;</code>) and put a current quote in a catalog overlay.</p><ul>`);
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
  const figs = [e.latency_p99_ms !== undefined ? `p99 ${esc(fmtMs(e.latency_p99_ms))}` : "", e.cost_per_1m_usd !== undefined ? `${esc(fmtUsd(e.cost_per_1m_usd))} per 1M ${llm(r) ? "requests" : "inferences"}` : "", e.monthly_cost_usd !== undefined ? `${esc(fmtUsd(e.monthly_cost_usd))} a month` : ""].filter(Boolean);
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
    if (t) return [banded(e.time_to_train_h, fmtHours, u), esc(fmtW(e.power_w)), esc(fmtUsd(e.total_cost_usd)), esc(fmtUsd(e.monthly_cost_usd)), esc(fmtUsd(e.capex_usd))];
    if (l) return [banded(e.latency_p99_ms, fmtMs, u), esc(fmtMs(e.ttft_ms)), e.tokens_per_s === undefined ? "—" : esc(sig(e.tokens_per_s)), esc(fmtW(e.power_w)), esc(fmtUsd(e.cost_per_1m_usd)), esc(fmtUsd(e.monthly_cost_usd))];
    return [banded(e.latency_p99_ms, fmtMs, u), banded(e.throughput_per_s, (v) => fmtRate(v), u), esc(fmtW(e.power_w)), esc(fmtUsd(e.cost_per_1m_usd)), esc(fmtUsd(e.monthly_cost_usd))];
  };
  const out: string[] = [];
  out.push(`<div class="scroll"><table class="ranked" aria-describedby="${esc(id)}-note">`);
  out.push(`<caption>The ${rows.length} best feasible option${rows.length === 1 ? "" : "s"}, best first. Under each estimate: the range its 90th-percentile error spans; Error ±: the typical (median) and 90th-percentile error of that kind of estimate, %.</caption>`);
  out.push(`<thead><tr><th scope="col">#</th><th scope="col">Option</th><th scope="col">Class</th><th scope="col">Units</th>${head.map((x) => `<th scope="col" class="num">${esc(x)}</th>`).join("")}<th scope="col" class="num"><abbr title="error of this kind of estimate: typical (median) / 90th percentile">Error ±</abbr></th><th scope="col" class="num">Score</th></tr></thead><tbody>`);
  for (const x of rows) {
    const e = x.estimates;
    const host = x.host ? ("existing" in x.host ? " + own host" : ` + host ${x.host.name}`) : "";
    const flags = [...(x.flags ?? []), ...(x.stale?.length ? ["stale catalog figures"] : [])];
    const err = e.uncertainty_pct !== undefined ? `${sig(e.uncertainty_pct, 2)} / ${e.uncertainty_p90_pct !== undefined ? sig(e.uncertainty_p90_pct, 2) : "?"} %` : "—";
    out.push(
      `<tr><td class="num">${x.rank}</td><th scope="row" class="option">${esc(x.name + host)}<span class="id">${esc(x.id)}${x.region ? ` · ${esc(x.region)}` : ""}</span>${flags.length ? `<span class="flag">${flags.map(esc).join("; ")}</span>` : ""}</th><td class="nowrap">${esc(x.class)}<span class="id">${esc(x.deployment)}</span></td><td class="num">${grouped(x.units)}</td>${cells(x)
        .map((c) => `<td class="num">${c}</td>`)
        .join("")}<td class="num">${esc(err)}</td><td class="num">${esc(sig(x.score, 3))}</td></tr>`,
    );
  }
  out.push(`</tbody></table></div>`);
  out.push(`<p class="note" id="${esc(id)}-note">Power is the draw at the stated peak load, hosts included (per site at the edge). Errors are those of this kind of estimate against published measured results, cross-validated (hwadvise calibrate).</p>`);
  return out.join("\n");
}

function paretoFigure(d: ParetoData, id: string): string {
  const fmtX = fmtUsd;
  const fmtY = d.axes.kind === "training" ? fmtHours : fmtMs;
  if (!d.points.length) return `<p>No feasible option has both a ${esc(d.axes.x.label)} and a ${esc(d.axes.y.label)} to plot.</p>`;
  const tick = (v: number) => fmtX(v).replace(/\.00$/, "");
  const front = d.points.filter((p) => p.front).sort((a, b) => a.x - b.x || a.y - b.y || a.rank - b.rank);
  const out: string[] = [];
  out.push(`<figure class="chart-figure">`);
  out.push(paretoSvg(d, { id, fmtX: tick, fmtY }));
  const skipped = [d.infeasible ? `${d.infeasible} infeasible options` : "", d.unplotted ? `${d.unplotted} without both figures` : ""].filter(Boolean).join(" and ");
  out.push(
    `<figcaption><span class="key key-front"></span> Pareto front: no other option is both cheaper and ${d.axes.kind === "training" ? "quicker" : "faster"}; numbers are ranks in the table. <span class="key key-other"></span> other feasible options.${d.slo !== undefined ? ` <span class="key key-slo"></span> ${d.axes.kind === "training" ? "deadline" : "SLO"} ${esc(fmtY(d.slo))}.` : ""} Vertical bars: the 90th-percentile error of each front estimate.${skipped ? ` Not drawn: ${esc(skipped)}.` : ""}</figcaption>`,
  );
  out.push(`</figure>`);
  out.push(`<table class="front compact"><caption>The Pareto front, cheapest first</caption><thead><tr><th scope="col">#</th><th scope="col">Option</th><th scope="col" class="num">${esc(cap(d.axes.x.label))}</th><th scope="col" class="num">${esc(cap(d.axes.y.label))}</th></tr></thead><tbody>`);
  for (const p of front) out.push(`<tr data-rank="${p.rank}"><td class="num">${p.rank}</td><th scope="row">${esc(p.name)}</th><td class="num">${esc(fmtX(p.x))}</td><td class="num">${banded(p.y, fmtY, p.uncertaintyP90Pct)}</td></tr>`);
  out.push(`</tbody></table>`);
  return out.join("\n");
}

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

function rejectedBody(rejected: readonly Recommendation[]): string {
  if (!rejected.length) return `<p>Every option in the catalog meets every constraint.</p>`;
  const byRule = new Map<string, number>();
  for (const x of rejected) for (const rule of new Set(x.violations.map((v) => v.rule))) byRule.set(rule, (byRule.get(rule) ?? 0) + 1);
  const summary = [...byRule.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([rule, n]) => `<code>${esc(rule)}</code> ${n}`);
  const out: string[] = [];
  out.push(`<p>Options each rule rejects (an option can break several): ${summary.join(", ")}. Nearest to feasible first.</p>`);
  out.push(`<div class="scroll"><table class="rejected compact"><caption>Every rejected option and every rule it breaks</caption><thead><tr><th scope="col">#</th><th scope="col">Option</th><th scope="col">Class</th><th scope="col">Why not</th></tr></thead><tbody>`);
  for (const x of rejected) {
    const why = x.violations.map((v) => `<li><code>${esc(v.rule)}</code> ${esc(v.message)}</li>`).join("");
    out.push(`<tr><td class="num">${x.rank}</td><th scope="row">${esc(x.name)}<span class="id">${esc(x.id)}</span></th><td>${esc(x.class)}</td><td><ul class="why">${why}</ul></td></tr>`);
  }
  out.push(`</tbody></table></div>`);
  return out.join("\n");
}

function assumptionsBody(r: ProfileResult, feasible: readonly Recommendation[]): string {
  const out: string[] = [];
  if (r.assumed?.length) {
    out.push(`<table class="compact"><caption>Defaults the profile did not state that move the answer (state the field to change one)</caption><thead><tr><th scope="col">Assumption</th><th scope="col" class="num">Value used</th><th scope="col">Profile field</th><th scope="col">Source</th></tr></thead><tbody>`);
    for (const a of r.assumed) out.push(`<tr><th scope="row">${esc(a.what)}</th><td class="num">${esc(String(a.value) + (a.unit ?? ""))}</td><td><code>${esc(a.field)}</code></td><td>hwadvise default</td></tr>`);
    out.push(`</tbody></table>`);
  } else out.push(`<p>The profile states every field that moves this answer.</p>`);
  const bands = new Map<string, { u: number; p90?: number }>();
  for (const x of feasible) if (x.estimates.uncertainty_pct !== undefined && !bands.has(x.class)) bands.set(x.class, { u: x.estimates.uncertainty_pct, ...(x.estimates.uncertainty_p90_pct !== undefined ? { p90: x.estimates.uncertainty_p90_pct } : {}) });
  const items: string[] = [];
  if (bands.size) items.push(`Estimates come from a roofline model calibrated against published measured results; their error against results held out of the fit: ${[...bands.entries()].map(([c, b]) => `${esc(c)} ±${sig(b.u, 2)} % typical${b.p90 !== undefined ? `, ±${sig(b.p90, 2)} % at the 90th percentile` : ""}`).join("; ")}.`);
  items.push(`Prices and chip figures come from the catalog, each entry with its source and date: <code>hwadvise catalog show &lt;id&gt;</code> prints them.`);
  for (const n of r.notes) items.push(esc(n));
  out.push(`<ul class="notes">${items.map((x) => `<li>${x}</li>`).join("")}</ul>`);
  return out.join("\n");
}

function apiBody(r: ProfileResult, id: string, level: number): string {
  const c = r.api_comparison!;
  const s = c.self_hosted;
  const out: string[] = [h(level, id, "Self-hosted against per-token APIs")];
  out.push(`<p>#1 <code>${esc(s.id)}</code>: ${s.cost_per_1m_tokens_usd !== undefined ? `${esc(fmtUsd(s.cost_per_1m_tokens_usd))} per 1M tokens` : "cost per token unknown"}${s.monthly_cost_usd !== undefined ? `, ${esc(fmtUsd(s.monthly_cost_usd))} a month` : ""} (${c.input_tokens} + ${c.output_tokens} tokens a request).</p>`);
  out.push(`<table class="compact"><caption>Hosted endpoints for the same model, cheapest first</caption><thead><tr><th scope="col">Endpoint</th><th scope="col">Country</th><th scope="col" class="num">$/1M tokens</th><th scope="col" class="num">$/month</th><th scope="col" class="num">Self-hosting pays above</th><th scope="col">Source</th></tr></thead><tbody>`);
  for (const e of c.endpoints) {
    out.push(`<tr><th scope="row">${esc(e.provider)} ${esc(e.endpoint)}</th><td>${esc(e.country)}${e.residency_ok === false ? ' <span class="flag">outside data_residency</span>' : ""}</td><td class="num">${esc(fmtUsd(e.cost_per_1m_tokens_usd))}</td><td class="num">${esc(fmtUsd(e.monthly_cost_usd))}</td><td class="num">${e.break_even_requests_per_day !== undefined ? `${esc(grouped(e.break_even_requests_per_day))} requests/day` : "—"}</td><td>${source(e.source)} <span class="id">${esc(e.as_of)}</span></td></tr>`);
  }
  out.push(`</tbody></table>`);
  return out.join("\n");
}

/** A source as text (links would invite a click that leaves an offline document; the URL is still readable). */
function source(s: string): string {
  return `<span class="source">${esc(s)}</span>`;
}

function pipelineBody(r: ProfileResult, id: string, opts: HtmlOptions, level: number): string {
  const pl = r.pipeline!;
  const out: string[] = [];
  out.push(h(level, `${id}-combos`, "Combinations end to end"));
  out.push(`<div class="scroll"><table class="compact"><caption>Best combinations of each stage's options${pl.latency_p99_slo_ms !== undefined ? `; end-to-end p99 SLO ${esc(fmtMs(pl.latency_p99_slo_ms))}` : ""}</caption><thead><tr><th scope="col">#</th>${pl.stages.map((s) => `<th scope="col">${esc(s.name)}</th>`).join("")}<th scope="col" class="num">E2E p99</th><th scope="col" class="num">Power</th><th scope="col" class="num">$/month</th><th scope="col">Why not</th></tr></thead><tbody>`);
  for (const c of pl.combinations.slice(0, opts.top ?? 10)) {
    out.push(`<tr><td class="num">${c.rank}</td>${c.options.map((o) => `<td>${esc(o.name)}<span class="id">${esc(fmtMs(o.latency_p99_ms))} · ${esc(fmtUsd(o.monthly_cost_usd))}/mo</span></td>`).join("")}<td class="num">${esc(fmtMs(c.latency_p99_ms))}</td><td class="num">${esc(fmtW(c.power_w))}</td><td class="num">${esc(fmtUsd(c.monthly_cost_usd))}</td><td>${c.violations.length ? c.violations.map(esc).join("; ") : "—"}</td></tr>`);
  }
  out.push(`</tbody></table></div>`);
  for (const n of pl.notes) out.push(`<p class="note">${esc(n)}</p>`);
  pl.stages.forEach((s, i) => {
    out.push(h(level, `${id}-stage-${i + 1}`, `Stage ${esc(s.name)}: ${pct(s.share)} of requests`));
    out.push(`<div class="stage">${resultBody(s.result, `${id}-stage-${i + 1}`, undefined, { ...opts, top: Math.min(opts.top ?? 5, 5) }, level + 1)}</div>`);
  });
  return out.join("\n");
}

const KEYS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";

function tcoBody(t: TcoReportInput, id: string, level: number, withMeta: boolean): string {
  const r = t.result;
  const money = (usd: number) => fmtMoney(usd, t.currency, t.fxPerUsd);
  const n = r.horizonMonths;
  const out: string[] = [];
  const money0 = t.currency === "USD" ? "USD" : `${esc(t.currency)} at ${esc(String(t.fxPerUsd))} ${esc(t.currency)}/USD`;
  if (withMeta) out.push(`<p class="meta"><code>${esc(t.file)}</code> · ${money0}</p>`);
  out.push(h(level, `${id}-h`, `Cost of ownership over ${n} month${n === 1 ? "" : "s"}${withMeta || t.currency === "USD" ? "" : `, ${money0}`}`));
  const series: LineSeries[] = r.options.flatMap((o) => o.ways.map((w) => ({ name: wayName(o, w), values: w.cumulativeUsd }))).map((s, i) => ({ ...s, key: KEYS[i % KEYS.length]! }));
  if (!series.length) {
    out.push(`<p>No option has a price to compare (no region price, purchase or lease price in the catalog).</p>`);
    return out.join("\n");
  }
  out.push(`<div class="scroll"><table class="compact"><caption>Each way to pay for the options compared; Total/mo is what the ranking uses</caption><thead><tr><th scope="col">Key</th><th scope="col">Way</th><th scope="col">Option</th><th scope="col" class="num">Units</th><th scope="col" class="num">Utilisation</th><th scope="col" class="num">Upfront</th><th scope="col" class="num">Monthly</th><th scope="col" class="num">At end</th><th scope="col" class="num">Total</th><th scope="col" class="num">Total/mo</th></tr></thead><tbody>`);
  let i = 0;
  for (const o of r.options) {
    for (const w of o.ways) {
      const start = w.lineItems.filter((x) => x.when === "start").reduce((s, x) => s + x.totalUsd, 0);
      const end = w.lineItems.filter((x) => x.when === "end").reduce((s, x) => s + x.totalUsd, 0);
      const held = Math.max(1, ...w.lineItems.map((x) => x.toMonth));
      const perMonth = w.lineItems.filter((x) => x.when === "monthly").reduce((s, x) => s + x.totalUsd, 0) / held;
      out.push(`<tr><td><span class="swatch s${i % 8}"></span>${series[i]!.key}</td><td>${esc(w.label)}</td><th scope="row">${esc(o.id)}</th><td class="num">${o.units}</td><td class="num" title="${esc(o.utilisationSource)}">${esc(pct(o.utilisation))}</td><td class="num">${esc(money(start))}</td><td class="num">${esc(money(perMonth))}</td><td class="num">${esc(money(end))}</td><td class="num">${esc(money(w.totalUsd))}</td><td class="num">${esc(money(w.totalUsd / held))}</td></tr>`);
      i++;
    }
  }
  out.push(`</tbody></table></div>`);
  out.push(`<figure class="chart-figure">`);
  out.push(tcoSvg(series, r.crossovers, { id: `${id}-chart`, money, months: n }));
  out.push(`<figcaption>Cumulative cost of each way to pay (${series.map((s) => `${s.key} ${esc(s.name)}`).join("; ")}). Rings: crossovers, where one way becomes cheaper than another.</figcaption>`);
  out.push(`</figure>`);
  if (r.crossovers.length) out.push(`<ul class="notes">${r.crossovers.map((c) => `<li>Month ${c.month}: ${esc(c.cheaper)} becomes cheaper than ${esc(c.than)}.</li>`).join("")}</ul>`);
  else out.push(`<p>No crossovers: the order of the ways holds over the whole horizon.</p>`);
  if (r.breakEven.length) out.push(`<ul class="notes">${r.breakEven.map((b) => `<li>${esc(b.statement)}</li>`).join("")}</ul>`);
  const utilNotes = r.options.map((o) => `<li>Utilisation of <code>${esc(o.id)}</code>: ${esc(pct(o.utilisation))} (${esc(o.utilisationSource)}).</li>`);
  const notes = [...new Set(r.options.flatMap((o) => o.notes))].map((x) => `<li>${esc(x)}</li>`);
  out.push(`<ul class="notes">${[...utilNotes, ...notes].join("")}</ul>`);
  out.push(h(level + 1, `${id}-assumptions`, "Cost assumptions and their sources"));
  out.push(costAssumptions(t.assumptions));
  return out.join("\n");
}

function costAssumptions(a: CostAssumptions): string {
  const rows: [string, string, string[]][] = [
    ["Energy", `$${sig(a.energyUsdPerKwh)}/kWh × PUE ${a.pue}`, ["energy_price_per_kwh", "pue"]],
    ["Financing", `${pct(a.financed)} financed at ${pct(a.financingRate)} a year over ${a.financingTermMonths} months`, ["financed", "financing_rate", "financing_term"]],
    ["Residual value", `${pct(a.residualValue)} at ${a.residualAfterMonths} months, at most ${pct(a.resaleCeiling)}`, ["residual_value", "residual_after", "resale_ceiling"]],
    ["Import duty", pct(a.importDuty), ["import_duty"]],
    ["Lease", `${pct(a.leaseFactor)} of price a month over ${a.leaseTermMonths} months`, ["lease_factor", "lease_term"]],
    ["Colocation", `$${a.colocationPerKwMonthUsd}/kW-month`, ["colocation_per_kw_month"]],
    ["Support", `${pct(a.supportPerYear)} of price a year`, ["support_per_year"]],
    ["Operations, owned", a.operationsOwnedUsd !== undefined ? `$${a.operationsOwnedUsd}/month` : `$${a.operationsPerKwMonthUsd}/kW-month + $${a.operationsPerUnitMonthUsd}/unit-month`, ["operations_owned", "operations_per_kw_month", "operations_per_unit_month"]],
    ["Operations, rented", `$${a.operationsRentedUsd}/month`, ["operations_rented"]],
    ["Cloud billing", a.billingGranularityS !== undefined || a.billingMinimumS !== undefined ? `granularity ${a.billingGranularityS ?? "provider's"} s, minimum ${a.billingMinimumS ?? "provider's"} s` : "as each provider bills", ["billing"]],
    ["Start-up per run", `${a.startupS} s`, ["startup"]],
    ["Model load", `${a.modelLoadGbPerS} GB/s`, ["model_load_gb_per_s"]],
    ["Utilisation", a.utilisation !== undefined ? pct(a.utilisation) : "estimated per option (above)", ["utilisation"]],
  ];
  const listed = new Set(rows.flatMap((r) => r[2]));
  const others = Object.keys(a.sources).filter((k) => !listed.has(k)).sort();
  const cell = (keys: readonly string[]) => {
    const known = keys.filter((k) => a.sources[k] !== undefined);
    if (!known.length) return "—";
    if (known.length === 1) return source(a.sources[known[0]!]!);
    return known.map((k) => `<code>${esc(k)}</code> ${source(a.sources[k]!)}`).join("<br>");
  };
  const out: string[] = [];
  out.push(`<div class="scroll"><table class="compact assumptions"><caption>Every cost assumption (state it under <code>costs:</code> in the profile to override it)</caption><thead><tr><th scope="col">Assumption</th><th scope="col">Value</th><th scope="col">Source</th></tr></thead><tbody>`);
  for (const [what, value, keys] of rows) out.push(`<tr><th scope="row">${esc(what)}</th><td>${esc(value)}</td><td>${cell(keys)}</td></tr>`);
  for (const k of others) out.push(`<tr><th scope="row"><code>${esc(k)}</code></th><td>—</td><td>${cell([k])}</td></tr>`);
  out.push(`</tbody></table></div>`);
  return out.join("\n");
}

/** The document around the parts: head, styles, heading, contents (more than one profile), footer. */
export function joinHtml(parts: readonly HtmlPart[], opts: HtmlOptions = {}): string {
  const title = parts.length === 1 ? `Hardware report: ${parts[0]!.name}` : `Hardware report: ${parts.length} profiles`;
  const out: string[] = [];
  out.push(`<!DOCTYPE html>`);
  out.push(`<html lang="en">`);
  out.push(`<head>`);
  out.push(`<meta charset="utf-8">`);
  out.push(`<meta name="viewport" content="width=device-width, initial-scale=1">`);
  // Nothing may load from anywhere: the file is the whole report, offline and in an archive alike.
  out.push(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`);
  out.push(`<meta name="generator" content="hwadvise${opts.version ? ` ${esc(opts.version)}` : ""}">`);
  // Window titles and bookmarks cut long ones anyway; the heading keeps the whole name.
  let short = title;
  while (esc(short).length > 70) short = `${[...short].slice(0, -2).join("")}…`;
  out.push(`<title>${esc(short)}</title>`);
  out.push(`<style>${CSS}</style>`);
  out.push(`</head>`);
  out.push(`<body>`);
  out.push(`<header class="top"><p class="brand">hwadvise${opts.command ? ` ${esc(opts.command)}` : ""}</p><h1>${esc(title)}</h1>`);
  out.push(`<p class="meta">Estimates, not measurements: each figure carries the error band of its kind of estimate.${opts.today ? ` Catalog staleness judged on ${esc(opts.today)}.` : ""}${opts.version ? ` hwadvise ${esc(opts.version)}.` : ""}</p></header>`);
  out.push(`<main>`);
  if (parts.length > 1) {
    out.push(`<nav aria-label="Profiles"><h2 class="toc-h">Profiles</h2><ol class="toc">${parts.map((p) => `<li><a href="#${p.id}">${esc(p.name)}</a></li>`).join("")}</ol></nav>`);
  }
  if (!parts.length) out.push(`<p>No profile could be read.</p>`);
  for (const p of parts) out.push(p.html);
  out.push(`</main>`);
  out.push(`</body>`);
  out.push(`</html>`);
  return out.join("\n") + "\n";
}

const CSS = `
:root{--ink:#1c2430;--muted:#5b6675;--line:#d9dee5;--soft:#f4f6f9;--accent:#0b6e4f;--warn:#9a3412;--warnbg:#fff7ed;--slo:#c2410c}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--ink);background:#fff}
header.top{padding:28px 40px 18px;border-bottom:3px solid var(--accent);background:var(--soft)}
.brand{margin:0;font-size:12px;letter-spacing:.08em;text-transform:uppercase;color:var(--accent);font-weight:700}
h1{margin:4px 0 6px;font-size:26px;line-height:1.25}
main{max-width:1180px;margin:0 auto;padding:8px 40px 48px}
h2{font-size:21px;margin:34px 0 4px;padding-bottom:6px;border-bottom:1px solid var(--line)}
h3{font-size:17px;margin:28px 0 8px}
h4,h5,h6{font-size:15px;margin:22px 0 6px}
.meta{color:var(--muted);margin:4px 0}
code{font:13px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:var(--soft);padding:0 3px;border-radius:3px}
.verdict{margin:14px 0;padding:12px 16px;border-left:4px solid var(--accent);background:#eef7f3}
.verdict-label{display:inline-block;margin-right:6px;padding:1px 8px;border-radius:10px;background:var(--accent);color:#fff;font-size:12px;font-weight:700;text-transform:uppercase;letter-spacing:.05em}
.warn{margin:14px 0;padding:10px 16px;border-left:4px solid var(--warn);background:var(--warnbg);color:#431407}
.warn p{margin:0 0 4px}.warn ul{margin:0;padding-left:20px}
.scroll{overflow-x:auto}
table{border-collapse:collapse;width:100%;margin:8px 0 6px;font-size:13.5px}
caption{caption-side:top;text-align:left;color:var(--muted);font-size:13px;padding:0 0 6px}
th,td{padding:6px 8px;border-bottom:1px solid var(--line);vertical-align:top;text-align:left}
thead th{background:var(--soft);font-size:11.5px;text-transform:uppercase;letter-spacing:.03em;color:var(--muted);border-bottom:2px solid var(--line);white-space:nowrap}
tbody th{font-weight:600}
tbody tr:nth-child(even){background:#fafbfc}
.nowrap{white-space:nowrap}
abbr{text-decoration:none}
th.option{min-width:12em}
.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
table.compact{font-size:13px}
table.compact th,table.compact td{padding:4px 8px}
.id{display:block;font-weight:400;font-size:12px;color:var(--muted)}
.flag{display:block;font-weight:400;font-size:12px;color:var(--warn)}
.band{display:block;font-size:11px;color:var(--muted)}
.source{font-size:12px;color:var(--muted);word-break:break-word}
.note{font-size:13px;color:var(--muted)}
ul.why{margin:0;padding-left:16px}
ul.notes{padding-left:20px}
ul.notes li{margin:3px 0}
figure.chart-figure{margin:8px 0 10px;padding:12px;border:1px solid var(--line);border-radius:6px}
figcaption{font-size:13px;color:var(--muted);margin-top:6px}
svg.chart{display:block;width:100%;height:auto;max-width:900px;margin:0 auto;font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif}
svg .plot{fill:#fff;stroke:#9aa5b1}
svg .grid{stroke:#e6e9ee;stroke-width:1}
svg .tick{font-size:12px;fill:var(--muted)}
svg .axis-label{font-size:13px;fill:var(--ink)}
svg .pt{fill:#9aa5b1;fill-opacity:.75;stroke:#fff;stroke-width:.8}
svg .pt.front{fill:var(--accent);fill-opacity:1;stroke:#fff;stroke-width:1.5}
svg .front-line{fill:none;stroke:var(--accent);stroke-width:1.6;stroke-opacity:.55}
svg .band{stroke:var(--accent);stroke-opacity:.35;stroke-width:3}
svg .rank{font-size:12px;font-weight:700;fill:var(--accent)}
svg .slo{stroke:var(--slo);stroke-width:1.5;stroke-dasharray:6 4}
svg .slo-label{font-size:12px;fill:var(--slo);font-weight:600}
svg .series{fill:none;stroke-width:2.2}
svg .crossover{fill:none;stroke:var(--ink);stroke-width:1.5}
svg .series-key{font-size:12px;font-weight:700}
.key{display:inline-block;width:10px;height:10px;border-radius:50%;vertical-align:middle;margin:0 2px 0 6px}
.key-front{background:var(--accent)}.key-other{background:#9aa5b1}.key-slo{width:16px;height:0;border-radius:0;border-top:2px dashed var(--slo)}
.swatch{display:inline-block;width:14px;height:4px;margin-right:6px;vertical-align:middle;border-radius:2px}
.s0{stroke:#1f77b4;fill:#1f77b4;background:#1f77b4}.s1{stroke:#d62728;fill:#d62728;background:#d62728}.s2{stroke:#2ca02c;fill:#2ca02c;background:#2ca02c}.s3{stroke:#9467bd;fill:#9467bd;background:#9467bd}
.s4{stroke:#e07b00;fill:#e07b00;background:#e07b00}.s5{stroke:#17a2b8;fill:#17a2b8;background:#17a2b8}.s6{stroke:#8c564b;fill:#8c564b;background:#8c564b}.s7{stroke:#d63384;fill:#d63384;background:#d63384}
svg polyline.series{fill:none}
nav .toc-h{border:0;font-size:15px;margin-top:20px}
ol.toc{columns:2;padding-left:20px}
.stage{margin-left:12px;padding-left:14px;border-left:2px solid var(--line)}
@media (max-width:700px){main,header.top{padding-left:14px;padding-right:14px}ol.toc{columns:1}}
@media print{
  @page{margin:14mm 12mm}
  body{font-size:11pt;color:#000}
  header.top{background:none;padding:0 0 8px}
  main{max-width:none;padding:0}
  nav{display:none}
  .scroll{overflow:visible}
  table{font-size:9.5pt}
  thead{display:table-header-group}
  tr,figure,.verdict,.warn{break-inside:avoid}
  h2,h3{break-after:avoid}
  section.profile+section.profile{break-before:page}
  svg.chart{max-width:100%}
  *{-webkit-print-color-adjust:exact;print-color-adjust:exact}
}
`.trim();
