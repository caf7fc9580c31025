import { averagePriceUsdPerKwh } from "../energy/tariff.js";
import type { Costs, Profile } from "../profile/schema.js";
import { DEFAULTS } from "../estimate/workload.js";

/** Every TCO assumption, resolved: the profile's `costs:` over these defaults. Fractions are 0–1, money USD. */
export interface CostAssumptions {
  readonly horizonMonths: number;
  readonly energyUsdPerKwh: number;
  readonly pue: number;
  readonly financed: number;
  readonly financingRate: number;
  readonly financingTermMonths: number;
  readonly residualValue: number;
  readonly residualAfterMonths: number;
  readonly importDuty: number;
  readonly leaseFactor: number;
  readonly leaseTermMonths: number;
  readonly colocationPerKwMonthUsd: number;
  readonly supportPerYear: number;
  /** Stated flat staff cost a month for the owned deployment; undefined = scale with what is run (per unit and per kW). */
  readonly operationsOwnedUsd?: number;
  readonly operationsPerUnitMonthUsd: number;
  readonly operationsPerKwMonthUsd: number;
  readonly operationsRentedUsd: number;
  /** The most a used unit resells for, as a share of its price, however young (resale of a nearly new part). */
  readonly resaleCeiling: number;
  /** Cloud billing overrides (absent = the provider's, src/cost/billing.ts). Seconds. */
  readonly billingGranularityS?: number;
  readonly billingMinimumS?: number;
  /** Instance start-up paid on every batch or training run, seconds. */
  readonly startupS: number;
  /** Rate weights load at the start of each run (object storage or network disk to host), GB/s. */
  readonly modelLoadGbPerS: number;
  /** Stated utilisation (overrides the estimate's), when given. */
  readonly utilisation?: number;
  /** Where each value came from: "profile" or the default's source. */
  readonly sources: Readonly<Record<string, string>>;
}

/** Defaults for `costs:`, each with its source or the reason it is what it is. */
export const COST_DEFAULTS = {
  financed: { value: 0, source: "default: bought with cash; set costs.financed to borrow" },
  financing_rate: {
    value: 0.08,
    source:
      "default: a 2026 equipment-loan rate for a creditworthy business (~prime + 0.5–1 pt); not sourced, state yours",
  },
  financing_term: {
    value: 3,
    source: "default: the usual 36-month equipment loan, matching the 3-year server depreciation period",
  },
  residual_value: {
    value: 0.3,
    source:
      "data/reference/purchase_prices.csv: H100 ~30% of price at 36 months (residual-value guide, low confidence; 25–40% band); A100 40%",
  },
  residual_after: {
    value: 3,
    source:
      "the age the residual_value figure is quoted at (36 months); other ages decline geometrically (the " +
      "guide's 65%/45%/30% at 12/24/36 months is near-geometric)",
  },
  import_duty: {
    value: 0,
    source:
      "default: none; LatAm duties and VAT (MX 16% VAT, CO 19%, BR ~27% effective on IT goods) are not sourced in data/reference — state yours",
  },
  lease_factor: {
    value: 0.03,
    source:
      "derived: a 36-month lease at 8%/yr with a 30% residual costs 2.4% of price a month (annuity); +25% " +
      "lessor margin ≈ 3%. The GPU Lease Rate Index (A100 $1,200/GPU-month ≈ 9.6% of a $12,500 card) is " +
      "short-term rental, not a term lease",
  },
  lease_term: { value: 3, source: "default: 36-month term, as the lease factor assumes" },
  colocation_per_kw_month: {
    value: 180,
    source:
      "data/reference/purchase_prices.csv: colocation $150–250/kW-month GPU-density, retail Tier-1 $120–180 " +
      "(Encor Advisors 2026); the GitHub TCO compilation uses $180",
  },
  support_per_year: {
    value: 0.1,
    source:
      "typical vendor support 10–20% of price a year; DGX H100 support quoted at 20% " +
      "(data/reference/purchase_prices.csv); 10% matches recommend's maintenance",
  },
  operations_per_kw_month: {
    value: 100,
    source:
      "assumed: ~10% of an operations engineer (~$120k/yr loaded, $1,000/month) for racking, firmware, " +
      "failures and spares per ~10 kW, the nameplate of one 8-GPU server; scales with what is run (per kW of " +
      "nameplate power); not sourced, state yours (or a flat operations_owned)",
  },
  operations_per_unit_month: {
    value: 0,
    source:
      "assumed: none beyond the per-kW share; state a per-device fleet-management fee (remote updates, monitoring) if you pay one",
  },
  resale_ceiling: {
    value: 0.7,
    source:
      "data/reference/purchase_prices.csv: H100 refurbished $18–22k against $25–30k new (~70–75%); a seller " +
      "gets at most that however young the part, so a part bought for one run loses at least 30% of its price",
  },
  startup: {
    value: 120,
    source:
      "VM boot ~25–60 s measured on GCP (Aboukhalil 2018, " +
      "https://medium.com/@robaboukhalil/move-fast-and-break-the-cloud-b55b899e3683) plus GPU driver and " +
      "container start; the usual 1–2 minute rule of thumb; seconds per run",
  },
  model_load_gb_per_s: {
    value: 1,
    source:
      "EBS gp3 tops out at 1,000 MiB/s " +
      "(https://docs.aws.amazon.com/ebs/latest/userguide/general-purpose.html); weights are read once per run " +
      "at about that rate",
  },
  operations_rented: {
    value: 0,
    source:
      "assumed: the provider runs the hardware; the team's own work on the service is the same for every way and cancels",
  },
} as const;

