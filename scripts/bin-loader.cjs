#!/usr/bin/env node
// The `hwadvise` bin. Runs the bundled CLI (hwadvise-main.cjs) from the V8 code cache the build wrote
// (hwadvise-main.cache), so Node neither parses nor compiles the bundle's functions again on every
// start. A cache made by another Node/V8 version is rejected by V8, and the bundle is compiled as usual.
// `hwadvise schema …` runs the small hwadvise-schema.cjs instead (commander and that command only), when
// the build made it.
"use strict";
const { existsSync, readFileSync, writeFileSync } = require("node:fs");
const { join } = require("node:path");
const { Script } = require("node:vm");

// Grow the heap by at most 1.5× its live size between full collections (V8 picks up to 4× by itself):
// `check` over 1,000 profiles × 10,000 offerings then peaks at ~220 MB instead of ~340 MB, at the same
// speed. Set before the bundle is compiled: V8 accepts a code cache only under the flags it was made
// with, and the build makes it through this same loader.
require("node:v8").setFlagsFromString("--heap-growing-percent=50");

const name = process.argv[2] === "schema" && existsSync(join(__dirname, "hwadvise-schema.cjs")) ? "schema" : "main";
const main = join(__dirname, `hwadvise-${name}.cjs`);
const cacheFile = join(__dirname, `hwadvise-${name}.cache`);
let cachedData;
try {
  cachedData = readFileSync(cacheFile);
} catch {
  cachedData = undefined;
}
// The same wrapper Node puts around a CommonJS module.
const script = new Script(
  `(function (exports, require, module, __filename, __dirname) {${readFileSync(main, "utf8")}\n})`,
  { filename: main, cachedData },
);
const mod = { exports: {} };
// The build runs a representative command with this set and keeps the functions it compiled.
if (process.env.HWADVISE_WRITE_CODE_CACHE)
  process.on("exit", () => writeFileSync(cacheFile, script.createCachedData()));
script.runInThisContext()(mod.exports, require, mod, main, __dirname);
