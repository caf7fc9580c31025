import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { hw, ROOT } from "./helpers/cli.js";

// The HTML report as a person sees it: the system Chromium (Debian's `chromium` package, which .ci/run
// installs) loads the file headless, offline, and the test reads what the page drew.
const CHROMIUM = "/usr/bin/chromium";
const HAVE = existsSync(CHROMIUM);
if (!HAVE)
  console.warn(
    `report-browser: SKIPPED — ${CHROMIUM} is not installed (apt-get install -y chromium); the HTML report is still validated by report-html.test.ts`,
  );

const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

interface Rec {
  rank: number;
  feasible: boolean;
  estimates: Record<string, number | undefined>;
}

const work = mkdtempSync(join(tmpdir(), "hwadvise-browser-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe.skipIf(!HAVE)(`HTML report in headless Chromium (skipped when ${CHROMIUM} is missing)`, () => {
  it("loads from a file with no console error and no request, one point per feasible option, the front = the non-dominated ones; screenshot", async () => {
    const { chromium } = await import("playwright-core");
    const profiles = ["profiles/retail-checkout.yaml", "profiles/lora-finetune.yaml"];
    const html = hw(["recommend", ...profiles, "--format", "html"]);
    expect(html.code).toBe(0);
    const file = join(work, "report.html");
    writeFileSync(file, html.stdout);
    const json = JSON.parse(hw(["recommend", ...profiles, "--format", "json"]).stdout);

    const context = await chromium.launchPersistentContext(join(work, "profile"), {
      executablePath: CHROMIUM,
      headless: true,
      args: FLAGS,
      viewport: { width: 1100, height: 900 },
    });
    try {
      const page = await context.newPage();
      const errors: string[] = [];
      const requests: string[] = [];
      page.on("console", (m) => {
        if (m.type() === "error" || m.type() === "warning") errors.push(`${m.type()}: ${m.text()}`);
      });
      page.on("pageerror", (e) => errors.push(`pageerror: ${e.message}`));
      page.on("request", (r) => {
        if (r.url() !== pathToFileURL(file).href) requests.push(r.url());
      });
      await page.goto(pathToFileURL(file).href, { waitUntil: "load" });
      expect(errors).toEqual([]);
      expect(requests, "the report loads nothing besides itself").toEqual([]);
      expect(await page.title()).toBe("Hardware report: 2 profiles");

      for (const [i, result] of (json.results as { profile: { kind: string }; recommendations: Rec[] }[]).entries()) {
        const training = result.profile.kind === "training" || result.profile.kind === "fine-tuning";
        const [xf, yf] = training ? ["total_cost_usd", "time_to_train_h"] : ["cost_per_1m_usd", "latency_p99_ms"];
        const pts = result.recommendations
          .filter((r) => r.feasible)
          .map((r) => ({ rank: r.rank, x: r.estimates[xf!]!, y: r.estimates[yf!]! }));
        const nonDominated = pts
          .filter((p) => !pts.some((q) => q.x <= p.x && q.y <= p.y && (q.x < p.x || q.y < p.y)))
          .map((p) => p.rank);
        const svg = page.locator(`#profile-${i + 1} svg[data-chart="pareto"]`);
        await expect(svg.isVisible()).resolves.toBe(true);
        const drawn = await svg.locator("circle.pt").evaluateAll((cs) =>
          cs.map((c) => ({
            rank: Number(c.getAttribute("data-rank")),
            front: c.getAttribute("data-front") === "true",
            r: (c as SVGCircleElement).r.baseVal.value,
            box: (c as SVGGraphicsElement).getBoundingClientRect().width,
          })),
        );
        expect(drawn.map((d) => d.rank).sort((a, b) => a - b)).toEqual(pts.map((p) => p.rank).sort((a, b) => a - b));
        expect(
          drawn
            .filter((d) => d.front)
            .map((d) => d.rank)
            .sort((a, b) => a - b),
        ).toEqual(nonDominated.sort((a, b) => a - b));
        // Rendered, not only present: every mark has a size on the page, and front marks are the larger ones.
        for (const d of drawn) expect(d.box).toBeGreaterThan(0);
        for (const d of drawn.filter((x) => x.front))
          expect(d.r).toBeGreaterThan(Math.max(...drawn.filter((x) => !x.front).map((x) => x.r), 0));
        // A screen reader's name for the chart.
        await expect(svg.getAttribute("aria-labelledby")).resolves.toMatch(/-title .*-desc$/);
      }
      const tcoCharts = await page.locator('svg[data-chart="tco"]').count();
      expect(tcoCharts).toBe(2);

      const shot = join(work, "report.png");
      await page.screenshot({ path: shot, fullPage: false });
      expect(statSync(shot).size).toBeGreaterThan(20_000);
      // HWADVISE_SCREENSHOT=docs/report.png npx vitest run test/report-browser.test.ts refreshes the README's picture.
      if (process.env.HWADVISE_SCREENSHOT) {
        const single = join(work, "single.html");
        writeFileSync(
          single,
          hw(["recommend", "profiles/retail-checkout.yaml", "--format", "html", "--top", "3"]).stdout,
        );
        await page.goto(pathToFileURL(single).href);
        await page.setViewportSize({ width: 1100, height: 1900 });
        await page.screenshot({ path: resolve(ROOT, process.env.HWADVISE_SCREENSHOT), fullPage: false });
      }
    } finally {
      await context.close();
    }
  }, 120_000);
});