const MONTHS_PER_YEAR = 12;

/** Resolve the profile's `costs:` over COST_DEFAULTS. `horizonYears` comes from --horizon or the profile. Pure. */
export function resolveCosts(
  profile: Pick<Profile, "costs" | "energy" | "horizon">,
  horizonYears: number,
): CostAssumptions {
  const c: Costs = profile.costs ?? {};
  const sources: Record<string, string> = {};
  const pick = <K extends keyof typeof COST_DEFAULTS>(k: K): number => {
    const v = c[k] as number | undefined;
    sources[k] = v === undefined ? COST_DEFAULTS[k].source : "profile";
    return v ?? COST_DEFAULTS[k].value;
  };
  sources.energy_price_per_kwh =
    profile.energy?.price_per_kwh !== undefined
      ? "profile"
      : "default: between US and LatAm business averages (data/reference/energy_prices.csv)";
  if (profile.energy?.tariff) sources.energy_price_per_kwh = "profile: time-of-use tariff averaged over the day";
  sources.pue =
    profile.energy?.pue !== undefined
      ? "profile"
      : "default: Uptime Institute survey average ~1.5 (data/reference/energy_prices.csv)";
  sources.operations_owned =
    c.operations_owned !== undefined
      ? "profile"
      : "not stated: operations_per_kw_month × nameplate kW + operations_per_unit_month × units";
  sources.startup = c.startup !== undefined ? "profile" : COST_DEFAULTS.startup.source;
  sources.billing =
    c.billing_granularity !== undefined || c.billing_minimum !== undefined
      ? "profile"
      : "per provider (src/cost/billing.ts)";
  sources.utilisation = c.utilisation !== undefined ? "profile" : "estimate: average load ÷ provisioned capacity";
  return {
    horizonMonths: Math.max(1, Math.round(horizonYears * MONTHS_PER_YEAR)),
    // A time-of-use tariff: its average over the day (src/energy/tariff.ts).
    energyUsdPerKwh: averagePriceUsdPerKwh(
      profile.energy?.price_per_kwh ?? DEFAULTS.energyUsdPerKwh,
      profile.energy?.tariff?.map((b) => ({ fromH: b.from, toH: b.to, usdPerKwh: b.price_per_kwh })),
    ),
    pue: profile.energy?.pue ?? DEFAULTS.pue,
    financed: pick("financed"),
    financingRate: pick("financing_rate"),
    financingTermMonths: Math.max(1, Math.round(pick("financing_term") * MONTHS_PER_YEAR)),
    residualValue: pick("residual_value"),
    residualAfterMonths: Math.max(1, Math.round(pick("residual_after") * MONTHS_PER_YEAR)),
    importDuty: pick("import_duty"),
    leaseFactor: pick("lease_factor"),
    leaseTermMonths: Math.max(1, Math.round(pick("lease_term") * MONTHS_PER_YEAR)),
    colocationPerKwMonthUsd: pick("colocation_per_kw_month"),
    supportPerYear: pick("support_per_year"),
    ...(c.operations_owned !== undefined ? { operationsOwnedUsd: c.operations_owned } : {}),
    operationsPerUnitMonthUsd: pick("operations_per_unit_month"),
    operationsPerKwMonthUsd: pick("operations_per_kw_month"),
    resaleCeiling: pick("resale_ceiling"),
    ...(c.billing_granularity !== undefined ? { billingGranularityS: c.billing_granularity / 1000 } : {}),
    ...(c.billing_minimum !== undefined ? { billingMinimumS: c.billing_minimum / 1000 } : {}),
    startupS: c.startup !== undefined ? c.startup / 1000 : COST_DEFAULTS.startup.value,
    modelLoadGbPerS: pick("model_load_gb_per_s"),
    operationsRentedUsd: pick("operations_rented"),
    utilisation: c.utilisation,
    sources,
  };
}
