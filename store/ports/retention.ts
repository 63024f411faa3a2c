/** How long an idempotency key is kept, for the keys that start with `prefix` (e.g. "telegram:"). */
export interface SeenEventsWindow {
  readonly prefix: string;
  /** Keys recorded before this instant are dropped. */
  readonly before: Date;
}

/** One bounded step of a retention sweep: rows deleted, and where the next step starts (undefined: done). */
export interface PruneStep<Cursor> {
  readonly deleted: number;
  readonly next: Cursor | undefined;
}

/** Retention sweeps, in bounded steps the caller loops over. */
export interface RetentionStore {
  /**
   * One bounded step of dropping idempotency keys past their window: among
   * the `limit` keys after `after`, those recorded before the window of
   * their longest matching prefix (else before `otherwise`).
   */
  pruneSeenEvents(options: { readonly windows: readonly SeenEventsWindow[]; readonly otherwise: Date; readonly after: string; readonly limit: number }): Promise<PruneStep<string>>;
  /** One bounded step of dropping messages sent or given up on that were queued before `before`, from id `afterId` on. */
  pruneOutbox(options: { readonly before: Date; readonly afterId: number; readonly limit: number }): Promise<PruneStep<number>>;
}
