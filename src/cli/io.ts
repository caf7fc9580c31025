import { closeSync, constants, fstatSync, openSync, readSync, statSync, type Stats } from "node:fs";
import { InputError, UsageError } from "../errors.js";
import { MAX_INPUT_BYTES } from "../yaml-source.js";

const decoder = new TextDecoder("utf-8", { fatal: true });

/**
 * Most bytes of a baseline (hwadvise.lock.json) read before refusing it. A lock grows with the profiles it
 * covers (~2.2 KiB each: 1,000 profiles write 2.2 MiB), so it gets its own bound, far above any real
 * project's, instead of the 1 MiB that profiles and catalogs (hand-written YAML) get; it still keeps a
 * hostile or runaway file from being read whole.
 */
export const MAX_LOCK_BYTES = 64 * 1024 * 1024;

/** How long standard input (a pipe) may take to deliver a whole profile before the run gives up. */
export const STDIN_TIMEOUT_MS = 10_000;

/**
 * The deadline for standard input: HWADVISE_STDIN_TIMEOUT seconds when set (a positive number such as 30
 * or 0.5: a generator slower than 10 s, or a harness that wants a hung writer caught sooner), else 10 s.
 */
export function stdinTimeoutMs(env: NodeJS.ProcessEnv): number {
  const v = env.HWADVISE_STDIN_TIMEOUT;
  if (v === undefined || v.trim() === "") return STDIN_TIMEOUT_MS;
  const s = /^\s*\d+(\.\d+)?\s*$/.test(v) ? Number(v) : Number.NaN;
  if (!(s > 0))
    throw new UsageError(
      `HWADVISE_STDIN_TIMEOUT expects a number of seconds above 0 such as 30, found ${JSON.stringify(v)}`,
    );
  return s * 1000;
}

export interface ReadOptions {
  /** Message for a file that does not exist (default "no such file"). */
  readonly missing?: string;
  /** What the file should hold, for the message about an empty one (default "a YAML mapping"). */
  readonly expected?: string;
  /** Most bytes read before refusing (default MAX_INPUT_BYTES). */
  readonly maxBytes?: number;
  /** Time standard input may take when it is a pipe (default: HWADVISE_STDIN_TIMEOUT, else STDIN_TIMEOUT_MS). */
  readonly stdinTimeoutMs?: number;
}

const sleepCell = new Int32Array(new SharedArrayBuffer(4));

/** What a non-regular file is, in words a user recognises. */
function kindOf(st: Stats): string {
  if (st.isFIFO()) return "a named pipe (FIFO)";
  if (st.isCharacterDevice()) return "a character device";
  if (st.isBlockDevice()) return "a block device";
  if (st.isSocket()) return "a socket";
  return "not a regular file";
}

const tooBig = (file: string, maxBytes: number) =>
  new InputError([{ file, message: `input is over the ${maxBytes / 1024} KiB limit; refusing to parse it` }]);

/**
 * Read at most maxBytes + 1 bytes from `fd`: the limit holds while reading, whatever the file claims its
 * size is (/dev/zero says 0 and never ends). With a deadline, `fd` is non-blocking: wait for data in
 * short sleeps and give up when the deadline passes (a pipe whose writer never closes it).
 */
function readBounded(fd: number, file: string, maxBytes: number, deadline?: { at: number; ms: number }): Buffer {
  const buf = Buffer.allocUnsafe(Math.min(maxBytes + 1, 64 * 1024));
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    let n: number;
    try {
      n = readSync(fd, buf, 0, buf.length, null);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EAGAIN" || !deadline) throw e;
      if (Date.now() >= deadline.at)
        throw new InputError([
          {
            file,
            message: `standard input did not end within ${deadline.ms / 1000} s; pipe a complete profile in, or name a file (HWADVISE_STDIN_TIMEOUT=seconds allows longer)`,
          },
        ]);
      Atomics.wait(sleepCell, 0, 0, 5);
      continue;
    }
    if (n === 0) break;
    chunks.push(Buffer.from(buf.subarray(0, n)));
    total += n;
    if (total > maxBytes) throw tooBig(file, maxBytes);
  }
  return Buffer.concat(chunks, total);
}

/**
 * Standard input: a file, device or terminal is read as it is (bounded in bytes; a terminal waits for the user);
 * a pipe (reopened non-blocking through /dev/stdin where the system has it) or socket is read
 * non-blocking, so that a writer that never closes it cannot hold the run past the deadline.
 */
