import { spawn, spawnSync } from "node:child_process";
import {
  closeSync,
  copyFileSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  realpathSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { join, relative } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { expandPaths } from "../src/cli/paths.js";
import { NODE_FS, writeFileAtomic, type WriteFs } from "../src/cli/write.js";
import { InputError, UsageError } from "../src/errors.js";
import { STDIN_TIMEOUT_MS, stdinTimeoutMs } from "../src/cli/io.js";
import { BIN, ROOT } from "./helpers/cli.js";
import { hwInProcess, scratch } from "./helpers/run.js";

const GOOD = "name: t\nworkload:\n  kind: realtime-inference\n  model: resnet50\n";
const ENV = { PATH: process.env.PATH ?? "", NO_COLOR: "1", HWADVISE_TODAY: "2026-11-28" };

/**
 * Run the built CLI with a hard stop: a run that hangs (as reading /dev/zero or a FIFO did) is killed at
 * `killMs` and reported with code -1, so the assertion fails instead of the test runner hanging.
 */
function timed(
  args: string[],
  opts: { cwd?: string; stdin?: number | "ignore"; killMs?: number } = {},
): { code: number; stdout: string; stderr: string; ms: number } {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: opts.cwd ?? ROOT,
    encoding: "utf8",
    env: ENV,
    timeout: opts.killMs ?? 10_000,
    stdio: [opts.stdin ?? "ignore", "pipe", "pipe"],
    maxBuffer: 64 * 1024 * 1024,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr, ms: performance.now() - t0 };
}

/** A FIFO at `path` (nothing ever writes to it). */
function mkfifo(path: string): void {
  const r = spawnSync("mkfifo", [path]);
  if (r.status !== 0) throw new Error(`mkfifo failed: ${r.stderr}`);
}

// "Within a second" on an idle machine; the bound leaves room for a loaded shared CI machine, where node
// alone takes a few hundred milliseconds to start. A hang is killed at 10 s and fails on the exit code.
const QUICK_MS = 2500;

