import { setMaxListeners } from "node:events";
import type { ChannelSender, Envelope } from "../core/message.ts";
import { ChannelSendError } from "../core/send-error.ts";
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
  /**
   * For a channel whose sends wait for pacing (`ChannelSender.paced`): how
   * long a pass waits for its last few conversations before it moves on and
   * lets them finish on their own, so other customers' new messages are not
   * held behind a chat being paced. Default 200 ms.
   */
  readonly detachAfterMs?: number;
}

const BATCH = 100;

/**
 * When a shutdown stops sending (see `OutboxDispatcher.close`): once `stop`
 * aborts, no send starts; a send still in flight when `cut` aborts is cut
 * off, and its message stays in the outbox for the next start.
 */
export interface SendDeadline {
  readonly stop: AbortSignal;
  readonly cut: AbortSignal;
}

/** How long a platform call already on its way at the deadline may wait for its answer before it is cut. */
export const IN_FLIGHT_MS = 2000;

/**
 * The deadline of a shutdown that begins now: sends start for `graceMs`,
 * calls in flight then have `inFlightMs` to be answered. On real time: the
 * process must be gone before its supervisor's kill. `now()` ends the grace
 * period early (a second signal).
 *
 * @example
 * const deadline = new ShutdownDeadline(10_000);
 * await outbox.close(deadline);
 */
export class ShutdownDeadline implements SendDeadline {
  readonly #stop = new AbortController();
  readonly #cut = new AbortController();
  readonly #inFlightMs: number;
  readonly #cutAt: number;
  readonly #timers: NodeJS.Timeout[];

  constructor(graceMs: number, inFlightMs: number = IN_FLIGHT_MS) {
    this.#inFlightMs = inFlightMs;
    this.#cutAt = Date.now() + graceMs + inFlightMs;
    this.#timers = [after(graceMs, this.#stop), after(graceMs + inFlightMs, this.#cut)];
  }

  get stop(): AbortSignal {
    return this.#stop.signal;
  }

  get cut(): AbortSignal {
    return this.#cut.signal;
  }

