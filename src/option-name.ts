// How an option is named in a ranking: devices, chip, the unit it comes in and where.
import { isGang, type OptionEstimate } from "./estimate/option.js";

/** "NVIDIA L4 (24 GB)" → "NVIDIA L4": the name without its trailing parenthesis. */
const shortName = (name: string) => name.replace(/\s*\([^()]*(\([^()]*\)[^()]*)*\)\s*$/, "").trim() || name;

/**
 * Short names remembered for one ranking (thousands of options share a few chip and offering names).
 * Made per call, not per module: a long-lived process ranking user catalogs must not keep every name seen.
 */
export function shortNames(): (name: string) => string {
  const memo = new Map<string, string>();
  return (name) => {
    let s = memo.get(name);
    if (s === undefined) memo.set(name, (s = shortName(name)));
    return s;
  };
}

/** "2× NVIDIA L4 (AWS g6.12xlarge, us-east-1)": devices (per site at the edge), chip, the unit and where. */
export function optionName(o: OptionEstimate, perSite: number, short: (name: string) => string = shortName): string {
  const unit =
    o.offering.provider && o.offering.instance_type
      ? `${o.offering.provider} ${o.offering.instance_type}`
      : short(o.offering.name);
  const capped = o.powerCap && o.powerCap.tdpW <= o.powerCap.capW + 1e-9 ? ` @${o.powerCap.capW} W` : "";
  // Cards run as one unit of k (a model split over them) are counted as the cards the name names.
  const named = isGang(o.offering) ? o.units * o.offering.count : o.units;
  const units = named > 1 ? `${named}× ` : "";
  const where = o.region ? `, ${o.region.region}` : "";
  return `${perSite}× ${short(o.chip.name)}${capped} (${units}${unit}${where})`;
}
