// Build: validate the built-in catalog and models (failing the build on any problem), write the
// validated data as dist/builtin.json, and bundle the CLI into one minified CommonJS file.
import { build } from "esbuild";
import { copyFileSync, chmodSync, mkdirSync, writeFileSync, rmSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dist = join(root, "dist");
mkdirSync(dist, { recursive: true });

// import.meta.url in a CommonJS bundle: worked out when read (only to find the package root), not at start.
const importMetaUrl = {
  banner: { js: 'var __hw_meta = { get url() { return require("url").pathToFileURL(__filename).href; } };' },
  define: { "import.meta.url": "__hw_meta.url" },
};

// 1. Validate the built-in data with the same code the CLI uses for overlays.
const tool = join(dist, ".build-builtin.cjs");
await build({
  entryPoints: [join(root, "scripts", "build-builtin.ts")],
  bundle: true,
  platform: "node",
  format: "cjs",
  target: "node20",
  outfile: tool,
  logLevel: "error",
  ...importMetaUrl,
});
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
// Four imports of our dependencies are resolved to small modules of ours (esbuild's onResolve, a
// documented plugin hook) instead of the packages' own; no dependency's source text is edited, so an
// upgrade cannot silently break a text substitution. Each redirect keeps the importer's contract:
// - chalk imports `#supports-color` (its package.json `imports`), whose colour detection reads the terminal
//   through node:tty (which loads node:net) when imported. hwadvise decides colour itself and builds every
//   Chalk with an explicit level, so chalk gets a detection that reports none.
// - commander requires node:child_process when imported, only for executable subcommands hwadvise does
//   not have: it gets an object that loads node:child_process on first use, so hwadvise-schema.cjs never
//   loads node:child_process and node:net (hwadvise-main.cjs still does: src/cli/base.ts imports spawnSync).
// - zod's namespace re-exports every message locale (a third of the bundle); hwadvise writes its own
//   messages over zod's English ones and never switches locale, so zod's `locales` import gets English only.
// - cli-table3 measures every cell with string-width, which compiles a large emoji regular expression per
//   call: it gets a function that measures one-column text (nearly every cell) by its length and hands
//   anything else to string-width.
const SHIM = "hwadvise-shim";
/** Whether a module path lies inside the installed package `name`. */
const inPackage = (name, path) => path.replaceAll("\\", "/").includes(`/node_modules/${name}/`);
const shims = {
  "supports-color": { contents: "export default { stdout: false, stderr: false };", loader: "js" },
  "child-process": {
    contents: 'module.exports = new Proxy({}, { get: (_, key) => require("node:child_process")[key] });',
    loader: "js",
  },
  "zod-locales": { contents: 'export { default as en } from "zod/v4/locales/en.js";', loader: "js", resolveDir: root },
};
// Which redirects applied in some bundle: one that never does (a dependency changed how it imports) costs
// start-up again, so the build says so.
const redirected = new Set();
const startupPlugin = {
  name: "hwadvise-startup",
  setup(b) {
    b.onLoad({ filter: /.*/, namespace: SHIM }, (args) => {
      redirected.add(args.path);
      return undefined;
    });
    b.onResolve({ filter: /^#supports-color$/ }, (args) =>
      inPackage("chalk", args.importer) ? { path: "supports-color", namespace: SHIM } : undefined,
    );
    b.onResolve({ filter: /^node:child_process$/ }, (args) =>
      inPackage("commander", args.importer) ? { path: "child-process", namespace: SHIM } : undefined,
    );
    b.onResolve({ filter: /[\\/]locales[\\/]index\.js$/ }, (args) =>
      inPackage("zod", args.importer) ? { path: "zod-locales", namespace: SHIM } : undefined,
    );
    b.onResolve({ filter: /^string-width$/ }, async (args) => {
      if (!inPackage("cli-table3", args.importer)) return undefined;
      // The string-width cli-table3 itself would get (resolved from its directory), behind the fast path.
      const real = await b.resolve("string-width", {
        resolveDir: args.resolveDir,
        kind: args.kind,
        importer: join(root, "package.json"),
      });
      if (real.errors.length) return { errors: real.errors };
      return { path: "string-width", namespace: SHIM, pluginData: { real: real.path } };
    });
    b.onLoad({ filter: /^string-width$/, namespace: SHIM }, (args) => ({
      contents: `const slowWidth = require(${JSON.stringify(args.pluginData.real)});\nconst { narrowWidth } = require(${JSON.stringify(join(root, "src", "report", "text-width.ts"))});\nmodule.exports = (s) => narrowWidth(s) ?? slowWidth(s);\nmodule.exports.default = module.exports;\n`,
      loader: "js",
      resolveDir: root,
    }));
    b.onLoad({ filter: /.*/, namespace: SHIM }, (args) => shims[args.path]);
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
for (const name of [...Object.keys(shims), "string-width"]) {
  if (!redirected.has(name))
    console.warn(
      `build: warning: the ${name} redirect applied in no bundle (a dependency changed its imports?); update the start-up plugin in scripts/build.mjs`,
    );
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
