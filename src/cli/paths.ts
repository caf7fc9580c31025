import { readdirSync, statSync, type Dirent, type Stats } from "node:fs";
import { isAbsolute, join, relative, resolve, sep } from "node:path";

const isYaml = (f: string) => /\.ya?ml$/i.test(f);

/**
 * Every *.yaml/*.yml regular file below `root` (hidden entries and node_modules skipped). Each real
 * directory is read once, known by device and inode, so links that loop (`a -> .`) or reach the same
 * directory twice end the walk instead of multiplying it. A linked directory is entered only after the
 * tree reachable without links, so a file is named by its real path when it has one. FIFOs, sockets
 * and devices are never listed (reading one would block or never end).
 */
function walk(root: string, out: string[]): void {
  const seen = new Set<string>();
  const linked: string[] = [];
  const visit = (dir: string): void => {
    let entries: Dirent[];
    try {
      const st = statSync(dir, { bigint: true });
      const key = `${st.dev}:${st.ino}`;
      if (seen.has(key)) return;
      seen.add(key);
      entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
        a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
      );
    } catch {
      return;
    }
    for (const e of entries) {
      if (e.name === "node_modules" || e.name.startsWith(".")) continue;
      const p = join(dir, e.name);
      if (e.isDirectory()) visit(p);
      else if (e.isFile()) {
        if (isYaml(e.name)) out.push(p);
      } else if (e.isSymbolicLink()) {
        let st: Stats;
        try {
          st = statSync(p);
        } catch {
          continue; // a dangling link
        }
        if (st.isDirectory()) linked.push(p);
        else if (st.isFile() && isYaml(e.name)) out.push(p);
      }
    }
  };
  visit(root);
  for (let i = 0; i < linked.length; i++) visit(linked[i]!);
}

/** Translate a glob (`*`, `**`, `?`, `{a,b}`) to a RegExp over '/'-separated relative paths. */
export function globToRegExp(glob: string): RegExp {
  let re = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === "*") {
      if (glob[i + 1] === "*") {
        const slash = glob[i + 2] === "/";
        re += slash ? "(?:.*/)?" : ".*";
        i += slash ? 2 : 1;
      } else re += "[^/]*";
    } else if (c === "?") re += "[^/]";
    else if (c === "{") {
      const end = glob.indexOf("}", i);
      if (end < 0) re += "\\{";
      else {
        re += `(?:${glob
          .slice(i + 1, end)
          .split(",")
          .map((s) => s.replace(/[.+^$()|[\]\\]/g, "\\$&"))
          .join("|")})`;
        i = end;
      }
    } else re += /[.+^$()|[\]\\]/.test(c) ? `\\${c}` : c;
  }
  return new RegExp(`^${re}$`);
}

/**
 * Expand arguments the same way on every shell: a directory means every *.yaml/*.yml below it; a
 * pattern with glob characters is matched by the tool; anything else is taken as a path (and reported
 * if missing). Order: arguments in order, matches sorted; duplicates dropped.
 */
export function expandPaths(args: readonly string[], cwd = process.cwd()): string[] {
  const out: string[] = [];
  for (const a of args) {
    if (a === "-") {
      out.push(a);
      continue;
    }
    if (/[*?{]/.test(a)) {
      const norm = a.replace(/\\/g, "/");
      const firstGlob = norm.search(/[*?{]/);
      const baseEnd = norm.lastIndexOf("/", firstGlob);
      const base = baseEnd >= 0 ? norm.slice(0, baseEnd) : ".";
      const all: string[] = [];
      walk(resolve(cwd, base), all);
      const re = globToRegExp(norm.replace(/^\.\//, ""));
      const matches = all
        .map((p) => (isAbsolute(norm) ? p : relative(cwd, p)).split(sep).join("/"))
        .filter((p) => re.test(p))
        .sort();
      if (matches.length === 0) out.push(a); // reported as missing by the reader
      out.push(...matches);
      continue;
    }
    let st: Stats;
    try {
      st = statSync(resolve(cwd, a));
    } catch {
      out.push(a);
      continue;
    }
    if (st.isDirectory()) {
      const found: string[] = [];
      walk(resolve(cwd, a), found);
      if (found.length === 0) out.push(a); // reported by the reader: a directory with no profiles
      out.push(...found.map((p) => (isAbsolute(a) ? p : relative(cwd, p)).split(sep).join("/")).sort());
    } else out.push(a);
  }
  return [...new Set(out)];
}
