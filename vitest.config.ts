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
  },
});
