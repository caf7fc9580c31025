// Before any test file runs: the end-to-end tests spawn the built CLI (dist/), so a bundle older than the
// sources it is built from would test yesterday's code. Rebuild when anything the build reads is newer
// than the bundle (or the bundle is missing), so `npx vitest run test/one.test.ts` sees the change.
import { spawnSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "./helpers/cli.js";

const INPUTS = [
  "src",
  "catalog",
  "scripts/build.mjs",
  "scripts/build-builtin.ts",
  "scripts/bin-loader.cjs",
  "package.json",
];
const OUTPUTS = ["dist/hwadvise.cjs", "dist/hwadvise-main.cjs", "dist/hwadvise-schema.cjs", "dist/builtin.json"];

function newest(path: string): number {
  const s = statSync(path, { throwIfNoEntry: false });
  if (!s) return 0;
  if (!s.isDirectory()) return s.mtimeMs;
  let m = s.mtimeMs;
  for (const e of readdirSync(path)) m = Math.max(m, newest(join(path, e)));
  return m;
}

function oldest(root: string, paths: readonly string[]): number {
  let m = Infinity;
  for (const p of paths) m = Math.min(m, statSync(join(root, p), { throwIfNoEntry: false })?.mtimeMs ?? 0);
  return m;
}

/** Why the bundle under `root` must be rebuilt, or undefined when it is newer than all it is built from. */
export function staleBundle(root: string): string | undefined {
  const built = oldest(root, OUTPUTS);
  if (built === 0) return "dist/ has no bundle";
  const changed = INPUTS.find((p) => newest(join(root, p)) > built);
  return changed && `${changed} is newer than dist/`;
}

export default function setup(): void {
  const why = staleBundle(ROOT);
  if (!why) return;
  process.stderr.write(`hwadvise tests: ${why}; building (npm run build)\n`);
  const r = spawnSync(process.execPath, [join(ROOT, "scripts", "build.mjs")], { cwd: ROOT, stdio: "inherit" });
  if (r.status !== 0) throw new Error("npm run build failed: the end-to-end tests would run a stale bundle");
}
