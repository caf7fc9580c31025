// Imported first by every script: a failure prints one line naming the script and what went wrong (a
// located one for input errors), exit 2; the stack only with HWADVISE_DEBUG=1.
import { formatProblem, InputError } from "../src/errors.js";

const script = process.env.npm_lifecycle_event
  ? `npm run ${process.env.npm_lifecycle_event}`
  : (process.argv[1] ?? "script").split("/").pop();

function fail(e: unknown): void {
  if (process.env.HWADVISE_DEBUG === "1") console.error(e);
  else if (e instanceof InputError) for (const p of e.problems) console.error(`${script}: ${formatProblem(p)}`);
  else {
    const err = e as NodeJS.ErrnoException;
    const why =
      err?.code === "ENOENT" && err.path ? `no such file: ${err.path}` : (err?.message ?? String(e)).split("\n")[0];
    console.error(`${script}: ${why} (HWADVISE_DEBUG=1 shows the stack)`);
  }
  process.exit(2);
}

process.on("uncaughtException", fail);
process.on("unhandledRejection", fail);
