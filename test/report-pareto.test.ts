import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { drawChart } from "../src/report/chart.js";
import { nonDominated, paretoOf } from "../src/report/pareto.js";
import type { ProfileResult } from "../src/result.js";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { hw, ROOT } from "./helpers/cli.js";
import { hwInProcess } from "./helpers/run.js";

interface JsonRec {
  rank: number;
  id: string;
  feasible: boolean;
  estimates: Record<string, number | undefined>;
}

/**
 * The front rebuilt from the JSON output alone, the slow obvious way: an option is on it when no other
 * feasible option is at least as cheap and at least as fast (or quick to train) and strictly better in one.
 */
function bruteForceFront(recs: readonly JsonRec[], training: boolean): { plotted: number[]; front: number[] } {
  const [xf, yf] = training ? ["total_cost_usd", "time_to_train_h"] : ["cost_per_1m_usd", "latency_p99_ms"];
  const pts = recs
    .filter((r) => r.feasible && (r.estimates[xf!] ?? 0) > 0 && (r.estimates[yf!] ?? 0) > 0)
    .map((r) => ({ rank: r.rank, x: r.estimates[xf!]!, y: r.estimates[yf!]! }));
  const front = pts.filter((p) => !pts.some((q) => q.x <= p.x && q.y <= p.y && (q.x < p.x || q.y < p.y)));
  return {
    plotted: pts.map((p) => p.rank).sort((a, b) => a - b),
    front: front.map((p) => p.rank).sort((a, b) => a - b),
  };
}

