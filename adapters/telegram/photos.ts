import { resolve, sep } from "node:path";
import { InputFile } from "grammy";

/** Where an image path of a bot's catalog is on disk (inside the bot's folder), or undefined when unknown. */
export type ImageFile = (botId: string, image: string) => string | undefined;

/**
 * What to pass Telegram for card images. An https URL goes as it is
 * (Telegram fetches it); a path in the bot's folder is uploaded once, and
 * the `file_id` Telegram returns is reused for every later send by that bot
 * (a file_id is valid only for the bot that uploaded it). Kept in memory:
 * after a restart each file is uploaded once again.
 */
export class PhotoCache {
  readonly #file: ImageFile;
  /** bot id + "\n" + image path → file_id. */
  readonly #ids = new Map<string, string>();

  constructor(file: ImageFile) {
    this.#file = file;
  }

  /** The photo to send for `image`: its URL, its cached file_id, a fresh upload, or undefined when the file is unknown. */
  input(botId: string, image: string): string | InputFile | undefined {
    if (image.startsWith("https://")) return image;
    const cached = this.#ids.get(key(botId, image));
    if (cached !== undefined) return cached;
    const path = this.#file(botId, image);
    return path === undefined ? undefined : new InputFile(path);
  }

  /** Keeps the file_id of an uploaded image (the largest size Telegram made of it). */
  remember(botId: string, image: string, sizes: ReadonlyArray<{ readonly file_id: string }> | undefined): void {
    const fileId = sizes?.at(-1)?.file_id;
    if (image.startsWith("https://") || fileId === undefined) return;
    this.#ids.set(key(botId, image), fileId);
  }

  /** Drops a file_id Telegram refused, so the next send uploads the file again. */
  forget(botId: string, image: string): void {
    this.#ids.delete(key(botId, image));
  }
}

function key(botId: string, image: string): string {
  return `${botId}\n${image}`;
}

/**
 * The `ImageFile` of bots with folders (bot id → absolute folder): an image
 * path resolved inside its bot's folder, never outside it (`..` is refused).
 */
export function imagesIn(folders: ReadonlyMap<string, string>): ImageFile {
  return (botId, image) => {
    const folder = folders.get(botId);
    if (folder === undefined) return undefined;
    const file = resolve(folder, image);
    return file.startsWith(folder + sep) ? file : undefined;
  };
}
