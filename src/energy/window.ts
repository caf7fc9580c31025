import { isTraining } from "../profile/schema.js";
import type { Deployment } from "../catalog/schema.js";
import type { Workload } from "../estimate/workload.js";
import { wallClockH, windowHoursWithin } from "./tariff.js";
import type { Window } from "./units.js";

/** The job window that binds an option: batch and training jobs on owned hardware (cloud capacity runs any time). */
export function windowFor(w: Workload, deployment: Deployment): Window | undefined {
  const win = w.energy?.window;
  if (!win || deployment === "cloud") return undefined;
  return w.kind === "batch-inference" || isTraining(w.kind) ? win : undefined;
}

/** Hours of running the deadline leaves: all of it, or only its window hours. */
export function runHoursWithin(w: Workload, deployment: Deployment): number | undefined {
  const d = w.slo.deadlineH;
  if (d === undefined) return undefined;
  const win = windowFor(w, deployment);
  return win ? windowHoursWithin(d, win) : d;
}

/** Wall-clock hours of a run of `runH` hours for this deployment (spread over windows when one binds). */
export function wallHours(runH: number, w: Workload, deployment: Deployment): number {
  const win = windowFor(w, deployment);
  return win ? wallClockH(runH, win) : runH;
}
