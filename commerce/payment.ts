import { CommerceError } from "./errors.ts";
import type { Order } from "./order.ts";
import type { ShippingAddress } from "./shipping.ts";

/** What a provider reports about one payment attempt, after verifying it. */
export interface PaymentReport {
  readonly provider: string;
  /** The provider's id for this attempt; (provider, reference) is the idempotency key. */
  readonly reference: string;
  readonly orderId: string;
  readonly outcome: "succeeded" | "declined";
  readonly amount: number;
  readonly currency: string;
  readonly reason?: string;
  /** The underlying processor's id when the provider is an intermediary (Telegram's provider_payment_charge_id). */
  readonly providerReference?: string;
  /** Where and how the customer asked the goods to be sent, when the provider collected it (Telegram invoices). */
  readonly shipping?: { readonly optionId: string; readonly address: ShippingAddress; readonly name?: string };
}

/**
 * A payment provider. Providers verify their own callbacks and turn them into
 * `PaymentReport`s; the engine decides what a report does to an order.
 */
export interface PaymentProvider {
  readonly id: string;
}

export type TestOutcome = "succeed" | "decline";

/**
 * The emulator's provider: pays an order with the exact amount, or declines.
 * References are sequential so transcripts stay deterministic.
 */
export class TestPaymentProvider implements PaymentProvider {
  readonly id = "test";
  #sequence = 0;

  charge(order: Pick<Order, "id" | "total" | "currency">, outcome: TestOutcome): PaymentReport {
    this.#sequence += 1;
    return {
      provider: this.id,
      reference: `test_${Date.now().toString(36)}_${this.#sequence}`,
      orderId: order.id,
      outcome: outcome === "succeed" ? "succeeded" : "declined",
      amount: order.total,
      currency: order.currency,
      ...(outcome === "decline" ? { reason: "card_declined" } : {}),
    };
  }
}

/** A successful payment settles an order only for its exact amount and currency. */
export function assertPaymentMatches(order: Pick<Order, "id" | "total" | "currency">, report: PaymentReport): void {
  if (report.amount !== order.total || report.currency !== order.currency) {
    throw new CommerceError(
      "payment_mismatch",
      `payment ${report.provider}/${report.reference} of ${report.amount} ${report.currency} does not match order ${order.id} (${order.total} ${order.currency})`,
      { orderId: order.id, amount: report.amount, currency: report.currency },
    );
  }
}
