// Broken hard constraints: which rule, the figures or lists it judged, and a message written only when read.
export type RuleId =
  | "deployment"
  | "connectivity"
  | "data_residency"
  | "runtimes"
  | "serving_stack"
  | "model_family"
  | "training"
  | "precision"
  | "memory"
  | "latency_p99"
  | "throughput"
  | "ttft"
  | "tokens_per_s"
  | "deadline"
  | "power_budget"
  | "power_cap"
  | "energy_balance"
  | "max_devices"
  | "budget_monthly"
  | "budget_capex"
  | "budget_per_1m"
  | "budget_total"
  | "licence"
  | "lifecycle"
  | "host"
  | "estimate";

/** A broken hard constraint: which rule, why, and by how much (measured vs limit, in the rule's unit). */
export interface Violation {
  readonly rule: RuleId;
  readonly message: string;
  readonly measured?: number | string;
  readonly limit?: number | string;
  /** How far from passing, for ordering infeasible options: |log10(measured/limit)|, or 1 for categorical rules. */
  readonly distance: number;
  /** The field and unit of this violation where they are not its rule's (RULE_REFS): CONCURRENCY_REF. */
  readonly ref?: { readonly field?: string; readonly unit?: string };
}

export type Say = (measured: number, limit: number) => string;

/** A violation whose text is written when read, as the plain data it stands for. */
const violationJson = (v: Violation) => ({
  rule: v.rule,
  message: v.message,
  measured: v.measured,
  limit: v.limit,
  distance: v.distance,
});

/**
 * A categorical violation (what the option has is not in what the profile allows), its text written
 * when first read. Holds the offering's and the profile's own lists, never the option.
 */
export class NotAllowed implements Violation {
  readonly distance = 1;
  constructor(
    readonly rule: RuleId,
    private readonly has: readonly string[],
    private readonly allowed: readonly string[],
    private readonly say: (has: readonly string[], allowed: readonly string[], where?: string) => string,
    /** Where the option was placed, when narrower than `has` (the region it is priced in). */
    private readonly where?: string,
    /** The field to relax where it is not the rule's (RULE_REFS). */
    readonly ref?: Violation["ref"],
  ) {}
  get message(): string {
    return this.say(this.has, this.allowed, this.where);
  }
  get measured(): string {
    return this.has.join(",");
  }
  get limit(): string {
    return this.allowed.join(",");
  }
  toJSON() {
    return violationJson(this);
  }
}

// One list per deployment kind (or country), so a refused deployment allocates no array.
const DEPLOYMENT_LISTS = new Map<string, readonly string[]>();
export const listOf = (d: string) => {
  let l = DEPLOYMENT_LISTS.get(d);
  if (!l) DEPLOYMENT_LISTS.set(d, (l = [d]));
  return l;
};
export const sayDeployment = (has: readonly string[], allowed: readonly string[]) =>
  `${has[0]} not allowed (allowed: ${allowed.join(", ")})`;
export const sayResidency = (has: readonly string[], allowed: readonly string[], where?: string) =>
  `runs in ${where ? `${where} (${has.join(", ")})` : has.join(", ") || "no listed region"}; data must stay in ${allowed.join(", ")}`;
const four = (has: readonly string[]) => `${has.slice(0, 4).join(", ")}${has.length > 4 ? ", …" : ""}`;
export const sayRuntimes = (has: readonly string[], want: readonly string[]) =>
  `no ${want.join("/")} runtime (has ${four(has)})`;
export const sayFamily = (has: readonly string[], want: readonly string[]) =>
  `its compiler maps ${has.join(", ")} models onto it, not ${want[0]} (the rest would run on the host CPU)`;
export const sayStack = (has: readonly string[], want: readonly string[]) =>
  `${want[0]} does not run on it (its software: ${four(has)})`;
export const sayQlora = (has: readonly string[]) =>
  `QLoRA needs bitsandbytes (CUDA, ROCm, Gaudi, Apple Silicon or a CPU), not on its software (${four(has)}): use method lora or full`;

/**
 * A numeric violation whose message is written when first read: a large catalog breaks thousands of
 * rules per profile and a report shows a few of them, so the formatting is paid only for those.
 */
export class Exceeded implements Violation {
  constructor(
    readonly rule: RuleId,
    readonly measured: number,
    readonly limit: number,
    readonly distance: number,
    private readonly say: Say,
  ) {}
  get message(): string {
    return this.say(this.measured, this.limit);
  }
  toJSON() {
    return violationJson(this);
  }
}
