import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Builds dist/ first when the sources are newer, so no test runs a stale bundle.
    globalSetup: ["test/global-setup.ts"],
    testTimeout: 30_000,
    pool: "forks",
    // vitest leaves one core idle by default (cores − 1 workers): on a 2-core CI machine that is one worker,
    // and the suite ran serially. The end-to-end tests wait on child processes, so every core can take a file.
    maxWorkers: Math.max(2, availableParallelism()),
    // A worker runs file after file in one process and keeps the modules it imported: a process start and a
    // fresh import of the sources (~2 s each on a loaded 2-core machine) per file is most of what many
    // files cost, now that they run the CLI in-process. Safe here: no test mocks a module, stubs a global or
    // leaves the working directory or environment changed (hwInProcess restores the directory).
    isolate: false,
  },
});
