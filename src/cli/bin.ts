import { ALL_COMMANDS } from "./commands/all.js";
import { start } from "./start.js";

start(ALL_COMMANDS);
