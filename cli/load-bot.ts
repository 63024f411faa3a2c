import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { LoadedBot } from "../flows/index.ts";

function isLoadedBot(value: unknown): value is LoadedBot {
  return typeof value === "object" && value !== null && "id" in value && "main" in value && "flows" in value;
}

/** Loads `<botDir>/index.ts`, whose default export is `defineBot(...)`. */
export async function loadBot(botDir: string): Promise<LoadedBot> {
  const entry = resolve(botDir, "index.ts");
  if (!existsSync(entry)) throw new Error(`${botDir}: no index.ts; a bot folder exports defineBot(...) as default from index.ts`);
  const module: { default?: unknown } = await import(pathToFileURL(entry).href);
  if (!isLoadedBot(module.default)) throw new Error(`${entry}: the default export is not a bot; export default defineBot({ ... })`);
  return module.default;
}