  /**
   * Ends the grace period now: no send starts; calls in flight still get
   * their `inFlightMs` to be answered (cutting one the platform already took
   * would send its message again at the next start).
   */
  now(): void {
    if (this.#stop.signal.aborted) return;
    for (const timer of this.#timers) clearTimeout(timer);
    this.#stop.abort(new Error("the grace period was ended early"));
    this.#timers.push(after(Math.min(this.#inFlightMs, this.#cutAt - Date.now()), this.#cut));
  }
}

function after(ms: number, controller: AbortController): NodeJS.Timeout {
  return setTimeout(() => controller.abort(new Error(`the shutdown's deadline (${ms} ms) is over`)), Math.max(0, ms)).unref();
}

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
  /** Conversations still being sent to by a pass that moved on: passes skip their rows until they finish. */
  readonly #busy = new Set<string>();
  /** Busy conversations whose rows a pass skipped: when one finishes, the drain reads again. */
  readonly #stale = new Set<string>();
  /** Busy conversations that finished, with the ids they sent: the next pass writes them first, then frees them. */
  readonly #late = new Map<string, number[]>();
  /** What passes that moved on still send. */
  readonly #background = new Set<Promise<void>>();
  /** Wakes a drain that waits for the background (a flush came in, a conversation finished, or sending stopped). */
  #wake: (() => void) | undefined;
  /** Aborted when a shutdown's deadline stops sending: no send starts after it. */
  readonly #stop = new AbortController();
  /** Aborted when a shutdown cuts the sends in flight; every send gets its signal. */
  readonly #cut = new AbortController();
  #closed: Promise<void> | undefined;

  constructor(options: OutboxOptions) {
    this.#options = options;
    this.#maxAttempts = options.maxAttempts ?? 8;
    this.#backoff = options.backoffMs ?? ((n) => Math.min(1000 * 2 ** (n - 1), 5 * 60_000));
    // Every send in flight listens to it (and the fetch under it): many at once is normal, not a leak.
    setMaxListeners(0, this.#cut.signal);
  }

  /**
   * Sends every due message. Concurrent calls share one drain (so no message is
   * sent twice by this process), and a call during a drain makes it go round again.
   */
  flush(): Promise<void> {
    if (this.#draining) {
      this.#again = true;
      this.#wake?.();
      return this.#draining;
    }
    this.#draining = this.#drain();
    return this.#draining;
  }

  /**
   * Ends sending at `deadline` (a shutdown): what is due goes out until
   * `deadline.stop`, then no send starts; a send still in flight at
   * `deadline.cut` is cut off through its signal and its message stays
   * unsent (only the platform calls it already made are kept, so they are
   * not made again). Resolves once nothing is being sent and every send
   * made is recorded; the store can then close, and what is left goes out
   * at the next start. Without a deadline, everything due is sent. Safe
   * twice: the first deadline holds.
   */
  close(deadline?: SendDeadline): Promise<void> {
    if (deadline && !this.#closed) {
      const follow = (signal: AbortSignal, controller: AbortController) => {
        if (signal.aborted) controller.abort(signal.reason);
        else signal.addEventListener("abort", () => controller.abort(signal.reason), { once: true });
      };
      follow(deadline.stop, this.#stop);
      follow(deadline.cut, this.#cut);
      this.#stop.signal.addEventListener("abort", () => this.#wake?.(), { once: true });
    }
    this.#closed ??= (async () => {
      await this.flush();
      // A drain that stopped may leave conversations finishing in the background (a paced channel), and each
      // one that finishes starts a drain to record what it sent: wait until all of that is done.
      for (;;) {
        if (this.#draining) await this.#draining;
        else if (this.#background.size > 0) await Promise.allSettled([...this.#background]);
        else break;
      }
      if (this.#late.size > 0) await this.#writeLate();
    })();
    return this.#closed;
  }

  get #stopped(): boolean {
    return this.#stop.signal.aborted;
  }

  async #drain(): Promise<void> {
    const { store, clock } = this.#options;
    try {
      // Bounded: each pass either sends or reschedules every row it read.
      for (let pass = 0; pass < 1000; pass++) {
        this.#again = false;
        if (this.#late.size > 0) await this.#writeLate();
        if (this.#stopped) return;
        const due = await store.pendingOutbox(clock.now(), BATCH);
        // A conversation still sending in the background is read again once it is done.
        const rows = due.filter((r) => {
          const key = conversationOf(r);
          if (!this.#busy.has(key)) return true;
          this.#stale.add(key);
          return false;
        });
        const sent: number[] = [];
        try {
          const concurrent = (row: OutboxRow) => (this.#options.senders.get(row.channel)?.concurrency ?? 1) > 1;
          await Promise.all([this.#sendInOrder(rows.filter((r) => !concurrent(r)), sent), this.#sendConcurrently(rows.filter(concurrent), sent)]);
        } finally {
          // One write for the pass: a crash before it re-sends at most this pass (at-least-once).
          if (sent.length > 0) await store.markSent(sent, clock.now());
        }
        if (this.#again || this.#late.size > 0 || (due.length === BATCH && rows.length > 0)) continue;
        // Stopped: close() waits for what still finishes in the background.
        if (this.#background.size === 0 || this.#stopped) return;
        // Nothing new: wait for a flush or for a conversation in the background to finish, then look again.
        await new Promise<void>((resolve) => {
          this.#wake = resolve;
          for (const work of this.#background) void work.then(resolve);
        });
        this.#wake = undefined;
      }
    } finally {
      // Cleared in the same step that decided to stop, so a flush after it starts a new
      // drain; clearing it in a later callback let a flush in between join a finished drain.
      this.#draining = undefined;
    }
  }

  /** Marks sent what conversations that finished in the background sent (one write), and frees them. */
  async #writeLate(): Promise<void> {
    const finished = [...this.#late];
    this.#late.clear();
    const ids = finished.flatMap(([, sent]) => sent);
    try {
      if (ids.length > 0) await this.#options.store.markSent(ids, this.#options.clock.now());
    } finally {
      for (const [key] of finished) this.#busy.delete(key);
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
      if (this.#stopped) return;
      const conversation = conversationOf(row);
      if (waiting.has(conversation)) continue;
      const outcome = await this.#sendOne(row);
      if (outcome === "sent") sent.push(row.id);
      else if (outcome === "retry" || outcome === "cut") waiting.add(conversation);
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
   * or was refused for good. When the last few conversations of a paced
   * channel (`ChannelSender.paced`) take longer than `detachAfterMs`, the pass returns and they finish in the
   * background: each writes its sent ids itself, and until then later passes
   * skip that conversation's messages, so order and once-only hold.
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
    const queue = [...groups.entries()];
    /** Conversations not finished yet. */
    const unfinished = new Set(groups.keys());
    /** Set when the pass moved on: groups finishing after it leave their ids to the next pass (`#late`). */
    let detached = false;
    const sendGroup = async (key: string, group: readonly OutboxRow[]) => {
      const ids: number[] = [];
      try {
        for (const row of group) {
          if (this.#stopped) break;
          const outcome = await this.#sendOne(row);
          if (outcome === "sent") ids.push(row.id);
          else if (outcome === "retry" || outcome === "cut") break;
          else if (outcome === "refused") {
            // As in #sendInOrder: the rest are read afresh in the next pass.
            this.#again = true;
            break;
          }
        }
      } finally {
        unfinished.delete(key);
        if (!detached) sent.push(...ids);
        else {
          this.#late.set(key, ids);
          // Something waits behind it: look again now rather than when the last straggler is done.
          if (this.#stale.delete(key)) {
            this.#again = true;
            this.#wake?.();
          }
        }
      }
    };
    const limit = Math.max(...rows.map((r) => this.#options.senders.get(r.channel)?.concurrency ?? 1));
    // Only a channel whose sends wait for pacing leaves stragglers behind: elsewhere a slow pass is a loaded machine.
    const paced = rows.some((r) => this.#options.senders.get(r.channel)?.paced === true);
    const worker = async () => {
      // After the deadline the conversations not started are left as they are (sendGroup sends nothing).
      for (let next = queue.shift(); next; next = queue.shift()) await sendGroup(...next);
    };
    const done = Promise.all(Array.from({ length: Math.min(limit, queue.length) }, worker)).then(() => undefined);
    // Moves on only from a few stragglers (every conversation has started, at most a quarter of `limit`
    // still sending: a paced chat, not a loaded machine where all are slow) and when no earlier pass
    // is still finishing in the background: at most `limit` and a quarter sends at once.
    for (;;) {
      let timer: NodeJS.Timeout | undefined;
      const slow = new Promise<"slow">((resolve) => (timer = setTimeout(() => resolve("slow"), this.#options.detachAfterMs ?? 200)));
      try {
        if ((await Promise.race([done, slow])) !== "slow") return;
      } finally {
        clearTimeout(timer);
      }
      if (paced && queue.length === 0 && this.#background.size === 0 && unfinished.size <= Math.max(1, Math.floor(limit / 4))) break;
    }
    detached = true;
    for (const key of unfinished) this.#busy.add(key);
    const background = done
      .catch((error: unknown) => {
        const row = rows[0];
        if (row) this.#options.onError?.(error, row);
      })
      .finally(() => {
        // Groups a failure stopped before they started: freed with the others by the next pass.
        for (const key of unfinished) if (!this.#late.has(key)) this.#late.set(key, []);
        this.#background.delete(background);
        // No drain to pick up what waited behind them: start one.
        if (!this.#draining) void this.flush().catch(() => undefined);
      });
    this.#background.add(background);
  }

  /**
   * "unreachable": recorded as not delivered without asking the channel;
   * "refused": the channel failed it and it is given up on;
   * "cut": a shutdown cut it off; it stays due for the next start.
   */
  async #sendOne(row: OutboxRow): Promise<"sent" | "retry" | "unreachable" | "refused" | "cut"> {
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
      await untilCut(sender.send(envelope, this.#cut.signal), this.#cut.signal);
    } catch (error) {
      if (this.#cut.signal.aborted) return this.#recordCut(row, error);
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
   * A send the shutdown cut off is not the message's failure: the row stays
   * as it was, due, unless the message takes several platform calls and
   * some were made, which are kept so the next start does not make them again.
   */
  async #recordCut(row: OutboxRow, error: unknown): Promise<"cut"> {
    const done = error instanceof ChannelSendError ? error.callsDone : undefined;
    if (done !== undefined && done > (row.callsDone ?? 0)) {
      await this.#options.store.markFailed(row.id, {
        error: `cut off by the shutdown after ${done} of its platform calls; the rest are made at the next start`,
        retryAt: this.#options.clock.now(),
        callsDone: done,
      });
    }
    return "cut";
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

/** How long after the cut a send that ignores its signal (Bot Framework's connector takes none) is still waited for. */
const IGNORED_CUT_MS = 500;

/**
 * The send, or a failure once the cut has passed and the sender did not end
 * it itself within `IGNORED_CUT_MS` (its own error, which says how many of
 * the message's calls were made, is the one kept when it comes in time). The
 * send let go may still finish; its message stays unsent.
 */
function untilCut(send: Promise<void>, cut: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    const onCut = () => {
      timer = setTimeout(() => reject(new ChannelSendError("unavailable", "cut off by the shutdown before the channel answered")), IGNORED_CUT_MS);
    };
    if (cut.aborted) onCut();
    else cut.addEventListener("abort", onCut, { once: true });
    send.then(resolve, reject).finally(() => {
      clearTimeout(timer);
      cut.removeEventListener("abort", onCut);
    });
  });
}

function conversationOf(row: OutboxRow): string {
  return `${row.botId}\u0000${row.channel}\u0000${row.userId}`;
}
