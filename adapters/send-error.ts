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

  constructor(
    readonly code: SendErrorCode,
    message: string,
    options: { readonly retryAfterMs?: number; readonly cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.retryAfterMs = options.retryAfterMs;
  }

  /** True when sending again cannot succeed: the outbox records it and stops. */
  get permanent(): boolean {
    return this.code === "rejected";
  }
}
