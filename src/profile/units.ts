/**
 * Quantities as people write them: `30ms`, `1.5s`, `72h`, `15W`, `2kW`, `7B`, `28.6G`, `$2k`, `30/s`, `5%`.
 * Every parser returns the value in the canonical unit its dimension names (ms, W, count, FLOPs, USD,
 * per-second, GB, fraction), or a message saying what was expected. Plain numbers are taken as already
 * being in the canonical unit. Pure: no IO.
 */

export type Dimension =
  | "duration_ms"
  | "duration_h"
  | "power_w"
  | "count"
  | "flops"
  | "usd"
  | "rate_per_s"
  | "bytes_gb"
  | "fraction"
  | "bandwidth_mbps"
  | "years";

export type Parsed = { ok: true; value: number } | { ok: false; expected: string };

const SI: Record<string, number> = {
  "": 1,
  k: 1e3,
  K: 1e3,
  m: 1e6, // only for counts written lower-case "m" is ambiguous; see parseCount
  M: 1e6,
  b: 1e9,
  B: 1e9,
  g: 1e9,
  G: 1e9,
  t: 1e12,
  T: 1e12,
  P: 1e15,
  p: 1e15,
};

const NUMBER = String.raw`([+-]?(?:\d[\d_,]*(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)`;
const QTY = new RegExp(String.raw`^\s*(\$)?\s*${NUMBER}\s*([^\s\d].*?)?\s*$`);

interface Split {
  dollar: boolean;
  num: number;
  unit: string;
}

function split(text: string): Split | undefined {
  const m = QTY.exec(text);
  if (!m) return undefined;
  const num = Number(m[2]!.replace(/[_,]/g, ""));
  if (!Number.isFinite(num)) return undefined;
  return { dollar: m[1] === "$", num, unit: (m[3] ?? "").trim() };
}

const DURATION_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  ms: 1,
  s: 1e3,
  sec: 1e3,
  secs: 1e3,
  second: 1e3,
  seconds: 1e3,
  m: 60e3,
  min: 60e3,
  mins: 60e3,
  minute: 60e3,
  minutes: 60e3,
  h: 3600e3,
  hr: 3600e3,
  hrs: 3600e3,
  hour: 3600e3,
  hours: 3600e3,
  d: 86400e3,
  day: 86400e3,
  days: 86400e3,
  w: 7 * 86400e3,
  wk: 7 * 86400e3,
  week: 7 * 86400e3,
  weeks: 7 * 86400e3,
  mo: 30.4375 * 86400e3,
  month: 30.4375 * 86400e3,
  months: 30.4375 * 86400e3,
  y: 365.25 * 86400e3,
  yr: 365.25 * 86400e3,
  year: 365.25 * 86400e3,
  years: 365.25 * 86400e3,
};

function finite(value: number, expected: string): Parsed {
  return Number.isFinite(value) ? { ok: true, value } : { ok: false, expected };
}

function fromTable(
  input: unknown,
  table: Record<string, number>,
  plainScale: number,
  expected: string,
  opts: { allowDollar?: boolean; requireDollar?: boolean } = {},
): Parsed {
  if (typeof input === "number") return finite(input * plainScale, expected);
  if (typeof input !== "string") return { ok: false, expected };
  const s = split(input);
  if (!s) return { ok: false, expected };
  if (s.dollar && !opts.allowDollar) return { ok: false, expected };
  if (s.unit === "") return finite(s.num * plainScale, expected);
  const f = table[s.unit] ?? table[s.unit.toLowerCase()];
  if (f === undefined) return { ok: false, expected };
  return finite(s.num * f, expected);
}

/** `50ms`, `1.5s`, `72h`, `14d` → milliseconds. A plain number is milliseconds. */
export function parseDurationMs(input: unknown): Parsed {
  return fromTable(input, DURATION_MS, 1, "a duration such as 50ms, 1.5s, 72h or 14d");
}

/** `72h`, `3d` → hours. A plain number is hours. */
export function parseDurationH(input: unknown): Parsed {
  const r = fromTable(input, DURATION_MS, 3600e3, "a duration such as 72h, 14d or 90min");
  return r.ok ? { ok: true, value: r.value / 3600e3 } : r;
}

/** `3y`, `36mo`, `18 months` → years. A plain number is years. */
export function parseYears(input: unknown): Parsed {
  const r = fromTable(input, DURATION_MS, 365.25 * 86400e3, "a period such as 3y, 36mo or 5 years");
  return r.ok ? { ok: true, value: r.value / (365.25 * 86400e3) } : r;
}

const POWER_W: Record<string, number> = { mw: 1e-3, mW: 1e-3, w: 1, W: 1, kw: 1e3, kW: 1e3, KW: 1e3, MW: 1e6 };

/** `15W`, `2kW`, `500mW` → watts. A plain number is watts. */
export function parsePowerW(input: unknown): Parsed {
  if (typeof input === "string") {
    const s = split(input);
    // "MW" is megawatts, "mW" milliwatts: case matters here, so look it up exactly.
    if (s && s.unit in POWER_W && !s.dollar) return finite(s.num * POWER_W[s.unit]!, "");
  }
  return fromTable(input, POWER_W, 1, "a power such as 15W, 500mW or 2kW");
}

const COUNT: Record<string, number> = { k: 1e3, K: 1e3, M: 1e6, m: 1e6, B: 1e9, b: 1e9, G: 1e9, T: 1e12, t: 1e12 };

