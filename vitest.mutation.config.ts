import { defineConfig } from "vitest/config";

/**
 * The tests mutation testing runs: unit and property tests that import `src/` (mutants live there;
 * end-to-end tests spawn the built bundle and never see one). Used by `npm run mutation` only.
 */
export default defineConfig({
  test: {
    include: [
      "test/rules.test.ts",
      "test/rules-mutation.test.ts",
      "test/properties.test.ts",
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
