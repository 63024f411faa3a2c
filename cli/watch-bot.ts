import { watch, type FSWatcher } from "node:fs";
import type { LoadedBot } from "../flows/index.ts";
import { loadBot } from "../flows/load-bot.ts";

export interface BotWatcher {
  close(): void;
}

export interface WatchHandlers {
  /** A change loaded and validated: swap it in. */
  onReload(bot: LoadedBot): Promise<void>;
  /** A change that does not load or validate: report it; the running bot stays as it was. */
  onError(error: unknown): void;
}

const WATCHED = /\.(ts|ya?ml|json)$/;

/**
 * Watches a bot folder and reloads the bot after each change (editors write
 * a file in several steps, so changes are gathered for `debounceMs`).
 * Reloads run one at a time, in order.
 */
export function watchBot(botDir: string, handlers: WatchHandlers, options: { debounceMs?: number } = {}): BotWatcher {
  let timer: NodeJS.Timeout | undefined;
  let queue: Promise<void> = Promise.resolve();
  const reload = () => {
    queue = queue.then(async () => {
      let bot: LoadedBot;
      try {
        bot = await loadBot(botDir, { fresh: true });
      } catch (error) {
        handlers.onError(error);
        return;
      }
      await handlers.onReload(bot).catch(handlers.onError);
    });
  };
  const watcher: FSWatcher = watch(botDir, { recursive: true }, (_event, file) => {
    if (file !== null && !WATCHED.test(file)) return;
    clearTimeout(timer);
    timer = setTimeout(reload, options.debounceMs ?? 100);
  });
  return {
    close() {
      clearTimeout(timer);
      watcher.close();
    },
  };
}
