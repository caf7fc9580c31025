import { describeCombination } from "../baseline/compare.js";
import type { LockTop } from "../baseline/lock.js";
import type { CheckResult, FieldChange, ProfileCheck } from "../baseline/model.js";
import { MATERIAL_FIGURES, type MaterialRow } from "../baseline/thresholds.js";
import { fmtCount, fmtHours, fmtMs, fmtRate, fmtUsd, fmtW } from "./format.js";
import { formatProblem } from "../errors.js";
import { plural } from "../format/number.js";
import { ghData, ghProp } from "./github.js";
import { NO_PAINT, type Paint } from "./paint.js";
import { sanitizeDeep } from "./sanitize.js";

/** Reporters for `hwadvise check`: pure functions of the check result, one per --format. */
export interface CheckRenderOptions {
  readonly paint?: Paint;
}

/** Units of the validated profile's quantities (the schema resolves `50ms` to 50, `2kW` to 2000 …). */
const UNIT: Record<string, string> = {
  latency_p99: " ms",
  ttft: " ms",
  deadline: " h",
  power_budget: " W",
  throughput: "/s",
  tokens_per_s: "/s",
  horizon: " y",
  monthly: " USD",
  capex: " USD",
  per_1m_inferences: " USD",
  total: " USD",
  price_per_kwh: " USD",
};

function value(v: unknown, path = ""): string {
  const unit = typeof v === "number" ? (UNIT[path.slice(path.lastIndexOf(".") + 1)] ?? "") : "";
  if (typeof v === "number") return `${Number(v.toPrecision(6))}${unit}`;
  const s = JSON.stringify(v);
  return s === undefined ? "—" : s.length > 60 ? s.slice(0, 57) + "…" : s;
}

export function describeField(f: FieldChange): string {
  if (!("before" in f)) return `${f.path} added (${value(f.after, f.path)})`;
  if (!("after" in f)) return `${f.path} removed (was ${value(f.before, f.path)})`;
  return `${f.path} ${value(f.before, f.path)} → ${value(f.after, f.path)}`;
}

export function describeTop(t: LockTop | null | undefined): string {
  if (t === undefined) return "no baseline entry";
  if (t === null) return "no feasible option";
  return `${t.class}: ${t.name}`;
}

const classOf = (t: LockTop | null | undefined) => (t === undefined ? "—" : t === null ? "none feasible" : t.class);

/** Classes before and after of the part that set a pipeline's status (a stage or the combination). */
function partClasses(p: ProfileCheck): [string, string] {
  if (p.changed_in === "combination" && p.combination) {
    const c = p.combination;
    const classes = (x: typeof c.current | undefined) =>
      x === undefined
        ? "—"
        : x === null || !x.feasible
          ? "none feasible"
          : x.options.map((o) => `${o.stage} ${o.class}`).join(" + ");
    return [classes(c.baseline), classes(c.current)];
  }
  const s = p.stages?.find((x) => `stage ${x.stage}` === p.changed_in);
  return s ? [classOf(s.baseline), classOf(s.current)] : [classOf(p.baseline), classOf(p.current)];
}

/** One-line verdict for a profile. */
export function headline(p: ProfileCheck): string {
  const where = p.changed_in ? ` in ${p.changed_in}` : "";
  const [was, now] = partClasses(p);
  const material = p.material_crossed
    ? `; ${p.material
        .filter((m) => m.crossed)
        .map((m) => MATERIAL_FIGURES[m.figure].label)
        .join(", ")} beyond threshold`
    : "";
  switch (p.status) {
    case "class-changed":
      return `hardware class changed${where}: ${was} → ${now}${material}`;
    case "no-feasible":
      return `no feasible option any more${where} (was ${was})${material}`;
    case "option-changed":
      return `top option changed within ${p.changed_in === "combination" ? "the same classes" : now}${where}${material}`;
    case "new":
      return `no baseline entry (now ${now})`;
    default:
      return p.material_crossed ? `same option, ${material.slice(2)}` : `unchanged (${now})`;
  }
}

