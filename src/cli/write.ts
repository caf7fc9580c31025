import { closeSync, fsyncSync, openSync, realpathSync, renameSync, unlinkSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { InputError } from "../errors.js";

/** The file-system calls an atomic write makes; tests pass one that fails part-way. */
export interface WriteFs {
  readonly openSync: (path: string, flags: string, mode?: number) => number;
  readonly writeSync: (fd: number, buf: Uint8Array, offset: number, length: number) => number;
  readonly fsyncSync: (fd: number) => void;
  readonly closeSync: (fd: number) => void;
  readonly renameSync: (from: string, to: string) => void;
  readonly unlinkSync: (path: string) => void;
}

export const NODE_FS: WriteFs = {
  openSync,
  writeSync: (fd, buf, off, len) => writeSync(fd, buf, off, len),
  fsyncSync,
  closeSync,
  renameSync,
  unlinkSync,
};

let counter = 0;

/**
 * Replace `path` with `text` so that a reader (or the next run) sees either the old file or the whole
 * new one, never a torn mix: write a temporary file in the same directory (so the rename does not
 * cross file systems), flush it to disk, then rename it over `path`. A kill, a full disk or any error
 * before the rename leaves the previous file as it was, and the temporary file is removed.
 * `what` names the file in messages ("the baseline", "the overlay").
 */
export function writeFileAtomic(path: string, text: string, what: string, fs: WriteFs = NODE_FS): void {
  // A linked file (a baseline shared through a symlink) is replaced where it really is; the link stays.
  let target = path;
  try {
    target = realpathSync(path);
  } catch {
    // not there yet: created at `path`
  }
  const tmp = join(dirname(target), `.${basename(target)}.${process.pid}.${++counter}.tmp`);
  let fd: number | undefined;
  try {
    fd = fs.openSync(tmp, "wx", 0o644);
    const buf = Buffer.from(text, "utf8");
    for (let off = 0; off < buf.length; ) off += fs.writeSync(fd, buf, off, buf.length - off);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = undefined;
    fs.renameSync(tmp, target);
  } catch (e) {
    if (fd !== undefined) {
      try {
        fs.closeSync(fd);
      } catch {
        // already failing: the write error is the one to report
      }
    }
    try {
      fs.unlinkSync(tmp);
    } catch {
      // never created, or already renamed
    }
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === "ENOENT"
        ? "no such directory"
        : code === "EACCES" || code === "EPERM"
          ? "permission denied"
          : code === "ENOSPC"
            ? "no space left on the device"
            : code === "EFBIG"
              ? "file too large for this file system or limit"
              : code === "EROFS"
                ? "read-only file system"
                : code === "EISDIR"
                  ? "is a directory"
                  : (code ?? (e as Error).message);
    throw new InputError([
      { file: path, message: `cannot write ${what} (${why}); the previous file, if any, is unchanged` },
    ]);
  }
}
