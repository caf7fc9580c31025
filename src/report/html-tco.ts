import type { CostAssumptions } from "../tco/assumptions.js";
import { wayName } from "../tco/index.js";
import { h, pct, source } from "./html-parts.js";
import { fmtMoney, type TcoReportInput } from "./tco.js";
import { sig } from "./format.js";
import { esc, tcoSvg, type LineSeries } from "./svg.js";

/** The cost-of-ownership section of the HTML report: line items, the cumulative chart with crossovers, assumptions. */

const KEYS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";

export function tcoBody(t: TcoReportInput, id: string, level: number, withMeta: boolean): string {
  const r = t.result;
  const money = (usd: number) => fmtMoney(usd, t.currency, t.fxPerUsd);
  const n = r.horizonMonths;
  const out: string[] = [];
  const money0 =
    t.currency === "USD" ? "USD" : `${esc(t.currency)} at ${esc(String(t.fxPerUsd))} ${esc(t.currency)}/USD`;
  if (withMeta) out.push(`<p class="meta"><code>${esc(t.file)}</code> · ${money0}</p>`);
  out.push(
    h(
      level,
      `${id}-h`,
      `Cost of ownership over ${n} month${n === 1 ? "" : "s"}${withMeta || t.currency === "USD" ? "" : `, ${money0}`}`,
    ),
  );
  const series: LineSeries[] = r.options
    .flatMap((o) => o.ways.map((w) => ({ name: wayName(o, w), values: w.cumulativeUsd })))
    .map((s, i) => ({ ...s, key: KEYS[i % KEYS.length]! }));
  if (!series.length) {
    out.push(`<p>No option has a price to compare (no region price, purchase or lease price in the catalog).</p>`);
    return out.join("\n");
  }
  out.push(
    `<div class="scroll"><table class="compact"><caption>Each way to pay for the options compared; ` +
      `Total/mo is what the ranking uses</caption><thead><tr><th scope="col">Key</th><th ` +
      `scope="col">Way</th><th scope="col">Option</th><th scope="col" class="num">Units</th><th ` +
      `scope="col" class="num">Utilisation</th><th scope="col" class="num">Upfront</th><th scope="col" ` +
      `class="num">Monthly</th><th scope="col" class="num">At end</th><th scope="col" ` +
      `class="num">Total</th><th scope="col" class="num">Total/mo</th></tr></thead><tbody>`,
  );
  let i = 0;
  for (const o of r.options) {
    for (const w of o.ways) {
      const start = w.lineItems.filter((x) => x.when === "start").reduce((s, x) => s + x.totalUsd, 0);
      const end = w.lineItems.filter((x) => x.when === "end").reduce((s, x) => s + x.totalUsd, 0);
      const held = Math.max(1, ...w.lineItems.map((x) => x.toMonth));
      const perMonth = w.lineItems.filter((x) => x.when === "monthly").reduce((s, x) => s + x.totalUsd, 0) / held;
      out.push(
        `<tr><td><span class="swatch s${i % 8}"></span>${series[i]!.key}</td><td>${esc(w.label)}</td><th ` +
          `scope="row">${esc(o.id)}</th><td class="num">${o.units}</td><td class="num" ` +
          `title="${esc(o.utilisationSource)}">${esc(pct(o.utilisation))}</td><td ` +
          `class="num">${esc(money(start))}</td><td class="num">${esc(money(perMonth))}</td><td ` +
          `class="num">${esc(money(end))}</td><td class="num">${esc(money(w.totalUsd))}</td><td ` +
          `class="num">${esc(money(w.totalUsd / held))}</td></tr>`,
      );
      i++;
    }
  }
  out.push(`</tbody></table></div>`);
  out.push(`<figure class="chart-figure">`);
  out.push(tcoSvg(series, r.crossovers, { id: `${id}-chart`, money, months: n }));
  out.push(
    `<figcaption>Cumulative cost of each way to pay ` +
      `(${series.map((s) => `${s.key} ${esc(s.name)}`).join("; ")}). Rings: crossovers, where one way ` +
      `becomes cheaper than another.</figcaption>`,
  );
  out.push(`</figure>`);
  if (r.crossovers.length)
    out.push(
      `<ul class="notes">${r.crossovers.map((c) => `<li>Month ${c.month}: ${esc(c.cheaper)} becomes cheaper than ${esc(c.than)}.</li>`).join("")}</ul>`,
    );
  else out.push(`<p>No crossovers: the order of the ways holds over the whole horizon.</p>`);
  if (r.breakEven.length)
    out.push(`<ul class="notes">${r.breakEven.map((b) => `<li>${esc(b.statement)}</li>`).join("")}</ul>`);
  const utilNotes = r.options.map(
    (o) =>
      `<li>Utilisation of <code>${esc(o.id)}</code>: ${esc(pct(o.utilisation))} (${esc(o.utilisationSource)}).</li>`,
  );
  const notes = [...new Set(r.options.flatMap((o) => o.notes))].map((x) => `<li>${esc(x)}</li>`);
  out.push(`<ul class="notes">${[...utilNotes, ...notes].join("")}</ul>`);
  out.push(h(level + 1, `${id}-assumptions`, "Cost assumptions and their sources"));
  out.push(costAssumptions(t.assumptions));
  return out.join("\n");
}