/** A figure in its unit: "$840/mo", "$415k", "8 devices", "1.2 kW", "45 ms". */
export function fmtFigure(m: Pick<MaterialRow, "figure">, v: number | undefined): string {
  if (v === undefined) return "—";
  switch (m.figure) {
    case "monthly_cost":
      return `${fmtUsd(v)}/mo`;
    case "capex":
      return fmtUsd(v);
    case "devices":
      return fmtCount(v);
    case "power":
      return fmtW(v);
    case "latency_p99":
    case "ttft":
      return fmtMs(v);
    case "tokens_per_s":
      return fmtRate(v, " tok/s");
    case "time_to_train":
      return fmtHours(v);
  }
}

/** "+49,300%", "−12%", "new" (from zero). */
export function fmtChange(m: MaterialRow): string {
  if (m.change_pct === undefined) return (m.after ?? 0) > 0 ? "from 0" : "—";
  const x = m.change_pct;
  const abs = Math.abs(x) >= 1000 ? Math.round(Math.abs(x)).toLocaleString("en-US") : String(Math.abs(x));
  return `${x > 0 ? "+" : x < 0 ? "−" : ""}${abs}%`;
}

/** "monthly cost $840/mo → $415k/mo (+49,300%, threshold +25%)" */
export function describeMaterial(m: MaterialRow): string {
  return (
    `${MATERIAL_FIGURES[m.figure].label} ${fmtFigure(m, m.before)} → ${fmtFigure(m, m.after)} ` +
    `(${fmtChange(m)}${m.crossed ? `, beyond ${m.threshold}` : ""})`
  );
}

/** The WHY of a change as short clauses: profile fields, model, catalog, then the decision. */
export function whyClauses(p: ProfileCheck, r: CheckResult): string[] {
  const out: string[] = [];
  if (p.fields.length)
    out.push(
      `profile: ${p.fields.slice(0, 4).map(describeField).join(", ")}${p.fields.length > 4 ? ` (+${p.fields.length - 4} more)` : ""}`,
    );
  if (p.status !== "new") {
    if (p.catalog_entries.length) out.push(`catalog: ${p.catalog_entries.join(", ")} changed`);
    else if (r.catalog.changed) out.push("catalog changed (not the entries of these options)");
    else out.push("catalog unchanged");
  }
  if (r.identity.model_differs && p.status !== "new")
    out.push(...r.identity.messages.filter((m) => m.startsWith("model: ")));
  out.push(...p.reasons);
  return out;
}

const acceptHint = (r: CheckResult) =>
  r.base !== undefined
    ? `If the change is intended, approve it: once merged, ${r.base} is the new baseline.`
    : "If the change is intended, accept it with `hwadvise check … --update` and commit the lock file.";

const reportable = (r: CheckResult) => r.profiles.filter((p) => p.status !== "unchanged" || p.material_crossed);

/** The catalog/model identity warning, one line per difference, with the rerun command. */
export function identityLines(r: CheckResult): string[] {
  if (r.identity.same && r.identity.messages.length === 0) return [];
  const out = r.identity.messages.map((m) => `${m.startsWith("model: ") ? "" : "catalog: "}${m}`);
  if (r.identity.rerun)
    out.push(`rerun with the baseline's catalog: ${r.identity.rerun}, or accept this one with \`--update\``);
  return out;
}

/** "1 class change, 1 option change, 7 unchanged" */
export function summaryLine(r: CheckResult): string {
  const s = r.summary;
  const parts: string[] = [];
  if (s.class_changed) parts.push(plural(s.class_changed, "class change"));
  if (s.no_feasible) parts.push(`${s.no_feasible} newly without a feasible option`);
  if (s.option_changed) parts.push(plural(s.option_changed, "option change"));
  if (s.new) parts.push(`${s.new} without baseline`);
  if (s.material)
    parts.push(`${plural(s.material, "material change")}${r.material_as === "warning" ? " (warnings)" : ""}`);
  if (s.errors) parts.push(plural(s.errors, "profile with errors", "profiles with errors"));
  parts.push(`${s.unchanged} unchanged`);
  return `${plural(s.checked + s.errors, "profile")} checked against ${r.lockfile}${r.strict ? " (strict)" : ""}: ${parts.join(", ")}`;
}

