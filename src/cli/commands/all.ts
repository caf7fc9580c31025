import type { Register } from "../main.js";
import { renderSchema } from "../schema-live.js";
import { registerCalibrate } from "./calibrate.js";
import { registerCatalog } from "./catalog.js";
import { registerCheck } from "./check.js";
import { registerEstimate } from "./estimate.js";
import { registerInit } from "./init.js";
import { registerLock } from "./lock.js";
import { registerModels } from "./models.js";
import { registerRecommend } from "./recommend.js";
import { registerSchema } from "./schema.js";
import { registerTco } from "./tco.js";

/** Every command, in the order `hwadvise --help` lists them. */
export const ALL_COMMANDS: readonly Register[] = [
  registerInit,
  registerRecommend,
  registerCatalog,
  registerEstimate,
  registerCalibrate,
  (program, ctx, setExit) => registerSchema(program, ctx, setExit, renderSchema),
  registerModels,
  registerLock,
  registerCheck,
  registerTco,
];
