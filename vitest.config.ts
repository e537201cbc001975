import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // tsc emits compiled copies into dist/: only the TypeScript sources under test/ are tests.
    include: ["test/**/*.test.ts"],
    // one temporary folder for the whole suite, removed at the end (test/global-setup.ts)
    globalSetup: ["test/global-setup.ts"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
