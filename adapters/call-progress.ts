import { ChannelSendError } from "./send-error.ts";

/**
 * Sends an outbox message that takes several platform calls (a card per
 * message, a long text in parts). When a call fails and the outbox retries
 * the message, the calls already made are not made again, so the customer
 * does not see the first parts twice; a permanent failure forgets the
 * message. Kept in memory: after a crash the whole message is sent again.
 */
export class CallProgress {
  /** Outbox id → calls already made. */
  readonly #made = new Map<number, number>();

  /** How many of this message's calls were made before a retry; 0 for a fresh message. */
  made(outboxId: number): number {
    return this.#made.get(outboxId) ?? 0;
  }

  forget(outboxId: number): void {
    this.#made.delete(outboxId);
  }

  /**
   * Makes the calls not yet made, in order. What a call throws goes through
   * `failure` (e.g. to map a platform error to a ChannelSendError) and is rethrown.
   */
  async run<C>(
    outboxId: number,
    calls: readonly C[],
    make: (call: C) => Promise<void>,
    failure: (error: unknown, call: C) => unknown = (error) => error,
  ): Promise<void> {
    const start = this.made(outboxId);
    for (const [i, call] of calls.entries()) {
      if (i < start) continue;
      try {
        await make(call);
      } catch (error) {
        const thrown = await failure(error, call);
        if (thrown instanceof ChannelSendError && thrown.permanent) this.#made.delete(outboxId);
        else if (i > 0) this.#made.set(outboxId, i);
        throw thrown;
      }
    }
    this.#made.delete(outboxId);
  }
}
