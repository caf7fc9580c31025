import { run } from "./main.js";

// Piped into `head`: stop quietly instead of an EPIPE stack trace.
process.stdout.on("error", (e: NodeJS.ErrnoException) => {
  if (e.code === "EPIPE") process.exit(process.exitCode ?? 0);
  throw e;
});

const chunks: string[] = [];
process.exitCode = run(process.argv.slice(2), {
  out: (s) => {
    chunks.push(s);
  },
  err: (s) => process.stderr.write(s),
  env: process.env,
  isTTY: Boolean(process.stdout.isTTY),
  columns: process.stdout.columns ?? (Number(process.env.COLUMNS) || 120),
});
// One write at the end: output is all-or-nothing and never interleaves with stderr mid-table.
if (chunks.length) process.stdout.write(chunks.join(""));
