import { registerSchema } from "./commands/schema.js";
import { start } from "./start.js";

// The start-up bundle for `hwadvise schema` (the loader runs it for `schema …` when the build made it):
// commander and the schema command, without zod, yaml or the catalog.
start([registerSchema]);
