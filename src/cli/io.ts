import { readFileSync, statSync, fstatSync } from "node:fs";
import { InputError } from "../errors.js";
import { MAX_INPUT_BYTES } from "../yaml-source.js";

const decoder = new TextDecoder("utf-8", { fatal: true });

/** Read a user's input file (or `-` for stdin) as UTF-8 text, with one-line errors for every way it can fail. */
export function readInput(path: string): { file: string; text: string } {
  const file = path === "-" ? "<stdin>" : path;
  let buf: Buffer;
  try {
    if (path === "-") {
      try {
        fstatSync(0);
      } catch {
        throw new InputError([{ file, message: "standard input is closed; pipe a profile in or name a file" }]);
      }
      buf = readFileSync(0);
    } else {
      const st = statSync(path);
      if (st.isDirectory()) throw new InputError([{ file, message: "is a directory; name a YAML file (or use a glob such as 'profiles/*.yaml')" }]);
      if (st.size > MAX_INPUT_BYTES) throw new InputError([{ file, message: `file is ${Math.round(st.size / 1024)} KiB, over the ${MAX_INPUT_BYTES / 1024} KiB limit; refusing to parse it` }]);
      buf = readFileSync(path);
    }
  } catch (e) {
    if (e instanceof InputError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "no such file" : code === "EACCES" || code === "EPERM" ? "permission denied" : code === "EISDIR" ? "is a directory" : code === "ENOTDIR" ? "no such file (a parent in the path is a file, not a directory)" : code === "ENAMETOOLONG" ? "path is too long" : code === "ELOOP" ? "too many symbolic links" : code === "EAGAIN" ? "standard input is not readable" : `cannot be read (${code ?? (e as Error).message})`;
    throw new InputError([{ file, message: why }]);
  }
  if (buf.length > MAX_INPUT_BYTES) throw new InputError([{ file, message: `input is over the ${MAX_INPUT_BYTES / 1024} KiB limit; refusing to parse it` }]);
  if (buf.length === 0) throw new InputError([{ file, message: path === "-" ? "standard input is empty; expected a YAML profile" : "file is empty; expected a YAML mapping" }]);
  if (buf.includes(0)) throw new InputError([{ file, message: "file holds binary data (NUL bytes), expected YAML text" }]);
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
