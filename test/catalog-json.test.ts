import { describe, expect, it } from "vitest";
import { mergeCatalog, parseCatalogFile } from "../src/catalog/parse.js";
import { formatProblem } from "../src/errors.js";
import { builtinData } from "./helpers/data.js";

const offering = (chip: string) => ({
  id: "my-box",
  name: "My box",
  chip,
  count: 1,
  class: "onprem-gpu",
  deployment: "on-prem",
  capex_usd: 5000,
  source: "https://example.com/quote",
  as_of: "2026-11-01",
});

describe("catalog overlays written as JSON (the fast path)", () => {
  it("a valid JSON overlay loads like YAML", () => {
    const r = parseCatalogFile({
      file: "mine.json.yaml",
      text: JSON.stringify({ offerings: [offering("nvidia-l4")] }),
    });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const m = mergeCatalog([...builtinData().files, r.value]);
    expect(m.ok && m.value.offerings.some((o) => o.id === "my-box")).toBe(true);
  });

  it("a schema error in JSON is still located (it falls back to the YAML parser)", () => {
    const text = JSON.stringify({ offerings: [{ ...offering("nvidia-l4"), count: "two" }] }, null, 2);
    const r = parseCatalogFile({ file: "mine.yaml", text });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(formatProblem(r.problems[0]!)).toMatch(/^mine\.yaml:\d+:\d+ offerings\[0\]\.count: /);
  });

  it("a merge error (missing chip) in JSON gets its position when it is reported", () => {
    const text = JSON.stringify({ offerings: [offering("nvidia-l5")] }, null, 2);
    const r = parseCatalogFile({ file: "mine.yaml", text });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const m = mergeCatalog([...builtinData().files, r.value]);
    expect(m.ok).toBe(false);
    if (m.ok) return;
    // line 6 of the pretty-printed JSON holds "chip"
    expect(m.problems.map(formatProblem)).toContain(
      "mine.yaml:6:15 offerings[0].chip: no chip `nvidia-l5` in the catalog — did you mean `nvidia-l4`?",
    );
  });
});
