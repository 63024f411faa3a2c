import { setTimeout as delay } from "node:timers/promises";
import { performance } from "node:perf_hooks";

/**
 * A token bucket's settings: `perSecond` messages a second on average, and
 * up to `burst` at once after a quiet spell. `perSecond` 0 turns it off.
 */
export interface Rate {
  readonly perSecond: number;
  readonly burst: number;
}

/** How fast a Telegram bot sends: all its chats together, and each chat. */
export interface PacingRates {
  /** All chats of one bot together. Telegram: about 30 messages a second. */
  readonly perBot: Rate;
  /** One chat. Telegram: about 1 a second, short bursts allowed. */
  readonly perChat: Rate;
}

/**
 * Defaults that stay under Telegram's limits: 30/s per bot (burst 30), and
 * per chat 1/s with a burst of 3, so a turn's answer of 2–3 messages goes at once.
 */
export const DEFAULT_PACING: PacingRates = { perBot: { perSecond: 30, burst: 30 }, perChat: { perSecond: 1, burst: 3 } };

/** Telegram allows 20 messages a minute in a group: a burst of 3, then 17 a minute, keeps any minute at 20. */
export const GROUP_RATE: Rate = { perSecond: 17 / 60, burst: 3 };

export interface PacerOptions extends Partial<PacingRates> {
  /** A group or channel chat (its id is negative), instead of `perChat`. Default `GROUP_RATE`. */
  readonly perGroup?: Rate;
  /** A monotonic clock in ms. Default `performance.now`. */
  readonly now?: () => number;
  /** Waits `ms`, rejecting when `signal` aborts. Default a timer. */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** Float error allowed when a bucket refills to exactly one token. */
const EPSILON = 1e-9;
/** Chat buckets kept before idle ones (refilled to full) are dropped. */
const KEEP_CHATS = 10_000;

class Bucket {
  #tokens: number;
  #at: number;

  constructor(
    readonly rate: Rate,
    now: number,
  ) {
    this.#tokens = rate.burst;
    this.#at = now;
  }

  /** Ms until a token is there: 0 when one is now. */
  waitMs(now: number): number {
    this.#refill(now);
    return this.#tokens >= 1 - EPSILON ? 0 : ((1 - this.#tokens) * 1000) / this.rate.perSecond;
  }

  take(): void {
    this.#tokens -= 1;
  }

  /** Whether it is back to its burst: forgetting it changes nothing. */
  idle(now: number): boolean {
    this.#refill(now);
    return this.#tokens >= this.rate.burst - EPSILON;
  }

  #refill(now: number): void {
    this.#tokens = Math.min(this.rate.burst, this.#tokens + ((now - this.#at) * this.rate.perSecond) / 1000);
    this.#at = now;
  }
}

/**
 * Paces a Telegram bot's sends with two token buckets: one for the bot
 * (all chats), one per chat. `wait` returns when both have a token and
 * takes one from each at that moment, so the calls it lets through keep
 * both rates in every window, whatever order they come in.
 *
 * @example
 * const pacer = new Pacer({ perChat: { perSecond: 1, burst: 3 } });
 * await pacer.wait("cafe", "123456789", signal);
 * await api.sendMessage(...);
 */
export class Pacer {
  readonly #perBot: Rate | undefined;
  readonly #perChat: Rate | undefined;
  readonly #perGroup: Rate | undefined;
  readonly #now: () => number;
  readonly #sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly #bots = new Map<string, Bucket>();
  readonly #chats = new Map<string, Bucket>();

  constructor(options: PacerOptions = {}) {
    this.#perBot = active(options.perBot ?? DEFAULT_PACING.perBot);
    this.#perChat = active(options.perChat ?? DEFAULT_PACING.perChat);
    this.#perGroup = active(options.perGroup ?? GROUP_RATE);
    this.#now = options.now ?? (() => performance.now());
    this.#sleep = options.sleep ?? ((ms, signal) => delay(ms, undefined, signal ? { signal } : {}));
  }

  /** Whether it ever waits (false when every rate is off). */
  get enabled(): boolean {
    return this.#perBot !== undefined || this.#perChat !== undefined || this.#perGroup !== undefined;
  }

  /**
   * Waits until the bot and the chat may be sent to, and counts the send.
   * Rejects with the signal's reason when it aborts first (nothing counted).
   */
  async wait(botId: string, chatId: string, signal?: AbortSignal): Promise<void> {
    if (!this.enabled) return;
    for (;;) {
      signal?.throwIfAborted();
      const now = this.#now();
      const bot = this.#perBot && this.#bucket(this.#bots, botId, this.#perBot, now);
      const perChat = chatId.startsWith("-") ? this.#perGroup : this.#perChat;
      const chat = perChat && this.#bucket(this.#chats, `${botId}\u0000${chatId}`, perChat, now);
      const ms = Math.max(bot?.waitMs(now) ?? 0, chat?.waitMs(now) ?? 0);
      if (ms <= 0) {
        bot?.take();
        chat?.take();
        return;
      }
      // Woken, it looks again: another send may have taken the token meanwhile.
      await this.#sleep(Math.ceil(ms), signal);
    }
  }

  #bucket(buckets: Map<string, Bucket>, key: string, rate: Rate, now: number): Bucket {
    let bucket = buckets.get(key);
    if (!bucket) {
      if (buckets.size >= KEEP_CHATS) {
        for (const [k, b] of buckets) if (b.idle(now)) buckets.delete(k);
      }
      bucket = new Bucket(rate, now);
      buckets.set(key, bucket);
    }
    return bucket;
  }
}

/** The rate, or undefined when it is off (0 a second); a burst below 1 is 1. */
function active(rate: Rate): Rate | undefined {
  if (!(rate.perSecond > 0)) return undefined;
  return { perSecond: rate.perSecond, burst: Math.max(1, rate.burst) };
}
