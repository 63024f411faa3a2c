import type { ChannelSender, Envelope } from "../adapters/message.ts";
import { ChannelSendError } from "../adapters/send-error.ts";
import type { OutboxRow, Store } from "../store/index.ts";
import type { Clock } from "./clock.ts";

export interface OutboxOptions {
  readonly store: Store;
  readonly clock: Clock;
  readonly senders: ReadonlyMap<string, ChannelSender>;
  /** Attempts before a message is given up on (kept, with its last error). */
  readonly maxAttempts?: number;
  /** Delay before retry n (1-based), in ms. */
  readonly backoffMs?: (attempt: number) => number;
  readonly onError?: (error: unknown, row: OutboxRow) => void;
}

const BATCH = 100;

/**
 * Sends what turns wrote to the outbox, in id order, and retries what fails.
 * A row is marked sent only after its channel accepted it. A conversation's
 * messages go out in order: those after a failed one wait for its retry
 * (also when the channel said how long to wait: `ChannelSendError.retryAfterMs`).
 */
export class OutboxDispatcher {
  readonly #options: OutboxOptions;
  readonly #maxAttempts: number;
  readonly #backoff: (attempt: number) => number;
  #draining: Promise<void> | undefined;
  #again = false;

  constructor(options: OutboxOptions) {
    this.#options = options;
    this.#maxAttempts = options.maxAttempts ?? 8;
    this.#backoff = options.backoffMs ?? ((n) => Math.min(1000 * 2 ** (n - 1), 5 * 60_000));
  }

  /**
   * Sends every due message. Concurrent calls share one drain (so no message is
   * sent twice by this process), and a call during a drain makes it go round again.
   */
  flush(): Promise<void> {
    if (this.#draining) {
      this.#again = true;
      return this.#draining;
    }
    this.#draining = this.#drain();
    return this.#draining;
  }

  async #drain(): Promise<void> {
    const { store, clock } = this.#options;
    try {
      // Bounded: each pass either sends or reschedules every row it read.
      for (let pass = 0; pass < 1000; pass++) {
        this.#again = false;
        const rows = await store.pendingOutbox(clock.now(), BATCH);
        const sent: number[] = [];
        try {
          const concurrent = (row: OutboxRow) => (this.#options.senders.get(row.channel)?.concurrency ?? 1) > 1;
          await Promise.all([this.#sendInOrder(rows.filter((r) => !concurrent(r)), sent), this.#sendConcurrently(rows.filter(concurrent), sent)]);
        } finally {
          // One write for the pass: a crash before it re-sends at most this pass (at-least-once).
          if (sent.length > 0) await store.markSent(sent, clock.now());
        }
        if (rows.length < BATCH && !this.#again) return;
      }
    } finally {
      // Cleared in the same step that decided to stop, so a flush after it starts a new
      // drain; clearing it in a later callback let a flush in between join a finished drain.
      this.#draining = undefined;
    }
  }

  /**
   * Sends `rows` one at a time in id order; a conversation whose message must
   * be retried sends nothing after it in this pass. After a message the
   * channel refused for good, the conversation's next ones wait for the next
   * pass, which reads them afresh (the refusal may have made the customer
   * unreachable, e.g. Telegram's 403 when they blocked the bot).
   */
  async #sendInOrder(rows: readonly OutboxRow[], sent: number[]): Promise<void> {
    const waiting = new Set<string>();
    for (const row of rows) {
      const conversation = conversationOf(row);
      if (waiting.has(conversation)) continue;
      const outcome = await this.#sendOne(row);
      if (outcome === "sent") sent.push(row.id);
      else if (outcome === "retry") waiting.add(conversation);
      else if (outcome === "refused") {
        waiting.add(conversation);
        this.#again = true;
      }
    }
  }

  /**
   * For channels that take several sends at once (`ChannelSender.concurrency`):
   * up to that many conversations are sent to at a time, each conversation's
   * messages still one at a time, in order, stopping at one that must be retried
   * or was refused for good.
   */
  async #sendConcurrently(rows: readonly OutboxRow[], sent: number[]): Promise<void> {
    if (rows.length === 0) return;
    const groups = new Map<string, OutboxRow[]>();
    for (const row of rows) {
      const key = conversationOf(row);
      const group = groups.get(key);
      if (group) group.push(row);
      else groups.set(key, [row]);
    }
    const queue = [...groups.values()];
    const limit = Math.max(...rows.map((r) => this.#options.senders.get(r.channel)?.concurrency ?? 1));
    const worker = async () => {
      for (let group = queue.shift(); group; group = queue.shift()) {
        for (const row of group) {
          const outcome = await this.#sendOne(row);
          if (outcome === "sent") sent.push(row.id);
          else if (outcome === "retry") break;
          else if (outcome === "refused") {
            // As in #sendInOrder: the rest are read afresh in the next pass.
            this.#again = true;
            break;
          }
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(limit, queue.length) }, worker));
  }

  /**
   * "unreachable": recorded as not delivered without asking the channel;
   * "refused": the channel failed it and it is given up on.
   */
  async #sendOne(row: OutboxRow): Promise<"sent" | "retry" | "unreachable" | "refused"> {
    const { store, senders } = this.#options;
    if (row.unreachable !== undefined) {
      // Not the channel's failure: nothing is asked of it, and the message stays on record as not delivered.
      await store.markFailed(row.id, { error: `not sent: ${row.unreachable}; nothing is sent to them until they start the bot again`, retryAt: null });
      return "unreachable";
    }
    const envelope: Envelope = {
      id: row.id,
      botId: row.botId,
      channel: row.channel,
      userId: row.userId,
      message: row.message,
      ...(row.callsDone ? { callsDone: row.callsDone } : {}),
    };
    try {
      const sender = senders.get(row.channel);
      if (!sender) throw new Error(`no channel adapter named '${row.channel}' is running`);
      await sender.send(envelope);
    } catch (error) {
      const retryAt = this.#retryAt(error, row.attempts + 1);
      const callsDone = error instanceof ChannelSendError ? error.callsDone : undefined;
      await store.markFailed(row.id, {
        error: error instanceof Error ? error.message : String(error),
        retryAt,
        ...(callsDone === undefined ? {} : { callsDone }),
      });
      this.#options.onError?.(error, row);
      return retryAt ? "retry" : "refused";
    }
    return "sent";
  }

  /**
   * When to try a failed message again; null gives up (the error is kept on the row).
   * A channel's rate limit is not the message's fault: it waits as long as the
   * platform says and is never given up on. A rejection is given up at once.
   */
  #retryAt(error: unknown, attempt: number): Date | null {
    const now = this.#options.clock.now().getTime();
    if (error instanceof ChannelSendError) {
      if (error.permanent) return null;
      if (error.retryAfterMs !== undefined) return new Date(now + Math.max(0, error.retryAfterMs));
    }
    return attempt >= this.#maxAttempts ? null : new Date(now + this.#backoff(attempt));
  }
}

function conversationOf(row: OutboxRow): string {
  return `${row.botId}\u0000${row.channel}\u0000${row.userId}`;
}
