import type { Order } from "../commerce/index.ts";
import type { PaymentRecord } from "../store/index.ts";
import type { Turn } from "./turn.ts";

/**
 * Records, in this turn's transaction, that a payment's money goes back to
 * the customer; the refund runner (jobs/refunds.ts) then asks the provider.
 * Once per payment: recording it again changes nothing.
 */
export async function oweRefund(turn: Turn, order: Order, payment: Omit<PaymentRecord, "at">, amount: number, reason: string): Promise<void> {
  await turn.tx.recordRefund({
    ...turn.address,
    orderId: order.id,
    provider: payment.provider,
    paymentReference: payment.reference,
    ...(payment.providerReference === undefined ? {} : { providerReference: payment.providerReference }),
    amount,
    currency: payment.currency,
    reason,
    at: turn.now,
  });
}
