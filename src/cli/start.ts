import { fstatSync, writeSync } from "node:fs";
import { run, type Register } from "./main.js";

/**
 * Is this descriptor a terminal? Only a character device can be one, and fstat needs no module load,
 * while node:tty (and process.stdout, which builds a net.Socket for a pipe) costs milliseconds of
 * start-up: they are loaded only for a character device.
 */
function isTerminal(fd: number): boolean {
  try {
    const st = fstatSync(fd);
    if (!st.isCharacterDevice()) return false;
    // Linux memory devices (major 1: /dev/null, /dev/zero) are never terminals.
    if (process.platform === "linux" && ((st.rdev >> 8) & 0xfff) === 1) return false;
  } catch {
    return false;
  }
  return process.getBuiltinModule("node:tty").isatty(fd);
}

const sleep = new Int32Array(new SharedArrayBuffer(4));

/**
 * Write all of `text` to a pipe or file descriptor. Piped into `head`, stop quietly (EPIPE) instead of
 * with a stack trace; a non-blocking pipe that is full (EAGAIN) is waited on.
 */
function writeAll(fd: number, text: string): void {
  const buf = Buffer.from(text, "utf8");
  let off = 0;
  while (off < buf.length) {
    try {
      off += writeSync(fd, buf, off);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === "EAGAIN") Atomics.wait(sleep, 0, 0, 2);
      else if (code === "EPIPE") process.exit(process.exitCode ?? 0);
      else throw e;
    }
  }
}

/** Run the CLI as a process: argv, environment, terminal detection, one write of the output at the end. */
export function start(commands: readonly Register[]): void {
  const tty = isTerminal(1);
  const errTty = isTerminal(2);
  // A terminal gets Node's stream (it knows the width and how to write to a console); pipes and files are written directly.
  const write = (fd: 1 | 2, s: string) => {
    if (fd === 1 ? tty : errTty) (fd === 1 ? process.stdout : process.stderr).write(s);
    else writeAll(fd, s);
  };
  if (tty) {
    process.stdout.on("error", (e: NodeJS.ErrnoException) => {
      if (e.code === "EPIPE") process.exit(process.exitCode ?? 0);
      throw e;
    });
  }

  const chunks: string[] = [];
  const ctx = {
    out: (s: string) => {
      chunks.push(s);
    },
    err: (s: string) => write(2, s),
    env: process.env,
    isTTY: tty,
    columns: (tty ? process.stdout.columns : undefined) ?? (Number(process.env.COLUMNS) || 120),
  };
  process.exitCode = run(process.argv.slice(2), ctx, commands);
  // One write at the end: output is all-or-nothing and never interleaves with stderr mid-table.
  if (chunks.length) write(1, chunks.join(""));
}
