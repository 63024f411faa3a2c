import { ChannelSendError } from "../core/send-error.ts";
import type { RefundRow, Store } from "../store/index.ts";
import type { Clock } from "./clock.ts";

/** What asking a provider for a refund came to. */
export type RefundOutcome =
  /** The provider gave the money back; `note` is its reference for the refund, if any. */
  | { readonly status: "refunded"; readonly note?: string }
  /** The provider has no refund call for this payment: the business refunds it by hand, as `note` says. */
  | { readonly status: "manual"; readonly note: string };

/**
 * Gives a payment's money back through the provider that took it. Throws a
 * `ChannelSendError`: a temporary one (rate limit, outage) is retried, a
 * permanent one marks the refund `failed` for the business to look at.
 */
export interface Refunder {
  /** The payment provider it refunds for, as in `PaymentReport.provider` ("telegram", "test", "stripe"). */
  readonly provider: string;
  refund(refund: RefundRow, signal?: AbortSignal): Promise<RefundOutcome>;
}

export interface RefundRunnerOptions {
  readonly store: Store;
  readonly clock: Clock;
  readonly refunders: readonly Refunder[];
  /** Attempts before a refund that keeps failing is marked `failed`. Default 8. */
  readonly maxAttempts?: number;
  readonly backoffMs?: (attempt: number) => number;
  readonly batchSize?: number;
  /** Told about every refund closed, for the log. */
  readonly onSettled?: (refund: RefundRow, status: "refunded" | "manual" | "failed", note: string | null) => void;
}

/**
 * Works through the refunds turns recorded (see flows/refunds.ts): one
 * provider call per refund, retried with backoff, never made again once it
 * succeeded. A refund for a provider with no refunder is left `manual`.
 * A crash between the provider's answer and the write can repeat a call;
 * Telegram's refundStarPayment then answers that the charge was refunded
 * already, which the Telegram refunder counts as done.
 */
export class RefundRunner {
  readonly #options: RefundRunnerOptions;
  readonly #refunders: ReadonlyMap<string, Refunder>;
  #stopped = false;

  constructor(options: RefundRunnerOptions) {
    this.#options = options;
    this.#refunders = new Map(options.refunders.map((r) => [r.provider, r] as const));
  }

  /** Starts no more refunds (a shutdown): the call in flight finishes, the rest stay due for the next start. */
  stop(): void {
    this.#stopped = true;
  }

  /** Asks providers for every refund due now; returns how many were closed. `signal` cuts the call in flight. */
  async runDue(signal?: AbortSignal): Promise<number> {
    if (this.#stopped) return 0;
    const { store, clock } = this.#options;
    const due = await store.pendingRefunds(clock.now(), this.#options.batchSize ?? 50);
    let closed = 0;
    for (const refund of due) {
      if (signal?.aborted || this.#stopped) break;
      if (await this.#run(refund, signal)) closed++;
    }
    return closed;
  }

  async #run(refund: RefundRow, signal: AbortSignal | undefined): Promise<boolean> {
    const { store, clock } = this.#options;
    const refunder = this.#refunders.get(refund.provider);
    if (!refunder) {
      await this.#settle(refund, "manual", `no refund call for provider '${refund.provider}'; refund payment ${refund.paymentReference} by hand`);
      return true;
    }
    try {
      const outcome = await refunder.refund(refund, signal);
      await this.#settle(refund, outcome.status, outcome.note ?? null);
      return true;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const attempt = refund.attempts + 1;
      const permanent = error instanceof ChannelSendError && error.permanent;
      if (permanent || attempt >= (this.#options.maxAttempts ?? 8)) {
        await this.#settle(refund, "failed", message);
        return true;
      }
      const wait = error instanceof ChannelSendError && error.retryAfterMs !== undefined ? error.retryAfterMs : this.#backoff(attempt);
      await store.retryRefund(refund.id, message, new Date(clock.now().getTime() + wait), clock.now());
      return false;
    }
  }

  async #settle(refund: RefundRow, status: "refunded" | "manual" | "failed", note: string | null): Promise<void> {
    await this.#options.store.settleRefund(refund.id, status, note, this.#options.clock.now());
    this.#options.onSettled?.(refund, status, note);
  }

  #backoff(attempt: number): number {
    return this.#options.backoffMs?.(attempt) ?? Math.min(1000 * 2 ** (attempt - 1), 10 * 60_000);
  }
}
