import type { Booking, BookingStatus, Order, OrderItem, OrderShipping, OrderStatus } from "../../commerce/index.ts";
import type { CheckoutSessionRow } from "../ports/checkout-sessions.ts";
import type { RefundRow, RefundStatus } from "../ports/refunds.ts";
import type { TimerRow } from "../ports/timers.ts";
import type * as schema from "./schema.ts";

/**
 * Row ids and row mappers: how the port's string ids become integer keys,
 * and how selected rows become the port's types.
 */

/** An order's or booking's integer key from the port's string id; -1 (matching no row) when it is not one. */
export function rowId(id: string): number {
  const n = Number(id);
  return Number.isSafeInteger(n) && n > 0 ? n : -1;
}

/** An `orders` row as an Order. */
export function toOrder(row: typeof schema.orders.$inferSelect): Order {
  return {
    id: String(row.id),
    botId: row.botId,
    channel: row.channel,
    userId: row.userId,
    status: row.status as OrderStatus,
    items: row.items as OrderItem[],
    total: row.total,
    currency: row.currency,
    ...(row.shipping ? { shipping: row.shipping as OrderShipping } : {}),
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/** A `refunds` row as a RefundRow. */
export function toRefund(row: typeof schema.refunds.$inferSelect): RefundRow {
  return {
    id: row.id,
    botId: row.botId,
    channel: row.channel,
    userId: row.userId,
    orderId: String(row.orderId),
    provider: row.provider,
    paymentReference: row.paymentReference,
    providerReference: row.providerReference,
    amount: row.amount,
    currency: row.currency,
    reason: row.reason,
    status: row.status as RefundStatus,
    attempts: row.attempts,
    lastError: row.lastError,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/** A `bookings` row as a Booking. */
export function toBooking(row: typeof schema.bookings.$inferSelect): Booking {
  return {
    id: String(row.id),
    botId: row.botId,
    channel: row.channel,
    userId: row.userId,
    serviceId: row.serviceId,
    resourceId: row.resourceId,
    start: row.start,
    end: row.end,
    status: row.status as BookingStatus,
    price: row.price,
    deposit: row.deposit,
    depositPaid: row.depositPaid,
    depositRefunded: row.depositRefunded,
    currency: row.currency,
    ...(row.orderId === null ? {} : { orderId: String(row.orderId) }),
    freeCancelUntil: row.freeCancelUntil,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/** A `timers` row as a TimerRow. */
export function toTimer(row: typeof schema.timers.$inferSelect): TimerRow {
  return { ...row, data: row.data as TimerRow["data"] };
}

/** A `checkout_sessions` row with the port's string order id. */
export function toCheckoutSession(row: typeof schema.checkoutSessions.$inferSelect): CheckoutSessionRow {
  return { ...row, orderId: String(row.orderId) };
}