function costAssumptions(a: CostAssumptions): string {
  const rows: [string, string, string[]][] = [
    ["Energy", `$${sig(a.energyUsdPerKwh)}/kWh × PUE ${a.pue}`, ["energy_price_per_kwh", "pue"]],
    [
      "Financing",
      `${pct(a.financed)} financed at ${pct(a.financingRate)} a year over ${a.financingTermMonths} months`,
      ["financed", "financing_rate", "financing_term"],
    ],
    [
      "Residual value",
      `${pct(a.residualValue)} at ${a.residualAfterMonths} months, at most ${pct(a.resaleCeiling)}`,
      ["residual_value", "residual_after", "resale_ceiling"],
    ],
    ["Import duty", pct(a.importDuty), ["import_duty"]],
    [
      "Lease",
      `${pct(a.leaseFactor)} of price a month over ${a.leaseTermMonths} months`,
      ["lease_factor", "lease_term"],
    ],
    ["Colocation", `$${a.colocationPerKwMonthUsd}/kW-month`, ["colocation_per_kw_month"]],
    ["Support", `${pct(a.supportPerYear)} of price a year`, ["support_per_year"]],
    [
      "Operations, owned",
      a.operationsOwnedUsd !== undefined
        ? `$${a.operationsOwnedUsd}/month`
        : `$${a.operationsPerKwMonthUsd}/kW-month + $${a.operationsPerUnitMonthUsd}/unit-month`,
      ["operations_owned", "operations_per_kw_month", "operations_per_unit_month"],
    ],
    ["Operations, rented", `$${a.operationsRentedUsd}/month`, ["operations_rented"]],
    [
      "Cloud billing",
      a.billingGranularityS !== undefined || a.billingMinimumS !== undefined
        ? `granularity ${a.billingGranularityS ?? "provider's"} s, minimum ${a.billingMinimumS ?? "provider's"} s`
        : "as each provider bills",
      ["billing"],
    ],
    ["Start-up per run", `${a.startupS} s`, ["startup"]],
    ["Model load", `${a.modelLoadGbPerS} GB/s`, ["model_load_gb_per_s"]],
    ["Utilisation", a.utilisation !== undefined ? pct(a.utilisation) : "estimated per option (above)", ["utilisation"]],
  ];
  const listed = new Set(rows.flatMap((r) => r[2]));
  const others = Object.keys(a.sources)
    .filter((k) => !listed.has(k))
    .sort();
  const cell = (keys: readonly string[]) => {
    const known = keys.filter((k) => a.sources[k] !== undefined);
    if (!known.length) return "—";
    if (known.length === 1) return source(a.sources[known[0]!]!);
    return known.map((k) => `<code>${esc(k)}</code> ${source(a.sources[k]!)}`).join("<br>");
  };
  const out: string[] = [];
  out.push(
    `<div class="scroll"><table class="compact assumptions"><caption>Every cost assumption (state it ` +
      `under <code>costs:</code> in the profile to override it)</caption><thead><tr><th ` +
      `scope="col">Assumption</th><th scope="col">Value</th><th scope="col">Source</th></tr></thead><tbody>`,
  );
  for (const [what, value, keys] of rows)
    out.push(`<tr><th scope="row">${esc(what)}</th><td>${esc(value)}</td><td>${cell(keys)}</td></tr>`);
  for (const k of others)
    out.push(`<tr><th scope="row"><code>${esc(k)}</code></th><td>—</td><td>${cell([k])}</td></tr>`);
  out.push(`</tbody></table></div>`);
  return out.join("\n");
}

/** The document around the parts: head, styles, heading, contents (more than one profile), footer. */
