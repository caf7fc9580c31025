import { describe, expect, it } from "vitest";
import type { OptionEstimate } from "../src/estimate/option.js";
import { resolveCosts } from "../src/tco/assumptions.js";
import { annuityPayment, remainingBalance, residualShare } from "../src/tco/finance.js";
import { estimateTco } from "../src/tco/index.js";
import { fmtMoney, renderTcoJson } from "../src/report/tco.js";
import { ProfileSchema, type ProfileInput } from "../src/profile/schema.js";
import { makeChip, makeOffering, makeWorkload } from "./helpers/data.js";

describe("finance arithmetic", () => {
  it("annuity: $100,000 at 12%/yr over 12 months pays $8,884.88 a month", () => {
    // r = 0.01; 100000 × 0.01 / (1 − 1.01^−12) = 1000 / (1 − 0.8874492) = 1000 / 0.1125508 = 8884.88
    expect(annuityPayment(100_000, 0.12, 12)).toBeCloseTo(8884.88, 2);
    // 0% interest: straight division
    expect(annuityPayment(12_000, 0, 12)).toBe(1000);
  });

  it("balance after 6 of 12 instalments is $51,492.11, and 0 once all are paid", () => {
    // 100000 × 1.01^6 − 8884.8789 × (1.01^6 − 1) / 0.01 = 106152.0151 − 8884.8789 × 6.1520151 = 106152.0151 − 54659.9086 = 51492.11
    // cross-check: the present value of the 6 instalments left, 8884.8789 × (1 − 1.01^−6) / 0.01 = 8884.8789 × 5.795476 = 51492.11
    expect(remainingBalance(100_000, 0.12, 12, 6)).toBeCloseTo(51492.11, 1);
    expect(remainingBalance(100_000, 0.12, 12, 12)).toBe(0);
  });

  it("residual value declines geometrically through the stated point: 30% at 36 months → 13.4% at 60", () => {
    // 0.3^(60/36) = exp(1.6667 × ln 0.3) = exp(−2.00662) = 0.13443
    expect(residualShare(0.3, 36, 36)).toBeCloseTo(0.3, 12);
    expect(residualShare(0.3, 36, 60)).toBeCloseTo(0.13443, 4);
  });
});

// A bought server: $10,000, one 300 W chip idling at 30 W, no host power; a cloud instance at $1/h.
const chip = makeChip({ tdp_w: 300, idle_w: 30 });
const server = makeOffering({
  id: "box",
  deployment: "on-prem",
  class: "onprem-gpu",
  capex_usd: 10_000,
  host_w: 0,
  regions: undefined,
  provider: undefined,
  instance_type: undefined,
});
const cloud = makeOffering({ id: "vm" });
const owned: OptionEstimate = {
  offering: server,
  chip,
  countries: ["*"],
  units: 1,
  devices: 1,
  fits: true,
  throughputPerS: 100,
  explain: () => [],
};
const rented: OptionEstimate = {
  offering: cloud,
  chip,
  region: cloud.regions![0]!,
  countries: ["US"],
  units: 1,
  devices: 1,
  fits: true,
  throughputPerS: 100,
  monthlyCostUsd: 730.5,
  explain: () => [],
};

function assumptions(costs: ProfileInput["costs"] = {}) {
  const p = ProfileSchema().parse({
    name: "t",
    workload: { kind: "realtime-inference", model: "resnet50" },
    energy: { price_per_kwh: 0.1, pue: 1.5 },
    costs: { utilisation: "50%", operations_owned: 0, ...costs },
  });
  return resolveCosts(p, 3);
}
const w = makeWorkload({ workload: { kind: "realtime-inference", model: "resnet50" }, slo: { throughput: 50 } });

