import type { TcoAdvice } from "../advise/tco.js";
import { percent3 as pct } from "../format/number.js";
import Table from "cli-table3";
import { fmtUsd, grouped, roundDeep, sig } from "./format.js";
import { sanitizeDeep } from "./sanitize.js";
import { wayName, type TcoResult } from "../tco/index.js";

/** What the renderers read: the use case's advice (who it is for, in what money, the result), without the ranking. */
export type TcoReportInput = Omit<TcoAdvice, "ranking">;

export interface TcoRenderOptions {
  /** Terminal width for the chart. */
  readonly width?: number;
  /** Months between rows of the cumulative table (default 3 up to 3 years, 6 up to 6, else 12). */
  readonly every?: number;
}

/** Money in the report's currency: `$1.23M` for USD, `COP 4.92bn` otherwise. */
export function fmtMoney(usd: number, currency: string, fxPerUsd: number): string {
  if (usd < 0) return `−${fmtMoney(-usd, currency, fxPerUsd)}`;
  if (currency === "USD") return fmtUsd(usd * fxPerUsd);
  const v = usd * fxPerUsd;
  const a = Math.abs(v);
  const [d, s] = a >= 1e9 ? [1e9, "bn"] : a >= 1e6 ? [1e6, "M"] : a >= 1e4 ? [1e3, "k"] : [1, ""];
  return `${currency} ${s ? sig(v / d) : grouped(v)}${s}`;
}

const KEYS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";

interface Series {
  readonly key: string;
  readonly name: string;
  readonly values: readonly number[];
}

function seriesOf(r: TcoResult): Series[] {
  return r.options
    .flatMap((o) => o.ways.map((w) => ({ name: wayName(o, w), values: w.cumulativeUsd })))
    .map((s, i) => ({ ...s, key: KEYS[i % KEYS.length]! }));
}

/**
 * Cumulative cost against months as a plain-text chart: one letter per way, `*` where ways share a cell,
 * and `^` under the axis at every crossover month.
 */
export function renderChart(
  series: readonly Series[],
  crossMonths: readonly number[],
  money: (usd: number) => string,
  width = 80,
  height = 12,
): string {
  if (!series.length) return "";
  const n = series[0]!.values.length - 1;
  const all = series.flatMap((s) => s.values);
  const lo = Math.min(0, ...all);
  const hi = Math.max(...all, lo + 1);
  const labels = [money(hi), money((hi + lo) / 2), money(lo)];
  const lw = Math.max(...labels.map((l) => l.length));
  const plotW = Math.max(10, Math.min(n * 2 + 1, width - lw - 3));
  const monthAt = (c: number) => Math.round((c * n) / (plotW - 1));
  const colOf = (m: number) => Math.round((m * (plotW - 1)) / n);
  const grid = Array.from({ length: height }, () => new Array<string>(plotW).fill(" "));
  for (const s of series) {
    for (let c = 0; c < plotW; c++) {
      const v = s.values[monthAt(c)]!;
      const row = height - 1 - Math.round(((v - lo) / (hi - lo)) * (height - 1));
      const cell = grid[row]![c]!;
      grid[row]![c] = cell === " " || cell === s.key ? s.key : "*";
    }
  }
  const out: string[] = [];
  grid.forEach((row, i) => {
    const label =
      i === 0 ? labels[0]! : i === Math.floor((height - 1) / 2) ? labels[1]! : i === height - 1 ? labels[2]! : "";
    out.push(`${label.padStart(lw)} ┤${row.join("")}`);
  });
  out.push(`${" ".repeat(lw)} └${"─".repeat(plotW)}`);
  const ticks = new Array<string>(plotW + 1).fill(" ");
  const step = n <= 24 ? 6 : 12;
  for (let m = 0; m <= n; m += step) {
    const t = String(m);
    const c = colOf(m);
    for (let k = 0; k < t.length && c + k < ticks.length; k++) ticks[c + k] = t[k]!;
  }
  out.push(`${" ".repeat(lw)}  ${ticks.join("").trimEnd()}  months`);
  if (crossMonths.length) {
    const marks = new Array<string>(plotW).fill(" ");
    for (const m of crossMonths) marks[colOf(m)] = "^";
    out.push(`${" ".repeat(lw)}  ${marks.join("").trimEnd()}  crossovers`);
  }
  return out.join("\n");
}

