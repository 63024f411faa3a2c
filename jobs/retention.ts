import type { SeenEventsWindow, Store } from "../store/index.ts";
import type { Clock } from "./clock.ts";

const HOUR = 60 * 60_000;
const DAY = 24 * HOUR;

/**
 * How long each platform may deliver the same event again, by idempotency
 * key prefix (see the keys in server/*.ts), with a safety margin: a key is
 * only worth keeping while a redelivery can still arrive. Each window is the
 * platform's documented redelivery period plus at least a day.
 */
export const REDELIVERY_WINDOWS: ReadonlyArray<{ readonly prefix: string; readonly keepMs: number; readonly why: string }> = [
  // Bot API, "Getting updates": incoming updates are kept until the bot receives them, "but they will not be kept longer than 24 hours".
  { prefix: "telegram:", keepMs: 2 * DAY, why: "Telegram keeps an undelivered update 24 h" },
  // Graph API webhooks: a failed delivery is retried "with decreasing frequency over the next 36 hours"; the WhatsApp
  // Cloud API's webhooks guide speaks of retries for up to 7 days. The longer one, for both.
  { prefix: "messenger:", keepMs: 8 * DAY, why: "Meta retries a webhook for up to 7 days" },
  { prefix: "whatsapp:", keepMs: 8 * DAY, why: "Meta retries a webhook for up to 7 days" },
  // Bot Framework: the connector does not queue activities; Teams sends an activity again when the bot has not
  // answered within 15 s ("Bot activity handlers"). Minutes, not days: two days is ample.
  { prefix: "botframework:", keepMs: 2 * DAY, why: "Teams re-sends an activity unanswered after 15 s" },
  // Stripe, "Webhooks": in live mode undelivered events are retried "for up to three days" with exponential backoff.
  { prefix: "checkout:", keepMs: 4 * DAY, why: "Stripe retries a webhook for up to 3 days" },
  { prefix: "payment:", keepMs: 4 * DAY, why: "payment reports come through the checkout webhook (Stripe: up to 3 days) or a Telegram update (24 h)" },
  // A timer's key is its row id (AUTOINCREMENT: never reused) and the row is deleted when it fires.
  { prefix: "timer:", keepMs: 1 * DAY, why: "a fired timer's row is gone; its id is never reused" },
];

/** Keys of any other kind (the emulator's, future channels'): the longest window above. */
const OTHERWISE_MS = Math.max(...REDELIVERY_WINDOWS.map((w) => w.keepMs));

export interface RetentionOptions {
  readonly store: Store;
  readonly clock: Clock;
  /** Days a message stays in the outbox after it was sent or given up on. Default 30. */
  readonly retentionDays?: number;
  /** How often a sweep runs, by `clock`. Default one hour. */
  readonly intervalMs?: number;
  /** Rows read (and at most deleted) per store step; each step holds the write lock briefly. Default 500. */
  readonly batchSize?: number;
}

export interface RetentionResult {
  readonly seenEvents: number;
  readonly outbox: number;
}

/**
 * Drops what Kiosk no longer needs: idempotency keys past their platform's
 * redelivery window, and outbox messages (their texts) sent or given up on
 * more than `retentionDays` ago. Runs in small steps (one short write
 * transaction each), so turns go on between them. `runIfDue()` runs at
 * most once per interval by the runtime's clock, the first time at once.
 */
export class RetentionSweeper {
  readonly #options: RetentionOptions;
  #lastRunMs: number | undefined;
  #running: Promise<RetentionResult> | undefined;

  constructor(options: RetentionOptions) {
    const days = options.retentionDays ?? 30;
    if (!Number.isInteger(days) || days < 1) throw new RangeError(`retentionDays must be a whole number of days, at least 1; got ${days}`);
    this.#options = options;
  }

  /** Runs a sweep when the last one started at least an interval ago (or never); undefined when not due. */
  runIfDue(): Promise<RetentionResult | undefined> {
    if (this.#running) return this.#running;
    const now = this.#options.clock.now().getTime();
    if (this.#lastRunMs !== undefined && now - this.#lastRunMs < (this.#options.intervalMs ?? HOUR)) return Promise.resolve(undefined);
    this.#lastRunMs = now;
    return this.run();
  }

  /** The sweep in flight, if any (close() waits for it). */
  settled(): Promise<unknown> {
    return this.#running ?? Promise.resolve();
  }

  /** One whole sweep now. */
  run(): Promise<RetentionResult> {
    this.#running ??= this.#sweep().finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  async #sweep(): Promise<RetentionResult> {
    const { store, clock } = this.#options;
    const limit = this.#options.batchSize ?? 500;
    const now = clock.now().getTime();
    const windows: SeenEventsWindow[] = REDELIVERY_WINDOWS.map((w) => ({ prefix: w.prefix, before: new Date(now - w.keepMs) }));
    const otherwise = new Date(now - OTHERWISE_MS);
    let seenEvents = 0;
    for (let after: string | undefined = ""; after !== undefined; ) {
      const step = await store.pruneSeenEvents({ windows, otherwise, after, limit });
      seenEvents += step.deleted;
      after = step.next;
    }
    const before = new Date(now - (this.#options.retentionDays ?? 30) * DAY);
    let outbox = 0;
    for (let afterId: number | undefined = 0; afterId !== undefined; ) {
      const step = await store.pruneOutbox({ before, afterId, limit });
      outbox += step.deleted;
      afterId = step.next;
    }
    return { seenEvents, outbox };
  }
}
