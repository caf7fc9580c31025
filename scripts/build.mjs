// Build: validate the built-in catalog and models (failing the build on any problem), write the
// validated data as dist/builtin.json, and bundle the CLI into one minified CommonJS file.
import { build } from "esbuild";
import { copyFileSync, chmodSync, mkdirSync, writeFileSync, rmSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { spawnSync } from "node:child_process";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dist = join(root, "dist");
mkdirSync(dist, { recursive: true });

// import.meta.url in a CommonJS bundle: worked out when read (only to find the package root), not at start.
const importMetaUrl = { banner: { js: 'var __hw_meta = { get url() { return require("url").pathToFileURL(__filename).href; } };' }, define: { "import.meta.url": "__hw_meta.url" } };

// 1. Validate the built-in data with the same code the CLI uses for overlays.
const tool = join(dist, ".build-builtin.cjs");
await build({ entryPoints: [join(root, "scripts", "build-builtin.ts")], bundle: true, platform: "node", format: "cjs", target: "node20", outfile: tool, logLevel: "error", ...importMetaUrl });
const require = createRequire(import.meta.url);
try {
  const { buildBuiltin, buildSchemas } = require(tool);
  const json = buildBuiltin(root);
  writeFileSync(join(dist, "builtin.json"), JSON.stringify(json));
  writeFileSync(join(dist, "schemas.json"), JSON.stringify(buildSchemas()));
} catch (e) {
  console.error(e.problems ? e.message : e);
  process.exit(1);
} finally {
  rmSync(tool, { force: true });
}

// 2. The CLI bundle (hwadvise-main.cjs), started by the bin (scripts/bin-loader.cjs) from a V8 code cache.
// Two node built-ins are kept off the start-up path, each load costing milliseconds every command paid:
// - chalk's colour detection (supports-color) reads the terminal through node:tty (which loads node:net)
//   when imported. hwadvise decides colour itself and builds every Chalk with an explicit level, so the
//   bundle gets a detection that reports none.
// - commander requires node:child_process when imported, for executable subcommands hwadvise does not
//   have; it is loaded on first use instead.
const startupPlugin = {
  name: "hwadvise-startup",
  setup(b) {
    b.onResolve({ filter: /^#supports-color$/ }, () => ({ path: "supports-color", namespace: "hwadvise-stub" }));
    b.onLoad({ filter: /.*/, namespace: "hwadvise-stub" }, () => ({ contents: "export default { stdout: false, stderr: false };", loader: "js" }));
    // zod's namespace re-exports every message locale (a third of the bundle); hwadvise writes its own
    // messages over zod's English ones and never switches locale, so only English is bundled.
    b.onLoad({ filter: /[\\/]zod[\\/]v4[\\/]locales[\\/]index\.js$/ }, () => ({ contents: 'export { default as en } from "./en.js";', loader: "js" }));
    // cli-table3 measures every cell with string-width, which compiles a large emoji regular
    // expression per call: one-column text (nearly every cell) is measured by its length instead.
    b.onLoad({ filter: /[\\/]string-width[\\/]index\.js$/ }, async (args) => {
      const text = await readFile(args.path, "utf8");
      const fast = JSON.stringify(join(root, "src", "report", "text-width.ts"));
      return {
        contents: `${text}\nconst { narrowWidth } = require(${fast});\nconst slowWidth = module.exports;\nmodule.exports = (s) => narrowWidth(s) ?? slowWidth(s);\nmodule.exports.default = module.exports;\n`,
        loader: "js",
        resolveDir: dirname(args.path),
      };
    });
    b.onLoad({ filter: /commander[\\/]lib[\\/]command\.js$/ }, async (args) => {
      const text = await readFile(args.path, "utf8");
      const eager = "const childProcess = require('node:child_process');";
      if (!text.includes(eager)) throw new Error(`build: commander no longer has \`${eager}\`: update the start-up plugin in scripts/build.mjs`);
      return { contents: text.replace(eager, "const childProcess = new Proxy({}, { get: (_, k) => require('node:child_process')[k] });"), loader: "js" };
    });
  },
};
// The full CLI, and a start-up bundle for `schema` (commander and that command only; the loader runs it
// for `hwadvise schema …`).
const bundles = [
  { entry: "bin.ts", name: "main", warm: ["recommend", join(root, "profiles", "llm-chat.yaml"), "--explain"] },
  { entry: "bin-schema.ts", name: "schema", warm: ["schema", "profile"] },
];
for (const { entry, name } of bundles) {
  await build({
    plugins: [startupPlugin],
    entryPoints: [join(root, "src", "cli", entry)],
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    minify: true,
    legalComments: "none",
    outfile: join(dist, `hwadvise-${name}.cjs`),
    logLevel: "error",
    ...importMetaUrl,
  });
}
copyFileSync(join(root, "scripts", "bin-loader.cjs"), join(dist, "hwadvise.cjs"));
chmodSync(join(dist, "hwadvise.cjs"), 0o755);

// 3. The code caches: run a representative command of each bundle once and keep every function it compiled.
for (const { name, warm: args } of bundles) {
  rmSync(join(dist, `hwadvise-${name}.cache`), { force: true });
  const warm = spawnSync(process.execPath, [join(dist, "hwadvise.cjs"), ...args], {
    env: { ...process.env, HWADVISE_WRITE_CODE_CACHE: "1", NO_COLOR: "1" },
    stdio: ["ignore", "ignore", "inherit"],
  });
  if (warm.status !== 0) {
    console.error(`build: the code-cache warm-up run of hwadvise-${name}.cjs failed (exit ${warm.status})`);
    process.exit(1);
  }
}