/** The TCO report for a terminal: totals, cumulative table, chart, crossovers, break-even, assumptions. Pure. */
export function renderTcoTable(t: TcoReportInput, opts: TcoRenderOptions = {}): string {
  t = sanitizeDeep(t);
  const r = t.result;
  const money = (usd: number) => fmtMoney(usd, t.currency, t.fxPerUsd);
  const n = r.horizonMonths;
  const out: string[] = [];
  const fx = t.currency === "USD" ? "USD" : `${t.currency} at ${t.fxPerUsd} ${t.currency}/USD`;
  out.push(
    `${t.name} (${t.file}) — cost of ownership over ${n} month${n === 1 ? "" : "s"}, ${fx}; Total/mo is what recommend ranks on`,
  );
  const series = seriesOf(r);
  if (!series.length) {
    out.push("No option has a price to compare (no region price, purchase or lease price in the catalog).");
    return out.join("\n") + "\n";
  }
  const totals = new Table({
    head: ["", "Way", "Option", "Units", "Util.", "Upfront", "Monthly", "At end", "Total", "Total/mo"],
    style: { head: [], border: [] },
  });
  let i = 0;
  for (const o of r.options) {
    for (const w of o.ways) {
      const start = w.lineItems.filter((x) => x.when === "start").reduce((s, x) => s + x.totalUsd, 0);
      const end = w.lineItems.filter((x) => x.when === "end").reduce((s, x) => s + x.totalUsd, 0);
      // Months this way is paid over: its last line item's (a one-off run's are fewer than the report's).
      const held = Math.max(1, ...w.lineItems.map((x) => x.toMonth));
      const perMonth = w.lineItems.filter((x) => x.when === "monthly").reduce((s, x) => s + x.totalUsd, 0) / held;
      totals.push([
        series[i]!.key,
        w.label,
        o.id,
        `${o.units}`,
        pct(o.utilisation),
        money(start),
        money(perMonth),
        money(end),
        money(w.totalUsd),
        money(w.totalUsd / held),
      ]);
      i++;
    }
  }
  out.push(totals.toString());
  const every = opts.every ?? (n <= 36 ? 3 : n <= 72 ? 6 : 12);
  const months: number[] = [];
  for (let m = 0; m <= n; m += every) months.push(m);
  if (months[months.length - 1] !== n) months.push(n);
  const cum = new Table({
    head: ["Month", ...series.map((s) => s.key)],
    style: { head: [], border: [] },
    colAligns: ["right", ...series.map(() => "right" as const)],
  });
  for (const m of months) cum.push([String(m), ...series.map((s) => money(s.values[m]!))]);
  out.push("", `Cumulative cost (every ${every} months; --every 1 for each month):`, cum.toString());
  out.push("", renderChart(series, [...new Set(r.crossovers.map((c) => c.month))], money, opts.width ?? 80));
  for (const s of series) out.push(`  ${s.key} = ${s.name}`);
  if (r.crossovers.length) {
    out.push("", "Crossovers:");
    for (const c of r.crossovers) out.push(`  month ${c.month}: ${c.cheaper} becomes cheaper than ${c.than}`);
  } else out.push("", "No crossovers: the order of the ways holds over the whole horizon.");
  if (r.breakEven.length) {
    out.push("", "Break-even:");
    for (const b of r.breakEven) out.push(`  ${b.statement}`);
  }
  const notes = [...new Set(r.options.flatMap((o) => o.notes))];
  for (const o of r.options) out.push(`utilisation of ${o.id}: ${pct(o.utilisation)} (${o.utilisationSource})`);
  for (const note of notes) out.push(`note: ${note}`);
  const a = t.assumptions;
  out.push(
    "",
    `Assumptions (costs: in the profile overrides each; --format json lists sources): energy ` +
      `$${a.energyUsdPerKwh}/kWh × PUE ${a.pue}; colocation $${a.colocationPerKwMonthUsd}/kW-month; ` +
      `support ${pct(a.supportPerYear)}/yr; operations owned ` +
      `${
        a.operationsOwnedUsd !== undefined
          ? `$${a.operationsOwnedUsd}/month`
          : `$${a.operationsPerKwMonthUsd}/kW-month + $${a.operationsPerUnitMonthUsd}/unit-month`
      }, rented $${a.operationsRentedUsd}/month; financed ${pct(a.financed)} at ${pct(a.financingRate)}/yr over ${a.financingTermMonths} months; residual ${pct(a.residualValue)} at ${a.residualAfterMonths} months, at most ${pct(a.resaleCeiling)}; import duty ${pct(a.importDuty)}; lease factor ${pct(a.leaseFactor)}/month over ${a.leaseTermMonths} months.`,
  );
  return out.join("\n") + "\n";
}

