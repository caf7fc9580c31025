import type { Chip, HostInterface, Offering } from "../catalog/schema.js";

/**
 * Deployable units: a part that cannot run alone (a PCIe card, a Raspberry Pi HAT, a USB stick, an
 * accelerator baseboard) is recommended with the host it needs. The host is another catalog offering
 * that declares `host_slots` for the part's interface; the cheapest one for the parts needed is
 * chosen, and several parts share a host up to its slots (three cards in a four-slot server: one host).
 * Pure: catalog data in, a plan out. The cost-of-ownership code reads `capexUsd` and `hosts` from it.
 */

/** A host offering that can carry a part, with what one host unit costs and draws. */
export interface HostCandidate {
  readonly offering: Offering;
  /** Parts of the interface one host takes. */
  readonly slots: number;
  readonly capexUsd: number;
  /** The host's own draw at full load and idle, W (without the parts it carries). */
  readonly fullW: number;
  readonly idleW: number;
}

/** The host a part is recommended with: which offering, how many host units, what they cost and draw. */
export interface ResolvedHost {
  readonly interface: HostInterface;
  /** The host offering (for an existing host: the cheapest compatible one, whose power stands in for the team's). */
  readonly offering?: Offering;
  /** The team's own host (constraints.host: existing): no price counted. */
  readonly existing: boolean;
  /** Host units for the parts (per site at the edge). */
  readonly hosts: number;
  /** Deployable units per host unit: the host's slots for the interface over the slots a unit takes. */
  readonly slots: number;
  /** Slots of the interface one deployable unit takes (slotsPerUnit). */
  readonly slotsEach: number;
  /** Purchase price of all `hosts` units, USD (0 for an existing host). */
  readonly capexUsd: number;
  /** One host unit's own draw at full load and idle, W. */
  readonly fullW: number;
  readonly idleW: number;
}

/** The `host` field of a JSON recommendation. */
export type HostJson =
  | {
      readonly id: string;
      readonly name: string;
      readonly units: number;
      readonly capex_usd: number;
      readonly power_w: number;
    }
  | { readonly existing: true; readonly power_w?: number };

/** One host unit's draw: its stated power, or its CPUs at TDP (idle: its CPUs idle). */
function hostDraw(h: Offering, chip: Chip | undefined): { fullW: number; idleW: number } {
  const chipFull = chip ? h.count * chip.tdp_w : 0;
  const chipIdle = chip ? h.count * chip.idle_w : 0;
  const fullW = h.power_w ?? chipFull + (h.host_w ?? 0);
  // Idle scales with the stated full power when that replaces the CPUs' TDP.
  const idleW = chipFull > 0 ? Math.min(fullW, (chipIdle / chipFull) * fullW) : fullW;
  return { fullW, idleW };
}

/**
 * The hosts of the catalog that take offering `o`'s interface and its use (`host_takes`), cheapest first
 * (same deployment kind before others). Undefined when `o` runs on its own. Worked out once per catalog
 * and offering.
 */
export function hostCandidates(
  o: Offering,
  offerings: readonly Offering[],
  chips: ReadonlyMap<string, Chip>,
): readonly HostCandidate[] | undefined {
  const iface = o.requires_host;
  if (iface === undefined) return undefined;
  const use = o.use ?? chips.get(o.chip)?.use;
  const out: HostCandidate[] = [];
  for (const h of offerings) {
    const slots = h.host_slots?.[iface];
    if (!slots || h.id === o.id || h.requires_host !== undefined || h.capex_usd === undefined) continue;
    if (h.host_takes && !(use && h.host_takes.includes(use))) continue;
    out.push({ offering: h, slots, capexUsd: h.capex_usd, ...hostDraw(h, chips.get(h.chip)) });
  }
  const rank = (c: HostCandidate) => (c.offering.deployment === o.deployment ? 0 : 1);
  return out.sort(
    (a, b) =>
      rank(a) - rank(b) ||
      a.capexUsd - b.capexUsd ||
      (a.offering.id < b.offering.id ? -1 : a.offering.id > b.offering.id ? 1 : 0),
  );
}

