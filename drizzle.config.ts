import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "sqlite",
  schema: "./store/sqlite/schema.ts",
  out: "./store/migrations/sqlite",
});
