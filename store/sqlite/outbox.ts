import type { OutboundMessage } from "../../core/message.ts";
import type { OutboxFailure, OutboxRow } from "../ports/outbox.ts";
import type { Queries } from "./queries.ts";

/** Outbox rows read per page while looking for due messages. */
const OUTBOX_PAGE = 200;

/**
 * The outbox as the sender drains it: the scan for due messages, and what a
 * send attempt records. Remembers where unsent rows start, so a scan does
 * not read again what was sent or given up on. The caller serializes calls
 * with the turns (see SqliteStore): a scan beside an open turn on the same
 * connection would see its uncommitted rows.
 */
export class OutboxDrain {
  /** Every outbox row below this id is sent or given up on (ids only grow). */
  #unsentFrom = 0;

  constructor(private readonly q: Queries) {}

  /** Unsent messages due at `now`, oldest first, leaving out those queued behind one waiting for its retry. */
  pending(now: Date, limit: number): OutboxRow[] {
    const due: OutboxRow[] = [];
    const nowMs = now.getTime();
    // A message waits while an earlier one to the same customer waits for its
    // retry, so a customer reads messages in order.
    const waiting = new Set<string>();
    let from = this.#unsentFrom;
    let firstUnsent: number | undefined;
    // Bounded: each page moves `from` past the rows it read.
    for (let page = 0; page < 10_000 && due.length < limit; page++) {
      const rows = this.q.unsentFrom.all({ from, limit: OUTBOX_PAGE });
      for (const r of rows) {
        firstUnsent ??= r.id;
        const conversation = `${r.botId}\u0000${r.channel}\u0000${r.userId}`;
        if (waiting.has(conversation)) continue;
        if ((r.nextAttemptAt?.getTime() ?? Infinity) > nowMs) {
          waiting.add(conversation);
          continue;
        }
        if (due.length < limit) {
          due.push({
            id: r.id,
            botId: r.botId,
            channel: r.channel,
            userId: r.userId,
            message: r.message as OutboundMessage,
            attempts: r.attempts,
            callsDone: r.callsDone,
            ...(r.unreachable === null ? {} : { unreachable: r.unreachable }),
          });
        }
      }
      const last = rows.at(-1);
      if (rows.length < OUTBOX_PAGE || !last) break;
      from = last.id + 1;
    }
    // Everything below the first unsent row is sent or given up on: later scans start there.
    this.#unsentFrom = firstUnsent ?? (this.q.lastOutboxId.get()?.id ?? 0) + 1;
    return due;
  }

  /** Messages neither sent nor given up on. */
  unsentCount(): number {
    return this.q.unsentCount.get({ from: this.#unsentFrom })?.count ?? 0;
  }

  /** Marks each message sent; the caller wraps the calls in one transaction. */
  markSent(ids: readonly number[], at: Date): void {
    for (const id of ids) this.q.markSent.run({ id, at: at.getTime() });
  }

  /** Counts a failed attempt; a null `retryAt` gives up on the message. */
  markFailed(id: number, failure: OutboxFailure): void {
    // A null next attempt marks a message given up on: kept for inspection, never retried.
    this.q.markFailed.run({ id, error: failure.error, retryAt: failure.retryAt?.getTime() ?? null, callsDone: failure.callsDone ?? null });
  }
}
