/**
 * Why a channel refused or could not take a message, as the outbox needs to
 * know it: wait and retry (rate limited), retry with backoff (the platform
 * or the network failed), or give up and record it (the platform rejected
 * the message for good, e.g. the customer blocked the bot).
 */
export type SendErrorCode = "rate_limited" | "unavailable" | "rejected";

/**
 * Thrown by a `ChannelSender` when it knows more than "it failed". Any other
 * error is retried with the outbox's backoff.
 *
 * @example
 * throw new ChannelSendError("rate_limited", "telegram: 429 Too Many Requests", { retryAfterMs: 3000 });
 */
export class ChannelSendError extends Error {
  override readonly name = "ChannelSendError";
  /** For `rate_limited`: when the platform accepts messages again, in ms from now. */
  readonly retryAfterMs: number | undefined;
  /**
   * For a message that takes several platform calls: how many of them were
   * made (by this attempt and earlier ones) before the failure. The outbox
   * keeps it on the row, so the next attempt, in this process or after a
   * restart, starts after them (see adapters/call-progress.ts).
   */
  readonly callsDone: number | undefined;

  constructor(
    readonly code: SendErrorCode,
    message: string,
    options: { readonly retryAfterMs?: number; readonly cause?: unknown; readonly callsDone?: number } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.retryAfterMs = options.retryAfterMs;
    this.callsDone = options.callsDone;
  }

  /** The same error, saying that `callsDone` calls of the message were made. */
  withCallsDone(callsDone: number): ChannelSendError {
    const options = { callsDone, ...(this.retryAfterMs === undefined ? {} : { retryAfterMs: this.retryAfterMs }), ...(this.cause === undefined ? {} : { cause: this.cause }) };
    return new ChannelSendError(this.code, this.message, options);
  }

  /** True when sending again cannot succeed: the outbox records it and stops. */
  get permanent(): boolean {
    return this.code === "rejected";
  }
}
