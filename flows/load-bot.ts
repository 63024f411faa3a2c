import { existsSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { LoadedBot } from "./bot.ts";

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

/**
 * Loads every bot folder under `dir` (each a folder with an index.ts whose
 * default export is `defineBot(...)`), in name order. Throws when there is
 * none, or when two share an id.
 */
export async function loadBots(dir: string): Promise<LoadedBot[]> {
  if (!existsSync(dir)) throw new Error(`bots folder '${dir}' does not exist; set --bots, KIOSK_BOTS or 'bots' in kiosk.config.ts to a folder of bot folders`);
  const folders = readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(dir, d.name, "index.ts")))
    .map((d) => d.name)
    .sort();
  if (folders.length === 0) throw new Error(`no bots in '${dir}': a bot is a folder with an index.ts that exports defineBot(...) as default`);
  const bots: LoadedBot[] = [];
  const seen = new Map<string, string>();
  for (const folder of folders) {
    const bot = await loadBot(join(dir, folder));
    const other = seen.get(bot.id);
    if (other !== undefined) throw new Error(`${join(dir, folder)} and ${join(dir, other)} both define bot '${bot.id}'; bot ids must be unique`);
    seen.set(bot.id, folder);
    bots.push(bot);
  }
  return bots;
}