export function renderCheckTable(r: CheckResult, opts: CheckRenderOptions = {}): string {
  const paint = opts.paint ?? NO_PAINT;
  // The identity warning first: every figure below may differ for that reason alone.
  const out: string[] = identityLines(r).map((l) => `${paint.warn("!")} ${l}`);
  for (const p of reportable(r)) {
    const mark = p.severity === "error" ? paint.bad("✗") : p.severity === "warning" ? paint.warn("!") : paint.dim("i");
    out.push(`${mark} ${paint.bold(p.file)} (${p.name}) — ${headline(p)}`);
    if (p.status !== "new") out.push(`    was  ${describePart(p, "baseline")}`);
    out.push(`    now  ${describePart(p, "current")}`);
    if (
      p.changed_in !== "combination" &&
      p.combination &&
      p.combination.status !== "unchanged" &&
      p.combination.status !== "new"
    ) {
      out.push(
        `    ${paint.dim("combination")}  ${describeCombination(p.combination.baseline)} → ${describeCombination(p.combination.current)}`,
      );
    }
    for (const m of p.material)
      out.push(
        `    ${m.crossed ? (p.failed ? paint.bad("▲") : paint.warn("▲")) : paint.dim("·")}    ${describeMaterial(m)}`,
      );
    for (const c of whyClauses(p, r)) out.push(`    ${paint.dim("why")}  ${c}`);
    if (p.driver) out.push(`    ${paint.dim("at")}   ${p.file}${p.line ? `:${p.line}` : ""} ${p.driver}`);
  }
  if (r.not_checked.length) out.push(paint.dim(`i baseline entries not checked this run: ${r.not_checked.join(", ")}`));
  const verdict = r.ok ? paint.ok("ok") : r.summary.errors ? paint.bad("errors") : paint.bad("changed");
  out.push(`${verdict}: ${summaryLine(r)}`);
  if (!r.ok && r.summary.failed && !r.summary.errors) out.push(paint.dim(acceptHint(r)));
  return out.join("\n") + "\n";
}

export function renderCheckJson(r: CheckResult): string {
  return JSON.stringify(r, null, 2) + "\n";
}

const mdCell = (s: string) => s.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
const ICON: Record<ProfileCheck["severity"], string> = { error: "❌", warning: "⚠️", notice: "ℹ️", ok: "✅" };

/**
 * A PR-ready summary: one headline, one row per profile that moved, a before → after table of the
 * figures that moved, input errors listed. Empty when nothing moved, so a CI step can post a comment
 * only when there is something to read (`[ -s file ]`).
 */
export function renderCheckMarkdown(r: CheckResult): string {
  if (!r.moved) return "";
  const out: string[] = ["## hwadvise check", ""];
  const rows = reportable(r);
  const icon = r.summary.errors || r.summary.failed ? "❌" : rows.length || !r.identity.same ? "⚠️" : "ℹ️";
  out.push(`${icon} ${mdCell(summaryLine(r))}`, "");
  const identity = identityLines(r);
  if (identity.length) {
    for (const l of identity) out.push(`> ⚠️ ${mdCell(l)}`);
    out.push("");
  }
  if (rows.length) {
    out.push("| | Profile | Baseline | Now | Why |", "|---|---|---|---|---|");
    for (const p of rows) {
      out.push(
        `| ${ICON[p.severity]} | \`${mdCell(p.file)}\` | ${mdCell(describePart(p, "baseline"))} | ` +
          `${mdCell(describePart(p, "current"))} | ${mdCell(whyClauses(p, r).join("; "))} |`,
      );
    }
    out.push("");
  }
  const figures = rows.flatMap((p) => p.material.map((m) => ({ p, m })));
  if (figures.length) {
    out.push(
      "**Figures that moved** (pipelines: all stages together)",
      "",
      "| Profile | Figure | Before | After | Change | Threshold |",
      "|---|---|---:|---:|---:|---|",
    );
    for (const { p, m } of figures) {
      const mark = m.crossed ? (p.failed && r.material_as === "error" ? "❌ beyond " : "⚠️ beyond ") : "";
      out.push(
        `| \`${mdCell(p.file)}\` | ${MATERIAL_FIGURES[m.figure].label} | ${fmtFigure(m, m.before)} | ` +
          `${fmtFigure(m, m.after)} | ${fmtChange(m)} | ${mark}${m.threshold} |`,
      );
    }
    out.push("");
  }
  if (r.errors.length) {
    out.push("**Profiles with errors** (fix them; they were not compared):", "");
    for (const e of r.errors) out.push(`- \`${mdCell(formatProblem(e))}\``);
    out.push("");
  }
  if (r.summary.failed)
    out.push(
      r.base !== undefined
        ? acceptHint(r)
        : "If the change is intended, run `hwadvise check … --update` and commit `" + mdCell(r.lockfile) + "`.",
      "",
    );
  return out.join("\n");
}

