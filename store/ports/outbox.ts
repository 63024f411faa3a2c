import type { OutboundMessage } from "../../core/message.ts";
import type { ConversationAddress } from "./conversations.ts";

/** A queued message as the sender reads it. */
export interface OutboxRow extends ConversationAddress {
  readonly id: number;
  readonly message: OutboundMessage;
  readonly attempts: number;
  /**
   * Platform calls of this message made by earlier attempts, when it takes
   * several (see adapters/call-progress.ts): the next attempt starts after
   * them. Absent or 0 for a fresh message.
   */
  readonly callsDone?: number;
  /**
   * Set by `pendingOutbox` when the customer cannot be reached on this
   * channel (see `setUnreachable`): why. The outbox then records the
   * message as not delivered instead of sending it.
   */
  readonly unreachable?: string;
}

/** What `markFailed` records about a failed send. */
export interface OutboxFailure {
  /** Kept on the row as its last error. */
  readonly error: string;
  /** When to try again; null gives up on the message (kept for inspection, never retried). */
  readonly retryAt: Date | null;
  /** Platform calls of the message made so far, when it takes several; the next attempt starts after them. Unchanged when absent. */
  readonly callsDone?: number;
}

/** An outbox row as the inspector shows it. */
export interface OutboxEntry extends OutboxRow {
  readonly createdAt: Date;
  /** Null while unsent. */
  readonly sentAt: Date | null;
  /** Null when sent, or given up on after `lastError`. */
  readonly nextAttemptAt: Date | null;
  readonly lastError: string | null;
}

/** Which of a conversation's outbox rows the inspector reads. */
export interface OutboxQuery {
  /** Only rows with a greater id. */
  readonly afterId?: number;
  /** At most this many rows (capped at 1000). */
  readonly limit?: number;
  /** The newest `limit` rows instead of the oldest (still returned oldest first). */
  readonly newest?: boolean;
}

/** The messages a turn queues: sent after it commits, never lost if the process dies. */
export interface OutboxTx {
  enqueue(address: ConversationAddress, messages: readonly OutboundMessage[], at: Date): Promise<number[]>;
}

/** The outbox as the sender drains it, and as the inspector reads it. */
export interface OutboxStore {
  /**
   * Unsent messages due at `now`, oldest first. A message queued behind an
   * earlier one to the same conversation that waits for its retry is left out
   * until that one is sent or given up on: a customer reads them in order.
   * Each row carries its `callsDone`, and `unreachable` when its customer
   * cannot be reached (read in the same query: no extra call per message).
   */
  pendingOutbox(now: Date, limit: number): Promise<OutboxRow[]>;
  /** How many messages are neither sent nor given up on (due now or waiting for a retry): what a next start sends. */
  unsentOutboxCount(): Promise<number>;
  /** Marks messages sent, in one write. */
  markSent(ids: readonly number[], at: Date): Promise<void>;
  /** Records a failed send (and its progress) in one write. */
  markFailed(id: number, failure: OutboxFailure): Promise<void>;
  /** One conversation's outbox rows, sent or not, oldest first (the emulator's history and inspector). */
  conversationOutbox(address: ConversationAddress, query?: OutboxQuery): Promise<OutboxEntry[]>;
}
