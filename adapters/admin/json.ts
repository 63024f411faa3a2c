import type { Booking, Order, OrderTransition } from "../../commerce/index.ts";
import type { AdminChange, RefundRow } from "../../store/index.ts";

/** What the admin API answers: money in integer minor units beside its ISO 4217 currency, instants in ISO 8601 UTC. */

export function orderJson(order: Order) {
  return {
    id: order.id,
    channel: order.channel,
    customer: order.userId,
    status: order.status,
    items: order.items.map((i) => ({ productId: i.productId, name: i.name, options: i.options, quantity: i.quantity, unitPrice: i.unitPrice, lineTotal: i.lineTotal })),
    total: order.total,
    currency: order.currency,
    ...(order.shipping === undefined ? {} : { shipping: order.shipping }),
    createdAt: order.createdAt.toISOString(),
    updatedAt: order.updatedAt.toISOString(),
  };
}

export function transitionJson(t: OrderTransition) {
  return { from: t.from, to: t.to, cause: t.cause, at: t.at.toISOString() };
}

export function bookingJson(b: Booking) {
  return {
    id: b.id,
    channel: b.channel,
    customer: b.userId,
    service: b.serviceId,
    resource: b.resourceId,
    start: b.start.toISOString(),
    end: b.end.toISOString(),
    status: b.status,
    price: b.price,
    deposit: b.deposit,
    depositPaid: b.depositPaid,
    depositRefunded: b.depositRefunded,
    currency: b.currency,
    ...(b.orderId === undefined ? {} : { order: b.orderId }),
    createdAt: b.createdAt.toISOString(),
    updatedAt: b.updatedAt.toISOString(),
  };
}

export function refundJson(r: RefundRow) {
  return {
    id: r.id,
    channel: r.channel,
    customer: r.userId,
    order: r.orderId,
    provider: r.provider,
    amount: r.amount,
    currency: r.currency,
    reason: r.reason,
    status: r.status,
    attempts: r.attempts,
    note: r.lastError,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}

export function changeJson(c: AdminChange) {
  return { key: c.keyId, subject: c.subject, target: c.target, before: c.before, after: c.after, at: c.at.toISOString() };
}