function readStdin(file: string, maxBytes: number, timeoutMs: number): Buffer {
  let st: Stats;
  try {
    st = fstatSync(0);
  } catch {
    throw new InputError([{ file, message: "standard input is closed; pipe a profile in or name a file" }]);
  }
  if (st.isFIFO() || st.isSocket()) {
    const deadline = { at: Date.now() + timeoutMs, ms: timeoutMs };
    let fd: number | undefined;
    try {
      if (st.isFIFO()) fd = openSync("/dev/stdin", constants.O_RDONLY | constants.O_NONBLOCK);
    } catch {
      fd = undefined;
    }
    if (fd !== undefined) {
      try {
        return readBounded(fd, file, maxBytes, deadline);
      } finally {
        closeSync(fd);
      }
    }
    // A socket (what a parent Node process or many CI runners pass) cannot be reopened: Node's stdin
    // stream, created paused, puts fd 0 in non-blocking mode, and the same deadline applies.
    void process.stdin;
    return readBounded(0, file, maxBytes, deadline);
  }
  return readBounded(0, file, maxBytes);
}

/**
 * A named file: only a regular file is read (a FIFO would block, a device never end). It is opened
 * non-blocking, so opening a FIFO returns at once, and checked again on the open descriptor, so a file
 * swapped between the two checks is still caught.
 */
function readFile(path: string, file: string, maxBytes: number): Buffer {
  const refuse = (st: Stats): void => {
    if (st.isDirectory())
      throw new InputError([
        { file, message: "is a directory; name a YAML file (or use a glob such as 'profiles/*.yaml')" },
      ]);
    if (!st.isFile())
      throw new InputError([
        {
          file,
          message: `is ${kindOf(st)}, not a regular file; refusing to read it (to read a stream, pipe it to '-')`,
        },
      ]);
    if (st.size > maxBytes)
      throw new InputError([
        {
          file,
          message: `file is ${Math.round(st.size / 1024)} KiB, over the ${maxBytes / 1024} KiB limit; refusing to parse it`,
        },
      ]);
  };
  refuse(statSync(path));
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK | (constants.O_NOCTTY ?? 0));
  try {
    refuse(fstatSync(fd));
    return readBounded(fd, file, maxBytes);
  } finally {
    closeSync(fd);
  }
}

/**
 * Read a user's input file (or `-` for stdin) as UTF-8 text, with one-line errors for every way it can
 * fail. Bounded while reading: at most `maxBytes`, and for standard input at most `stdinTimeoutMs`.
 */
export function readInput(path: string, opts: ReadOptions = {}): { file: string; text: string } {
  const file = path === "-" ? "<stdin>" : path;
  const maxBytes = opts.maxBytes ?? MAX_INPUT_BYTES;
  // Read before the file, so that a bad setting is a usage error and not a read error of <stdin>.
  const timeoutMs = path === "-" ? (opts.stdinTimeoutMs ?? stdinTimeoutMs(process.env)) : 0;
  let buf: Buffer;
  try {
    buf = path === "-" ? readStdin(file, maxBytes, timeoutMs) : readFile(path, file, maxBytes);
  } catch (e) {
    if (e instanceof InputError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === "ENOENT"
        ? (opts.missing ?? "no such file")
        : code === "EACCES" || code === "EPERM"
          ? "permission denied"
          : code === "EISDIR"
            ? "is a directory"
            : code === "ENOTDIR"
              ? "no such file (a parent in the path is a file, not a directory)"
              : code === "ENAMETOOLONG"
                ? "path is too long"
                : code === "ELOOP"
                  ? "too many symbolic links"
                  : code === "EAGAIN"
                    ? "standard input is not readable"
                    : `cannot be read (${code ?? (e as Error).message})`;
    throw new InputError([{ file, message: why }]);
  }
  if (buf.length === 0)
    throw new InputError([
      {
        file,
        message:
          path === "-"
            ? "standard input is empty; expected a YAML profile"
            : `file is empty; expected ${opts.expected ?? "a YAML mapping"}`,
      },
    ]);
  if (buf.includes(0))
    throw new InputError([
      { file, message: `file holds binary data (NUL bytes), expected ${opts.expected ? "text" : "YAML text"}` },
    ]);
  let text: string;
  try {
    text = decoder.decode(buf);
  } catch {
    throw new InputError([{ file, message: "file is not valid UTF-8 text" }]);
  }
  return { file, text };
}

/** Colour: --no-color/--color > NO_COLOR (non-empty) > FORCE_COLOR > TERM=dumb > stdout is a TTY. */
export function decideColor(flag: boolean | undefined, env: NodeJS.ProcessEnv, isTTY: boolean): boolean {
  if (flag !== undefined) return flag;
  if (env.NO_COLOR) return false;
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== "0" && env.FORCE_COLOR !== "false";
  if (env.TERM === "dumb") return false;
  return isTTY;
}
