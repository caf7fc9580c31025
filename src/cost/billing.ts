import type { Offering } from "../catalog/schema.js";
import type { CostAssumptions } from "../tco/assumptions.js";

/** How a provider bills an on-demand instance: in increments of `granularityS`, at least `minimumS` per start. */
export interface ProviderBilling {
  readonly granularityS: number;
  readonly minimumS: number;
  readonly source: string;
}

/**
 * On-demand billing of GPU virtual machines, per provider (bare-metal shapes can differ: OCI bills them a
 * one-hour minimum; state `costs.billing_minimum` for those).
 */
export const PROVIDER_BILLING: Readonly<Record<string, ProviderBilling>> = {
  AWS: {
    granularityS: 1,
    minimumS: 60,
    source:
      "https://aws.amazon.com/about-aws/whats-new/2017/10/announcing-amazon-ec2-per-second-billing/ (Linux " +
      "on-demand, reserved and spot: one-second increments, 60 s minimum)",
  },
  GCP: {
    granularityS: 1,
    minimumS: 60,
    source:
      "Compute Engine: per-second billing with a one-minute minimum for vCPUs, GPUs and memory (https://cloud.google.com/compute/vm-instance-pricing)",
  },
  Azure: {
    granularityS: 1,
    minimumS: 300,
    source:
      "Azure VMs: per second; from 2025-06-01 at least 5 minutes per start " +
      "(https://learn.microsoft.com/en-us/answers/questions/2259765/clarification-on-azure-vm-billing-for-short-runtim)",
  },
  OCI: {
    granularityS: 1,
    minimumS: 60,
    source:
      "OCI: VM instances incl. GPU billed per second with a one-minute minimum " +
      "(https://the-report.cloud/oracle-announcing-per-second-billing-for-compute-and-autonomous-database)",
  },
  Lambda: {
    granularityS: 60,
    minimumS: 60,
    source: "Lambda On-Demand Cloud bills in one-minute increments (https://docs.lambda.ai/public-cloud/billing)",
  },
};

/** A provider the table does not know: per minute, one-minute minimum (the coarsest of the common GPU clouds). */
export const UNKNOWN_PROVIDER_BILLING: ProviderBilling = {
  granularityS: 60,
  minimumS: 60,
  source:
    "assumed for a provider not in src/cost/billing.ts: per minute with a one-minute minimum; state costs.billing_granularity / billing_minimum",
};

/** What one batch or training run is billed: the run plus start-up and model load, rounded up as the provider bills. */
export interface RunBilling {
  readonly granularityS: number;
  readonly minimumS: number;
  readonly startupS: number;
  readonly loadS: number;
  readonly source: string;
}

/** Billing of one run on `o`: the profile's overrides, else the offering's granularity, else its provider's. Pure. */
export function runBillingOf(o: Offering, a: CostAssumptions, weightBytes: number): RunBilling {
  const p = (o.provider !== undefined ? PROVIDER_BILLING[o.provider] : undefined) ?? UNKNOWN_PROVIDER_BILLING;
  const granularityS = a.billingGranularityS ?? o.billing_granularity_s ?? p.granularityS;
  const minimumS = a.billingMinimumS ?? p.minimumS;
  return {
    granularityS: Math.max(granularityS, 1e-3),
    minimumS,
    startupS: a.startupS,
    loadS: weightBytes / (a.modelLoadGbPerS * 1e9),
    source: a.billingGranularityS !== undefined || a.billingMinimumS !== undefined ? "costs: in the profile" : p.source,
  };
}

/** Hours billed per instance for a run of `runHours`: (run + start-up + load) rounded up to the increment, at least the minimum. */
export function billedHours(runHours: number, b: RunBilling): number {
  const s = runHours * 3600 + b.startupS + b.loadS;
  return Math.max(b.minimumS, Math.ceil(s / b.granularityS - 1e-9) * b.granularityS) / 3600;
}