describe("files that never end are refused while reading, in well under a second", () => {
  for (const dev of ["/dev/zero", "/dev/urandom"]) {
    it(`recommend ${dev}`, () => {
      const r = timed(["recommend", dev]);
      expect([r.code, r.stdout, r.stderr]).toEqual([
        2,
        "",
        `${dev}: is a character device, not a regular file; refusing to read it (to read a stream, pipe it to '-')\n`,
      ]);
      expect(r.ms).toBeLessThan(QUICK_MS);
    });
    it(`--catalog ${dev}`, () => {
      const r = timed(["recommend", "profiles/retail-checkout.yaml", "--catalog", dev]);
      expect([r.code, r.stdout, r.stderr]).toEqual([
        2,
        "",
        `${dev}: is a character device, not a regular file; refusing to read it (to read a stream, pipe it to '-')\n`,
      ]);
      expect(r.ms).toBeLessThan(QUICK_MS);
    });
  }
  it("standard input from /dev/zero stops at the byte limit", () => {
    const fd = openSync("/dev/zero", "r");
    try {
      const r = timed(["recommend", "-"], { stdin: fd });
      expect([r.code, r.stderr]).toEqual([2, "<stdin>: input is over the 1024 KiB limit; refusing to parse it\n"]);
      expect(r.ms).toBeLessThan(QUICK_MS);
    } finally {
      closeSync(fd);
    }
  });
  it("a FIFO named as a profile, a catalog overlay, a baseline or a measurements file", () => {
    const s = scratch();
    const fifo = join(s.dir, "p.yaml");
    mkfifo(fifo);
    const msg = `${fifo}: is a named pipe (FIFO), not a regular file; refusing to read it (to read a stream, pipe it to '-')\n`;
    for (const args of [
      ["recommend", fifo],
      ["catalog", "--catalog", fifo],
      ["check", "profiles/retail-checkout.yaml", "--lockfile", fifo],
      ["calibrate", fifo],
    ]) {
      const r = timed(args);
      expect([args[0], r.code, r.stderr]).toEqual([args[0], 2, msg]);
      expect(r.ms).toBeLessThan(QUICK_MS);
    }
  });
  it("a FIFO among the profiles of a directory is skipped; the real profiles are checked", () => {
    const s = scratch();
    s.write("a.yaml", GOOD);
    mkfifo(join(s.dir, "b.yaml"));
    const r = timed(["recommend", s.dir, "--format", "json", "--top", "1"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).results.map((x: { profile: { file: string } }) => x.profile.file)).toEqual([
      join(s.dir, "a.yaml"),
    ]);
    expect(r.ms).toBeLessThan(QUICK_MS);
    expect(expandPaths([`${s.dir}/*.yaml`])).toEqual([join(s.dir, "a.yaml")]);
  });
  it("a whole profile through a shell pipe is still read (the pipe is reopened non-blocking)", () => {
    const r = spawnSync(
      "sh",
      ["-c", `cat profiles/retail-checkout.yaml | "${process.execPath}" "${BIN}" recommend - --format json --top 1`],
      { cwd: ROOT, encoding: "utf8", env: ENV, timeout: 10_000 },
    );
    expect([r.status, r.stderr]).toEqual([0, ""]);
    expect(JSON.parse(r.stdout).results[0].profile.file).toBe("<stdin>");
  });
  it("standard input that never ends (the writer keeps the pipe open) gives up at the deadline", async () => {
    // The deadline is 10 s unless HWADVISE_STDIN_TIMEOUT says otherwise (see the next test): 1 s here, so the
    // run is seen to wait for the deadline and end there without the suite waiting 10 s.
    const child = spawn(process.execPath, [BIN, "recommend", "-"], {
      env: { ...ENV, HWADVISE_STDIN_TIMEOUT: "1" },
      stdio: ["pipe", "pipe", "pipe"],
    });
    child.stdin.write("name: t\n"); // a start, then nothing more and no end of file
    let stderr = "";
    child.stderr.on("data", (b: Buffer) => (stderr += b.toString()));
    const t0 = performance.now();
    const code = await new Promise<number | null>((done) => {
      const kill = setTimeout(() => child.kill(), 20_000);
      child.on("exit", (c) => {
        clearTimeout(kill);
        done(c);
      });
    });
    child.stdin.destroy();
    const ms = performance.now() - t0;
    expect([code, stderr]).toEqual([
      2,
      "<stdin>: standard input did not end within 1 s; pipe a complete profile in, or name a file (HWADVISE_STDIN_TIMEOUT=seconds allows longer)\n",
    ]);
    expect(ms).toBeGreaterThan(900);
    expect(ms).toBeLessThan(9_000); // the setting was read: the 10 s default would still be waiting
  }, 30_000);
  it("the standard-input deadline is 10 s, or HWADVISE_STDIN_TIMEOUT seconds; a bad setting is a usage error", () => {
    expect(STDIN_TIMEOUT_MS).toBe(10_000);
    expect([{}, { HWADVISE_STDIN_TIMEOUT: "" }, { HWADVISE_STDIN_TIMEOUT: "30" }].map(stdinTimeoutMs)).toEqual([
      10_000, 10_000, 30_000,
    ]);
    expect(stdinTimeoutMs({ HWADVISE_STDIN_TIMEOUT: "0.5" })).toBe(500);
    for (const bad of ["0", "-1", "ten", "10s", "1e3"])
      expect(() => stdinTimeoutMs({ HWADVISE_STDIN_TIMEOUT: bad }), bad).toThrow(UsageError);
    const r = spawnSync(process.execPath, [BIN, "recommend", "-"], {
      env: { ...ENV, HWADVISE_STDIN_TIMEOUT: "soon" },
      input: GOOD,
      encoding: "utf8",
      timeout: 10_000,
    });
    expect([r.status, r.stdout, r.stderr]).toEqual([
      2,
      "",
      'hwadvise: HWADVISE_STDIN_TIMEOUT expects a number of seconds above 0 such as 30, found "soon"\n',
    ]);
  });
});

