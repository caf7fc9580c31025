import type { CalibrateAdvice } from "../advise/calibrate.js";
import type { CheckResult } from "../baseline/model.js";
import type { CatalogAudit } from "../catalog/audit.js";
import type { CatalogEntry, CatalogListing } from "../catalog/listing.js";
import type { ProfileResult } from "../result.js";
import { renderCalibrateJson, renderCalibrateYaml, type CalibrateRenderOptions } from "./calibrate.js";
import {
  renderAuditJson,
  renderAuditTable,
  renderEntryJson,
  renderEntryTable,
  renderListingJson,
  renderListingTable,
  type CatalogRenderOptions,
} from "./catalog.js";
import { renderParetoChart } from "./chart.js";
import { CHECK_RENDERERS, type CheckRenderOptions } from "./check.js";
import { renderEstimateJson, renderEstimateMarkdown, renderEstimateTable } from "./estimate.js";
import { joinHtml, renderHtml, renderHtmlPart, type HtmlOptions, type HtmlPart } from "./html.js";
import { renderModelsJson, renderModelsTable, type ModelList } from "./models.js";
import { joinParts, renderPart, type RecommendFormat, type RenderOptions } from "./recommend.js";
import { renderTcoJson, renderTcoTable, type TcoRenderOptions, type TcoReportInput } from "./tco.js";

/**
 * Every command's reporters, by format: the one place a format is chosen. A command looks its format up
 * here (an unknown one is a usage error, exit 2, with the list below) and hands the use case's result to
 * it. Every JSON output carries `schemaVersion`; `hwadvise schema` prints the schemas.
 */

/** One profile's ranking as a report shows it: with its SLO (the chart's line) and, for HTML, its cost of ownership. */
export interface RecommendView {
  readonly result: ProfileResult;
  /** The profile's limit on the chart's y figure: p99 SLO in ms, or the deadline in hours for training. */
  readonly slo?: number;
  readonly tco?: TcoReportInput;
}

export interface RecommendReportOptions extends RenderOptions {
  /** Draw the cost–latency chart under each table (table format only). */
  readonly chart?: { readonly unicode: boolean };
  readonly html?: HtmlOptions;
}

/**
 * A report written one profile at a time: each view is rendered as soon as it is made (only its text is
 * kept, so 1,000 profiles need not hold 1,000 rankings) and the parts joined at the end; nothing at all
 * when there is no view. `needsTco`: the report shows each profile's cost of ownership.
 */
export interface StreamedReporter<V, O> {
  readonly render: (views: Iterable<V>, opts: O) => string;
  readonly needsTco?: true;
}

function streamed<V, O, P>(
  part: (view: V, index: number, opts: O) => P,
  join: (parts: readonly P[], opts: O) => string,
  needsTco?: true,
): StreamedReporter<V, O> {
  return {
    render(views, opts) {
      const parts: P[] = [];
      for (const v of views) parts.push(part(v, parts.length, opts));
      return parts.length ? join(parts, opts) : "";
    },
    ...(needsTco ? { needsTco } : {}),
  };
}

const textual = (format: RecommendFormat): StreamedReporter<RecommendView, RecommendReportOptions> =>
  streamed(
    (v: RecommendView, _i, o: RecommendReportOptions) => {
      const text = renderPart(format, v.result, o);
      if (!(format === "table" && o.chart)) return text;
      return `${text}\n\n${renderParetoChart(v.result, { paint: o.paint, width: o.width, unicode: o.chart.unicode, slo: v.slo })}`;
    },
    (parts) => joinParts(format, parts),
  );

const RECOMMEND = {
  table: textual("table"),
  json: textual("json"),
  markdown: textual("markdown"),
  github: textual("github"),
  html: streamed(
    (v: RecommendView, i, o: RecommendReportOptions): HtmlPart => renderHtmlPart(v, i, o.html),
    (parts, o) => joinHtml(parts, o.html),
    true,
  ),
} as const;

/** `tco`'s view: the cost of ownership and, when the options came from a ranking, that ranking. */
export interface TcoView {
  readonly tco: TcoReportInput;
  readonly ranking?: ProfileResult;
  readonly slo?: number;
}

export interface TcoViewOptions extends TcoRenderOptions {
  readonly html?: HtmlOptions;
}

/** `tco` over one profile or several: tables one after another, one HTML report; JSON is one profile's document. */
const TCO = {
  table: (vs: readonly TcoView[], o: TcoViewOptions) => vs.map((v) => renderTcoTable(v.tco, o)).join("\n"),
  json: (vs: readonly TcoView[]) => {
    // The CLI refuses several profiles with --format json (a usage error): one document, one profile.
    if (vs.length !== 1) throw new Error(`tco JSON is one profile's document, got ${vs.length}`);
    return renderTcoJson(vs[0]!.tco);
  },
  html: (vs: readonly TcoView[], o: TcoViewOptions) =>
    renderHtml(
      vs.map((v) => ({ ...(v.ranking ? { result: v.ranking, slo: v.slo } : {}), tco: v.tco })),
      o.html,
    ),
} as const;

const ESTIMATE = { table: renderEstimateTable, json: renderEstimateJson, markdown: renderEstimateMarkdown } as const;

const CHECK: { readonly [F in keyof typeof CHECK_RENDERERS]: (r: CheckResult, o: CheckRenderOptions) => string } =
  CHECK_RENDERERS;

export const REPORTERS = {
  recommend: RECOMMEND,
  check: CHECK,
  tco: TCO,
  estimate: ESTIMATE,
  "catalog list": {
    table: (l: CatalogListing, o: CatalogRenderOptions) => renderListingTable(l, o),
    json: renderListingJson,
  },
  "catalog show": { table: (e: CatalogEntry) => renderEntryTable(e), json: renderEntryJson },
  "catalog audit": { table: (a: CatalogAudit) => renderAuditTable(a), json: renderAuditJson },
  models: { table: (m: ModelList) => renderModelsTable(m), json: renderModelsJson },
  calibrate: {
    yaml: (c: CalibrateAdvice, o: CalibrateRenderOptions) => renderCalibrateYaml(c, o),
    json: renderCalibrateJson,
  },
} as const;

export type ReportedCommand = keyof typeof REPORTERS;
export type FormatOf<C extends ReportedCommand> = keyof (typeof REPORTERS)[C] & string;

/** The formats a command writes, in the order its help lists them. */
export function formatsOf<C extends ReportedCommand>(command: C): readonly FormatOf<C>[] {
  return Object.keys(REPORTERS[command]) as FormatOf<C>[];
}

/** Is `format` one the command writes? */
export function isFormatOf<C extends ReportedCommand>(command: C, format: string): format is FormatOf<C> {
  return Object.hasOwn(REPORTERS[command], format);
}

/** The reporter for a command and format (check `isFormatOf` first). */
export function reporterFor<C extends ReportedCommand, F extends FormatOf<C>>(
  command: C,
  format: F,
): (typeof REPORTERS)[C][F] {
  return REPORTERS[command][format];
}
