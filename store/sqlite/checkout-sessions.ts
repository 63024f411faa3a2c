import { and, asc, eq, inArray, isNull, not } from "drizzle-orm";
import type { OrderStatus } from "../../commerce/index.ts";
import type { CheckoutSessionRow } from "../ports/checkout-sessions.ts";
import type { Db } from "./queries.ts";
import { rowId, toCheckoutSession } from "./rows.ts";
import * as schema from "./schema.ts";

/** Orders' hosted checkout sessions: one per order, closed once the order no longer awaits payment. */

/** The session kept for an order, or undefined. */
export function checkoutSession(db: Db, orderId: string): CheckoutSessionRow | undefined {
  const k = schema.checkoutSessions;
  const row = db.select().from(k).where(eq(k.orderId, rowId(orderId))).get();
  return row && toCheckoutSession(row);
}

/** Inserts the session unless the order has one; returns the one kept. */
export function saveCheckoutSession(db: Db, session: CheckoutSessionRow): CheckoutSessionRow {
  const k = schema.checkoutSessions;
  db.insert(k)
    .values({ ...session, orderId: rowId(session.orderId) })
    .onConflictDoNothing()
    .run();
  const row = db.select().from(k).where(eq(k.orderId, rowId(session.orderId))).get();
  if (!row) throw new Error(`checkout session of order ${session.orderId} was not kept`);
  return toCheckoutSession(row);
}

/** Open sessions whose order no longer awaits payment, oldest order first, with that order's status. */
export function checkoutSessionsToClose(db: Db, limit: number): Array<CheckoutSessionRow & { readonly orderStatus: OrderStatus }> {
  const k = schema.checkoutSessions;
  const o = schema.orders;
  return db
    .select({ orderId: k.orderId, provider: k.provider, sessionId: k.sessionId, url: k.url, createdAt: k.createdAt, orderStatus: o.status })
    .from(k)
    .innerJoin(o, eq(o.id, k.orderId))
    .where(and(isNull(k.closedAt), not(inArray(o.status, ["awaiting_payment", "draft"]))))
    .orderBy(asc(k.orderId))
    .limit(limit)
    .all()
    .map((row) => ({ ...row, orderId: String(row.orderId), orderStatus: row.orderStatus as OrderStatus }));
}

/** Marks an order's session closed, with what closing it did. */
export function closeCheckoutSession(db: Db, orderId: string, at: Date, note: string): void {
  const k = schema.checkoutSessions;
  db.update(k).set({ closedAt: at, closeNote: note }).where(eq(k.orderId, rowId(orderId))).run();
}
