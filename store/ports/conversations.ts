/** Who a conversation is with: one customer of one bot on one channel. */
export interface ConversationAddress {
  readonly botId: string;
  readonly channel: string;
  readonly userId: string;
}

/** A conversation as the store keeps it; `data` is the engine's JSON, opaque here. */
export interface ConversationRow extends ConversationAddress {
  readonly flowId: string;
  readonly flowVersion: string;
  readonly stepId: string | null;
  readonly locale: string;
  readonly data: unknown;
  /** Compare-and-swap counter: each saved turn adds one. */
  readonly version: number;
  readonly updatedAt: Date;
}

/** What a turn reads and writes of its conversation: the event's idempotency key, the state, saved with compare-and-swap. */
export interface ConversationTx {
  /** Records an idempotency key; false when it was seen before (drop the event). */
  markEventSeen(key: string, at: Date): Promise<boolean>;
  loadConversation(address: ConversationAddress): Promise<ConversationRow | undefined>;
  /**
   * Saves with compare-and-swap: `expectedVersion` is the version loaded (0 for
   * a new conversation). Throws `VersionConflictError` when someone else won.
   */
  saveConversation(row: Omit<ConversationRow, "version">, expectedVersion: number): Promise<number>;
}

/** Conversations outside a turn. */
export interface ConversationStore {
  /**
   * Forgets a conversation (the emulator's reset): its next event starts
   * afresh. Its orders, bookings, outbox and timers stay: they are the
   * business's records. False when there was none.
   */
  deleteConversation(address: ConversationAddress): Promise<boolean>;
}
