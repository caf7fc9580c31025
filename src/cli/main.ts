import { Command, CommanderError } from "commander";
import { formatProblem, InputError, UsageError } from "../errors.js";
import type { Ctx } from "./context.js";

/** Adds one command to the program. */
export type Register = (program: Command, ctx: Ctx, setExit: (code: number) => void) => void;

export const VERSION = "0.1.0";

/**
 * Run the CLI with these commands (ALL_COMMANDS; a start-up bundle for one command passes only it);
 * returns the exit code. The only place that maps failures to codes.
 */
export function run(argv: readonly string[], baseCtx: Ctx, commands: readonly Register[]): number {
  const ctx: Ctx = {
    ...baseCtx,
    colorFlag: argv.includes("--no-color") ? false : argv.includes("--color") ? true : baseCtx.colorFlag,
  };
  let code = 0;
  const setExit = (c: number) => {
    code = Math.max(code, c);
  };
  const program = new Command("hwadvise")
    .description("Which AI hardware to run a workload on, and why.")
    .version(VERSION, "-V, --version")
    .option("--no-color", "never colour output")
    .option("--color", "colour output even when piped")
    .option("--debug", "show stack traces of internal errors")
    .showSuggestionAfterError(true)
    .addHelpText(
      "after",
      `
Examples:
  hwadvise recommend profiles/retail-checkout.yaml           ranked table for one profile
  hwadvise recommend 'profiles/**/*.yaml' --format json      every profile, machine-readable
  hwadvise recommend profiles/llm-chat.yaml --explain --top 3 how each estimate was reached
  hwadvise estimate profiles/llm-chat.yaml --chip nvidia-l4  one chip, no prices
  hwadvise catalog --region BR --class cloud-gpu             what can be rented in Brazil
  hwadvise tco profiles/llm-chat.yaml --currency BRL --fx 5.4 rent, buy or lease over 3 years
  hwadvise lock 'profiles/**/*.yaml' && hwadvise check 'profiles/**/*.yaml'   CI baseline and check

Exit codes: 0 ok · 1 check found a changed hardware class · 2 bad input or usage · 3 internal error`,
    )
    .exitOverride()
    .configureOutput({ writeOut: (s) => ctx.out(s), writeErr: (s) => ctx.err(s) });
  for (const register of commands) register(program, ctx, setExit);
  for (const c of program.commands)
    c.exitOverride().configureOutput({ writeOut: (s) => ctx.out(s), writeErr: (s) => ctx.err(s) });
  const debug = argv.includes("--debug");
  try {
    program.parse(argv as string[], { from: "user" });
    return code;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === "commander.helpDisplayed" || e.code === "commander.version" || e.code === "commander.help")
        return 0;
      return 2; // commander already printed the message
    }
    if (e instanceof InputError) {
      for (const p of e.problems) ctx.err(formatProblem(p) + "\n");
      return 2;
    }
    if (e instanceof UsageError) {
      ctx.err(`hwadvise: ${e.message}\n`);
      return 2;
    }
    if (debug) ctx.err(`${(e as Error).stack ?? String(e)}\n`);
    else
      ctx.err(
        `hwadvise: internal error: ${(e as Error).message ?? String(e)} (this is a bug; rerun with --debug for the stack)\n`,
      );
    return 3;
  }
}
