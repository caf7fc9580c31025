import Table from "cli-table3";
import type { ModelPreset } from "../models/schema.js";
import { fmtCount, fmtParams } from "./format.js";

/** `hwadvise models` reporters. Pure: the presets in, text out. */

export interface ModelList {
  readonly schemaVersion: 1;
  readonly models: readonly ModelPreset[];
}

export function renderModelsTable(list: ModelList): string {
  const t = new Table({
    head: ["id", "family", "params", "FLOPs/sample", "precision", "name"],
    style: { head: [], border: [] },
  });
  for (const m of list.models) {
    const flops = m.flops_per_sample
      ? fmtCount(m.flops_per_sample)
      : `${fmtCount(2 * (m.active_params ?? m.params))}/token`;
    t.push([m.id, m.family, fmtParams(m.params), flops, m.default_precision, m.name]);
  }
  return `${t.toString()}\n`;
}

export const renderModelsJson = (list: ModelList): string => `${JSON.stringify(list, null, 2)}\n`;
