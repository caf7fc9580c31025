import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { InputError, UsageError } from "../errors.js";
import { MAX_INPUT_BYTES } from "../yaml-source.js";

/** A copy of the profiles and catalog overlays at a git ref, laid out as in the repository. */
export interface BaseTree {
  /** The working directory's counterpart inside the copy: relative paths given to `check` resolve here. */
  readonly cwd: string;
  readonly remove: () => void;
}

function git(args: readonly string[], cwd: string, input?: string): { code: number; stdout: Buffer; stderr: string } {
  // Loaded here, not at start-up: only `check --base` runs git.
  const { spawnSync } = process.getBuiltinModule("node:child_process");
  const r = spawnSync("git", args, { cwd, input, maxBuffer: 1 << 30 });
  if (r.error) {
    const code = (r.error as NodeJS.ErrnoException).code;
    throw new UsageError(
      code === "ENOENT" ? "--base needs git on the PATH" : `--base: could not run git (${code ?? r.error.message})`,
    );
  }
  return { code: r.status ?? 1, stdout: r.stdout, stderr: r.stderr.toString("utf8").trim().split("\n")[0] ?? "" };
}

/** The directory part of a path or glob before its first wildcard: what to copy for it. */
function staticPrefix(pattern: string): string {
  const norm = pattern.replace(/\\/g, "/");
  const firstGlob = norm.search(/[*?{]/);
  if (firstGlob < 0) return norm;
  const cut = norm.lastIndexOf("/", firstGlob);
  return cut >= 0 ? norm.slice(0, cut) : ".";
}

/**
 * Copy the files `paths` (profile patterns and overlay files, relative to `cwd` or absolute) could name
 * at `ref` into a temporary directory, through `git ls-tree` and one `git cat-file --batch`. No work tree
 * or index is touched, so a dirty checkout is fine. Throws a UsageError outside a repository or for an
 * unknown ref.
 */
export function checkoutBase(ref: string, paths: readonly string[], workDir = process.cwd()): BaseTree {
  // git prints the repository's real path; compare like with like when the working directory is a symlink.
  const cwd = realpathSync.native(workDir);
  if (ref.startsWith("-"))
    throw new UsageError(`--base ${JSON.stringify(ref)}: expected a git ref such as origin/main or HEAD~1`);
  const top = git(["rev-parse", "--show-toplevel"], cwd);
  if (top.code !== 0) throw new UsageError(`--base needs a git repository: ${top.stderr || "git rev-parse failed"}`);
  const root = top.stdout.toString("utf8").trim();
  const commit = git(["rev-parse", "--verify", "--quiet", `${ref}^{commit}`], cwd);
  if (commit.code !== 0)
    throw new UsageError(
      `--base ${ref}: no such commit in this repository (fetch it first, e.g. \`git fetch origin ` +
        `${ref.replace(/^origin\//, "")}\`; in CI check out with enough history, e.g. fetch-depth: 0)`,
    );
  const sha = commit.stdout.toString("utf8").trim();
  const specs = new Set<string>();
  for (const p of paths) {
    const rel = relative(root, resolve(cwd, staticPrefix(p)))
      .split(sep)
      .join("/");
    if (rel.startsWith("..") || isAbsolute(rel))
      throw new UsageError(`--base reads files from the repository at ${ref}; ${p} is outside it`);
    specs.add(rel === "" ? "." : rel);
  }
  const listed = git(["ls-tree", "-r", "-z", "--full-tree", sha, "--", ...specs], root);
  if (listed.code !== 0) throw new UsageError(`--base ${ref}: git ls-tree failed: ${listed.stderr}`);
  // "<mode> blob <sha>\t<path>" entries; only regular files of the kinds hwadvise reads.
  const blobs: { sha: string; path: string }[] = [];
  for (const line of listed.stdout.toString("utf8").split("\0")) {
    const m = /^(\d+) blob ([0-9a-f]+)\t(.+)$/s.exec(line);
    if (m && m[1] !== "120000" && /\.(ya?ml|json)$/i.test(m[3]!)) blobs.push({ sha: m[2]!, path: m[3]! });
  }
  const dir = mkdtempSync(join(tmpdir(), "hwadvise-base-"));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  try {
    if (blobs.length) {
      const cat = git(["cat-file", "--batch"], root, blobs.map((b) => b.sha).join("\n") + "\n");
      if (cat.code !== 0) throw new UsageError(`--base ${ref}: git cat-file failed: ${cat.stderr}`);
      let at = 0;
      const out = cat.stdout;
      for (const b of blobs) {
        const nl = out.indexOf(10, at);
        const header = out.subarray(at, nl).toString("utf8");
        const size = Number(header.split(" ")[2]);
        if (!Number.isFinite(size))
          throw new InputError([{ file: b.path, message: `--base ${ref}: unexpected git output (${header})` }]);
        const body = out.subarray(nl + 1, nl + 1 + size);
        at = nl + 1 + size + 1;
        // Larger files are refused by the reader anyway; an empty stand-in keeps that message.
        const target = join(dir, ...b.path.split("/"));
        mkdirSync(dirname(target), { recursive: true });
        writeFileSync(target, size > MAX_INPUT_BYTES * 2 ? "" : body);
      }
    }
  } catch (e) {
    remove();
    throw e;
  }
  return { cwd: join(dir, relative(root, resolve(cwd))), remove };
}
