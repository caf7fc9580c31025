import { percent3 as pct } from "../format/number.js";
import Table from "cli-table3";
import type { ProfileResult } from "../result.js";
import { fmtMs, fmtUsd, fmtW } from "./format.js";
import { NO_PAINT, type Paint } from "./paint.js";

/** The pipeline section of a recommendation: stages, ranked combinations, and what an uplink outage does. Pure. */
export function renderPipeline(
  r: ProfileResult,
  opts: { paint?: Paint; top?: number; all?: boolean; renderStage: (stage: ProfileResult) => string },
): string {
  const pl = r.pipeline!;
  const paint = opts.paint ?? NO_PAINT;
  const out: string[] = [];
  out.push(
    `${paint.bold(r.profile.name)} ${paint.dim(`(${r.profile.file})`)} — pipeline of ${pl.stages.length} ` +
      `stages${pl.latency_p99_slo_ms !== undefined ? `, end-to-end p99 SLO ${fmtMs(pl.latency_p99_slo_ms)}` : ""}`,
  );
  for (const s of pl.stages) {
    const up = s.uplink
      ? `, uplink ${Number((s.uplink.bytes_per_request / 1e3).toPrecision(3))} kB/request over ` +
        `${s.uplink.bandwidth_mbps} Mbps + ${fmtMs(s.uplink.rtt_ms)} RTT, $${s.uplink.cost_per_gb_usd}/GB, ` +
        `${s.uplink.connectivity}, fallback ${s.fallback}`
      : "";
    out.push(`  ${s.name}: ${pct(s.share)} of requests, ${s.result.profile.kind}, ${s.result.model.name}${up}`);
  }
  const feasible = pl.combinations.filter((c) => c.feasible).length;
  out.push(
    feasible
      ? `${feasible} of ${pl.combinations.length} combinations meet every constraint.`
      : paint.warn(`No combination meets every constraint (${pl.combinations.length} considered).`),
  );
  const rows = opts.all ? pl.combinations : pl.combinations.slice(0, opts.top ?? 5);
  const t = new Table({
    head: ["#", ...pl.stages.map((s) => s.name), "Transfer", "E2E p99", "Power", "$/month", "Why not"],
    style: { head: [], border: [] },
    wordWrap: true,
  });
  for (const c of rows) {
    const transfer = c.transfers.length
      ? c.transfers.map((x) => `${fmtMs(x.time_ms + x.rtt_ms)}, ${fmtUsd(x.cost_usd_per_month)}/mo`).join("; ")
      : "—";
    t.push([
      String(c.rank),
      ...c.options.map(
        (o) => `${o.feasible ? o.id : paint.dim(o.id)}\n${fmtMs(o.latency_p99_ms)} · ${fmtUsd(o.monthly_cost_usd)}/mo`,
      ),
      transfer,
      fmtMs(c.latency_p99_ms),
      fmtW(c.power_w),
      fmtUsd(c.monthly_cost_usd),
      c.violations.length ? paint.bad(c.violations.join("; ")) : paint.ok("✓"),
    ]);
  }
  out.push(t.toString());
  const best = pl.combinations[0];
  if (best) for (const d of best.uplink_down) out.push(`#${best.rank}: ${d.message}`);
  for (const n of pl.notes) out.push(paint.dim(`note: ${n}`));
  for (const s of pl.stages) {
    out.push("", paint.bold(`Stage ${s.name}`));
    out.push(opts.renderStage(s.result));
  }
  return out.join("\n");
}