/** The baseline's or the current choice as a cell: the top option, or for a pipeline the part that moved. */
function describePart(p: ProfileCheck, side: "baseline" | "current"): string {
  if (p.changed_in === "combination" && p.combination) return describeCombination(p.combination[side]);
  const s = p.stages?.find((x) => `stage ${x.stage}` === p.changed_in);
  if (s) return `${s.stage}: ${describeTop(s[side])}`;
  return describeTop(p[side]);
}

/** GitHub workflow-command escaping: data, and property values (which also escape `:` and `,`). */

/** GitHub shows at most 10 annotations of a level per step: past that, the 10th summarises the rest. */
export const GITHUB_LIMIT = 10;

interface Annotation {
  readonly level: "error" | "warning" | "notice";
  readonly file?: string;
  readonly line?: number;
  readonly col?: number;
  readonly title: string;
  readonly message: string;
}

function command(a: Annotation): string {
  const props = [
    ...(a.file !== undefined ? [`file=${ghProp(a.file)}`] : []),
    ...(a.line ? [`line=${a.line}`] : []),
    ...(a.col ? [`col=${a.col}`] : []),
    `title=${ghProp(a.title)}`,
  ];
  return `::${a.level} ${props.join(",")}::${ghData(a.message)}`;
}

export function renderCheckGithub(r: CheckResult): string {
  const notes: Annotation[] = [];
  for (const e of r.errors)
    notes.push({
      level: "error",
      file: e.file,
      line: e.line,
      col: e.col,
      title: "hwadvise: invalid profile",
      message: `${e.path ? `${e.path}: ` : ""}${e.message}`,
    });
  for (const p of reportable(r)) {
    const level = p.severity === "ok" ? "notice" : p.severity;
    const title =
      p.status === "class-changed"
        ? "hwadvise: hardware class changed"
        : p.status === "no-feasible"
          ? "hwadvise: no feasible option"
          : p.status === "new"
            ? "hwadvise: no baseline entry"
            : p.status === "option-changed"
              ? "hwadvise: top option changed"
              : "hwadvise: material change";
    const moved =
      p.status === "new"
        ? describePart(p, "current")
        : `${describePart(p, "baseline")} → ${describePart(p, "current")}`;
    const where = p.changed_in ? ` (${p.changed_in})` : "";
    const figures = p.material.length ? `\nFigures: ${p.material.map(describeMaterial).join("; ")}` : "";
    notes.push({
      level,
      file: p.file,
      line: p.line,
      title,
      message: `${p.name}${where}: ${moved}${figures}\nWhy: ${whyClauses(p, r).join("; ")}`,
    });
  }
  const identity = identityLines(r);
  if (identity.length)
    notes.unshift({
      level: "warning",
      ...(r.base === undefined ? { file: r.lockfile } : {}),
      title: r.identity.catalog_differs
        ? "hwadvise: different catalog than the baseline"
        : "hwadvise: different model than the baseline",
      message: identity.join("\n"),
    });
  const out: string[] = [];
  for (const level of ["error", "warning", "notice"] as const) {
    const of = notes.filter((n) => n.level === level);
    const shown = of.length > GITHUB_LIMIT ? of.slice(0, GITHUB_LIMIT - 1) : of;
    out.push(...shown.map(command));
    if (of.length > GITHUB_LIMIT) {
      const rest = of.slice(GITHUB_LIMIT - 1);
      out.push(
        `::${level} title=${ghProp(`hwadvise: ${rest.length} more`)}::${ghData(`${rest.length} more: ${[...new Set(rest.map((n) => n.file))].join(", ")}`)}`,
      );
    }
  }
  out.push(summaryLine(r));
  return out.join("\n") + "\n";
}

