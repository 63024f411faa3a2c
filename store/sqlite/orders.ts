import { and, asc, eq, isNull, sql, type SQL } from "drizzle-orm";
import type { Order, OrderShipping, OrderStatus, OrderTransition, PaymentReport } from "../../commerce/index.ts";
import type { NewOrder, OrderFilter, PaymentRecord } from "../ports/orders.ts";
import type { Db, Queries } from "./queries.ts";
import { rowId, toOrder } from "./rows.ts";
import * as schema from "./schema.ts";

/** Orders, their status history and their payments. */

function orderWhere(filter: OrderFilter): SQL | undefined {
  const o = schema.orders;
  return and(
    filter.botId === undefined ? undefined : eq(o.botId, filter.botId),
    filter.channel === undefined ? undefined : eq(o.channel, filter.channel),
    filter.userId === undefined ? undefined : eq(o.userId, filter.userId),
    filter.status === undefined ? undefined : eq(o.status, filter.status),
  );
}

/** Inserts an order and its first transition (from `draft`, with why it exists). */
export function createOrder(q: Queries, order: NewOrder): Order {
  const row = q.insertOrder.get({
    botId: order.botId,
    channel: order.channel,
    userId: order.userId,
    status: order.status,
    items: order.items,
    total: order.total,
    currency: order.currency,
    at: order.at,
  });
  if (!row) throw new Error("inserting an order returned no row");
  q.recordTransition.run({ orderId: row.id, from: "draft", to: order.status, cause: order.cause, at: order.at });
  return toOrder(row);
}

/** The order with this id, or undefined. */
export function getOrder(q: Queries, id: string): Order | undefined {
  const row = q.getOrder.get({ id: rowId(id) });
  return row && toOrder(row);
}

/** Moves an order from `from` to `to` and records the transition; false when it was no longer in `from`. */
export function transitionOrder(q: Queries, id: string, from: OrderStatus, to: OrderStatus, cause: string, at: Date): boolean {
  if (q.moveOrder.run({ id: rowId(id), from, to, at: at.getTime() }).changes !== 1) return false;
  q.recordTransition.run({ orderId: rowId(id), from, to, cause, at });
  return true;
}

/** The orders matching the filter, by id. */
export function listOrders(db: Db, filter: OrderFilter): Order[] {
  return db.select().from(schema.orders).where(orderWhere(filter)).orderBy(asc(schema.orders.id)).all().map(toOrder);
}

/** An order's status changes, oldest first. */
export function orderHistory(db: Db, id: string): OrderTransition[] {
  const t = schema.orderTransitions;
  return db
    .select()
    .from(t)
    .where(eq(t.orderId, rowId(id)))
    .orderBy(asc(t.id))
    .all()
    .map((r) => ({ from: r.fromStatus as OrderStatus, to: r.toStatus as OrderStatus, cause: r.cause, at: r.at }));
}

/** Inserts a provider's report unless (provider, reference) is recorded already; true when inserted. */
export function recordPayment(db: Db, report: PaymentReport, at: Date): boolean {
  const result = db
    .insert(schema.payments)
    .values({
      provider: report.provider,
      reference: report.reference,
      orderId: rowId(report.orderId),
      outcome: report.outcome,
      amount: report.amount,
      currency: report.currency,
      providerReference: report.providerReference ?? null,
      at,
    })
    .onConflictDoNothing()
    .run();
  return result.changes === 1;
}

/** The first succeeded payment of an order, or undefined. */
export function paymentOf(db: Db, orderId: string): PaymentRecord | undefined {
  const p = schema.payments;
  const row = db
    .select()
    .from(p)
    .where(and(eq(p.orderId, rowId(orderId)), eq(p.outcome, "succeeded")))
    .orderBy(asc(p.id))
    .get();
  if (!row) return undefined;
  return { provider: row.provider, reference: row.reference, ...(row.providerReference ? { providerReference: row.providerReference } : {}), amount: row.amount, currency: row.currency, at: row.at };
}

/** Sets an order's shipping and adds its price to the total, unless it has shipping already. */
export function setOrderShipping(db: Db, orderId: string, shipping: OrderShipping, at: Date): boolean {
  const o = schema.orders;
  const result = db
    .update(o)
    .set({ shipping, total: sql`${o.total} + ${shipping.amount}`, updatedAt: at })
    .where(and(eq(o.id, rowId(orderId)), isNull(o.shipping)))
    .run();
  return result.changes === 1;
}
