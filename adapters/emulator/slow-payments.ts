import type { PaymentReport } from "../../commerce/index.ts";
import type { WorkInFlight } from "./locks.ts";

export interface SlowPaymentsOptions {
  /** How long a slow payment waits, in ms. */
  readonly delayMs: number;
  /** Where a delivered payment's turn is tracked, so that closing waits for it. */
  readonly inFlight: WorkInFlight;
  readonly onError?: ((error: unknown, context: string) => void) | undefined;
}

/**
 * The emulator's `pay: "slow"`: the payment's turn runs after a delay, like a
 * provider's late webhook. Closing delivers the ones still waiting at once
 * rather than dropping them.
 */
export class SlowPayments {
  readonly #o: SlowPaymentsOptions;
  readonly #waiting = new Map<NodeJS.Timeout, () => Promise<void>>();

  constructor(options: SlowPaymentsOptions) {
    this.#o = options;
  }

  /** Runs `pay` (the payment's turn) after the delay; a failure goes to `onError`, naming the payment. */
  later(pay: () => Promise<unknown>, report: PaymentReport): void {
    const run = async () => {
      try {
        await pay();
      } catch (error) {
        this.#o.onError?.(error, `slow payment ${report.reference}`);
      }
    };
    const timeout = setTimeout(() => {
      this.#waiting.delete(timeout);
      void this.#o.inFlight.track(run());
    }, this.#o.delayMs);
    this.#waiting.set(timeout, run);
  }

  /** Delivers every payment still waiting, now (their turns are tracked in flight). */
  deliverNow(): void {
    for (const [timeout, run] of this.#waiting) {
      clearTimeout(timeout);
      void this.#o.inFlight.track(run());
    }
    this.#waiting.clear();
  }
}
