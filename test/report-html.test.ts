import { readFileSync } from "node:fs";
import { join } from "node:path";
import { HtmlValidate } from "html-validate";
import { describe, expect, it } from "vitest";
import { hw, ROOT } from "./helpers/cli.js";
import { hwInProcess } from "./helpers/run.js";

const validator = new HtmlValidate({ extends: ["html-validate:recommended"] });

async function problems(html: string): Promise<string[]> {
  const r = await validator.validateString(html);
  return r.results.flatMap((x) => x.messages.map((m) => `${m.line}:${m.column} ${m.ruleId}: ${m.message}`));
}

/** What would make the file reach outside itself: scripts, external references, CSS imports or url(). */
function external(html: string): string[] {
  const found: string[] = [];
  for (const m of html.matchAll(/<script\b|\s(?:src|href|action|xlink:href)="(?!#)[^"]*"|@import|url\(/gi))
    found.push(m[0]);
  return found;
}

// Each report is made twice and the bytes must agree: the reports over many profiles by the built CLI and
// then in this process (the CLI's own `run`, no spawn), the others twice in this process, after the other
// runs. The other checks run in this process, except standard input (built CLI).
describe("HTML report", () => {
  const reports = [
    {
      what: "recommend, one profile",
      args: ["recommend", "profiles/retail-checkout.yaml", "--format", "html"],
      built: false,
    },
    {
      what: "recommend, many profiles (a pipeline, training, LLM)",
      built: true,
      args: [
        "recommend",
        "profiles/retail-checkout-pipeline.yaml",
        "profiles/lora-finetune.yaml",
        "profiles/llm-chat.yaml",
        "--format",
        "html",
      ],
    },
    { what: "tco", args: ["tco", "profiles/llm-chat.yaml", "--format", "html"], built: false },
    {
      what: "tco, many profiles in one report",
      built: true,
      args: [
        "tco",
        "profiles/llm-chat.yaml",
        "profiles/retail-checkout.yaml",
        "profiles/lora-finetune.yaml",
        "--format",
        "html",
      ],
    },
    {
      what: "tco in another currency, options named",
      built: false,
      args: [
        "tco",
        "profiles/lora-finetune.yaml",
        "--option",
        "onprem-h100-pcie-card",
        "--currency",
        "COP",
        "--fx",
        "4000",
        "--format",
        "html",
      ],
    },
  ];
  for (const r of reports) {
    it(`${r.what}${r.built ? " (built CLI)" : ""}: valid HTML, self-contained, the same bytes on every run`, async () => {
      const a = r.built ? hw(r.args) : hwInProcess(r.args);
      expect(a.stderr).toBe("");
      expect(a.code).toBe(0);
      expect(await problems(a.stdout)).toEqual([]);
      expect(external(a.stdout)).toEqual([]);
      expect(a.stdout).toContain(
        `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
      );
      expect(a.stdout).toMatch(
        /<svg class="chart"[^>]*role="img"[^>]*>\n<title id="[^"]+">[^<]+<\/title>\n<desc id="[^"]+">[^<]+<\/desc>/,
      );
      expect(a.stdout).toContain("@media print");
      expect(hwInProcess(r.args).stdout).toBe(a.stdout);
    });
  }

  it("holds every part the issue asks for: ranked table, front, TCO chart with crossovers, rejected options, assumptions with sources, bands, stale warnings", () => {
    const html = hwInProcess(["recommend", "profiles/llm-chat.yaml", "--format", "html"]).stdout;
    expect(html).toMatch(/<table class="ranked"[^>]*>\n<caption>/);
    expect(html).toContain('<th scope="col">Option</th>');
    expect(html).toContain('data-chart="pareto"');
    expect(html).toContain('data-chart="tco"');
    expect(html).toMatch(/<circle class="crossover"[^>]*data-month="\d+"/);
    expect(html).toMatch(/Rejected options \(\d+\)/);
    expect(html).toContain("Cost assumptions and their sources");
    expect(html).toContain("data/reference/purchase_prices.csv");
    expect(html).toMatch(/<span class="band">[^<]+–[^<]+<\/span>/);
    const stale = hwInProcess(["recommend", "profiles/retail-checkout.yaml", "--format", "html"]).stdout;
    expect(stale).toContain("Stale catalog figures");
  });

  it("escapes text from the profile: a hostile name is shown, never run", async () => {
    const src = readFileSync(join(ROOT, "profiles/retail-checkout.yaml"), "utf8").replace(
      /^name: .*$/m,
      `name: "<script>alert(1)</script> & <img src=x onerror=alert(2)> \\"q\\" 'a' \\u001b[2J\\u202e"`,
    );
    const r = hw(["recommend", "-", "--format", "html"], { input: src });
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(/<script|<img/i);
    expect(r.stdout).toContain(
      "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;img src=x onerror=alert(2)&gt; &quot;q&quot; &#39;a&#39; \\x1b[2J\\u202e",
    );
    expect(await problems(r.stdout)).toEqual([]);
  });

  it("tco over many profiles: one section each in one HTML report, tables one after another; JSON takes one profile", () => {
    const files = ["profiles/llm-chat.yaml", "profiles/retail-checkout.yaml"];
    const html = hwInProcess(["tco", ...files, "--format", "html"]);
    expect(html.code).toBe(0);
    expect(html.stdout.match(/<section class="profile"/g)?.length).toBe(2);
    const table = hwInProcess(["tco", ...files]);
    expect(table.code).toBe(0);
    expect(table.stdout).toBe(`${hwInProcess(["tco", files[0]!]).stdout}\n${hwInProcess(["tco", files[1]!]).stdout}`);
    const json = hwInProcess(["tco", ...files, "--format", "json"]);
    expect(json.code).toBe(2);
    expect(json.stdout).toBe("");
    expect(json.stderr).toMatch(/^hwadvise: tco --format json writes one profile's document/);
  });

  it("--format html is listed, and unknown formats still name the choices", () => {
    const r = hwInProcess(["recommend", "profiles/retail-checkout.yaml", "--format", "pdf"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("table, json, markdown, github, html");
    const t = hwInProcess(["tco", "profiles/llm-chat.yaml", "--format", "pdf"]);
    expect(t.code).toBe(2);
    expect(t.stderr).toContain("table, json, html");
  });
});