/**
 * Slots one unit of a part takes: a card each of its PCIe cards (two cards sold as a pair take two
 * slots, and a unit split over them stays in one host); one for a baseboard, a CPU pair's platform, a
 * HAT or a USB stick.
 */
export const slotsPerUnit = (o: Offering): number => (o.requires_host === "pcie" ? o.count : 1);

/**
 * The host for `parts` units of a part: the candidate that carries them for the least money (hosts of
 * the part's own deployment kind first), ties to fewer host units then id. A unit never straddles two
 * hosts: a host whose slots cannot take one unit (or `together` units) is passed over. With `existing`, the team's host:
 * nothing bought, and the cheapest compatible host's draw stands in for its power. Undefined when the
 * catalog has no compatible host (and the team has none).
 */
export function resolveHost(
  o: Offering,
  candidates: readonly HostCandidate[] | undefined,
  parts: number,
  existing: boolean,
  /** Units that must share one host (a training state sharded over them); hosts taking fewer are passed over. */
  together = 1,
): ResolvedHost | undefined {
  const iface = o.requires_host;
  if (iface === undefined) return undefined;
  const n = Math.max(1, parts);
  const each = slotsPerUnit(o);
  let best: HostCandidate | undefined;
  let bestCost = Infinity;
  let bestHosts = Infinity;
  const sameKind = candidates?.some((c) => c.offering.deployment === o.deployment) ?? false;
  for (const c of candidates ?? []) {
    if (sameKind && c.offering.deployment !== o.deployment) continue;
    const perHost = Math.floor(c.slots / each);
    if (perHost < Math.max(1, Math.min(together, n))) continue;
    const hosts = Math.ceil(n / perHost);
    const cost = hosts * c.capexUsd;
    if (cost < bestCost || (cost === bestCost && hosts < bestHosts)) {
      best = c;
      bestCost = cost;
      bestHosts = hosts;
    }
  }
  if (!best) {
    if (!existing) return undefined;
    // The team's host, of unknown kind: one per part, drawing what the offering says a host draws.
    const w = o.host_w ?? 0;
    return { interface: iface, existing: true, hosts: n, slots: 1, slotsEach: each, capexUsd: 0, fullW: w, idleW: w };
  }
  return {
    interface: iface,
    offering: best.offering,
    existing,
    hosts: bestHosts,
    slots: Math.floor(best.slots / each),
    slotsEach: each,
    capexUsd: existing ? 0 : bestCost,
    fullW: best.fullW,
    idleW: best.idleW,
  };
}

/** Power of the host units at a utilisation between 0 and 1, W (all of them). */
export function hostPowerAt(h: ResolvedHost, util: number): number {
  return h.hosts * (h.idleW + (h.fullW - h.idleW) * util);
}

/** The JSON form: `{ id, name, units, capex_usd, power_w }`, or `{ existing: true, power_w }` for the team's own. */
export function hostJson(h: ResolvedHost, sites: number): HostJson {
  // Units and draw on the row's own basis (per site at the edge, as its units and power_w); the price of all
  // of them, as the row's capex_usd.
  const powerW = h.hosts * h.fullW;
  if (h.existing) return { existing: true, ...(h.fullW > 0 ? { power_w: powerW } : {}) };
  return {
    id: h.offering!.id,
    name: h.offering!.name,
    units: h.hosts,
    capex_usd: h.capexUsd * sites,
    power_w: powerW,
  };
}

/** "+ host: Raspberry Pi 5 4GB ($70, 12 W)" — the breakdown line. */
export function hostLine(h: ResolvedHost, sites: number): string {
  const where = h.offering ? `${h.hosts * sites}× ${h.offering.name}` : `${h.hosts * sites} host(s)`;
  const carry = `${h.slots * h.slotsEach} ${h.interface} slot(s) each`;
  if (h.existing)
    return (
      `+ host: the team's own (${h.interface}; price not counted), drawing ` +
      `${Math.round(h.fullW * 10) / 10} W each at load${h.offering ? ` like ${h.offering.name}` : ""}`
    );
  return `+ host: ${where} (${carry}) $${Math.round(h.capexUsd * sites)} total, ${Math.round(h.fullW * 10) / 10} W each at load`;
}
