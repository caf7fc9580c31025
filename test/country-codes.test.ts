import { describe, expect, it } from "vitest";
import { formatProblem } from "../src/errors.js";
import { countryCode, ISO_COUNTRIES, suggestCountry } from "../src/profile/country.js";
import { parseProfile } from "../src/profile/parse.js";
import { builtinData } from "./helpers/data.js";
import { runCli, scratch } from "./helpers/run.js";

const profile = (codes: string) =>
  `name: t\nworkload:\n  kind: realtime-inference\n  model: resnet50\nconstraints:\n  data_residency: [${codes}]\n`;
function problems(text: string): string[] {
  const r = parseProfile("p.yaml", text, builtinData().models);
  return r.ok ? [] : r.problems.map(formatProblem);
}

const LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const ALL_PAIRS = [...LETTERS].flatMap((a) => [...LETTERS].map((b) => a + b));

describe("country codes are ISO 3166-1 alpha-2 assigned codes, not just two capitals", () => {
  it("data_residency: [XX] is refused (it was accepted: only the shape was checked)", () => {
    expect(problems(profile("CO, XX"))).toEqual([
      'p.yaml:6:24 constraints.data_residency[1]: "XX" is not an ISO 3166-1 alpha-2 country code (two capital letters, such as CO, BR, MX, CL, PE or AR)',
    ]);
  });
  it("did you mean: lower case, reserved and withdrawn codes, and country names in English, Spanish or Portuguese", () => {
    const hint = (x: string) => problems(profile(JSON.stringify(x)))[0]?.replace(/^.*— did you mean "(\w+)"\?$/, "$1");
    expect(
      ["br", "UK", "EL", "Brasil", "Perú", "Mexico", "Colombia", "Chile", "Argentina", "Germany", "Alemanha"].map(hint),
    ).toEqual(["BR", "GB", "GR", "BR", "PE", "MX", "CO", "CL", "AR", "DE", "DE"]);
    expect(suggestCountry("QQ")).toBeUndefined();
    expect(suggestCountry("Atlantis")).toBeUndefined();
  });
  it("law: of all 676 pairs of capitals, exactly the 249 assigned codes are accepted", () => {
    const schema = countryCode();
    const accepted = ALL_PAIRS.filter((c) => schema.safeParse(c).success);
    expect(accepted.length).toBe(249);
    expect(accepted).toEqual(ALL_PAIRS.filter((c) => ISO_COUNTRIES.has(c)));
    // The Latin American countries the tool is for, and the regions the big clouds are in.
    for (const c of ["CO", "BR", "MX", "CL", "PE", "AR", "US", "DE", "JP", "GB"])
      expect(ISO_COUNTRIES.has(c)).toBe(true);
    for (const c of ["UK", "EU", "XK", "AN", "ZZ"]) expect(ISO_COUNTRIES.has(c)).toBe(false);
  });
  it("the wildcard is accepted only where placement allows anywhere", () => {
    expect(countryCode({ wildcard: true }).safeParse("*").success).toBe(true);
    expect(countryCode().safeParse("*").success).toBe(false);
    expect(problems(profile('"*"'))).toHaveLength(1);
  });
  it("every country in the built-in catalog is an assigned code", () => {
    const cat = builtinData().catalog;
    const used = cat.offerings
      .flatMap((o) => [...(o.regions ?? []).map((r) => r.country), ...(o.countries ?? [])])
      .filter((c) => c !== "*");
    expect(used.length).toBeGreaterThan(100);
    expect(used.filter((c) => !ISO_COUNTRIES.has(c))).toEqual([]);
  });
  it("a catalog overlay's region country and placement countries, located with did-you-mean", () => {
    const s = scratch();
    const f = s.write(
      "o.yaml",
      `offerings:\n  - id: my-box\n    name: My box\n    chip: nvidia-l4\n    count: 1\n    class: onprem-gpu\n    deployment: on-prem\n    capex_usd: 9000\n    countries: [CO, Peru]\n    source: https://example.com/quote\n    as_of: 2026-11-01\n  - id: my-cloud\n    name: My cloud\n    chip: nvidia-l4\n    count: 1\n    class: cloud-gpu\n    deployment: cloud\n    regions:\n      - { region: bogota-1, country: UK, usd_per_hour: 1, source: https://example.com/p, as_of: 2026-11-01 }\n    source: https://example.com/p\n    as_of: 2026-11-01\n`,
    );
    const r = runCli(["catalog", "--catalog", f]);
    expect(r.code).toBe(2);
    expect(r.stderr.split("\n").filter(Boolean)).toEqual([
      `${f}:9:21 offerings[0].countries[1]: "Peru" is not an ISO 3166-1 alpha-2 country code — did you mean "PE"?`,
      `${f}:19:38 offerings[1].regions[0].country: "UK" is not an ISO 3166-1 alpha-2 country code — did you mean "GB"?`,
    ]);
  });
});
