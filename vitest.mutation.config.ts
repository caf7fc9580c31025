import { defineConfig } from "vitest/config";

/**
 * The tests mutation testing runs: unit tests that import `src/` (mutants live there; end-to-end tests
 * spawn the built bundle and never see one). Used by `npm run mutation` only. test/properties.test.ts is
 * left out: its laws recommend over generated profiles and cover every rule, so each surviving mutant
 * would cost it ~40 s on 2 cores; the rule and profile tests here state the same boundaries directly.
 */
export default defineConfig({
  test: {
    include: [
      "test/rules.test.ts",
      "test/rules-mutation.test.ts",
      "test/estimator.test.ts",
      "test/units.test.ts",
      "test/profile-errors.test.ts",
      "test/country-codes.test.ts",
      "test/tco.test.ts",
    ],
    testTimeout: 60_000,
    pool: "forks",
  },
});