describe("trees that loop are walked once", () => {
  /** a.yaml, sub/b.yaml, plus the links a monorepo grows. */
  function tree(): string {
    const s = scratch();
    s.write("a.yaml", GOOD);
    mkdirSync(join(s.dir, "sub"));
    writeFileSync(join(s.dir, "sub", "b.yaml"), GOOD.replace("name: t", "name: b"));
    return s.dir;
  }
  it("two links to the directory itself (a -> ., b -> .): each profile once, at once", () => {
    const dir = tree();
    symlinkSync(".", join(dir, "a"));
    symlinkSync(".", join(dir, "b"));
    symlinkSync("..", join(dir, "sub", "up"));
    const r = timed(["recommend", dir, "--format", "json", "--top", "1"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).results.map((x: { profile: { file: string } }) => x.profile.file)).toEqual([
      join(dir, "a.yaml"),
      join(dir, "sub", "b.yaml"),
    ]);
    expect(r.ms).toBeLessThan(QUICK_MS);
    // The same through a glob, relative to the working directory.
    expect(expandPaths(["**/*.yaml"], dir)).toEqual(["a.yaml", "sub/b.yaml"]);
  });
  it("a self-link below the root does not report the same file down self/self/self/…", () => {
    const dir = tree();
    symlinkSync(".", join(dir, "sub", "self"));
    expect(expandPaths([dir])).toEqual([join(dir, "a.yaml"), join(dir, "sub", "b.yaml")]);
  });
  it("a linked directory is named by its real path when the tree reaches it without the link; a link out of the tree is followed once", () => {
    const dir = tree();
    symlinkSync("sub", join(dir, "alias")); // sorts before sub/
    const outside = scratch();
    outside.write("c.yaml", GOOD);
    symlinkSync(outside.dir, join(dir, "ext"));
    symlinkSync(outside.dir, join(dir, "ext2"));
    expect(expandPaths([dir])).toEqual([join(dir, "a.yaml"), join(dir, "ext", "c.yaml"), join(dir, "sub", "b.yaml")]);
  });
  it("links to devices, FIFOs and nowhere are skipped; a linked regular profile is kept", () => {
    const dir = tree();
    symlinkSync("/dev/zero", join(dir, "zero.yaml"));
    symlinkSync("missing.yaml", join(dir, "dangling.yaml"));
    symlinkSync("a.yaml", join(dir, "copy.yaml"));
    mkfifo(join(dir, "sub", "pipe.yml"));
    expect(expandPaths([dir])).toEqual([join(dir, "a.yaml"), join(dir, "copy.yaml"), join(dir, "sub", "b.yaml")]);
  });
});

describe("law: any tree of directories, profiles and links to directories", () => {
  // A tree of up to 6 directories (each under an earlier one), profiles in some, and links from any
  // directory to any directory (loops, ancestors, siblings).
  const treeArb = fc.record({
    parents: fc.array(fc.nat(), { minLength: 0, maxLength: 5 }),
    files: fc.array(fc.nat(), { maxLength: 6 }),
    links: fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 6 }),
  });
  it("is listed once per real profile, sorted, only regular files, and ends", () => {
    fc.assert(
      fc.property(treeArb, ({ parents, files, links }) => {
        const root = scratch().dir;
        const dirs = [root];
        parents.forEach((p, i) => {
          const d = join(dirs[p % dirs.length]!, `d${i}`);
          mkdirSync(d);
          dirs.push(d);
        });
        const real = new Set<string>();
        files.forEach((f, i) => {
          const file = join(dirs[f % dirs.length]!, `p${i}.yaml`);
          writeFileSync(file, GOOD);
          real.add(realpathSync(file));
        });
        links.forEach(([from, to], i) =>
          symlinkSync(dirs[to % dirs.length]!, join(dirs[from % dirs.length]!, `l${i}`)),
        );
        const listed = expandPaths([root]);
        if (real.size === 0) return; // the directory itself comes back, for the reader to report
        expect(listed).toEqual([...listed].sort());
        expect(listed.every((f) => statSync(f).isFile())).toBe(true);
        // Every real profile, each exactly once (a path through a link counts as its real file).
        const reals = listed.map((f) => realpathSync(f));
        expect(reals.length).toBe(new Set(reals).size);
        expect(new Set(reals)).toEqual(real);
        // Named without a link whenever the tree reaches the file without one.
        expect(
          listed.filter((f) =>
            relative(root, f)
              .split("/")
              .some((seg) => seg.startsWith("l")),
          ),
        ).toEqual([]);
      }),
      { numRuns: 40, seed: 21 },
    );
  });
});

