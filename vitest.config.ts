import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["**/*.test.ts"],
    exclude: ["node_modules/**", "data/**", "dist/**"],
    testTimeout: 20_000,
    pool: "forks",
  },
});