/** `7B`, `350M`, `2M`, `50k` → a plain count. M is mega (people write "2M requests"). */
export function parseCount(input: unknown): Parsed {
  return fromTable(input, COUNT, 1, "a count such as 350M, 7B or 50k");
}

const FLOPS: Record<string, number> = {};
for (const [p, f] of Object.entries(SI)) {
  for (const u of ["", "FLOP", "FLOPs", "flop", "flops", "FLOPS"]) if (p + u !== "") FLOPS[p + u] = f;
}

/** `28.6G`, `8.2GFLOPs`, `1.2T` → FLOPs. "m" alone is read as mega: nobody writes milli-FLOPs. */
export function parseFlops(input: unknown): Parsed {
  return fromTable(input, FLOPS, 1, "FLOPs such as 28.6G, 8.2GFLOPs or 1.2T");
}

const USD: Record<string, number> = {};
for (const [p, f] of Object.entries({ "": 1, k: 1e3, K: 1e3, M: 1e6, m: 1e6, B: 1e9 })) {
  if (p) USD[p] = f;
  USD[`${p} USD`] = f;
  USD[`${p}USD`] = f;
}

/** `$5000`, `$100k`, `$0.50`, `2.5M USD` → USD. A plain number is USD. */
export function parseUsd(input: unknown): Parsed {
  return fromTable(input, USD, 1, "an amount in USD such as $5000, $100k or $0.50", { allowDollar: true });
}

/** `30/s`, `1800/min`, `2M/day`, `30 rps` → per second. A plain number is per second. */
export function parseRatePerS(input: unknown): Parsed {
  const expected = "a rate such as 30/s, 1800/min, 5k/h, 2M/day, 60fps or 15Hz";
  if (typeof input === "number") return finite(input, expected);
  if (typeof input !== "string") return { ok: false, expected };
  // Per second, as cameras and sensors state it: 60fps, 15Hz, 1kHz, 200 rps.
  const hz = /^(.*?)\s*(fps|hz|khz|rps|qps)\s*$/i.exec(input);
  if (hz) {
    const c = parseCount(hz[1]!.trim());
    return c.ok ? finite(c.value * (hz[2]!.toLowerCase() === "khz" ? 1e3 : 1), expected) : { ok: false, expected };
  }
  const m = /^(.*?)\s*(?:\/\s*(s|sec|second|min|minute|h|hr|hour|d|day)|\s*(rps|qps))\s*$/i.exec(input);
  const head = m ? m[1]! : input;
  const per = m ? (m[2] ?? "s").toLowerCase() : "s";
  const c = parseCount(head.trim());
  if (!c.ok) return { ok: false, expected };
  const seconds: Record<string, number> = {
    s: 1,
    sec: 1,
    second: 1,
    min: 60,
    minute: 60,
    h: 3600,
    hr: 3600,
    hour: 3600,
    d: 86400,
    day: 86400,
  };
  return finite(c.value / seconds[per]!, expected);
}

const BYTES_GB: Record<string, number> = {
  b: 1e-9,
  B: 1e-9,
  kb: 1e-6,
  KB: 1e-6,
  kB: 1e-6,
  KiB: 1024 / 1e9,
  MB: 1e-3,
  MiB: 1048576 / 1e9,
  GB: 1,
  GiB: 1073741824 / 1e9,
  TB: 1e3,
  TiB: 1099511627776 / 1e9,
};

/** `24GB`, `512MB`, `80GiB` → GB (decimal). A plain number is GB. */
export function parseBytesGb(input: unknown): Parsed {
  return fromTable(input, BYTES_GB, 1, "a size such as 512KB, 24GB or 80GiB");
}

/** `5%` or `0.05` → 0.05. */
export function parseFraction(input: unknown): Parsed {
  const expected = "a share such as 5% or 0.05";
  if (typeof input === "number") return input >= 0 && input <= 1 ? { ok: true, value: input } : { ok: false, expected };
  if (typeof input !== "string") return { ok: false, expected };
  const s = split(input);
  if (!s) return { ok: false, expected };
  if (s.unit === "%") return s.num >= 0 && s.num <= 100 ? { ok: true, value: s.num / 100 } : { ok: false, expected };
  if (s.unit === "" && s.num >= 0 && s.num <= 1) return { ok: true, value: s.num };
  return { ok: false, expected };
}

const MBPS: Record<string, number> = {
  bps: 1e-6,
  kbps: 1e-3,
  Kbps: 1e-3,
  mbps: 1,
  Mbps: 1,
  Mbit: 1,
  "Mbit/s": 1,
  gbps: 1e3,
  Gbps: 1e3,
  "Gbit/s": 1e3,
  "MB/s": 8,
  "GB/s": 8e3,
};

/** `10Mbps`, `1Gbps`, `5MB/s` → megabits per second. A plain number is Mbps. */
export function parseBandwidthMbps(input: unknown): Parsed {
  return fromTable(input, MBPS, 1, "a bandwidth such as 10Mbps or 1Gbps");
}

export const parsers: Record<Dimension, (input: unknown) => Parsed> = {
  duration_ms: parseDurationMs,
  duration_h: parseDurationH,
  power_w: parsePowerW,
  count: parseCount,
  flops: parseFlops,
  usd: parseUsd,
  rate_per_s: parseRatePerS,
  bytes_gb: parseBytesGb,
  fraction: parseFraction,
  bandwidth_mbps: parseBandwidthMbps,
  years: parseYears,
};
