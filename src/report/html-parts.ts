import { esc } from "./svg.js";

/** Small pieces every section of the HTML report uses. */

export const pct = (x: number) => `${Number((x * 100).toPrecision(3))} %`;

/** A heading at `level` (capped at h6) with an id the table of contents links to. */
export function h(level: number, id: string, text: string): string {
  const l = Math.min(6, level);
  return `<h${l} id="${esc(id)}">${text}</h${l}>`;
}

/** A source or basis, set apart from the figure it backs. */
export function source(s: string): string {
  return `<span class="source">${esc(s)}</span>`;
}