const xml = (s: string) =>
  s
    // XML 1.0 forbids most control characters even escaped.
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");

/** JUnit XML for GitLab and Jenkins: one test case per profile; a class change is a failure, a bad profile an error. */
export function renderCheckJunit(r: CheckResult): string {
  const cases: string[] = [];
  const byFile = new Map<string, string[]>();
  for (const e of r.errors) byFile.set(e.file, [...(byFile.get(e.file) ?? []), formatProblem(e)]);
  for (const p of r.profiles) {
    const open = `    <testcase classname="hwadvise.check" name="${xml(p.file)}" file="${xml(p.file)}">`;
    const detail = [
      `was: ${describePart(p, "baseline")}`,
      `now: ${describePart(p, "current")}`,
      ...p.material.map(describeMaterial),
      ...whyClauses(p, r),
    ].join("\n");
    if (p.failed)
      cases.push(
        `${open}\n      <failure ` +
          `type="${p.status === "unchanged" || (p.status === "option-changed" && p.material_crossed && !r.strict) ? "material-change" : p.status}" message="${xml(`${p.name}: ${headline(p)}`)}">${xml(detail)}</failure>\n    </testcase>`,
      );
    else if (p.status !== "unchanged" || p.material_crossed)
      cases.push(`${open}\n      <system-out>${xml(`${headline(p)}\n${detail}`)}</system-out>\n    </testcase>`);
    else cases.push(`    <testcase classname="hwadvise.check" name="${xml(p.file)}" file="${xml(p.file)}"/>`);
  }
  for (const [file, lines] of byFile) {
    cases.push(
      `    <testcase classname="hwadvise.check" name="${xml(file)}" file="${xml(file)}">\n      <error ` +
        `type="invalid-profile" message="${xml(lines[0]!)}">${xml(lines.join("\n"))}</error>\n    </testcase>`,
    );
  }
  const identity = identityLines(r);
  if (identity.length)
    cases.unshift(
      `    <testcase classname="hwadvise.check" name="catalog and model identity">\n      ` +
        `<system-out>${xml(identity.join("\n"))}</system-out>\n    </testcase>`,
    );
  const tests = r.profiles.length + byFile.size + (identity.length ? 1 : 0);
  const counts = `tests="${tests}" failures="${r.summary.failed}" errors="${byFile.size}"`;
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<testsuites name="hwadvise check" ${counts}>`,
    `  <testsuite name="hwadvise check" ${counts} skipped="0">`,
    ...cases,
    "  </testsuite>",
    "</testsuites>",
    "",
  ].join("\n");
}

/** A human format sees the result with user text (paths, names, reasons) escaped; JSON keeps it exact. */
const human =
  <O extends unknown[]>(render: (r: CheckResult, ...o: O) => string) =>
  (r: CheckResult, ...o: O): string =>
    render(sanitizeDeep(r), ...o);

export const CHECK_RENDERERS = {
  table: human(renderCheckTable),
  json: renderCheckJson,
  markdown: human(renderCheckMarkdown),
  github: human(renderCheckGithub),
  junit: human(renderCheckJunit),
} as const;
export type CheckFormat = keyof typeof CHECK_RENDERERS;
