import type { LockTop } from "../baseline/lock.js";
import type { CheckResult, FieldChange, ProfileCheck } from "../baseline/model.js";
import { formatProblem } from "../errors.js";
import { ghData, ghProp } from "./github.js";
import { NO_PAINT, type Paint } from "./paint.js";
import { sanitizeDeep } from "./sanitize.js";

/** Reporters for `hwadvise check`: pure functions of the check result, one per --format. */
export interface CheckRenderOptions {
  readonly paint?: Paint;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** Units of the validated profile's quantities (the schema resolves `50ms` to 50, `2kW` to 2000 …). */
const UNIT: Record<string, string> = { latency_p99: " ms", ttft: " ms", deadline: " h", power_budget: " W", throughput: "/s", tokens_per_s: "/s", horizon: " y", monthly: " USD", capex: " USD", per_1m_inferences: " USD", total: " USD", price_per_kwh: " USD" };

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

/** One-line verdict for a profile. */
export function headline(p: ProfileCheck): string {
  switch (p.status) {
    case "class-changed":
      return `hardware class changed: ${classOf(p.baseline)} → ${classOf(p.current)}`;
    case "no-feasible":
      return `no feasible option any more (was ${classOf(p.baseline)})`;
    case "option-changed":
      return `top option changed within ${classOf(p.current)}`;
    case "new":
      return `no baseline entry (now ${classOf(p.current)})`;
    default:
      return `unchanged (${classOf(p.current)})`;
  }
}

/** The WHY of a change as short clauses: profile fields, model, catalog, then the decision. */
export function whyClauses(p: ProfileCheck, r: CheckResult): string[] {
  const out: string[] = [];
  if (p.fields.length) out.push(`profile: ${p.fields.slice(0, 4).map(describeField).join(", ")}${p.fields.length > 4 ? ` (+${p.fields.length - 4} more)` : ""}`);
  if (p.status !== "new") {
    if (p.catalog_entries.length) out.push(`catalog: ${p.catalog_entries.join(", ")} changed`);
    else if (r.catalog.changed) out.push("catalog changed (not the entries of these options)");
    else out.push("catalog unchanged");
  }
  out.push(...p.reasons);
  return out;
}

const reportable = (r: CheckResult) => r.profiles.filter((p) => p.status !== "unchanged");

/** "1 class change, 1 option change, 7 unchanged" */
export function summaryLine(r: CheckResult): string {
  const s = r.summary;
  const parts: string[] = [];
  if (s.class_changed) parts.push(plural(s.class_changed, "class change"));
  if (s.no_feasible) parts.push(`${s.no_feasible} newly without a feasible option`);
  if (s.option_changed) parts.push(plural(s.option_changed, "option change"));
  if (s.new) parts.push(`${s.new} without baseline`);
  if (s.errors) parts.push(plural(s.errors, "profile with errors", "profiles with errors"));
  parts.push(`${s.unchanged} unchanged`);
  return `${plural(s.checked + s.errors, "profile")} checked against ${r.lockfile}${r.strict ? " (strict)" : ""}: ${parts.join(", ")}`;
}

export function renderCheckTable(r: CheckResult, opts: CheckRenderOptions = {}): string {
  const paint = opts.paint ?? NO_PAINT;
  const out: string[] = [];
  for (const p of reportable(r)) {
    const mark = p.severity === "error" ? paint.bad("✗") : p.severity === "warning" ? paint.warn("!") : paint.dim("i");
    out.push(`${mark} ${paint.bold(p.file)} (${p.name}) — ${headline(p)}`);
    if (p.status !== "new") out.push(`    was  ${describeTop(p.baseline)}`);
    out.push(`    now  ${describeTop(p.current)}`);
    for (const c of whyClauses(p, r)) out.push(`    ${paint.dim("why")}  ${c}`);
    if (p.driver) out.push(`    ${paint.dim("at")}   ${p.file}${p.line ? `:${p.line}` : ""} ${p.driver}`);
  }
  if (r.not_checked.length) out.push(paint.dim(`i baseline entries not checked this run: ${r.not_checked.join(", ")}`));
  const verdict = r.ok ? paint.ok("ok") : r.summary.errors ? paint.bad("errors") : paint.bad("changed");
  out.push(`${verdict}: ${summaryLine(r)}`);
  if (!r.ok && r.summary.failed && !r.summary.errors) out.push(paint.dim("If the change is intended, accept it with `hwadvise check … --update` and commit the lock file."));
  return out.join("\n") + "\n";
}

export function renderCheckJson(r: CheckResult): string {
  return JSON.stringify(r, null, 2) + "\n";
}

const mdCell = (s: string) => s.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
const ICON: Record<ProfileCheck["severity"], string> = { error: "❌", warning: "⚠️", notice: "ℹ️", ok: "✅" };

/** A PR-ready summary: one headline, one row per profile that moved, input errors listed. */
export function renderCheckMarkdown(r: CheckResult): string {
  const out: string[] = ["## hwadvise check", ""];
  const rows = reportable(r);
  const icon = r.summary.errors || r.summary.failed ? "❌" : rows.length ? "ℹ️" : "✅";
  out.push(`${icon} ${mdCell(summaryLine(r))}`, "");
  if (rows.length) {
    out.push("| | Profile | Baseline | Now | Why |", "|---|---|---|---|---|");
    for (const p of rows) {
      out.push(`| ${ICON[p.severity]} | \`${mdCell(p.file)}\` | ${mdCell(describeTop(p.baseline))} | ${mdCell(describeTop(p.current))} | ${mdCell(whyClauses(p, r).join("; "))} |`);
    }
    out.push("");
  }
  if (r.errors.length) {
    out.push("**Profiles with errors** (fix them; they were not compared):", "");
    for (const e of r.errors) out.push(`- \`${mdCell(formatProblem(e))}\``);
    out.push("");
  }
  if (r.summary.failed) out.push("If the change is intended, run `hwadvise check … --update` and commit `" + mdCell(r.lockfile) + "`.", "");
  return out.join("\n");
}

/** GitHub workflow-command escaping: data, and property values (which also escape `:` and `,`). */

/** GitHub shows at most 10 annotations of a level per step: past that, the 10th summarises the rest. */
export const GITHUB_LIMIT = 10;

interface Annotation {
  readonly level: "error" | "warning" | "notice";
  readonly file: string;
  readonly line?: number;
  readonly col?: number;
  readonly title: string;
  readonly message: string;
}

function command(a: Annotation): string {
  const props = [`file=${ghProp(a.file)}`, ...(a.line ? [`line=${a.line}`] : []), ...(a.col ? [`col=${a.col}`] : []), `title=${ghProp(a.title)}`];
  return `::${a.level} ${props.join(",")}::${ghData(a.message)}`;
}

export function renderCheckGithub(r: CheckResult): string {
  const notes: Annotation[] = [];
  for (const e of r.errors) notes.push({ level: "error", file: e.file, line: e.line, col: e.col, title: "hwadvise: invalid profile", message: `${e.path ? `${e.path}: ` : ""}${e.message}` });
  for (const p of reportable(r)) {
    const level = p.severity === "ok" ? "notice" : p.severity;
    const title = p.status === "class-changed" ? "hwadvise: hardware class changed" : p.status === "no-feasible" ? "hwadvise: no feasible option" : p.status === "new" ? "hwadvise: no baseline entry" : "hwadvise: top option changed";
    const moved = p.status === "new" ? describeTop(p.current) : `${describeTop(p.baseline)} → ${describeTop(p.current)}`;
    notes.push({ level, file: p.file, line: p.line, title, message: `${p.name}: ${moved}\nWhy: ${whyClauses(p, r).join("; ")}` });
  }
  const out: string[] = [];
  for (const level of ["error", "warning", "notice"] as const) {
    const of = notes.filter((n) => n.level === level);
    const shown = of.length > GITHUB_LIMIT ? of.slice(0, GITHUB_LIMIT - 1) : of;
    out.push(...shown.map(command));
    if (of.length > GITHUB_LIMIT) {
      const rest = of.slice(GITHUB_LIMIT - 1);
      out.push(`::${level} title=${ghProp(`hwadvise: ${rest.length} more`)}::${ghData(`${rest.length} more: ${[...new Set(rest.map((n) => n.file))].join(", ")}`)}`);
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
    const detail = [`was: ${describeTop(p.baseline)}`, `now: ${describeTop(p.current)}`, ...whyClauses(p, r)].join("\n");
    if (p.failed) cases.push(`${open}\n      <failure type="${p.status}" message="${xml(`${p.name}: ${headline(p)}`)}">${xml(detail)}</failure>\n    </testcase>`);
    else if (p.status !== "unchanged") cases.push(`${open}\n      <system-out>${xml(`${headline(p)}\n${detail}`)}</system-out>\n    </testcase>`);
    else cases.push(`    <testcase classname="hwadvise.check" name="${xml(p.file)}" file="${xml(p.file)}"/>`);
  }
  for (const [file, lines] of byFile) {
    cases.push(`    <testcase classname="hwadvise.check" name="${xml(file)}" file="${xml(file)}">\n      <error type="invalid-profile" message="${xml(lines[0]!)}">${xml(lines.join("\n"))}</error>\n    </testcase>`);
  }
  const tests = r.profiles.length + byFile.size;
  const counts = `tests="${tests}" failures="${r.summary.failed}" errors="${byFile.size}"`;
  return [`<?xml version="1.0" encoding="UTF-8"?>`, `<testsuites name="hwadvise check" ${counts}>`, `  <testsuite name="hwadvise check" ${counts} skipped="0">`, ...cases, "  </testsuite>", "</testsuites>", ""].join("\n");
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
