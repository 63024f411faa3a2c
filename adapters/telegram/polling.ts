import { GrammyError, type Api } from "grammy";
import { grammySignal } from "./signal.ts";


export interface TelegramPollerOptions {
  readonly api: Api;
  /**
   * Handles one raw update, as the webhook would. Resolves true when it is
   * done with (handled or ignored: the offset moves past it), false when it
   * must be offered again later (the webhook would answer 5xx).
   */
  readonly handle: (update: unknown) => Promise<boolean>;
  readonly onError?: (error: unknown, context: string) => void;
  /** Seconds Telegram holds a getUpdates call open while there is nothing new. Default 30. */
  readonly timeoutSeconds?: number;
  /** Delay before polling again after failure n (1-based), in ms. */
  readonly backoffMs?: (failures: number) => number;
  /** An update whose handling failed this many times in a row is skipped, so one bad update cannot stop the bot. Default 5. */
  readonly maxAttempts?: number;
}

/**
 * Long polling for one bot: `getUpdates` with the offset after the last
 * update handled, one call at a time, until `close()`. Used when no public
 * URL (webhook) is configured. Updates are handled in order; the offset only
 * moves past an update once it is handled, so a crash offers it again (the
 * server dedupes on `update_id`).
 */
export class TelegramPoller {
  readonly #options: TelegramPollerOptions;
  readonly #abort = new AbortController();
  #loop: Promise<void> | undefined;
  #offset: number | undefined;
  /** Update id → failed attempts in a row (only the update the offset waits on). */
  readonly #attempts = new Map<number, number>();

  constructor(options: TelegramPollerOptions) {
    this.#options = options;
  }

  /** Starts polling; a second call changes nothing. Any webhook set for the bot is removed first (Telegram refuses getUpdates while one is set). */
  start(): void {
    if (this.#abort.signal.aborted) return;
    this.#loop ??= this.#run();
  }

  /** Stops: the open getUpdates call is aborted and the update being handled finishes. Safe twice. */
  async close(): Promise<void> {
    this.#abort.abort();
    await this.#loop;
  }

  async #run(): Promise<void> {
    const { api, onError } = this.#options;
    const signal = this.#abort.signal;
    const backoff = this.#options.backoffMs ?? ((n) => Math.min(1000 * 2 ** (n - 1), 60_000));
    let failures = 0;
    let webhookRemoved = false;
    while (!signal.aborted) {
      try {
        if (!webhookRemoved) {
          await api.deleteWebhook({ drop_pending_updates: false }, grammySignal(signal));
          webhookRemoved = true;
        }
        const updates = await api.getUpdates(
          { ...(this.#offset === undefined ? {} : { offset: this.#offset }), timeout: this.#options.timeoutSeconds ?? 30, limit: 100 },
          grammySignal(signal),
        );
        const handled = await this.#handleAll(updates);
        failures = handled ? 0 : failures + 1;
        if (!handled) await pause(backoff(failures), signal);
      } catch (error) {
        if (signal.aborted) return;
        failures += 1;
        onError?.(error, "telegram: getUpdates failed; polling again after a pause");
        const retryAfter = error instanceof GrammyError && error.error_code === 429 ? (error.parameters.retry_after ?? 1) * 1000 : undefined;
        await pause(retryAfter ?? backoff(failures), signal);
      }
    }
  }

  /** Handles a batch in order; false when one must be offered again (the offset stays on it). */
  async #handleAll(updates: ReadonlyArray<{ readonly update_id: number }>): Promise<boolean> {
    const maxAttempts = this.#options.maxAttempts ?? 5;
    for (const update of updates) {
      let done: boolean;
      try {
        done = await this.#options.handle(update);
      } catch (error) {
        this.#options.onError?.(error, `telegram: update ${update.update_id} failed`);
        done = false;
      }
      if (!done) {
        const attempts = (this.#attempts.get(update.update_id) ?? 0) + 1;
        if (attempts < maxAttempts) {
          this.#attempts.clear();
          this.#attempts.set(update.update_id, attempts);
          return false;
        }
        this.#options.onError?.(new Error(`update ${update.update_id} failed ${attempts} times`), `telegram: update ${update.update_id} skipped`);
      }
      this.#attempts.delete(update.update_id);
      this.#offset = update.update_id + 1;
    }
    return true;
  }
}

/** Waits `ms`, or less when `signal` aborts. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}
