import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { LoadedBot } from "../flows/index.ts";

function isLoadedBot(value: unknown): value is LoadedBot {
  return typeof value === "object" && value !== null && "id" in value && "main" in value && "flows" in value;
}

let generation = 0;

/**
 * Loads `<botDir>/index.ts`, whose default export is `defineBot(...)`.
 * `fresh` imports it anew (for `kiosk dev`): index.ts runs again and its flow
 * files are re-read, while TS modules it imports stay as first loaded.
 */
export async function loadBot(botDir: string, options: { fresh?: boolean } = {}): Promise<LoadedBot> {
  const entry = resolve(botDir, "index.ts");
  if (!existsSync(entry)) throw new Error(`${botDir}: no index.ts; a bot folder exports defineBot(...) as default from index.ts`);
  const url = pathToFileURL(entry);
  if (options.fresh) url.searchParams.set("reload", String((generation += 1)));
  const module: { default?: unknown } = await import(url.href);
  if (!isLoadedBot(module.default)) throw new Error(`${entry}: the default export is not a bot; export default defineBot({ ... })`);
  return module.default;
}