describe("tco: buy, lease and rent on hand-checked numbers", () => {
  const r = estimateTco([owned, rented], w, assumptions());
  const [box, vm] = r.options;
  const buy = box!.ways.find((x) => x.way === "buy")!;
  const lease = box!.ways.find((x) => x.way === "lease")!;
  const rent = vm!.ways.find((x) => x.way === "rent-on-demand")!;

  it("buying: capex + 36 months of energy, colocation and support − 30% residual = $12,594.89", () => {
    // energy: (30 + 270 × 0.5) W = 165 W × PUE 1.5 = 0.2475 kW × 730.5 h × $0.10 = $18.0799/month
    // colocation: 0.3 kW nameplate × $180 = $54/month; support: 10% × $10,000 / 12 = $83.333/month
    // 10000 + 36 × (18.0799 + 54 + 83.3333) − 0.3 × 10000 = 10000 + 5594.88 − 3000 = 12594.88
    expect(buy.totalUsd).toBeCloseTo(12594.88, 1);
    expect(buy.lineItems.find((x) => x.item === "energy")!.perMonthUsd).toBeCloseTo(18.0799, 3);
    expect(buy.lineItems.find((x) => x.item.startsWith("residual"))!.totalUsd).toBeCloseTo(-3000, 6);
    expect(buy.cumulativeUsd[0]).toBe(10_000);
    expect(buy.cumulativeUsd[36]).toBeCloseTo(buy.totalUsd, 6);
  });

  it("leasing without a quoted price derives 3% of the price a month, and says so", () => {
    // 300 × 36 = 10800 + 36 × (18.0799 + 54) = 10800 + 2594.88 = 13394.88 (support inside the lease)
    expect(lease.label).toBe("lease (derived)");
    expect(lease.totalUsd).toBeCloseTo(13394.88, 1);
    expect(box!.notes.join(" ")).toMatch(/lease derived: the catalog quotes no lease for box; 3% of the landed price/);
  });

  it("renting on demand: 730.5 h × $1 a month; buying overtakes it at month 18", () => {
    // rent: 730.5 m; buy: 10000 + 155.413 m → 730.5 m > 10000 + 155.413 m ⇔ m > 17.39: month 17 rent 12418.5 < buy 12642.0, month 18 rent 13149 > buy 12797.4
    expect(rent.totalUsd).toBeCloseTo(730.5 * 36, 6);
    expect(r.crossovers).toContainEqual({ month: 18, cheaper: "buy box", than: "rent on demand vm" });
  });

  it("break-even utilisation is solved exactly: buying beats renting above 47.8%", () => {
    // buy(u) = 7000 + 36 × (3.28725 + 54 + 83.3333) + 36 × 29.58525 × u = 12062.33 + 1065.069 u
    //   (idle 30 W × 1.5 × 730.5 × $0.1 / 1000 = $3.28725; the 270 W dynamic part at 100% = $29.58525/month)
    // rent(u) = 730.5 × 36 × u = 26298 u  →  u = 12062.33 / (26298 − 1065.069) = 0.478039
    const b = r.breakEven.find((x) => x.way === "buy")!;
    expect(b.utilisation).toBeCloseTo(0.478039, 5);
    // and the statement agrees with the chart: at the stated 50%, the crossover of the test above (month 18)
    expect(b.statement).toBe(
      "buying 1× box beats renting 1× vm on demand billed only for busy hours above 47.8% average utilisation over 3 years; at 50% utilisation, its cumulative cost falls below renting's in month 18",
    );
    expect(b.month).toBe(18);
  });

  it("import duty adds to the cash price; financing pays an annuity on the landed price", () => {
    // landed = 10000 × 1.2 = 12000, all financed at 12% over 12 months: 12000 × 0.01 / (1 − 1.01^−12) = 1066.1854/month
    const f = estimateTco(
      [owned],
      w,
      assumptions({ import_duty: "20%", financed: "100%", financing_rate: "12%", financing_term: "1y" }),
    );
    const items = f.options[0]!.ways.find((x) => x.way === "buy")!.lineItems;
    const loan = items.find((x) => x.item === "loan instalments")!;
    expect(loan.perMonthUsd).toBeCloseTo(1066.1854, 3);
    expect([loan.fromMonth, loan.toMonth]).toEqual([1, 12]);
    expect(items.find((x) => x.item === "hardware")).toBeUndefined();
    // a 5-year loan over a 3-year horizon: the balance still owed is paid off at month 36
    const g = estimateTco([owned], w, assumptions({ financed: "100%", financing_rate: "12%", financing_term: "5y" }));
    const payoff = g.options[0]!.ways[0]!.lineItems.find((x) => x.item === "loan payoff at the end")!;
    expect(payoff.totalUsd).toBeCloseTo(remainingBalance(10_000, 0.12, 60, 36), 6);
    expect(payoff.fromMonth).toBe(36);
  });

  it("committed prices appear where the catalog has them, a 3y term billed whole", () => {
    const c3 = makeOffering({
      id: "vm3",
      regions: [
        {
          region: "r1",
          country: "US",
          usd_per_hour: 1,
          usd_per_hour_1y: 0.7,
          usd_per_hour_3y: 0.5,
          source: "https://example.com",
          as_of: "2026-01-01",
        },
      ],
    });
    const t = estimateTco([{ ...rented, offering: c3, region: c3.regions![0]! }], w, {
      ...assumptions(),
      horizonMonths: 48,
    });
    const ways = t.options[0]!.ways;
    expect(ways.map((x) => x.way)).toEqual(["rent-on-demand", "rent-1y", "rent-3y"]);
    // 3y at $0.50/h: 48 months billed + the second term's 24 months past the horizon = 72 × 365.25
    expect(ways[2]!.totalUsd).toBeCloseTo(72 * 0.5 * 730.5, 6);
  });
});

describe("currency", () => {
  it("converts every amount at the stated rate", () => {
    const r = estimateTco([owned, rented], w, assumptions());
    const j = JSON.parse(
      renderTcoJson({ file: "f", name: "n", currency: "COP", fxPerUsd: 4000, assumptions: assumptions(), result: r }),
    );
    const buy = j.options[0].ways[0];
    // 12594.88 USD × 4000 COP/USD = 50,379,520 COP (to 9 significant figures)
    expect(buy.total).toBeCloseTo(buy.total_usd * 4000, -1);
    expect(buy.total).toBeCloseTo(50_379_520, -2);
    expect(fmtMoney(12594.88, "COP", 4000)).toBe("COP 50.4M");
    expect(fmtMoney(-3000, "USD", 1)).toBe("−$3,000");
  });
});