describe("writes are atomic: a failed write leaves the previous file whole", () => {
  /** A file system whose write fails after `okBytes` bytes, as a full disk does. */
  const failingAfter = (okBytes: number): WriteFs => {
    let written = 0;
    return {
      ...NODE_FS,
      writeSync: (fd, buf, off, len) => {
        const n = Math.min(len, okBytes - written);
        if (n <= 0) throw Object.assign(new Error("ENOSPC: no space left on device"), { code: "ENOSPC" });
        written += n;
        return NODE_FS.writeSync(fd, buf, off, n);
      },
    };
  };
  it("a write that fails part-way: the old text stays, no temporary file is left, the error names the file", () => {
    const s = scratch();
    const f = s.write("hwadvise.lock.json", "the old baseline\n");
    let err: unknown;
    try {
      writeFileAtomic(f, "x".repeat(100_000), "the baseline", failingAfter(4096));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).message).toBe(
      `${f}: cannot write the baseline (no space left on the device); the previous file, if any, is unchanged`,
    );
    expect(readFileSync(f, "utf8")).toBe("the old baseline\n");
    expect(readdirSync(s.dir)).toEqual(["hwadvise.lock.json"]);
  });
  it("a rename that fails (the target is a directory) leaves no temporary file", () => {
    const s = scratch();
    mkdirSync(join(s.dir, "out.yaml"));
    expect(() => writeFileAtomic(join(s.dir, "out.yaml"), "text", "the overlay")).toThrow(
      /cannot write the overlay \((is a directory|EISDIR)\)/,
    );
    expect(readdirSync(s.dir)).toEqual(["out.yaml"]);
  });
  it("a successful write replaces the whole file (shorter text leaves no tail of the old one)", () => {
    const s = scratch();
    const f = s.write("a.json", "a long old text\n".repeat(100));
    writeFileAtomic(f, "{}\n", "the baseline");
    expect(readFileSync(f, "utf8")).toBe("{}\n");
    expect(readdirSync(s.dir)).toEqual(["a.json"]);
  });

  it("a baseline reached through a symlink is replaced where it is; the link stays a link", () => {
    const s = scratch();
    mkdirSync(join(s.dir, "shared"));
    const real = s.write("shared/base.json", "old\n");
    symlinkSync("shared/base.json", join(s.dir, "lock.json"));
    writeFileAtomic(join(s.dir, "lock.json"), "new\n", "the baseline");
    expect([readFileSync(real, "utf8"), lstatSync(join(s.dir, "lock.json")).isSymbolicLink()]).toEqual(["new\n", true]);
    expect(readdirSync(join(s.dir, "shared"))).toEqual(["base.json"]);
  });

  /** Run the built CLI with the file-size limit at 1 block: writing a baseline fails with EFBIG part-way. */
  function limited(args: string[], cwd: string, blocks = 1): { code: number | null; stderr: string } {
    const cmd = `ulimit -f ${blocks}; trap '' XFSZ; exec "${process.execPath}" "${BIN}" ${args.map((a) => `'${a}'`).join(" ")}`;
    // No standard input: bash on a socket (what Node's "pipe" is) with a fresh SHLVL takes itself for a remote
    // shell and reads ~/.bashrc first, which costs a third of a second on a machine with a heavy one.
    const r = spawnSync("bash", ["-c", cmd], {
      cwd,
      encoding: "utf8",
      env: ENV,
      timeout: 30_000,
      stdio: ["ignore", "pipe", "pipe"],
    });
    return { code: r.status, stderr: r.stderr };
  }
  function workspace(): string {
    const s = scratch();
    mkdirSync(join(s.dir, "profiles"));
    for (const p of ["retail-checkout.yaml", "llm-chat.yaml"])
      copyFileSync(join(ROOT, "profiles", p), join(s.dir, "profiles", p));
    return s.dir;
  }
  it("`check --update` and `lock` that cannot finish writing keep the committed baseline byte for byte", () => {
    const dir = workspace();
    expect(hwInProcess(["lock", "profiles"], { cwd: dir }).code).toBe(0);
    const before = readFileSync(join(dir, "hwadvise.lock.json"), "utf8");
    expect(before.length).toBeGreaterThan(2048); // more than the 1-block limit below, so the write fails part-way
    copyFileSync(join(ROOT, "profiles", "media-indexing.yaml"), join(dir, "profiles", "media-indexing.yaml"));
    for (const args of [
      ["check", "profiles", "--update"],
      ["lock", "profiles"],
    ]) {
      const r = limited(args, dir);
      expect([r.code, r.stderr.split("\n").filter(Boolean).at(-1)]).toEqual([
        2,
        "hwadvise.lock.json: cannot write the baseline (file too large for this file system or limit); the previous file, if any, is unchanged",
      ]);
      expect(readFileSync(join(dir, "hwadvise.lock.json"), "utf8")).toBe(before);
      expect(readdirSync(dir).sort()).toEqual(["hwadvise.lock.json", "profiles"]);
    }
  });
  it("`calibrate -o --force` that cannot finish writing keeps the previous overlay", () => {
    const s = scratch();
    const out = s.write("overlay.yaml", "# the previous overlay\n");
    s.write("m.csv", "chip,count,model,scenario,value,unit\nnvidia-l4,1,resnet50,offline,9000,samples/s\n");
    // The overlay is a few hundred bytes: a limit of 0 blocks makes its first write fail.
    const r = limited(["calibrate", "m.csv", "-o", "overlay.yaml", "--force"], s.dir, 0);
    expect([r.code, r.stderr.split("\n").filter(Boolean).at(-1)]).toEqual([
      2,
      "overlay.yaml: cannot write the overlay (file too large for this file system or limit); the previous file, if any, is unchanged",
    ]);
    expect(readFileSync(out, "utf8")).toBe("# the previous overlay\n");
    expect(readdirSync(s.dir).sort()).toEqual(["m.csv", "overlay.yaml"]);
  });
});
