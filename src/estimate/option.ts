// An option: an offering provisioned for a workload, estimated, with its power and cost. The parts live in
// unit.ts (what a unit is and draws), option-cost.ts (what it costs), inference-option.ts and
// training-option.ts (how many units and the figures they reach) and perf-memo.ts (shared estimates).
export * from "./unit.js";
export { landedCapex } from "./option-cost.js";
export { estimateOption, isGang } from "./inference-option.js";
export { PerfMemo } from "./perf-memo.js";