/** Ranks the terminal chart lists under "Pareto front, cheapest first:". */
function chartFront(text: string): number[] {
  const at = text.indexOf("Pareto front, cheapest first:");
  expect(at, "the chart lists its front").toBeGreaterThan(0);
  const block = text
    .slice(at)
    .split("\n")
    .filter((l, i) => i === 0 || l.startsWith("  "))
    .join(" ");
  return [...block.matchAll(/#(\d+) /g)].map((m) => Number(m[1])).sort((a, b) => a - b);
}

/** Ranks of the points the HTML report's trade-off chart draws, and of those it marks as the front. */
function htmlPoints(html: string): { plotted: number[]; front: number[] } {
  const svg = html.slice(
    html.indexOf('data-chart="pareto"'),
    html.indexOf("</svg>", html.indexOf('data-chart="pareto"')),
  );
  const circles = [...svg.matchAll(/<circle class="pt( front)?"[^>]*data-rank="(\d+)"[^>]*data-front="(true|false)"/g)];
  for (const c of circles) expect(c[1] === " front").toBe(c[3] === "true");
  return {
    plotted: circles.map((c) => Number(c[2])).sort((a, b) => a - b),
    front: circles
      .filter((c) => c[3] === "true")
      .map((c) => Number(c[2]))
      .sort((a, b) => a - b),
  };
}

describe("nonDominated", () => {
  it("matches the quadratic definition on random points, ties and duplicates included", () => {
    const coord = fc.oneof(fc.integer({ min: 1, max: 6 }), fc.double({ min: 0.001, max: 1e6, noNaN: true }));
    fc.assert(
      fc.property(fc.array(fc.record({ x: coord, y: coord }), { maxLength: 40 }), (pts) => {
        const want = pts.flatMap((p, i) =>
          pts.some((q) => q.x <= p.x && q.y <= p.y && (q.x < p.x || q.y < p.y)) ? [] : [i],
        );
        expect([...nonDominated(pts)].sort((a, b) => a - b)).toEqual(want);
      }),
      { numRuns: 300 },
    );
  });

  it("keeps both of two identical points and drops one beaten on a single figure", () => {
    // (1,5) and (1,5) tie; (2,5) costs more for the same latency; (3,1) is fastest.
    expect(
      [
        ...nonDominated([
          { x: 1, y: 5 },
          { x: 1, y: 5 },
          { x: 2, y: 5 },
          { x: 3, y: 1 },
        ]),
      ].sort(),
    ).toEqual([0, 1, 3]);
  });
});

describe("the front drawn is the front of the JSON output (the CLI, run in this process)", () => {
  const cases = [
    { profile: "profiles/fraud-streaming.yaml", training: false },
    { profile: "profiles/retail-checkout.yaml", training: false },
    { profile: "profiles/llm-chat.yaml", training: false },
    { profile: "profiles/speech-transcription.yaml", training: false },
    { profile: "profiles/lora-finetune.yaml", training: true },
    { profile: "profiles/pretrain-deadline.yaml", training: true },
  ];
  for (const c of cases) {
    it(`${c.profile}: terminal chart and HTML mark the non-dominated options`, () => {
      const json = hwInProcess(["recommend", c.profile, "--format", "json"]);
      expect(json.code).toBe(0);
      const recs: JsonRec[] = JSON.parse(json.stdout).results[0].recommendations;
      const want = bruteForceFront(recs, c.training);
      expect(want.front.length).toBeGreaterThan(0);

      const chart = hwInProcess(["recommend", c.profile, "--chart"], { env: { COLUMNS: "80" } });
      expect(chart.code).toBe(0);
      expect(chartFront(chart.stdout)).toEqual(want.front);
      const drawnChart = chart.stdout.slice(chart.stdout.indexOf("Trade-off:"));
      for (const line of drawnChart.split("\n")) expect(line.length, line).toBeLessThanOrEqual(80);

      const html = hwInProcess(["recommend", c.profile, "--format", "html"]);
      expect(html.code).toBe(0);
      const drawn = htmlPoints(html.stdout);
      expect(drawn.plotted).toEqual(want.plotted);
      expect(drawn.front).toEqual(want.front);
    });
  }
});

const rec = (rank: number, x: number, y: number, feasible = true) => ({
  rank,
  id: `o${rank}`,
  name: `Option ${rank}`,
  class: "cloud-gpu" as const,
  deployment: "cloud" as const,
  chip: "c",
  units: 1,
  devices: 1,
  feasible,
  score: feasible ? 50 : 0,
  estimates: { latency_p99_ms: y, cost_per_1m_usd: x, uncertainty_pct: 20, uncertainty_p90_pct: 40 },
  violations: feasible
    ? []
    : [{ rule: "latency_p99" as const, message: "p99 80 ms > SLO 50 ms", measured: 80, limit: 50 }],
  breakdown: [],
});

function fixture(): ProfileResult {
  return {
    profile: { file: "p.yaml", name: "fixture", kind: "realtime-inference" },
    model: { id: "m", name: "M", family: "cnn", params: 1e6 },
    recommendations: [rec(1, 0.5, 20), rec(2, 0.2, 40), rec(3, 2, 5), rec(4, 1, 30), rec(5, 0.1, 80, false)],
    notes: [],
  };
}

describe("terminal chart (fixed result, colour off)", () => {
  it("fits 80 columns, marks and labels the front, draws the SLO and counts what it leaves out", () => {
    const d = paretoOf(fixture());
    expect(d.slo).toBe(50); // from the latency rule's finding
    expect(d.front).toEqual([2, 1, 3]); // cheapest first; #4 is beaten by #1
    const text = drawChart(d, { width: 80, unicode: true });
    for (const line of text.split("\n")) expect(line.length).toBeLessThanOrEqual(80);
    expect(text).toContain("SLO 50 ms");
    expect(text).toContain("1 infeasible not drawn");
    expect(text).toMatch(/•2/);
    expect(text).toContain("Pareto front, cheapest first: #2 $0.2 40 ms, #1 $0.5 20 ms, #3 $2.00 5 ms");
    expect(text).toMatchSnapshot();
  });

  it("uses only ASCII when the terminal cannot show Unicode", () => {
    const text = drawChart(paretoOf(fixture()), { width: 80, unicode: false });
    // eslint-disable-next-line no-control-regex
    expect(text).toMatch(/^[\x20-\x7e\n]*$/);
    expect(text).toContain("*2");
    expect(text).toContain("-- SLO 50 ms");
  });

  it("falls back to ASCII under LANG=C or TERM=dumb, and --chart refuses machine formats (the CLI, run in this process)", () => {
    for (const env of [{ LANG: "C" }, { TERM: "dumb" }] as Record<string, string>[]) {
      const r = hwInProcess(["recommend", "profiles/retail-checkout.yaml", "--chart"], {
        env: { COLUMNS: "80", ...env },
      });
      const chart = r.stdout.slice(r.stdout.indexOf("Trade-off:"));
      expect(chart.length).toBeGreaterThan(200);
      // eslint-disable-next-line no-control-regex
      expect(chart).toMatch(/^[\x20-\x7e\n]*$/);
    }
    const bad = hwInProcess(["recommend", "profiles/retail-checkout.yaml", "--chart", "--format", "json"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--chart draws under the table");
  });
});

describe("README", () => {
  it("shows the chart hwadvise draws now for its example (built CLI)", () => {
    const readme = readFileSync(join(ROOT, "README.md"), "utf8");
    const at = readme.indexOf(
      "`COLUMNS=80 hwadvise recommend profiles/retail-checkout.yaml --chart --top 3`, after the table:",
    );
    expect(at).toBeGreaterThan(0);
    const start = readme.indexOf("```\n", at) + 4;
    const shown = readme.slice(start, readme.indexOf("```", start));
    const r = hw(["recommend", "profiles/retail-checkout.yaml", "--chart", "--top", "3"], {
      env: { COLUMNS: "80", HWADVISE_TODAY: "2026-12-05" },
    });
    expect(r.stdout.slice(r.stdout.indexOf("Trade-off:"))).toBe(shown);
  });
});
