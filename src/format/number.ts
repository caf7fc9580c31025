/**
 * The number formatting every layer shares: the core's breakdowns and rule messages and the reporters'
 * tables write figures the same way. Pure; no Intl (loading it costs start-up time).
 */

/** 1234567 → "1,234,567", as toLocaleString("en-US") writes it, without the cost of loading Intl on every call. */
export function grouped(x: number): string {
  const n = Math.round(x);
  if (Math.abs(n) >= 1e21) return n.toLocaleString("en-US");
  const s = String(Math.abs(n));
  let out = s.length > 3 ? "" : s;
  if (s.length > 3) {
    const head = s.length % 3 || 3;
    out = s.slice(0, head);
    for (let i = head; i < s.length; i += 3) out += "," + s.slice(i, i + 3);
  }
  return n < 0 ? "-" + out : out;
}

/** Three significant figures, grouped from 100 (1,234 · 12.3 · 0.0123): the breakdowns' arithmetic. */
export const fig3 = (x: number): string => (Math.abs(x) >= 100 ? grouped(x) : Number(x.toPrecision(3)).toString());

/** A share as a percentage in breakdowns: 12.5%, 0.0684%, 1,250% (fig3 of the percentage). */
export const percent = (share: number): string => `${fig3(share * 100)}%`;

/** A share as a percentage in reports: three significant figures, never grouped (12.5%, 1250%). */
export const percent3 = (share: number): string => `${Number((share * 100).toPrecision(3))}%`;

/** "1 copy", "3 copies": a count with its noun. */
export const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;