/** Every line item, in USD and in the report's currency, so finance can redo the arithmetic (schemaVersion 1). */
export function renderTcoJson(t: TcoReportInput): string {
  const r = t.result;
  const conv = (usd: number) => usd * t.fxPerUsd;
  const a = t.assumptions;
  const doc = {
    schemaVersion: 1,
    command: "tco",
    profile: { file: t.file, name: t.name },
    currency: t.currency,
    fx_per_usd: t.fxPerUsd,
    horizon_months: r.horizonMonths,
    assumptions: {
      energy_usd_per_kwh: a.energyUsdPerKwh,
      pue: a.pue,
      financed: a.financed,
      financing_rate_per_year: a.financingRate,
      financing_term_months: a.financingTermMonths,
      residual_value: a.residualValue,
      residual_after_months: a.residualAfterMonths,
      import_duty: a.importDuty,
      lease_factor_per_month: a.leaseFactor,
      lease_term_months: a.leaseTermMonths,
      colocation_usd_per_kw_month: a.colocationPerKwMonthUsd,
      support_per_year: a.supportPerYear,
      ...(a.operationsOwnedUsd !== undefined ? { operations_owned_usd_per_month: a.operationsOwnedUsd } : {}),
      operations_usd_per_kw_month: a.operationsPerKwMonthUsd,
      operations_usd_per_unit_month: a.operationsPerUnitMonthUsd,
      resale_ceiling: a.resaleCeiling,
      startup_s: a.startupS,
      model_load_gb_per_s: a.modelLoadGbPerS,
      ...(a.billingGranularityS !== undefined ? { billing_granularity_s: a.billingGranularityS } : {}),
      ...(a.billingMinimumS !== undefined ? { billing_minimum_s: a.billingMinimumS } : {}),
      operations_rented_usd_per_month: a.operationsRentedUsd,
      ...(a.utilisation !== undefined ? { utilisation: a.utilisation } : {}),
      sources: a.sources,
    },
    options: r.options.map((o) => ({
      id: o.id,
      name: o.name,
      deployment: o.deployment,
      units: o.units,
      devices: o.devices,
      utilisation: o.utilisation,
      utilisation_source: o.utilisationSource,
      months: o.months,
      one_off: o.oneOff,
      ...(o.rankedWay !== undefined ? { recommend_way: o.rankedWay, monthly_cost_usd: o.monthlyUsd } : {}),
      notes: o.notes,
      ways: o.ways.map((w) => ({
        way: w.way,
        label: w.label,
        total_usd: w.totalUsd,
        total: conv(w.totalUsd),
        total_at_0pct_utilisation_usd: w.totalAtZeroUsd,
        total_at_100pct_utilisation_usd: w.totalAtFullUsd,
        line_items: w.lineItems.map((x) => ({
          item: x.item,
          basis: x.basis,
          when: x.when,
          from_month: x.fromMonth,
          to_month: x.toMonth,
          ...(x.perMonthUsd !== undefined ? { per_month_usd: x.perMonthUsd, per_month: conv(x.perMonthUsd) } : {}),
          total_usd: x.totalUsd,
          total: conv(x.totalUsd),
        })),
        cumulative: w.cumulativeUsd.map(conv),
      })),
    })),
    break_even: r.breakEven.map((b) => ({
      owned: b.owned,
      way: b.way,
      rented: b.rented,
      ...(b.utilisation !== undefined ? { utilisation: b.utilisation } : {}),
      ...(b.month !== undefined ? { month: b.month } : {}),
      statement: b.statement,
    })),
    crossovers: r.crossovers,
  };
  return JSON.stringify(roundDeep(doc, 9), null, 2) + "\n";
}
