/**
 * Characters one terminal column wide that a report prints: printable ASCII, Latin-1 letters and signs
 * (not © and ®, which some terminals draw as emoji) and a few typographic marks (– — … ≤ ≥ → •).
 */
const NARROW = /^[\x20-\x7e\u00a0-\u00a8\u00aa-\u00ad\u00af-\u00ff\u2013\u2014\u2022\u2026\u2192\u2264\u2265]*$/;

/**
 * The display width of `s` when every character is one column wide (the string's length), else
 * undefined. The table renderer measures every cell with string-width, which builds a large emoji
 * regular expression on each call; the build puts this test in front of it (scripts/build.mjs).
 */
export function narrowWidth(s: unknown): number | undefined {
  return typeof s === "string" && NARROW.test(s) ? s.length : undefined;
}
